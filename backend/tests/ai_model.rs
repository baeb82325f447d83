//! The AI agent with a language model behind it (an OpenAI-compatible backend), against a real
//! local HTTP server that speaks the chat-completions API (`support::model_double`), on SQLite
//! and PostgreSQL: a streamed answer reaches the conversation's followers in pieces and is
//! stored once with its sources; the model's handoff tool hands off; a failing or slow model
//! falls back to the built-in answer; a handoff while the answer is written stops it and stores
//! none of it (SPEC R-HAND-2); the API key is sealed and never shown or audited.

mod support;

use std::{sync::Arc, time::Duration};

use backend::{
    Db, Engine,
    ai::{
        AiAgent, knowledge,
        model::{Endpoint, ModelClient, ModelError},
        model_settings::{self, ModelForm},
        written::Models,
    },
    clock::SystemClock,
    realtime::{BusMessage, Topic, reads},
    secrets::Sealer,
    store::Actor,
    widget::{self, Chatter},
};
use domain::{
    Author, ConversationId, EventKind, Timers, VisitorId,
    ai::{
        HandoffReason,
        grounded::{PromptMessage, Role},
        model_settings::ModelBackend,
    },
};
use support::{chat::customer_says, model_double, people::demo_admin};

conformance!(
    a_streamed_answer_reaches_followers_in_pieces_and_is_stored_once_with_its_sources,
    the_models_handoff_tool_passes_the_conversation_to_the_team,
    a_failing_or_slow_model_is_replaced_by_the_built_in_answer,
    a_server_that_refuses_tools_is_asked_again_without_them,
    a_handoff_while_the_answer_is_written_stops_it_and_stores_none_of_it,
    the_api_key_is_sealed_and_never_shown_or_audited,
);

const SHOP: &str = "wk_demo_shop";
const KEY: &str = "sk-test-never-shown-4242";

struct Setup {
    admin: Actor,
    engine: Engine,
    ai: AiAgent,
    sealer: Sealer,
    experience: String,
    double: model_double::ModelDouble,
}

async fn setup(db: &Db, deadline: Duration) -> Setup {
    let admin = demo_admin(db).await;
    let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock));
    let sealer = Sealer::random();
    let ai = AiAgent::new(
        engine.clone(),
        "http://baton.test",
        Duration::from_millis(1),
    )
    .with_models(Models {
        client: ModelClient::new(deadline, 4),
        sealer: sealer.clone(),
        token_budget: 100_000,
    });
    let (experience,): (String,) =
        sqlx::query_as("SELECT id FROM experiences WHERE widget_key = $1")
            .bind(SHOP)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let double = model_double::start().await;
    model_settings::save(
        db,
        &admin,
        &sealer,
        &experience,
        ModelForm {
            backend: ModelBackend::OpenAiCompatible,
            base_url: &double.base_url,
            model: model_double::MODEL,
            temperature: "0.2",
            tone: "Friendly and brief.",
            api_key: KEY,
            remove_key: false,
        },
    )
    .await
    .unwrap();
    Setup {
        admin,
        engine,
        ai,
        sealer,
        experience,
        double,
    }
}

async fn chat(setup: &Setup, visitor: &str) -> ConversationId {
    let chatter = Chatter {
        customer: None,
        visitor: Some(VisitorId::new(visitor)),
    };
    widget::start(&setup.engine, &setup.ai, SHOP, &chatter)
        .await
        .unwrap()
}

/// The AI agent's messages after its greeting.
async fn ai_said(db: &Db, id: &ConversationId) -> Vec<String> {
    let mut said: Vec<String> = reads::events_between(db, id, 0, None)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Message {
                author: Author::Ai,
                body,
                ..
            } => Some(body),
            _ => None,
        })
        .collect();
    said.remove(0);
    said
}

async fn backends(db: &Db, id: &ConversationId) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT backend FROM ai_replies WHERE conversation_id = $1 AND kind <> 'greeting' ORDER BY seq",
    )
    .bind(id.as_str())
    .fetch_all(&db.pool)
    .await
    .unwrap();
    rows.into_iter().map(|(b,)| b).collect()
}

async fn a_streamed_answer_reaches_followers_in_pieces_and_is_stored_once_with_its_sources(
    db: &Db,
) {
    let setup = setup(db, Duration::from_secs(5)).await;
    let id = chat(&setup, "v-stream").await;
    let mut follower = setup
        .engine
        .bus()
        .subscribe(&Topic::Conversation(id.clone()));
    customer_says(&setup.engine, &id, "How long do refunds take?").await;

    setup.ai.take_turns(&id).await.unwrap();

    let mut pieces = Vec::new();
    while let Ok(Ok(message)) =
        tokio::time::timeout(Duration::from_millis(200), follower.recv()).await
    {
        if let BusMessage::Draft { offset, text, .. } = message.as_ref() {
            pieces.push((*offset, text.clone()));
        }
    }
    assert!(
        pieces.len() >= 2,
        "the answer arrived in pieces: {pieces:?}"
    );
    let mut expected_offset = 0;
    for (offset, text) in &pieces {
        assert_eq!(*offset, expected_offset, "{pieces:?}");
        expected_offset += text.chars().count() as u32;
    }
    let drafted: String = pieces.iter().map(|(_, t)| t.as_str()).collect();
    assert!(drafted.starts_with("Refunds take five days"), "{drafted:?}");
    assert!(!drafted.contains("[1]"), "markers never show: {drafted:?}");

    let said = ai_said(db, &id).await;
    assert_eq!(said.len(), 1, "stored once: {said:?}");
    assert!(
        said[0].starts_with("Refunds take five days."),
        "{}",
        said[0]
    );
    assert!(
        said[0].contains("From our help article"),
        "cites its source: {}",
        said[0]
    );
    assert!(
        said[0].contains("http://baton.test/support/wk_demo_shop/articles/"),
        "{}",
        said[0]
    );
    assert_eq!(backends(db, &id).await, ["model:double-1"]);
    let bodies = setup.double.seen.bodies.lock().unwrap().clone();
    let system = bodies[0]["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        system.contains("[1] "),
        "the passages are in the prompt: {system}"
    );
    assert!(system.contains("Friendly and brief."));
    assert_eq!(
        setup
            .double
            .seen
            .authorizations
            .lock()
            .unwrap()
            .first()
            .map(String::as_str),
        Some(format!("Bearer {KEY}").as_str())
    );
}

async fn the_models_handoff_tool_passes_the_conversation_to_the_team(db: &Db) {
    let setup = setup(db, Duration::from_secs(5)).await;
    let id = chat(&setup, "v-tool").await;
    customer_says(&setup.engine, &id, "tool: I need help with my order").await;

    setup.ai.take_turns(&id).await.unwrap();

    let conversation = reads::conversation(db, &id).await.unwrap().unwrap();
    assert!(
        matches!(conversation.handoff, Some(HandoffReason::AskedForPerson)),
        "{:?}",
        conversation.handoff
    );
}

async fn a_failing_or_slow_model_is_replaced_by_the_built_in_answer(db: &Db) {
    let setup = setup(db, Duration::from_millis(700)).await;
    let failing = chat(&setup, "v-fail").await;
    customer_says(&setup.engine, &failing, "fail: can I pay with PayPal?").await;
    setup.ai.take_turns(&failing).await.unwrap();
    let said = ai_said(db, &failing).await;
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(backends(db, &failing).await, ["built_in"]);

    // A server that sends without end is cut off, long before the deadline.
    let flood = chat(&setup, "v-flood").await;
    customer_says(&setup.engine, &flood, "flood: can I pay with PayPal?").await;
    setup.ai.take_turns(&flood).await.unwrap();
    assert_eq!(ai_said(db, &flood).await.len(), 1);
    assert_eq!(backends(db, &flood).await, ["built_in"]);
    let endless = ModelClient::new(Duration::from_secs(20), 1)
        .answer(
            &Endpoint {
                base_url: setup.double.base_url.clone(),
                model: model_double::MODEL.into(),
                api_key: None,
                temperature: 0.0,
            },
            &[PromptMessage {
                role: Role::User,
                content: "flood".into(),
            }],
            false,
            |_| {},
        )
        .await;
    assert!(
        matches!(&endless, Err(ModelError::Unreadable(why)) if why.contains("larger than")),
        "{endless:?}"
    );

    let slow = chat(&setup, "v-slow").await;
    customer_says(&setup.engine, &slow, "slow: can I pay with PayPal?").await;
    let started = std::time::Instant::now();
    setup.ai.take_turns(&slow).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the deadline cut the wait short"
    );
    assert_eq!(ai_said(db, &slow).await.len(), 1);
    assert_eq!(backends(db, &slow).await, ["built_in"]);
}

async fn a_server_that_refuses_tools_is_asked_again_without_them(db: &Db) {
    let setup = setup(db, Duration::from_secs(5)).await;
    let id = chat(&setup, "v-oldserver").await;
    customer_says(&setup.engine, &id, "oldserver: how many days for refunds?").await;

    setup.ai.take_turns(&id).await.unwrap();

    let said = ai_said(db, &id).await;
    assert!(said[0].starts_with("Refunds take five days."), "{said:?}");
    assert_eq!(backends(db, &id).await, ["model:double-1"]);
    let bodies = setup.double.seen.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2);
    assert!(bodies[0].get("tools").is_some() && bodies[1].get("tools").is_none());
}

async fn a_handoff_while_the_answer_is_written_stops_it_and_stores_none_of_it(db: &Db) {
    let setup = setup(db, Duration::from_secs(10)).await;
    let id = chat(&setup, "v-ramble").await;
    let mut follower = setup
        .engine
        .bus()
        .subscribe(&Topic::Conversation(id.clone()));
    customer_says(
        &setup.engine,
        &id,
        "ramble: tell me everything about shipping",
    )
    .await;
    let ai = setup.ai.clone();
    let turn = tokio::spawn({
        let id = id.clone();
        async move { ai.take_turns(&id).await }
    });
    // Wait for the first words, then press Talk to a person.
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), follower.recv())
            .await
            .expect("a draft arrives")
            .unwrap();
        if matches!(message.as_ref(), BusMessage::Draft { text, .. } if !text.is_empty()) {
            break;
        }
    }
    setup.ai.person_requested(&id).await.unwrap();
    let started = std::time::Instant::now();
    turn.await.unwrap().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the stream stopped early"
    );

    let said = ai_said(db, &id).await;
    assert_eq!(said.len(), 1, "only the farewell: {said:?}");
    assert!(!said[0].contains("word"), "{said:?}");
    let mut cleared = false;
    while let Ok(Ok(message)) =
        tokio::time::timeout(Duration::from_millis(200), follower.recv()).await
    {
        cleared |= matches!(message.as_ref(), BusMessage::Draft { offset: 0, text, .. } if text.is_empty());
    }
    assert!(cleared, "the customer's draft was cleared");
}

async fn the_api_key_is_sealed_and_never_shown_or_audited(db: &Db) {
    let setup = setup(db, Duration::from_secs(5)).await;
    let (sealed,): (String,) =
        sqlx::query_as("SELECT model_key_sealed FROM ai_agents WHERE experience_id = $1")
            .bind(&setup.experience)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(!sealed.is_empty() && !sealed.contains(KEY));
    assert_eq!(setup.sealer.open(&sealed, &setup.experience).unwrap(), KEY);

    let view = knowledge::view(db, &setup.admin, &setup.experience)
        .await
        .unwrap();
    assert!(view.model.key_set);
    assert!(!serde_json::to_string(&view).unwrap().contains(KEY));

    let audit: Vec<(String, String, String)> =
        sqlx::query_as("SELECT field, old_value, new_value FROM audit_log")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert!(
        audit
            .iter()
            .all(|(_, old, new)| !old.contains(KEY) && !new.contains(KEY))
    );
    assert!(
        audit
            .iter()
            .any(|(field, _, new)| field == "API key" && new == "Set")
    );

    // An empty key field keeps the key; Test connection uses it.
    let form = ModelForm {
        backend: ModelBackend::OpenAiCompatible,
        base_url: &setup.double.base_url,
        model: model_double::MODEL,
        temperature: "0.2",
        tone: "",
        api_key: "",
        remove_key: false,
    };
    let said = model_settings::test_connection(
        db,
        &setup.admin,
        &setup.sealer,
        &ModelClient::new(Duration::from_secs(5), 1),
        &setup.experience,
        form,
    )
    .await
    .unwrap();
    assert!(said.contains("OK"), "{said}");
    assert!(
        setup
            .double
            .seen
            .authorizations
            .lock()
            .unwrap()
            .iter()
            .all(|a| a == &format!("Bearer {KEY}"))
    );
}
