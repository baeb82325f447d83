//! Two nodes on one PostgreSQL database, each with its own `PgBus`: what one publishes, the
//! other's subscribers receive, and whatever may be lost on the way becomes `Lagged`.
//! PostgreSQL only (LISTEN/NOTIFY); under CI a missing database fails these tests.

mod support;

use std::sync::Arc;
use std::time::Duration;

use backend::{
    Db, Engine,
    clock::ManualClock,
    realtime::{Bus, BusMessage, Lagged, PgBus, Subscription, Topic, bus::FOREIGN_ORIGIN},
    sessions::{DbSessionStore, SignedIn},
};
use domain::{
    AgentId, Author, Command, ConversationEvent, ConversationId, CustomerId, EventKind, SpaceId,
    Timers, Timestamp, WithdrawReason, protocol::Typist,
};
use support::{
    chat::{available, start_direct},
    people::{agent_in, customer, site_with_space},
};

const WAIT: Duration = Duration::from_secs(10);

/// Two nodes: `a` commits through its engine, `b` only listens.
struct Nodes {
    a: Arc<PgBus>,
    b: Arc<PgBus>,
    engine: Engine,
    space: SpaceId,
    customer: CustomerId,
    db: Db,
}

async fn two_nodes(test: &str) -> Option<(Nodes, support::TestDb)> {
    let test_db = support::postgres(test).await?;
    let db = test_db.db.clone();
    let url = test_db.postgres_url().unwrap().to_string();
    let space = site_with_space(&db, "Support").await;
    let customer = customer(&db, "Casey").await;
    // An Available agent, so a new conversation waits for them instead of ending at once.
    let ada = agent_in(&db, &space, "Ada").await;
    let a = PgBus::start(&url, db.clone()).await.unwrap();
    let b = PgBus::start(&url, db.clone()).await.unwrap();
    let clock = Arc::new(ManualClock::starting_at(1_800_000_000_000));
    let engine = Engine::new(db.clone(), Timers::default(), clock).with_bus(a.clone());
    available(&engine, &ada).await;
    let nodes = Nodes {
        a,
        b,
        engine,
        space,
        customer,
        db,
    };
    Some((nodes, test_db))
}

impl Nodes {
    async fn start(&self, id: &ConversationId) {
        start_direct(&self.engine, id, &self.space, &self.customer).await;
    }

    async fn say(&self, id: &ConversationId, body: String) -> i64 {
        self.engine
            .execute(Command::SendMessage {
                conversation: id.clone(),
                author: Author::Customer,
                body,
                client_id: uuid::Uuid::now_v7().to_string(),
                attachment: None,
            })
            .await
            .unwrap()
            .message_seq()
            .unwrap()
    }

    async fn stored(&self, id: &ConversationId, seq: i64) -> ConversationEvent {
        backend::realtime::reads::events_between(&self.db, id, seq - 1, Some(seq))
            .await
            .unwrap()
            .pop()
            .unwrap()
    }
}

async fn next(subscription: &mut Subscription) -> Result<BusMessage, Lagged> {
    tokio::time::timeout(WAIT, subscription.recv())
        .await
        .expect("a message arrives in time")
        .map(|message| (*message).clone())
}

/// Reads events until the one with `seq` (the conversation's earlier events come first).
async fn event_with_seq(subscription: &mut Subscription, seq: i64) -> ConversationEvent {
    loop {
        match next(subscription).await {
            Ok(BusMessage::Event(event)) if event.seq < seq => {}
            Ok(BusMessage::Event(event)) => {
                assert_eq!(event.seq, seq, "in order, none skipped");
                return event;
            }
            other => panic!("expected an event, got {other:?}"),
        }
    }
}

/// Nothing arrives within a short while.
async fn nothing_more(subscription: &mut Subscription) {
    let waited = tokio::time::timeout(Duration::from_millis(300), subscription.recv()).await;
    assert!(waited.is_err(), "unexpected: {waited:?}");
}

fn conversation_topic(id: &ConversationId) -> Topic {
    Topic::Conversation(id.clone())
}

#[tokio::test]
async fn an_event_committed_on_one_node_reaches_a_follower_on_another_with_its_seq() {
    let Some((nodes, test_db)) = two_nodes("an_event_committed_on_one_node").await else {
        return;
    };
    let id = ConversationId::new(uuid::Uuid::now_v7().to_string());
    let mut on_b = nodes.b.subscribe(&conversation_topic(&id));

    nodes.start(&id).await;
    let seq = nodes.say(&id, "Hello from node A".into()).await;

    let event = event_with_seq(&mut on_b, seq).await;
    assert_eq!(event, nodes.stored(&id, seq).await);
    assert!(
        matches!(event.kind, EventKind::Message { ref body, .. } if body == "Hello from node A")
    );
    drop(on_b);
    drop(nodes);
    test_db.cleanup().await;
}

#[tokio::test]
async fn a_message_larger_than_a_notification_may_be_still_arrives_by_reference() {
    let Some((nodes, test_db)) = two_nodes("a_message_larger_than_a_notification").await else {
        return;
    };
    let id = ConversationId::new(uuid::Uuid::now_v7().to_string());
    nodes.start(&id).await;
    let mut on_b = nodes.b.subscribe(&conversation_topic(&id));
    // 4,000 characters of 4 bytes each: twice PostgreSQL's payload limit.
    let body = "😀".repeat(4_000);
    assert!(body.len() > 8_000);

    let seq = nodes.say(&id, body.clone()).await;

    let event = event_with_seq(&mut on_b, seq).await;
    assert!(matches!(event.kind, EventKind::Message { body: ref got, .. } if *got == body));
    drop(on_b);
    drop(nodes);
    test_db.cleanup().await;
}

#[tokio::test]
async fn typing_offers_and_session_ends_travel_whole_to_the_other_node() {
    let Some((nodes, test_db)) = two_nodes("typing_offers_and_session_ends").await else {
        return;
    };
    let conversation = ConversationId::new("c1");
    let ada = Topic::Agent(AgentId::new("ada"));
    let session = Topic::Session("some-session".into());
    let mut typing_on_b = nodes.b.subscribe(&conversation_topic(&conversation));
    let mut ada_on_b = nodes.b.subscribe(&ada);
    let mut session_on_b = nodes.b.subscribe(&session);
    let typing = |origin| BusMessage::Typing {
        conversation: conversation.clone(),
        who: Typist::Customer,
        typing: true,
        origin,
    };
    let offer = BusMessage::Offer {
        conversation: conversation.clone(),
        expires_at: Timestamp(1_800_000_120_000),
    };
    let withdrawn = BusMessage::OfferWithdrawn {
        conversation: conversation.clone(),
        reason: WithdrawReason::Expired,
    };

    nodes
        .a
        .publish(&conversation_topic(&conversation), typing(5));
    nodes.a.publish(&ada, offer.clone());
    nodes.a.publish(&ada, withdrawn.clone());
    nodes.a.publish(&session, BusMessage::SessionEnded);

    assert_eq!(
        next(&mut typing_on_b).await,
        Ok(typing(FOREIGN_ORIGIN)),
        "socket ids are per node: node B's socket 5 must not take it for its own"
    );
    assert_eq!(next(&mut ada_on_b).await, Ok(offer));
    assert_eq!(next(&mut ada_on_b).await, Ok(withdrawn));
    assert_eq!(next(&mut session_on_b).await, Ok(BusMessage::SessionEnded));
    drop((typing_on_b, ada_on_b, session_on_b));
    drop(nodes);
    test_db.cleanup().await;
}

#[tokio::test]
async fn a_node_does_not_receive_its_own_publication_a_second_time() {
    let Some((nodes, test_db)) = two_nodes("a_node_does_not_receive_its_own").await else {
        return;
    };
    let ada = Topic::Agent(AgentId::new("ada"));
    let mut on_a = nodes.a.subscribe(&ada);
    let mut on_b = nodes.b.subscribe(&ada);
    let offer = |n: &str| BusMessage::Offer {
        conversation: ConversationId::new(n),
        expires_at: Timestamp(0),
    };

    nodes.a.publish(&ada, offer("first"));
    assert_eq!(
        next(&mut on_a).await,
        Ok(offer("first")),
        "at once, locally"
    );
    // Once B has it, A's own note is in A's listener too, ahead of anything B sends next.
    assert_eq!(next(&mut on_b).await, Ok(offer("first")));
    nodes.b.publish(&ada, offer("second"));

    assert_eq!(next(&mut on_a).await, Ok(offer("second")));
    nothing_more(&mut on_a).await;
    drop((on_a, on_b));
    drop(nodes);
    test_db.cleanup().await;
}

#[tokio::test]
async fn a_lost_listen_connection_makes_followers_rebuild_and_later_messages_still_arrive() {
    let Some((nodes, test_db)) = two_nodes("a_lost_listen_connection").await else {
        return;
    };
    let conversation = conversation_topic(&ConversationId::new("c1"));
    let ada = Topic::Agent(AgentId::new("ada"));
    let live_session = DbSessionStore::new(nodes.db.clone())
        .mint(
            &SignedIn::Customer("casey".into()),
            time::Duration::hours(1),
        )
        .await
        .unwrap();
    let mut conversation_on_b = nodes.b.subscribe(&conversation);
    let mut ada_on_b = nodes.b.subscribe(&ada);
    let mut live_on_b = nodes.b.subscribe(&Topic::Session(live_session));
    let mut gone_on_b = nodes
        .b
        .subscribe(&Topic::Session("signed-out-meanwhile".into()));

    let (killed,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1) AS t",
    )
    .bind(nodes.b.listener_name())
    .fetch_one(&nodes.db.pool)
    .await
    .unwrap();
    assert_eq!(killed, 1, "node B's LISTEN connection was found");

    assert!(
        next(&mut conversation_on_b).await.is_err(),
        "told it lagged"
    );
    assert!(next(&mut ada_on_b).await.is_err(), "told it lagged");
    assert_eq!(
        next(&mut gone_on_b).await,
        Ok(BusMessage::SessionEnded),
        "a session no longer stored may have been signed out meanwhile"
    );
    nothing_more(&mut live_on_b).await;

    let offer = BusMessage::Offer {
        conversation: ConversationId::new("c1"),
        expires_at: Timestamp(0),
    };
    nodes.a.publish(&ada, offer.clone());
    assert_eq!(next(&mut ada_on_b).await, Ok(offer), "listening again");
    drop((conversation_on_b, ada_on_b, live_on_b, gone_on_b));
    drop(nodes);
    test_db.cleanup().await;
}

#[tokio::test]
async fn a_gap_in_a_nodes_numbers_makes_followers_rebuild() {
    let Some((nodes, test_db)) = two_nodes("a_gap_in_a_nodes_numbers").await else {
        return;
    };
    let ada = Topic::Agent(AgentId::new("ada"));
    let mut ada_on_b = nodes.b.subscribe(&ada);
    let note = |n: u64| {
        serde_json::json!({
            "node": "elsewhere",
            "n": n,
            "body": {"kind": "whole", "topic": {"kind": "agent", "id": "ada"},
                     "message": {"message": "offer", "conversation": format!("c{n}"), "expires_at": 0}},
        })
        .to_string()
    };
    let offer = |n: u64| BusMessage::Offer {
        conversation: ConversationId::new(format!("c{n}")),
        expires_at: Timestamp(0),
    };

    let notify = |n: u64| {
        sqlx::query("SELECT pg_notify('baton', $1)")
            .bind(note(n))
            .execute(&nodes.db.pool)
    };

    notify(1).await.unwrap();
    notify(2).await.unwrap();
    assert_eq!(next(&mut ada_on_b).await, Ok(offer(1)));
    assert_eq!(next(&mut ada_on_b).await, Ok(offer(2)));
    notify(4).await.unwrap();

    assert!(
        next(&mut ada_on_b).await.is_err(),
        "note 3 was lost: rebuild"
    );
    assert_eq!(next(&mut ada_on_b).await, Ok(offer(4)));
    drop(ada_on_b);
    drop(nodes);
    test_db.cleanup().await;
}
