//! Issue 15 over real websockets: a customer's site cannot get a staff socket (item 4), a socket
//! does not outlive its sign-out (item 5), an agent's message is never mistaken for the
//! customer's resend (item 11), and a long history resumes completely, page by page (item 11).

use backend::sessions::SignedIn;
use domain::protocol::{ClientFrame, Principal, ServerFrame, close};
use domain::{Author, Command, ConversationId, EventKind};
use tokio_tungstenite::tungstenite;

use super::{active_chat, cast, resume, send, sent_seq};
use crate::helpers::{TestApp, spawn_app};
use crate::ws_client::WsClient;

/// A domain the demo widget allows (see the demo seed).
const ALLOWED_SITE: &str = "http://127.0.0.1:3002";

fn widget_url(app: &TestApp) -> String {
    format!(
        "ws://{}/ws?v=1&widget={}",
        app.server.addr,
        backend::demo::DEMO_WIDGET_KEY
    )
}

async fn hello(client: &mut WsClient) -> Principal {
    match client
        .expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
        .await
    {
        ServerFrame::Hello { you, .. } => you,
        _ => unreachable!(),
    }
}

/// The stored events with this client id (their JSON).
async fn stored(app: &TestApp, conversation: &ConversationId, client_id: &str) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT body FROM conversation_events WHERE conversation_id = $1 AND client_id = $2 ORDER BY seq",
    )
    .bind(conversation.as_str())
    .bind(client_id)
    .fetch_all(&app.server_db().pool)
    .await
    .unwrap();
    rows.into_iter().map(|(body,)| body).collect()
}

// Item 4: a script on a customer's site must not get a staff member's socket from their cookie.
#[tokio::test]
async fn a_staff_session_counts_as_signed_out_on_a_socket_opened_from_a_widgets_allowed_domain() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let staff = app.session_for(SignedIn::Staff(cast.agent.clone())).await;

    let refused = app
        .try_connect_to(&widget_url(&app), Some(&staff), Some(ALLOWED_SITE))
        .await;

    let Err(tungstenite::Error::Http(response)) = &refused else {
        panic!("a staff session on a customer's site must not get a socket");
    };
    assert_eq!(response.status(), 401);
    let message = String::from_utf8_lossy(response.body().as_deref().unwrap_or_default());
    assert!(
        message.contains("Team members answer from the Baton dashboard"),
        "{message}"
    );
    // The same session still gets its socket from Baton's own pages…
    let mut own = app.connect(&staff).await;
    assert!(matches!(hello(&mut own).await, Principal::Agent { .. }));
    // …and the widget's customer still chats from the allowed site.
    let customer = app
        .session_for(SignedIn::Customer(cast.customer.clone()))
        .await;
    let mut widget = app
        .try_connect_to(&widget_url(&app), Some(&customer), Some(ALLOWED_SITE))
        .await
        .expect("the widget's customer connects from the allowed site");
    assert!(matches!(
        hello(&mut widget).await,
        Principal::Customer { .. }
    ));
    app.stop().await;
}

// Item 5: signing out closes every socket of that session before it can act again.
#[tokio::test]
async fn a_socket_closes_when_its_session_signs_out_and_nothing_it_sends_afterwards_is_stored() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-sign-out").await;
    let session = app.session_for(SignedIn::Staff(cast.agent.clone())).await;
    let mut socket = app.connect(&session).await;
    hello(&mut socket).await;
    resume(&mut socket, &conversation, 0).await;
    socket
        .send(&send(&conversation, "before-sign-out", "Still here"))
        .await;
    sent_seq(&mut socket, "before-sign-out").await;

    let (status, body) = app.call_as(&session, app::auth::SignOut {}).await;
    assert_eq!(status, 200, "{body}");
    socket
        .send(&send(
            &conversation,
            "after-sign-out",
            "Written by someone else",
        ))
        .await;

    let close = socket.expect_close().await;
    assert_eq!(
        close.as_ref().map(|(code, _)| *code),
        Some(close::UNAUTHORIZED),
        "{close:?}"
    );
    assert!(
        stored(&app, &conversation, "after-sign-out")
            .await
            .is_empty()
    );
    assert_eq!(
        stored(&app, &conversation, "before-sign-out").await.len(),
        1
    );
    // Reconnecting with the ended session is refused too.
    assert!(app.try_connect(Some(&session), None).await.is_err());
    app.stop().await;
}

// Item 11: resends are recognised per author. The customer's client id, reused by the agent's
// browser by chance, must not make the agent's message vanish as a "resend".
#[tokio::test]
async fn an_agents_message_with_the_customers_client_id_is_stored_and_delivered() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-client-ids").await;
    let agent = app.session_for(SignedIn::Staff(cast.agent.clone())).await;
    let customer = app
        .session_for(SignedIn::Customer(cast.customer.clone()))
        .await;
    let mut agent = app.connect(&agent).await;
    let mut customer = app.connect(&customer).await;
    hello(&mut agent).await;
    hello(&mut customer).await;
    resume(&mut agent, &conversation, 0).await;
    resume(&mut customer, &conversation, 0).await;

    customer
        .send(&send(&conversation, "m-1", "Where is my order?"))
        .await;
    let customers = sent_seq(&mut customer, "m-1").await;
    agent
        .send(&send(&conversation, "m-1", "Let me look it up."))
        .await;
    let agents = sent_seq(&mut agent, "m-1").await;
    let delivered = customer
        .expect(
            "the agent's message",
            |f| matches!(f, ServerFrame::Event { event, .. } if event.seq == agents),
        )
        .await;
    // The customer's own resend is still recognised.
    customer
        .send(&send(&conversation, "m-1", "Where is my order?"))
        .await;
    let resent = sent_seq(&mut customer, "m-1").await;

    assert_ne!(agents, customers, "the agent's message got its own seq");
    assert_eq!(resent, customers);
    assert_eq!(stored(&app, &conversation, "m-1").await.len(), 2);
    let ServerFrame::Event { event, .. } = delivered else {
        unreachable!()
    };
    assert!(matches!(
        event.kind,
        EventKind::Message { author: Author::Agent(_), ref body, .. } if body == "Let me look it up."
    ));
    app.stop().await;
}

// Item 11: a long history resumes completely and in order, streamed a page at a time.
#[tokio::test]
async fn a_conversation_of_a_thousand_messages_resumes_completely_and_in_order() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-long").await;
    for n in 0..1_000 {
        app.server
            .engine
            .execute(Command::SendMessage {
                conversation: conversation.clone(),
                author: Author::Customer,
                body: format!("message {n}"),
                client_id: format!("k{n}"),
                attachment: None,
            })
            .await
            .unwrap();
    }
    let session = app.session_for(SignedIn::Staff(cast.agent.clone())).await;
    let mut socket = app.connect(&session).await;
    hello(&mut socket).await;

    socket
        .send(&ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq: 0,
        })
        .await;
    let mut seqs = Vec::new();
    let mut bodies = Vec::new();
    let synced_at = loop {
        match socket.next().await.expect("socket stays open") {
            ServerFrame::Event { event, .. } => {
                seqs.push(event.seq);
                if let EventKind::Message { body, .. } = event.kind {
                    bodies.push(body);
                }
            }
            ServerFrame::Synced { last_seq, .. } => break last_seq,
            _ => {}
        }
    };

    assert!(
        (backend::realtime::reads::REPLAY_PAGE as usize) < 1_000,
        "the history spans several pages"
    );
    assert_eq!(
        seqs,
        (1..=synced_at).collect::<Vec<_>>(),
        "every event, in order"
    );
    let expected: Vec<String> = (0..1_000).map(|n| format!("message {n}")).collect();
    assert_eq!(bodies, expected);
    app.stop().await;
}
