//! Bad input gets a clear answer and loses nothing: malformed and oversized frames, foreign origins, missing sessions, floods.

use super::*;

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

/// The stored messages' texts of a conversation, in seq order.
async fn stored_bodies(app: &TestApp, conversation: &ConversationId) -> Vec<String> {
    app.stored_messages(conversation)
        .await
        .into_iter()
        .filter_map(|event| match event.kind {
            EventKind::Message { body, .. } => Some(body),
            _ => None,
        })
        .collect()
}

// A person typing faster than the message rate is slowed, not refused: every message is stored
// once, in the order typed (a refused one would be resent later and land behind the others).
#[tokio::test]
async fn a_burst_over_the_message_rate_is_slowed_to_it_and_stored_in_the_order_sent() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-rate").await;
    let (_agent, mut customer) = sockets(&app, &cast).await;
    resume(&mut customer, &conversation, 0).await;

    let typed: Vec<String> = (0..30).map(|i| format!("line {i}")).collect();
    for (i, line) in typed.iter().enumerate() {
        customer
            .send(&send(&conversation, &format!("burst-{i}"), line))
            .await;
    }
    let mut acks = Vec::new();
    while acks.len() < typed.len() {
        match customer.next().await.unwrap() {
            ServerFrame::Sent { client_id, seq, .. } => acks.push((client_id, seq)),
            ServerFrame::Error { code, message, .. } => panic!("{code:?}: {message}"),
            _ => {}
        }
    }

    let in_order: Vec<String> = (0..30).map(|i| format!("burst-{i}")).collect();
    assert_eq!(
        acks.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(),
        in_order
    );
    assert!(acks.windows(2).all(|w| w[0].1 < w[1].1), "{acks:?}");
    assert_eq!(stored_bodies(&app, &conversation).await, typed);
    app.stop().await;
}

// Bad input loses nothing: a flood of sends is refused by name once too many in a row had to
// wait, and nothing is half-stored.
#[tokio::test]
async fn a_flood_of_sends_is_refused_with_their_client_ids_and_none_is_half_stored() {
    // 20/s (a burst of 40) keeps the test short; the flood rule does not depend on the rate.
    let app = spawn_app_with(RawConfig {
        message_rate: Some(20),
        ..RawConfig::default()
    })
    .await;
    let cast = cast(&app).await;
    let conversation = active_chat(&app, &cast, "c-flood").await;
    let (_agent, mut customer) = sockets(&app, &cast).await;
    resume(&mut customer, &conversation, 0).await;

    // The burst, then the 50 that may wait their turn in a row, then 20 more.
    let flood = 40 + 50 + 20;
    for i in 0..flood {
        customer
            .send(&send(&conversation, &format!("flood-{i}"), "quick"))
            .await;
    }
    let mut acked = 0;
    let mut refused = Vec::new();
    while acked + refused.len() < flood {
        match customer.next().await {
            Ok(ServerFrame::Sent { .. }) => acked += 1,
            Ok(ServerFrame::Error {
                code: ErrorCode::RateLimited,
                client_id,
                ..
            }) => refused.push(client_id.expect("the refused send is named")),
            Ok(_) => {}
            Err(_closed) => break,
        }
    }

    assert!(
        !refused.is_empty(),
        "a flood past the shaping allowance is refused"
    );
    assert_eq!(stored_bodies(&app, &conversation).await.len(), acked);
    app.stop().await;
}
