//! Who sees what on a socket (SPEC R-VIEW-3) and the agent's offer stream.

use super::*;

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
    let stranger = app.create_customer("Sam").await;
    let mut stranger = app.connect(&app.sign_in_as(&stranger).await).await;
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
    make_available(&app, &cast.other_agent).await;
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
            attachment: None,
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
