//! `/ws` end to end: a real server, real sockets, a real database (DESIGN "Realtime").

use std::collections::HashSet;
use std::time::{Duration, Instant};

use backend::{config::RawConfig, sessions::SignedIn};
use domain::protocol::{ClientFrame, ErrorCode, MAX_FRAME_BYTES, ServerFrame, Typist, close};
use domain::{
    AgentId, Author, Availability, Command, ConversationId, CustomerId, EventKind, Scope, SpaceId,
    Start, UnavailableReason,
};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::ws_client::WsClient;

/// The demo's first agent (Ada), the demo customer (Casey) and their space.
struct Cast {
    agent: String,
    customer: String,
    space: String,
}

async fn cast(app: &TestApp) -> Cast {
    let db = &app.server_db().pool;
    let (space, agent): (String, String) = sqlx::query_as(
        "SELECT space_id, user_id FROM space_members WHERE role = 'agent' ORDER BY position LIMIT 1",
    )
    .fetch_one(db)
    .await
    .unwrap();
    let (customer,): (String,) =
        sqlx::query_as("SELECT id FROM customers WHERE email = 'casey@demo.baton.test'")
            .fetch_one(db)
            .await
            .unwrap();
    Cast {
        agent,
        customer,
        space,
    }
}

async fn make_available(app: &TestApp, agent: &str) {
    app.server
        .engine
        .execute(Command::SetAvailability {
            agent: AgentId::new(agent),
            scope: Scope::AllSpaces,
            availability: Availability::Available,
        })
        .await
        .unwrap();
}

/// Ada is Available, Casey starts a live chat, Ada accepts: an Active conversation.
async fn active_chat(app: &TestApp, cast: &Cast, id: &str) -> ConversationId {
    let engine = &app.server.engine;
    let conversation = ConversationId::new(id);
    make_available(app, &cast.agent).await;
    engine
        .execute(Command::StartConversation {
            id: conversation.clone(),
            space: SpaceId::new(cast.space.clone()),
            customer: Some(CustomerId::new(cast.customer.clone())),
            via: Start::Direct,
        })
        .await
        .unwrap();
    engine
        .execute(Command::Accept {
            agent: AgentId::new(cast.agent.clone()),
            conversation: conversation.clone(),
        })
        .await
        .unwrap();
    conversation
}

async fn sockets(app: &TestApp, cast: &Cast) -> (WsClient, WsClient) {
    let agent = app.session_for(SignedIn::Staff(cast.agent.clone())).await;
    let customer = app
        .session_for(SignedIn::Customer(cast.customer.clone()))
        .await;
    let mut agent = app.connect(&agent).await;
    let mut customer = app.connect(&customer).await;
    agent
        .expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
        .await;
    customer
        .expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
        .await;
    (agent, customer)
}

async fn resume(client: &mut WsClient, conversation: &ConversationId, last_seq: i64) -> i64 {
    client
        .send(&ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq,
        })
        .await;
    match client
        .expect("synced", |f| matches!(f, ServerFrame::Synced { .. }))
        .await
    {
        ServerFrame::Synced { last_seq, .. } => last_seq,
        _ => unreachable!(),
    }
}

fn send(conversation: &ConversationId, client_id: &str, body: &str) -> ClientFrame {
    ClientFrame::Send {
        conversation: conversation.clone(),
        client_id: client_id.into(),
        body: body.into(),
    }
}

fn message_body(frame: &ServerFrame) -> Option<(i64, String)> {
    match frame {
        ServerFrame::Event { event, .. } => match &event.kind {
            EventKind::Message { body, .. } => Some((event.seq, body.clone())),
            _ => None,
        },
        _ => None,
    }
}

async fn sent_seq(client: &mut WsClient, client_id: &str) -> i64 {
    let wanted = client_id.to_string();
    match client
        .expect(
            "sent",
            |f| matches!(f, ServerFrame::Sent { client_id, .. } if *client_id == wanted),
        )
        .await
    {
        ServerFrame::Sent { seq, .. } => seq,
        _ => unreachable!(),
    }
}

fn error_code(frame: &ServerFrame) -> Option<ErrorCode> {
    match frame {
        ServerFrame::Error { code, .. } => Some(*code),
        _ => None,
    }
}

// SPEC R-AGENT-1, R-CUST-4
#[tokio::test]
async fn a_customer_and_an_agent_chat_both_ways() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-both-ways").await;
    let (mut agent, mut customer) = sockets(&app, &cast).await;
    resume(&mut agent, &conversation, 0).await;
    resume(&mut customer, &conversation, 0).await;

    customer
        .send(&send(&conversation, "m-1", "My parcel never arrived"))
        .await;
    let seq = sent_seq(&mut customer, "m-1").await;
    let got = agent
        .expect("the customer's message", |f| message_body(f).is_some())
        .await;
    assert_eq!(
        message_body(&got),
        Some((seq, "My parcel never arrived".into()))
    );

    agent
        .send(&send(&conversation, "a-1", "Let me look that up"))
        .await;
    sent_seq(&mut agent, "a-1").await;
    let got = customer
        .expect("the agent's reply", |f| {
            message_body(f).is_some_and(|(_, b)| b == "Let me look that up")
        })
        .await;
    match got {
        ServerFrame::Event { author_name, .. } => {
            assert_eq!(author_name.as_deref(), Some("Ada Lovelace"))
        }
        _ => unreachable!(),
    }
    app.stop().await;
}

// DESIGN "Realtime": no gap, no duplicate, in order, through a dropped connection.
#[tokio::test]
async fn a_customer_cut_off_mid_stream_gets_all_hundred_messages_once_and_in_order() {
    // The agent here types faster than a person: lift the per-socket message limit.
    let app = spawn_app_with(RawConfig {
        message_rate: Some(1000),
        ..Default::default()
    })
    .await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-hundred").await;
    let (mut agent, mut customer) = sockets(&app, &cast).await;
    resume(&mut agent, &conversation, 0).await;
    let mut last_seq = resume(&mut customer, &conversation, 0).await;

    let writer_conv = conversation.clone();
    let writer = tokio::spawn(async move {
        for i in 0..100 {
            agent
                .send(&send(
                    &writer_conv,
                    &format!("a-{i}"),
                    &format!("reply {i}"),
                ))
                .await;
            sent_seq(&mut agent, &format!("a-{i}")).await;
        }
        agent
    });

    let mut bodies = Vec::new();
    let mut seqs = Vec::new();
    while bodies.len() < 30 {
        let frame = customer
            .expect("a reply", |f| message_body(f).is_some())
            .await;
        let (seq, body) = message_body(&frame).unwrap();
        last_seq = seq;
        seqs.push(seq);
        bodies.push(body);
    }
    customer.cut();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let session = app
        .session_for(SignedIn::Customer(cast.customer.clone()))
        .await;
    let mut customer = app.connect(&session).await;
    customer
        .send(&ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq,
        })
        .await;
    while bodies.len() < 100 {
        let frame = customer
            .expect("a reply", |f| message_body(f).is_some())
            .await;
        let (seq, body) = message_body(&frame).unwrap();
        seqs.push(seq);
        bodies.push(body);
    }
    let _agent = writer.await.unwrap();

    let expected: Vec<String> = (0..100).map(|i| format!("reply {i}")).collect();
    assert_eq!(bodies, expected, "every reply once, in order");
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "seqs increase");
    assert_eq!(seqs.iter().collect::<HashSet<_>>().len(), 100);
    app.stop().await;
}

// DESIGN "Realtime": resending is harmless.
#[tokio::test]
async fn resending_a_message_with_the_same_client_id_returns_the_same_seq_and_stores_it_once() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-resend").await;
    let (_agent, mut customer) = sockets(&app, &cast).await;
    resume(&mut customer, &conversation, 0).await;

    customer
        .send(&send(&conversation, "same-id", "hello?"))
        .await;
    let first = sent_seq(&mut customer, "same-id").await;
    customer
        .send(&send(&conversation, "same-id", "hello?"))
        .await;
    let second = sent_seq(&mut customer, "same-id").await;

    assert_eq!(first, second);
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM conversation_events WHERE conversation_id = $1 AND kind = 'message'",
    )
    .bind(conversation.as_str())
    .fetch_one(&app.server_db().pool)
    .await
    .unwrap();
    assert_eq!(count, 1);
    app.stop().await;
}

#[tokio::test]
async fn malformed_json_unknown_types_and_oversized_frames_get_a_clear_error_and_the_socket_lives_on()
 {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let (_agent, mut customer) = sockets(&app, &cast).await;

    customer.send_text("{this is not json").await;
    let frame = customer
        .expect("an error", |f| error_code(f).is_some())
        .await;
    assert_eq!(error_code(&frame), Some(ErrorCode::BadFrame));
    assert!(
        matches!(&frame, ServerFrame::Error { message, .. } if message.contains("not valid JSON"))
    );

    customer
        .send_text(r#"{"type":"shout","body":"HELLO"}"#)
        .await;
    let frame = customer
        .expect("an error", |f| error_code(f).is_some())
        .await;
    assert!(
        matches!(&frame, ServerFrame::Error { code: ErrorCode::BadFrame, message, .. } if message.contains("not a known message"))
    );

    let big = format!(
        r#"{{"type":"send","conversation":"c","client_id":"x","body":"{}"}}"#,
        "x".repeat(MAX_FRAME_BYTES + 10)
    );
    customer.send_text(&big).await;
    let frame = customer
        .expect("an error", |f| error_code(f).is_some())
        .await;
    assert_eq!(error_code(&frame), Some(ErrorCode::FrameTooLarge));

    customer.send(&ClientFrame::Ping).await;
    customer
        .expect("pong", |f| matches!(f, ServerFrame::Pong))
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_frame_beyond_the_hard_limit_closes_the_socket_with_1009() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let (_agent, mut customer) = sockets(&app, &cast).await;

    customer.send_text(&"x".repeat(200 * 1024)).await;

    let close = customer.expect_close().await;
    assert!(
        close.is_none()
            || close
                .as_ref()
                .is_some_and(|(code, _)| *code == close::TOO_BIG),
        "{close:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_handshake_from_a_foreign_origin_is_refused() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let session = app
        .session_for(SignedIn::Customer(cast.customer.clone()))
        .await;

    let refused = app
        .try_connect(Some(&session), Some("http://evil.example"))
        .await
        .err()
        .expect("refused");
    let own = app
        .try_connect(Some(&session), Some(&format!("http://{}", app.server.addr)))
        .await;

    assert!(refused.to_string().contains("403"), "{refused}");
    assert!(own.is_ok());
    app.stop().await;
}

#[tokio::test]
async fn a_handshake_without_a_session_is_told_to_sign_in() {
    let app = spawn_app().await;

    let refused = app.try_connect(None, None).await.err().expect("refused");

    assert!(refused.to_string().contains("401"), "{refused}");
    app.stop().await;
}

// SPEC R-VIEW-3, R-AGENT-1
#[tokio::test]
async fn a_customer_sees_neither_other_conversations_nor_internal_notes() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-private").await;
    app.server
        .engine
        .execute(Command::AddNote {
            agent: AgentId::new(cast.agent.clone()),
            conversation: conversation.clone(),
            body: "VIP, be quick".into(),
        })
        .await
        .unwrap();
    let stranger =
        backend::customers::sign_up(app.server_db(), "sam@example.com", "Sam", "long password")
            .await
            .unwrap();
    let mut stranger = app
        .connect(&app.session_for(SignedIn::Customer(stranger)).await)
        .await;
    let (mut agent, mut customer) = sockets(&app, &cast).await;

    stranger
        .send(&ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq: 0,
        })
        .await;
    let refused = stranger
        .expect("an error", |f| error_code(f).is_some())
        .await;
    assert_eq!(error_code(&refused), Some(ErrorCode::Forbidden));

    customer
        .send(&ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq: 0,
        })
        .await;
    let mut customer_kinds = Vec::new();
    loop {
        match customer.next().await.unwrap() {
            ServerFrame::Event { event, .. } => customer_kinds.push(event.kind.type_name()),
            ServerFrame::Synced { .. } => break,
            _ => {}
        }
    }
    agent
        .send(&ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq: 0,
        })
        .await;
    let mut agent_kinds = Vec::new();
    loop {
        match agent.next().await.unwrap() {
            ServerFrame::Event { event, .. } => agent_kinds.push(event.kind.type_name()),
            ServerFrame::Synced { .. } => break,
            _ => {}
        }
    }
    assert!(!customer_kinds.contains(&"note"), "{customer_kinds:?}");
    assert!(agent_kinds.contains(&"note"), "{agent_kinds:?}");
    app.stop().await;
}

// SPEC R-CUST-3, R-AGENT-1
#[tokio::test]
async fn typing_reaches_the_other_side_and_is_not_echoed_back() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-typing").await;
    let (mut agent, mut customer) = sockets(&app, &cast).await;
    resume(&mut agent, &conversation, 0).await;
    resume(&mut customer, &conversation, 0).await;

    agent
        .send(&ClientFrame::Typing {
            conversation: conversation.clone(),
            typing: true,
        })
        .await;
    let seen = customer
        .expect("typing", |f| matches!(f, ServerFrame::Typing { .. }))
        .await;
    assert!(matches!(
        seen,
        ServerFrame::Typing { who: Typist::Agent { ref name, .. }, typing: true, .. } if name == "Ada Lovelace"
    ));

    customer
        .send(&ClientFrame::Typing {
            conversation: conversation.clone(),
            typing: true,
        })
        .await;
    let seen = agent
        .expect("typing", |f| matches!(f, ServerFrame::Typing { .. }))
        .await;
    assert!(matches!(
        seen,
        ServerFrame::Typing {
            who: Typist::Customer,
            typing: true,
            ..
        }
    ));

    // Sending the message stops the indicator at once.
    customer
        .send(&send(&conversation, "m-typed", "done typing"))
        .await;
    let stopped = agent
        .expect("typing stopped", |f| {
            matches!(f, ServerFrame::Typing { typing: false, .. })
        })
        .await;
    assert!(matches!(
        stopped,
        ServerFrame::Typing {
            who: Typist::Customer,
            ..
        }
    ));
    // The agent's own typing never came back to the agent.
    agent.send(&ClientFrame::Ping).await;
    loop {
        match agent.next().await.unwrap() {
            ServerFrame::Pong => break,
            ServerFrame::Typing { who, .. } => assert_eq!(who, Typist::Customer),
            _ => {}
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn a_flood_is_answered_with_rate_limited_and_then_closed_with_1008() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let (_agent, mut customer) = sockets(&app, &cast).await;

    for _ in 0..200 {
        customer.send(&ClientFrame::Ping).await;
    }
    let mut rate_limited = 0;
    let close = loop {
        match customer.next().await {
            Ok(frame) if error_code(&frame) == Some(ErrorCode::RateLimited) => rate_limited += 1,
            Ok(_) => {}
            Err(close) => break close,
        }
    };

    assert!(rate_limited > 0);
    assert_eq!(close.map(|(code, _)| code), Some(close::POLICY));
    app.stop().await;
}

// SPEC R-ROUTE-2, R-ROUTE-5: offers reach the agent's socket and leave it again.
#[tokio::test]
async fn an_agent_socket_receives_its_state_then_offers_and_their_withdrawal_which_ends_the_preview()
 {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let session = app.session_for(SignedIn::Staff(cast.agent.clone())).await;
    let mut agent = app.connect(&session).await;
    let state = agent
        .expect("agent state", |f| {
            matches!(f, ServerFrame::AgentState { .. })
        })
        .await;
    assert!(matches!(state, ServerFrame::AgentState { ref spaces, .. } if spaces.len() == 1));
    let engine = &app.server.engine;
    make_available(&app, &cast.agent).await;
    agent
        .expect("availability", |f| {
            matches!(
                f,
                ServerFrame::Availability {
                    availability: Availability::Available,
                    ..
                }
            )
        })
        .await;

    engine
        .execute(Command::StartConversation {
            id: ConversationId::new("c-offer"),
            space: SpaceId::new(cast.space.clone()),
            customer: Some(CustomerId::new(cast.customer.clone())),
            via: Start::Direct,
        })
        .await
        .unwrap();
    let offer = agent
        .expect("offer", |f| matches!(f, ServerFrame::Offer { .. }))
        .await;
    assert!(
        matches!(offer, ServerFrame::Offer { ref offer } if offer.customer_name == "Casey Customer")
    );

    // The offered agent may look at the conversation before deciding.
    let conversation = ConversationId::new("c-offer");
    resume(&mut agent, &conversation, 0).await;

    // Another agent is Available, so a Decline moves the offer on (SPEC R-ROUTE-3).
    let (other,): (String,) = sqlx::query_as(
        "SELECT user_id FROM space_members WHERE role = 'agent' AND user_id <> $1 LIMIT 1",
    )
    .bind(&cast.agent)
    .fetch_one(&app.server_db().pool)
    .await
    .unwrap();
    make_available(&app, &other).await;
    engine
        .execute(Command::Decline {
            agent: AgentId::new(cast.agent.clone()),
            conversation: conversation.clone(),
        })
        .await
        .unwrap();
    agent
        .expect("withdrawal", |f| {
            matches!(f, ServerFrame::OfferWithdrawn { .. })
        })
        .await;

    // SPEC R-VIEW-3: the preview ended with the offer; the customer's next words stay private.
    engine
        .execute(Command::SendMessage {
            conversation: conversation.clone(),
            author: Author::Customer,
            body: "private words".into(),
            client_id: "after-decline".into(),
        })
        .await
        .unwrap();
    agent.send(&ClientFrame::Ping).await;
    loop {
        match agent.next().await.unwrap() {
            ServerFrame::Pong => break,
            frame => assert!(message_body(&frame).is_none(), "leaked {frame:?}"),
        }
    }
    app.stop().await;
}

// Presence: no dashboard open for the grace period → Unavailable, with the reason.
#[tokio::test]
async fn an_available_agent_whose_last_tab_closes_becomes_unavailable_after_the_grace_period() {
    let app = spawn_app_with(RawConfig {
        presence_grace: Some("300ms".into()),
        ..Default::default()
    })
    .await;
    let cast = cast(&app).await;
    let session = app.session_for(SignedIn::Staff(cast.agent.clone())).await;
    let agent = app.connect(&session).await;
    make_available(&app, &cast.agent).await;

    agent.cut();

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = backend::directory::availability(app.server_db(), &cast.space, &cast.agent)
            .await
            .unwrap();
        if state == "Unavailable" {
            break;
        }
        assert!(Instant::now() < deadline, "agent still {state}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (reason,): (Option<String>,) =
        sqlx::query_as("SELECT unavailable_reason FROM users WHERE id = $1")
            .bind(&cast.agent)
            .fetch_one(&app.server_db().pool)
            .await
            .unwrap();
    let reason: UnavailableReason = serde_json::from_str(&reason.unwrap()).unwrap();
    assert!(matches!(reason, UnavailableReason::Disconnected { .. }));
    app.stop().await;
}

#[tokio::test]
async fn a_reload_within_the_grace_period_keeps_the_agent_available() {
    let app = spawn_app_with(RawConfig {
        presence_grace: Some("1s".into()),
        ..Default::default()
    })
    .await;
    let cast = cast(&app).await;
    let session = app.session_for(SignedIn::Staff(cast.agent.clone())).await;
    make_available(&app, &cast.agent).await;
    let first = app.connect(&session).await;

    first.cut();
    let mut second = app.connect(&session).await;
    second
        .expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let state = backend::directory::availability(app.server_db(), &cast.space, &cast.agent)
        .await
        .unwrap();
    assert_eq!(state, "Available");
    app.stop().await;
}

#[tokio::test]
async fn shutting_down_tells_sockets_to_reconnect_with_going_away() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let (_agent, mut customer) = sockets(&app, &cast).await;

    let stopping = tokio::spawn(app.stop());
    let close = customer.expect_close().await;
    stopping.await.unwrap();

    assert_eq!(close.map(|(code, _)| code), Some(close::GOING_AWAY));
}

// The author of a message is who the socket signed in as, never who the frame claims.
#[tokio::test]
async fn messages_sent_by_a_customer_are_stored_as_the_customers() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-author").await;
    let (_agent, mut customer) = sockets(&app, &cast).await;
    resume(&mut customer, &conversation, 0).await;

    customer.send(&send(&conversation, "m-a", "hi")).await;
    sent_seq(&mut customer, "m-a").await;

    let (body,): (String,) = sqlx::query_as(
        "SELECT body FROM conversation_events WHERE conversation_id = $1 AND kind = 'message'",
    )
    .bind(conversation.as_str())
    .fetch_one(&app.server_db().pool)
    .await
    .unwrap();
    let event: domain::ConversationEvent = serde_json::from_str(&body).unwrap();
    assert!(matches!(
        event.kind,
        EventKind::Message {
            author: Author::Customer,
            ..
        }
    ));
    app.stop().await;
}

// Bad input loses nothing: a send over the limit is refused by name and nothing half-stored.
#[tokio::test]
async fn sends_over_the_message_rate_are_refused_with_their_client_id_and_none_is_half_stored() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-rate").await;
    let (_agent, mut customer) = sockets(&app, &cast).await;
    resume(&mut customer, &conversation, 0).await;

    for i in 0..15 {
        customer
            .send(&send(&conversation, &format!("burst-{i}"), "quick"))
            .await;
    }
    let mut acked = 0;
    let mut refused = Vec::new();
    while acked + refused.len() < 15 {
        match customer.next().await.unwrap() {
            ServerFrame::Sent { .. } => acked += 1,
            ServerFrame::Error {
                code: ErrorCode::RateLimited,
                client_id,
                ..
            } => refused.push(client_id.expect("the refused send is named")),
            _ => {}
        }
    }

    assert!(
        !refused.is_empty(),
        "the default limit (5/s, burst 10) refuses some of 15"
    );
    let (stored,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM conversation_events WHERE conversation_id = $1 AND kind = 'message'",
    )
    .bind(conversation.as_str())
    .fetch_one(&app.server_db().pool)
    .await
    .unwrap();
    assert_eq!(stored, acked as i64);
    app.stop().await;
}
