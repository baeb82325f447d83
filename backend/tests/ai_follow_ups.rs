//! The AI agent is woken by the engine's committed outcome, not by the path that sent the
//! customer's message: a message sent through `Engine::execute` alone (no websocket) gets its
//! answer, and the engine announces each customer message to the AI once, and nothing else.

mod support;

use std::{sync::Arc, time::Duration};

use backend::{
    Db, Engine, FollowUp,
    ai::AiAgent,
    clock::SystemClock,
    demo,
    realtime::{BusMessage, Topic},
    widget::{self, Chatter},
};
use domain::{Author, Command, ConversationId, EventKind, Timers, VisitorId};
use tokio::sync::mpsc;

conformance!(
    a_customer_message_sent_through_the_engine_alone_gets_the_ai_agents_answer,
    the_engine_announces_a_customer_message_to_the_ai_once_and_nothing_else,
);

/// The demo shop's experience: the AI agent answers first, then the support team.
const AI_SHOP: &str = "wk_demo_shop";

/// Long enough for any test machine, and only ever waited in full when the answer never comes.
const ANSWER_WITHIN: Duration = Duration::from_secs(20);

fn anonymous(visitor: &str) -> Chatter {
    Chatter {
        customer: None,
        visitor: Some(VisitorId::new(visitor)),
    }
}

/// The demo site, with an engine that announces its follow-ups on the returned channel, and an
/// AI agent that thinks for a millisecond.
async fn demo_site_announcing_follow_ups(
    db: &Db,
) -> (Engine, AiAgent, mpsc::UnboundedReceiver<FollowUp>) {
    demo::seed_if_empty(db).await.unwrap();
    let (follow_ups, announced) = mpsc::unbounded_channel();
    let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock))
        .with_follow_ups(follow_ups);
    let ai = AiAgent::new(
        engine.clone(),
        "http://baton.test",
        Duration::from_millis(1),
    );
    (engine, ai, announced)
}

async fn customer_says(engine: &Engine, id: &ConversationId, body: &str, client_id: &str) {
    engine
        .execute(Command::SendMessage {
            conversation: id.clone(),
            author: Author::Customer,
            body: body.into(),
            client_id: client_id.into(),
            attachment: None,
        })
        .await
        .unwrap();
}

async fn a_customer_message_sent_through_the_engine_alone_gets_the_ai_agents_answer(db: &Db) {
    let (engine, ai, announced) = demo_site_announcing_follow_ups(db).await;
    let listener = tokio::spawn(ai.clone().answer(announced));
    let id = widget::start(&engine, &ai, AI_SHOP, &anonymous("v-engine"))
        .await
        .unwrap();
    // Followed after the greeting, so the first AI message seen is the answer.
    let mut events = engine.bus().subscribe(&Topic::Conversation(id.clone()));

    customer_says(&engine, &id, "Can I pay with PayPal?", "q-1").await;

    let answer = tokio::time::timeout(ANSWER_WITHIN, async {
        loop {
            let message = events.recv().await.unwrap();
            if let BusMessage::Event(event) = &*message
                && let EventKind::Message {
                    author: Author::Ai,
                    body,
                    ..
                } = &event.kind
            {
                return body.clone();
            }
        }
    })
    .await
    .expect("the AI agent answers a message that only went through the engine");
    assert!(!answer.trim().is_empty());
    listener.abort();
}

async fn the_engine_announces_a_customer_message_to_the_ai_once_and_nothing_else(db: &Db) {
    // The AI agent does not listen: its answer is asked for by hand below.
    let (engine, ai, mut announced) = demo_site_announcing_follow_ups(db).await;
    let id = widget::start(&engine, &ai, AI_SHOP, &anonymous("v-once"))
        .await
        .unwrap();
    // Starting the conversation and the AI's greeting ask nothing of the AI.
    assert!(announced.try_recv().is_err());

    customer_says(&engine, &id, "Can I pay with PayPal?", "q-1").await;
    assert_eq!(
        announced.try_recv().unwrap(),
        FollowUp::CustomerWroteToAi(id.clone())
    );

    // A resent message was answered already: nothing new to announce.
    customer_says(&engine, &id, "Can I pay with PayPal?", "q-1").await;
    assert!(announced.try_recv().is_err());

    // The AI's own answer is not a customer's message.
    assert!(ai.reply(&id).await.unwrap().is_some());
    assert!(announced.try_recv().is_err());
}
