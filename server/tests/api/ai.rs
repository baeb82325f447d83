//! The AI agent end to end through the real widget server functions and `/ws`: answers from the
//! demo knowledge base, each handoff trigger (SPEC R-HAND-1), silence after handoff (R-HAND-2),
//! sign-in at handoff in the same thread (R-CUST-2, R-HAND-3), AI agent mode without handoff
//! (R-MODE-1) and Conversation review (R-VIEW-5).

use std::time::Duration;

use app::auth::CustomerSignUp;
use app::pages::admin::ai_actions::{LoadReview, LoadReviewTranscript};
use app::pages::widget::actions::{ClaimConversation, OpenConversation, StartChat, TalkToPerson};
use backend::{config::RawConfig, sessions::SignedIn};
use domain::ai::HandoffReason;
use domain::protocol::{ClientFrame, ServerFrame, Typist};
use domain::{AgentId, Author, Availability, Command, ConversationId, EventKind, Scope};

use crate::client::Call;
use crate::helpers::{Staff, TestApp, spawn_app_with};
use crate::ws_client::WsClient;

const SHOP: &str = "wk_demo_shop";

async fn app() -> TestApp {
    spawn_app_with(RawConfig {
        ai_thinking: Some("20ms".into()),
        ..RawConfig::default()
    })
    .await
}

/// Calls a server function without a session and returns the session cookie it set.
async fn call_fresh(app: &TestApp, call: Call) -> (String, String) {
    let response = call.request(app).send().await.unwrap();
    let cookie = session_cookie(&response).expect("the server set a session cookie");
    assert_eq!(response.status().as_u16(), 200);
    (cookie, response.text().await.unwrap())
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{}=", backend::sessions::COOKIE_NAME))
                .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
        })
}

/// The shop's widget starts a chat with its AI agent.
fn start_shop_chat() -> Call {
    Call::of(StartChat { key: SHOP.into() })
}

/// The widget's "Talk to a person" button for this conversation.
fn ask_for_person(conversation: &ConversationId) -> Call {
    Call::of(TalkToPerson {
        conversation: conversation.to_string(),
    })
}

fn id_from(body: &str) -> ConversationId {
    ConversationId::new(serde_json::from_str::<String>(body).expect("a conversation id"))
}

/// Opens the socket and follows the conversation from its start.
async fn follow(app: &TestApp, session: &str, conversation: &ConversationId) -> WsClient {
    let mut ws = app.connect(session).await;
    ws.send(&ClientFrame::Resume {
        conversation: conversation.clone(),
        last_seq: 0,
    })
    .await;
    ws
}

async fn say(ws: &mut WsClient, conversation: &ConversationId, body: &str) {
    ws.send(&ClientFrame::Send {
        conversation: conversation.clone(),
        client_id: uuid::Uuid::now_v7().to_string(),
        body: body.into(),
    })
    .await;
}

fn ai_message(frame: &ServerFrame) -> Option<String> {
    match frame {
        ServerFrame::Event { event, .. } => match &event.kind {
            EventKind::Message {
                author: Author::Ai,
                body,
                ..
            } => Some(body.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn is_event(frame: &ServerFrame, test: impl Fn(&EventKind) -> bool) -> bool {
    matches!(frame, ServerFrame::Event { event, .. } if test(&event.kind))
}

async fn ai_messages(app: &TestApp, conversation: &ConversationId) -> Vec<String> {
    app.stored_messages(conversation)
        .await
        .into_iter()
        .filter_map(|event| match event.kind {
            EventKind::Message {
                author: Author::Ai,
                body,
                ..
            } => Some(body),
            _ => None,
        })
        .collect()
}

/// A signed-in customer's session (the shop's widget on a page where they are signed in).
async fn casey(app: &TestApp) -> String {
    let casey = app.create_customer("Casey Customer").await;
    app.sign_in_as(&casey).await
}

/// The shop's conversations route to the demo space: an agent there is Available.
async fn make_ada_available(app: &TestApp) {
    let space = app.demo_space().await;
    let ada = app
        .create_staff(Staff::named("Ada Lovelace").agent_in(&space))
        .await;
    app.server
        .engine
        .execute(Command::SetAvailability {
            agent: AgentId::new(ada.id),
            scope: Scope::AllSpaces,
            availability: Availability::Available,
        })
        .await
        .unwrap();
}

// SPEC R-MODE-2, R-CUST-2: AI chat needs no sign-in.
#[tokio::test]
async fn a_visitor_asks_the_ai_agent_and_gets_the_articles_answer_with_a_link() {
    let app = app().await;
    let (visitor, body) = call_fresh(&app, start_shop_chat()).await;
    let conversation = id_from(&body);
    let mut ws = follow(&app, &visitor, &conversation).await;
    let greeting = ws
        .expect("the frame this step waits for", |f| ai_message(f).is_some())
        .await;
    assert!(
        ai_message(&greeting)
            .unwrap()
            .starts_with("Hi! I'm the AI agent")
    );

    say(&mut ws, &conversation, "How long does delivery take?").await;

    ws.expect("the frame this step waits for", |f| {
        matches!(
            f,
            ServerFrame::Typing {
                who: Typist::Ai,
                typing: true,
                ..
            }
        )
    })
    .await;
    let answer = ai_message(
        &ws.expect("the frame this step waits for", |f| ai_message(f).is_some())
            .await,
    )
    .unwrap();
    assert!(answer.contains("3 to 5 working days"), "{answer}");
    assert!(
        answer.contains(&format!("{}/support/{SHOP}/articles/", app.address)),
        "{answer}"
    );
    // The visitor's session finds the conversation again (a reload keeps the chat).
    let (status, open) = app
        .call_as(&visitor, OpenConversation { key: SHOP.into() })
        .await;
    assert_eq!((status, open), (200, format!("\"{conversation}\"")));
    app.stop().await;
}

// SPEC R-HAND-1 (asks for a person), R-HAND-2, R-CUST-2, R-HAND-3
#[tokio::test]
async fn asking_for_a_person_waits_for_sign_in_the_ai_stays_silent_and_the_same_thread_is_routed() {
    let app = app().await;
    make_ada_available(&app).await;
    let (visitor, body) = call_fresh(&app, start_shop_chat()).await;
    let conversation = id_from(&body);
    let mut ws = follow(&app, &visitor, &conversation).await;
    ws.expect("the frame this step waits for", |f| ai_message(f).is_some())
        .await;
    say(&mut ws, &conversation, "What size should I take?").await;
    ws.expect("the frame this step waits for", |f| {
        ai_message(f).is_some_and(|b| b.contains("\u{201c}Choosing the right size\u{201d}"))
    })
    .await;

    say(&mut ws, &conversation, "Can I talk to a person please?").await;
    ws.expect("the frame this step waits for", |f| {
        is_event(f, |k| matches!(k, EventKind::HandoffRequested { .. }))
    })
    .await;
    say(&mut ws, &conversation, "Hello? Anyone there?").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let said = ai_messages(&app, &conversation).await;
    assert_eq!(
        said.len(),
        3,
        "greeting, answer, farewell and nothing more: {said:#?}"
    );
    assert!(said[2].contains("passing this conversation to a person"));

    // Sign up in the widget (the session keeps the visitor), then claim the conversation.
    let sign_up = CustomerSignUp {
        name: "Vera Visitor".into(),
        email: "vera@example.test".into(),
        password: "correct horse battery".into(),
    };
    let response = Call::of(sign_up)
        .request(&app)
        .header(
            "cookie",
            format!("{}={visitor}", backend::sessions::COOKIE_NAME),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let customer = session_cookie(&response).expect("a fresh session id after sign-up");
    let (status, claimed) = app
        .call_as(&customer, ClaimConversation { key: SHOP.into() })
        .await;
    assert_eq!((status, claimed), (200, format!("\"{conversation}\"")));

    let mut ws = follow(&app, &customer, &conversation).await;
    ws.expect("the frame this step waits for", |f| {
        is_event(f, |k| {
            *k == EventKind::HandedOff {
                reason: Some(HandoffReason::AskedForPerson),
            }
        })
    })
    .await;
    let (status, work_type): (String, String) =
        sqlx::query_as("SELECT status, work_type FROM work_items WHERE conversation_id = $1")
            .bind(conversation.as_str())
            .fetch_one(&app.server_db().pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), work_type.as_str()),
        ("Waiting for agent", "Conversation")
    );
    app.stop().await;
}

// SPEC R-HAND-1 (cannot help)
#[tokio::test]
async fn two_answers_without_confidence_in_a_row_hand_off() {
    let app = app().await;
    let customer = casey(&app).await;
    let (status, body) = app.send(&customer, start_shop_chat()).await;
    assert_eq!(status, 200, "{body}");
    let conversation = id_from(&body);
    let mut ws = follow(&app, &customer, &conversation).await;
    ws.expect("the frame this step waits for", |f| ai_message(f).is_some())
        .await;

    say(&mut ws, &conversation, "What is the capital of Australia?").await;
    let first = ai_message(
        &ws.expect("the frame this step waits for", |f| ai_message(f).is_some())
            .await,
    )
    .unwrap();
    say(&mut ws, &conversation, "Explain quantum computing").await;

    assert!(first.contains("not sure"), "{first}");
    ws.expect("the frame this step waits for", |f| {
        is_event(f, |k| {
            *k == EventKind::HandedOff {
                reason: Some(HandoffReason::CannotHelp),
            }
        })
    })
    .await;
    app.stop().await;
}

// SPEC R-HAND-1 (a handoff rule), R-HAND-4
#[tokio::test]
async fn a_handoff_phrase_hands_off_at_once() {
    let app = app().await;
    let customer = casey(&app).await;
    let (_, body) = app.send(&customer, start_shop_chat()).await;
    let conversation = id_from(&body);
    let mut ws = follow(&app, &customer, &conversation).await;
    ws.expect("the frame this step waits for", |f| ai_message(f).is_some())
        .await;

    say(
        &mut ws,
        &conversation,
        "I will open a chargeback with my bank",
    )
    .await;

    ws.expect("the frame this step waits for", |f| {
        is_event(f, |k| {
            *k == EventKind::HandedOff {
                reason: Some(HandoffReason::Rule {
                    phrase: "chargeback".into(),
                }),
            }
        })
    })
    .await;
    app.stop().await;
}

// SPEC R-HAND-1 (the widget's button), R-HAND-2
#[tokio::test]
async fn the_talk_to_a_person_button_hands_off_once_and_only_for_the_conversations_owner() {
    let app = app().await;
    let customer = casey(&app).await;
    let (_, body) = app.send(&customer, start_shop_chat()).await;
    let conversation = id_from(&body);
    let stranger = app
        .session_for(SignedIn::Customer("someone-else".into()))
        .await;

    let (refused, _) = app.send(&stranger, ask_for_person(&conversation)).await;
    let (first, _) = app.send(&customer, ask_for_person(&conversation)).await;
    let (again, _) = app.send(&customer, ask_for_person(&conversation)).await;

    assert_eq!(refused, 404);
    assert_eq!((first, again), (200, 200), "a double click changes nothing");
    let said = ai_messages(&app, &conversation).await;
    assert_eq!(said.len(), 2, "greeting and one farewell: {said:#?}");
    app.stop().await;
}

// SPEC R-MODE-1: in AI agent mode there is no handoff; the Fallback message is the next step.
#[tokio::test]
async fn in_ai_agent_mode_asking_for_a_person_points_to_the_fallback_message() {
    let app = app().await;
    sqlx::query("UPDATE experiences SET support_mode = 'ai_agent' WHERE widget_key = $1")
        .bind(SHOP)
        .execute(&app.server_db().pool)
        .await
        .unwrap();
    let (visitor, body) = call_fresh(&app, start_shop_chat()).await;
    let conversation = id_from(&body);
    let mut ws = follow(&app, &visitor, &conversation).await;
    ws.expect("the frame this step waits for", |f| ai_message(f).is_some())
        .await;

    say(&mut ws, &conversation, "I want to talk to a human").await;

    let reply = ai_message(
        &ws.expect("the frame this step waits for", |f| ai_message(f).is_some())
            .await,
    )
    .unwrap();
    assert!(reply.contains("help@demo.baton.test"), "{reply}");
    let (status, _) = app.send(&visitor, ask_for_person(&conversation)).await;
    assert_eq!(status, 422);
    let conv = backend::realtime::reads::conversation(app.server_db(), &conversation)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(conv.handoff, None);
    app.stop().await;
}

// SPEC R-VIEW-5
#[tokio::test]
async fn conversation_review_lists_ai_conversations_with_their_outcome_and_work_item() {
    let app = app().await;
    let customer = casey(&app).await;
    let (_, body) = app.send(&customer, start_shop_chat()).await;
    let conversation = id_from(&body);
    app.send(&customer, ask_for_person(&conversation)).await;
    let space = app.demo_space().await;
    let admin = app
        .create_staff(Staff::named("Alex Admin").site_admin())
        .await;
    let admin = app.sign_in_as(&admin).await;
    let ada = app
        .create_staff(Staff::named("Ada Lovelace").agent_in(&space))
        .await;
    let ada = app.sign_in_as(&ada).await;
    let review = |outcome: &str| LoadReview {
        outcome: outcome.into(),
    };

    let (status, handed_off) = app.call_as(&admin, review("handed_off")).await;
    let (_, resolved) = app.call_as(&admin, review("resolved_by_ai")).await;
    let transcript = LoadReviewTranscript {
        conversation: conversation.to_string(),
    };
    let (_, transcript) = app.call_as(&admin, transcript).await;
    let (agent_status, _) = app.call_as(&ada, review("")).await;

    assert_eq!(status, 200);
    let rows: serde_json::Value = serde_json::from_str(&handed_off).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{handed_off}");
    assert_eq!(rows[0]["conversation"], conversation.as_str());
    assert!(rows[0]["work_item"].is_string(), "{handed_off}");
    assert_eq!(resolved, "[]");
    assert!(transcript.contains("Hi! I'm the AI agent"), "{transcript}");
    assert!(
        transcript.contains("passed the conversation to the team"),
        "{transcript}"
    );
    assert_eq!(
        agent_status, 200,
        "agents see only experiences they admin: none"
    );
    let (_, agent_rows) = app.call_as(&ada, review("")).await;
    assert_eq!(agent_rows, "[]");
    app.stop().await;
}
