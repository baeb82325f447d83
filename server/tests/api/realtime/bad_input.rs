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
