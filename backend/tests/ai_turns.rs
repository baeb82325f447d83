//! One AI reply in flight per conversation across nodes: two AI agents (two nodes on one
//! database) told at once give one reply, a message during a reply gets one more reply after it,
//! and a claim left by a node that died is taken over once its lease has run out, by the next
//! message or by any node's look for abandoned replies.

mod support;

use std::{sync::Arc, time::Duration};

use backend::{
    Db, Engine,
    ai::{AiAgent, turns},
    clock::{SystemClock, now_ms},
    demo,
    realtime::reads,
    widget::{self, Chatter},
};
use domain::{Author, ConversationId, EventKind, Timers, VisitorId};

conformance!(
    two_nodes_told_at_once_give_one_reply,
    a_message_during_a_reply_gets_one_more_reply_after_it,
    a_claim_left_by_a_dead_node_is_taken_over_after_its_lease,
    a_reply_a_dead_node_left_half_done_is_given_without_the_customer_writing_again,
);

const AI_SHOP: &str = "wk_demo_shop";

/// A node: its own engine and AI agent on the shared database. The agent shows it is typing for
/// `thinking`, long enough for the other node to be told meanwhile.
fn node(db: &Db, thinking: Duration) -> (Engine, AiAgent) {
    let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock));
    let ai = AiAgent::new(engine.clone(), "http://baton.test", thinking);
    (engine, ai)
}

/// A conversation with the AI on the demo site, its greeting sent.
async fn conversation(db: &Db, engine: &Engine, ai: &AiAgent, visitor: &str) -> ConversationId {
    demo::seed_if_empty(db).await.unwrap();
    let chatter = Chatter {
        customer: None,
        visitor: Some(VisitorId::new(visitor)),
    };
    widget::start(engine, ai, AI_SHOP, &chatter).await.unwrap()
}

/// The customer's message, and the conversation's last seq after it.
async fn customer_says(engine: &Engine, id: &ConversationId, body: &str) -> i64 {
    support::chat::customer_says(engine, id, body).await;
    last_seq(engine.db(), id).await
}

/// The seqs of the AI's messages after the greeting.
async fn ai_replies(db: &Db, id: &ConversationId) -> Vec<i64> {
    let events = reads::events_between(db, id, 0, None).await.unwrap();
    let mut replies: Vec<i64> = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Message {
                    author: Author::Ai,
                    ..
                }
            )
        })
        .map(|e| e.seq)
        .collect();
    replies.remove(0);
    replies
}

async fn last_seq(db: &Db, id: &ConversationId) -> i64 {
    let events = reads::events_between(db, id, 0, None).await.unwrap();
    events.last().map_or(0, |e| e.seq)
}

async fn no_claim_left(db: &Db) -> bool {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM ai_turns")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    count == 0
}

async fn two_nodes_told_at_once_give_one_reply(db: &Db) {
    let (engine, one) = node(db, Duration::from_millis(300));
    let (_, two) = node(db, Duration::from_millis(300));
    let id = conversation(db, &engine, &one, "v-twice").await;
    customer_says(&engine, &id, "Can I pay with PayPal?").await;

    let (first, second) = tokio::join!(one.take_turns(&id), two.take_turns(&id));

    assert_eq!(
        [first.unwrap(), second.unwrap()]
            .iter()
            .filter(|&&held| held)
            .count(),
        1,
        "one node held the reply"
    );
    assert_eq!(ai_replies(db, &id).await.len(), 1);
    assert!(no_claim_left(db).await);
}

async fn a_message_during_a_reply_gets_one_more_reply_after_it(db: &Db) {
    let (engine, one) = node(db, Duration::from_millis(600));
    let (_, two) = node(db, Duration::from_millis(600));
    let id = conversation(db, &engine, &one, "v-again").await;
    customer_says(&engine, &id, "Can I pay with PayPal?").await;

    let replying = tokio::spawn({
        let one = one.clone();
        let id = id.clone();
        async move { one.take_turns(&id).await.unwrap() }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let second_question = customer_says(&engine, &id, "How long does shipping take?").await;
    assert!(
        !two.take_turns(&id).await.unwrap(),
        "the other node leaves it to the reply in flight"
    );
    assert!(replying.await.unwrap());

    let replies = ai_replies(db, &id).await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert!(
        replies[1] > second_question,
        "the second reply follows the second question"
    );
    assert!(no_claim_left(db).await);
}

async fn a_claim_left_by_a_dead_node_is_taken_over_after_its_lease(db: &Db) {
    let (engine, ai) = node(db, Duration::from_millis(1));
    let id = conversation(db, &engine, &ai, "v-stale").await;
    customer_says(&engine, &id, "Can I pay with PayPal?").await;
    let lease = turns::LEASE.as_millis() as i64;
    let now = now_ms();

    // A node claimed the reply just now: nobody else replies.
    let live = turns::claim(db, &id, now).await.unwrap().expect("claimed");
    assert!(!ai.take_turns(&id).await.unwrap());
    assert!(ai_replies(db, &id).await.is_empty());
    assert!(
        turns::release(db, &live, now).await.unwrap(),
        "told to reply again"
    );

    // That node died: a lease later its claim is taken over.
    let taken_over = turns::claim(db, &id, now + lease + 1).await.unwrap();
    assert!(taken_over.is_some(), "a stale claim is taken over");
    assert!(
        !turns::release(db, &live, now + lease + 1).await.unwrap(),
        "the dead node's late release changes nothing"
    );
    assert!(
        turns::release(db, &taken_over.unwrap(), now + lease + 1)
            .await
            .is_ok()
    );
    assert!(no_claim_left(db).await);

    // And an agent finding a stale claim replies.
    turns::claim(db, &id, now - lease - 1)
        .await
        .unwrap()
        .expect("claimed");
    assert!(ai.take_turns(&id).await.unwrap());
    assert_eq!(ai_replies(db, &id).await.len(), 1);
    assert!(no_claim_left(db).await);
}

async fn a_reply_a_dead_node_left_half_done_is_given_without_the_customer_writing_again(db: &Db) {
    let (engine, ai) = node(db, Duration::from_millis(1));
    let abandoned = conversation(db, &engine, &ai, "v-abandoned").await;
    let in_flight = conversation(db, &engine, &ai, "v-in-flight").await;
    customer_says(&engine, &abandoned, "Can I pay with PayPal?").await;
    customer_says(&engine, &in_flight, "How long does shipping take?").await;
    let now = now_ms();
    // One node died a lease ago holding the first reply; another is preparing the second now.
    turns::claim(db, &abandoned, now - turns::LEASE.as_millis() as i64 - 1)
        .await
        .unwrap()
        .expect("claimed");
    let live = turns::claim(db, &in_flight, now)
        .await
        .unwrap()
        .expect("claimed");

    assert_eq!(ai.pick_up_abandoned().await.unwrap(), 1);

    assert_eq!(
        ai_replies(db, &abandoned).await.len(),
        1,
        "the customer is answered"
    );
    assert!(
        ai_replies(db, &in_flight).await.is_empty(),
        "a reply in flight on a live node is left to it"
    );
    turns::release(db, &live, now).await.unwrap();
    assert!(no_claim_left(db).await);
}
