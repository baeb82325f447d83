//! The agent's Conversations list on SQLite and PostgreSQL (SPEC R-VIEW-1): live conversations
//! first, then the ones the agent closed within the week with their resolution, most recently
//! closed first; older closed ones and other agents' conversations are not in it.

mod support;

use std::sync::Arc;

use backend::{
    Db, Engine,
    clock::{Clock, ManualClock, now_ms},
    conversations::for_agent,
};
use domain::time::HOUR;
use domain::views::conversations::RECENTLY_CLOSED_FOR;
use domain::{AgentId, Command, ConversationId, Ender, Timers};
use support::chat::{accept, available, start_direct};
use support::people::{agent_in, customer, site_with_space};

conformance!(
    r_view_1_the_list_shows_live_conversations_then_recently_closed_ones_with_their_resolution,
);

async fn close(engine: &Engine, agent: &AgentId, id: &ConversationId, resolution: &str) {
    engine
        .execute(Command::EndConversation {
            conversation: id.clone(),
            by: Ender::Agent(agent.clone()),
        })
        .await
        .unwrap();
    engine
        .execute(Command::Resolve {
            agent: agent.clone(),
            conversation: id.clone(),
            resolution: resolution.into(),
        })
        .await
        .unwrap();
}

async fn r_view_1_the_list_shows_live_conversations_then_recently_closed_ones_with_their_resolution(
    db: &Db,
) {
    let clock = Arc::new(ManualClock::starting_at(now_ms()));
    let engine = Engine::new(db.clone(), Timers::default(), clock.clone());
    let space = site_with_space(db, "Conversations").await;
    let ada = agent_in(db, &space, "Ada List").await;
    let grace = agent_in(db, &space, "Grace List").await;
    let people = [
        customer(db, "Old Olga").await,
        customer(db, "Done Dora").await,
        customer(db, "Dupe Dan").await,
        customer(db, "Live Lena").await,
        customer(db, "Grace's Gus").await,
    ];
    let ids: Vec<ConversationId> = ["c-old", "c-done", "c-dupe", "c-live", "c-gus"]
        .into_iter()
        .map(ConversationId::new)
        .collect();

    available(&engine, &ada).await;
    // Old Olga's conversation is closed more than a week before the list is read.
    start_direct(&engine, &ids[0], &space, &people[0]).await;
    accept(&engine, &ada, &ids[0]).await;
    close(&engine, &ada, &ids[0], "Done").await;
    clock.advance(RECENTLY_CLOSED_FOR + HOUR);

    for i in 1..4 {
        start_direct(&engine, &ids[i], &space, &people[i]).await;
        accept(&engine, &ada, &ids[i]).await;
    }
    close(&engine, &ada, &ids[1], "Done").await;
    clock.advance(HOUR);
    close(&engine, &ada, &ids[2], "Duplicate").await;

    // Grace's conversation is hers alone.
    engine
        .execute(Command::SetAvailability {
            agent: ada.clone(),
            scope: domain::Scope::AllSpaces,
            availability: domain::Availability::Unavailable,
        })
        .await
        .unwrap();
    available(&engine, &grace).await;
    start_direct(&engine, &ids[4], &space, &people[4]).await;
    accept(&engine, &grace, &ids[4]).await;

    let list = for_agent(db, &ada, clock.now()).await.unwrap();
    let lines: Vec<(String, String, Option<String>, bool)> = list
        .iter()
        .map(|c| {
            (
                c.customer_name.clone(),
                c.status.clone(),
                c.resolution.clone(),
                c.closed_at.is_some(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("Live Lena".into(), "Active".into(), None, false),
            (
                "Dupe Dan".into(),
                "Closed".into(),
                Some("Duplicate".into()),
                true
            ),
            (
                "Done Dora".into(),
                "Closed".into(),
                Some("Done".into()),
                true
            ),
        ]
    );
    assert!(list[1].closed_at > list[2].closed_at);

    let graces = for_agent(db, &grace, clock.now()).await.unwrap();
    assert_eq!(
        graces
            .iter()
            .map(|c| c.customer_name.as_str())
            .collect::<Vec<_>>(),
        ["Grace's Gus"]
    );
}
