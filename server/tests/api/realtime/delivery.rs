//! Messages both ways, exactly once and in order, through a cut connection; typing.

use super::*;

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
