//! The conversation engine through the real store, on SQLite and PostgreSQL: the same stories
//! the domain proves on a virtual clock, now with transactions, locks, restarts and races.

mod support;

use std::sync::Arc;

use backend::{BackendError, Db, Engine, clock::ManualClock, store::spaces};
use domain::{
    AgentId, Author, Command, ConversationId, CustomerId, DomainError, Effect, EventKind, MINUTE,
    SECOND, SpaceId, Timers,
};
use support::{
    chat::{available, start_direct},
    people::{agent_in, customer, site_with_space},
};

const T0: i64 = 1_800_000_000_000;

struct Site {
    engine: Engine,
    clock: Arc<ManualClock>,
    space: SpaceId,
    ada: AgentId,
    grace: AgentId,
    customer: CustomerId,
}

async fn site(db: &Db) -> Site {
    let space = site_with_space(db, "Support").await;
    let ada = agent_in(db, &space, "Ada").await;
    let grace = agent_in(db, &space, "Grace").await;
    let customer = customer(db, "Casey").await;
    let clock = Arc::new(ManualClock::starting_at(T0));
    let engine = Engine::new(db.clone(), Timers::default(), clock.clone());
    Site {
        engine,
        clock,
        space,
        ada,
        grace,
        customer,
    }
}

impl Site {
    async fn available(&self, agent: &AgentId) {
        available(&self.engine, agent).await;
    }

    async fn start(&self) -> (ConversationId, Vec<Effect>) {
        let id = ConversationId::new(uuid::Uuid::now_v7().to_string());
        let outcome = start_direct(&self.engine, &id, &self.space, &self.customer).await;
        (id, outcome.effects)
    }

    async fn status(&self, id: &ConversationId) -> String {
        let (status,): (String,) = sqlx::query_as("SELECT status FROM conversations WHERE id = $1")
            .bind(id.as_str())
            .fetch_one(&self.engine.db().pool)
            .await
            .unwrap();
        status
    }

    async fn offered_to(&self, id: &ConversationId) -> Option<String> {
        let (agent,): (Option<String>,) =
            sqlx::query_as("SELECT offer_agent_id FROM conversations WHERE id = $1")
                .bind(id.as_str())
                .fetch_one(&self.engine.db().pool)
                .await
                .unwrap();
        agent
    }

    async fn event_kinds(&self, id: &ConversationId) -> Vec<String> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT kind FROM conversation_events WHERE conversation_id = $1 ORDER BY seq",
        )
        .bind(id.as_str())
        .fetch_all(&self.engine.db().pool)
        .await
        .unwrap();
        rows.into_iter().map(|(k,)| k).collect()
    }

    async fn accept(
        &self,
        agent: &AgentId,
        id: &ConversationId,
    ) -> Result<backend::Outcome, BackendError> {
        self.engine
            .execute(Command::Accept {
                agent: agent.clone(),
                conversation: id.clone(),
            })
            .await
    }
}

conformance!(
    offers_alternate_between_available_agents_round_robin,
    decline_moves_the_offer_to_the_other_agent,
    an_unanswered_offer_sets_the_agent_unavailable_and_moves_on,
    accepting_makes_the_work_item_active_with_the_agent_as_assignee,
    a_resent_message_gets_the_same_seq_and_is_stored_once,
    end_then_resolve_closes_the_work_item_and_frees_the_slot,
    nobody_available_at_start_shows_the_fallback_and_closes,
    nobody_accepting_within_twenty_minutes_shows_the_fallback_and_closes,
    deadlines_survive_a_restart_and_fire_once,
    two_concurrent_accepts_of_one_offer_have_exactly_one_winner,
    resolving_with_a_resolution_not_in_the_sites_list_is_refused,
);

// SPEC R-AGENT-3
async fn resolving_with_a_resolution_not_in_the_sites_list_is_refused(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    let (id, _) = site.start().await;
    site.accept(&site.ada, &id).await.unwrap();
    site.engine
        .execute(Command::EndConversation {
            conversation: id.clone(),
            by: domain::Ender::Customer,
        })
        .await
        .unwrap();
    let refused = site
        .engine
        .execute(Command::Resolve {
            agent: site.ada.clone(),
            conversation: id.clone(),
            resolution: "Whatever".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "Choose one of the site's resolutions: Done, Duplicate, Won't do."
    );
    assert_eq!(site.status(&id).await, "wrapping_up", "nothing changed");
}

// SPEC R-ROUTE-2
async fn offers_alternate_between_available_agents_round_robin(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    site.available(&site.grace).await;
    let (first, _) = site.start().await;
    let (second, _) = site.start().await;
    let a = site.offered_to(&first).await.unwrap();
    let b = site.offered_to(&second).await.unwrap();
    assert_ne!(a, b, "the second conversation goes to the other agent");
}

// SPEC R-ROUTE-3
async fn decline_moves_the_offer_to_the_other_agent(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    site.available(&site.grace).await;
    let (id, _) = site.start().await;
    let first = AgentId::new(site.offered_to(&id).await.unwrap());
    site.engine
        .execute(Command::Decline {
            agent: first.clone(),
            conversation: id.clone(),
        })
        .await
        .unwrap();
    let second = site.offered_to(&id).await.unwrap();
    assert_ne!(second, first.as_str());
}

// SPEC R-ROUTE-5, R-TIME-1
async fn an_unanswered_offer_sets_the_agent_unavailable_and_moves_on(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    site.available(&site.grace).await;
    let (id, _) = site.start().await;
    let first = site.offered_to(&id).await.unwrap();
    site.clock.advance(119 * SECOND);
    assert_eq!(
        site.engine.tick_due().await.unwrap(),
        0,
        "nothing is due before 120 s"
    );
    site.clock.advance(SECOND);
    assert_eq!(site.engine.tick_due().await.unwrap(), 1);
    assert_eq!(
        spaces::availability(db, site.space.as_str(), &first)
            .await
            .unwrap(),
        "Unavailable"
    );
    let next = site.offered_to(&id).await.unwrap();
    assert_ne!(next, first, "offered to the next available agent");
}

// SPEC R-ROUTE-8, R-LIFE-2
async fn accepting_makes_the_work_item_active_with_the_agent_as_assignee(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    let (id, _) = site.start().await;
    site.accept(&site.ada, &id).await.unwrap();
    assert_eq!(site.status(&id).await, "active");
    let (status, assignee): (String, Option<String>) =
        sqlx::query_as("SELECT status, assignee_id FROM work_items WHERE conversation_id = $1")
            .bind(id.as_str())
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(status, "Active");
    assert_eq!(assignee.as_deref(), Some(site.ada.as_str()));
}

async fn a_resent_message_gets_the_same_seq_and_is_stored_once(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    let (id, _) = site.start().await;
    let send = || Command::SendMessage {
        conversation: id.clone(),
        author: Author::Customer,
        body: "Hello?".into(),
        client_id: "0193-client-1".into(),
        attachment: None,
    };
    let first = site
        .engine
        .execute(send())
        .await
        .unwrap()
        .message_seq()
        .unwrap();
    let again = site.engine.execute(send()).await.unwrap();
    assert_eq!(again.duplicate_of, Some(first));
    let messages = site
        .event_kinds(&id)
        .await
        .into_iter()
        .filter(|k| k == "message")
        .count();
    assert_eq!(messages, 1);
}

// SPEC R-AGENT-2, R-AGENT-3, R-LIFE-3, R-LIFE-4, R-ROUTE-10
async fn end_then_resolve_closes_the_work_item_and_frees_the_slot(db: &Db) {
    let site = site(db).await;
    site.engine
        .execute(Command::SetMaxConversations { max: 1 })
        .await
        .unwrap();
    site.available(&site.ada).await;
    let (first, _) = site.start().await;
    site.accept(&site.ada, &first).await.unwrap();
    let (second, _) = site.start().await;
    assert_eq!(
        site.offered_to(&second).await,
        None,
        "at the limit: no new offer"
    );

    site.engine
        .execute(Command::EndConversation {
            conversation: first.clone(),
            by: domain::Ender::Agent(site.ada.clone()),
        })
        .await
        .unwrap();
    assert_eq!(site.status(&first).await, "wrapping_up");
    assert_eq!(
        site.offered_to(&second).await,
        None,
        "Wrapping up still holds the slot"
    );

    site.engine
        .execute(Command::Resolve {
            agent: site.ada.clone(),
            conversation: first.clone(),
            resolution: "Done".into(),
        })
        .await
        .unwrap();
    assert_eq!(site.status(&first).await, "closed");
    assert_eq!(
        site.offered_to(&second).await.as_deref(),
        Some(site.ada.as_str()),
        "the freed slot gets the waiting one"
    );
}

// SPEC R-ROUTE-6, R-LIFE-5
async fn nobody_available_at_start_shows_the_fallback_and_closes(db: &Db) {
    let site = site(db).await;
    let (id, effects) = site.start().await;
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Event(ev) if ev.kind == EventKind::FallbackShown))
    );
    assert_eq!(site.status(&id).await, "closed");
    assert!(
        site.event_kinds(&id)
            .await
            .contains(&"fallback_shown".to_string())
    );
}

// SPEC R-ROUTE-7, R-TIME-2, R-LIFE-5
async fn nobody_accepting_within_twenty_minutes_shows_the_fallback_and_closes(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    site.available(&site.grace).await;
    let (id, _) = site.start().await;
    // Each agent lets an offer lapse in turn; both end up Unavailable, the conversation waits.
    for _ in 0..10 {
        site.clock.advance(2 * MINUTE);
        site.engine.tick_due().await.unwrap();
    }
    assert_eq!(site.status(&id).await, "closed");
    let kinds = site.event_kinds(&id).await;
    assert_eq!(kinds.iter().filter(|k| *k == "fallback_shown").count(), 1);
}

// SPEC R-TIME-1, R-TIME-3: stop with a pending offer and a pending inactivity deadline.
async fn deadlines_survive_a_restart_and_fire_once(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    let (active, _) = site.start().await;
    site.accept(&site.ada, &active).await.unwrap();
    site.available(&site.grace).await;
    site.clock.advance(10 * MINUTE);
    let (offered, _) = site.start().await;
    let offered_agent = site.offered_to(&offered).await.unwrap();
    drop(site.engine);

    // A new engine (a restarted server) at minute 21: the offer (minute 12) and the inactivity
    // warning (minute 20) are overdue; the offered conversation's 20-minute wait is not.
    let clock = Arc::new(ManualClock::starting_at(T0 + 21 * MINUTE));
    let restarted = Engine::new(db.clone(), Timers::default(), clock.clone());
    assert!(restarted.tick_due().await.unwrap() >= 2);
    assert_eq!(
        restarted.tick_due().await.unwrap(),
        0,
        "nothing fires twice"
    );
    assert_eq!(
        spaces::availability(db, site.space.as_str(), &offered_agent)
            .await
            .unwrap(),
        "Unavailable"
    );
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT kind FROM conversation_events WHERE conversation_id = $1 AND kind = 'inactivity_warning'",
    )
    .bind(active.as_str())
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 1, "the inactivity warning went out once");
}

async fn two_concurrent_accepts_of_one_offer_have_exactly_one_winner(db: &Db) {
    let site = site(db).await;
    site.available(&site.ada).await;
    let (id, _) = site.start().await;
    let (a, b) = tokio::join!(site.accept(&site.ada, &id), site.accept(&site.ada, &id));
    let results = [a, b];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let loser = results.into_iter().find_map(Result::err).unwrap();
    assert!(
        matches!(loser, BackendError::Rule(DomainError::NotOffered)),
        "{loser:?}"
    );
    assert!(
        loser.to_string().contains("no longer offered to you"),
        "{loser}"
    );
}
