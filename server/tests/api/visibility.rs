//! SPEC R-VIEW-3 on the server: an agent who is neither assignee nor participant gets a refusal
//! from every server function that would reveal or change a conversation's details, and queues
//! and profiles show such a conversation only as existing. (The websocket side is in
//! `realtime.rs`.) Also SPEC R-ROUTE-9 from a queue.

use app::pages::agent::actions::{
    AddNote, AssignWorkItem, ConversationDetails, CreateFollowUp, CustomerProfile, EndConversation,
    ResolveConversation,
};
use domain::{
    AgentId, Author, Availability, Command, ConversationId, CustomerId, Scope, SpaceId, Start,
};

use crate::client::Call;
use crate::helpers::{Staff, Team, TestApp, TestUser, spawn_app};

struct Site {
    ada: TestUser,
    grace: TestUser,
    customer: TestUser,
    conversation: ConversationId,
}

/// Ada accepted Casey's conversation and they exchanged a secret; Grace is in the same space.
async fn site(app: &TestApp) -> Site {
    let Team {
        space,
        ada,
        grace,
        casey: customer,
    } = app.create_team("Support").await;
    let engine = &app.server.engine;
    let conversation = ConversationId::new("c-secret");
    engine
        .execute(Command::SetAvailability {
            agent: AgentId::new(ada.id.clone()),
            scope: Scope::AllSpaces,
            availability: Availability::Available,
        })
        .await
        .unwrap();
    for command in [
        Command::StartConversation {
            id: conversation.clone(),
            space: SpaceId::new(space),
            customer: Some(CustomerId::new(customer.id.clone())),
            via: Start::Direct,
        },
        Command::Accept {
            agent: AgentId::new(ada.id.clone()),
            conversation: conversation.clone(),
        },
        Command::SendMessage {
            conversation: conversation.clone(),
            author: Author::Customer,
            body: "my secret order number 4242".into(),
            client_id: "s1".into(),
            attachment: None,
        },
    ] {
        engine.execute(command).await.unwrap();
    }
    Site {
        ada,
        grace,
        customer,
        conversation,
    }
}

// SPEC R-VIEW-3
#[tokio::test]
async fn an_agent_who_is_not_in_a_conversation_is_refused_by_every_server_function_about_it() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let grace = app.sign_in_as(&site.grace).await;
    let id = site.conversation.as_str();
    let conversation = || id.to_string();

    let attempts = [
        Call::of(ConversationDetails {
            conversation: conversation(),
        }),
        Call::of(AddNote {
            conversation: conversation(),
            body: "peeking".into(),
        }),
        Call::of(EndConversation {
            conversation: conversation(),
        }),
        Call::of(ResolveConversation {
            conversation: conversation(),
            resolution: "Done".into(),
        }),
        Call::of(CreateFollowUp {
            conversation: conversation(),
            work_type: "Task".into(),
            title: "x".into(),
        }),
    ];
    for call in attempts {
        let endpoint = call.endpoint;
        let (status, body) = app.send(&grace, call).await;
        assert_ne!(status, 200, "{endpoint} must refuse: {body}");
        assert!(body.contains("NotFound"), "{endpoint}: {body}");
        assert!(!body.contains("4242"), "{endpoint} leaked: {body}");
    }
    let (notes,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM conversation_events WHERE conversation_id = $1 AND kind = 'note'",
    )
    .bind(id)
    .fetch_one(&app.server_db().pool)
    .await
    .unwrap();
    assert_eq!(notes, 0);
    app.stop().await;
}

// SPEC R-VIEW-3: the assignee gets the same functions' answers.
#[tokio::test]
async fn the_assignee_reads_the_details_and_adds_a_note() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let ada = app.sign_in_as(&site.ada).await;
    let id = site.conversation.to_string();

    let (status, body) = app
        .call_as(
            &ada,
            ConversationDetails {
                conversation: id.clone(),
            },
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Casey Customer"), "{body}");
    let (status, body) = app
        .call_as(
            &ada,
            AddNote {
                conversation: id,
                body: "VIP".into(),
            },
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.stop().await;
}

// SPEC R-VIEW-2, R-VIEW-3: a queue shows the conversation exists, nothing more.
#[tokio::test]
async fn a_queue_shows_another_agents_conversation_without_its_customer() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let grace = app.sign_in_as(&site.grace).await;
    let ada = app.sign_in_as(&site.ada).await;
    let filter = "type = Conversation ORDER BY created DESC";

    let (_, for_grace) = app.queue(&grace, filter).await;
    let (_, for_ada) = app.queue(&ada, filter).await;

    let grace_rows = serde_json::from_str::<domain::views::QueuePage>(&for_grace)
        .unwrap()
        .rows;
    let ada_rows = serde_json::from_str::<domain::views::QueuePage>(&for_ada)
        .unwrap()
        .rows;
    assert_eq!(grace_rows.len(), 1);
    assert!(!grace_rows[0].readable);
    assert_eq!(grace_rows[0].customer, None);
    assert_eq!(grace_rows[0].conversation, None);
    assert_eq!(ada_rows[0].customer.as_deref(), Some("Casey Customer"));
    app.stop().await;
}

#[tokio::test]
async fn a_bad_queue_filter_is_answered_with_the_position_of_the_mistake() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let ada = app.sign_in_as(&site.ada).await;

    let (status, body) = app.queue(&ada, "type = Bug AND colour = red").await;

    assert_ne!(status, 200);
    assert!(body.contains("character 16"), "{body}");
    app.stop().await;
}

// SPEC R-ROUTE-9
#[tokio::test]
async fn a_conversations_assignee_cannot_be_changed_from_a_queue() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let grace = app.sign_in_as(&site.grace).await;
    let work_item = format!("work-{}", site.conversation);

    let (status, body) = app
        .call_as(
            &grace,
            AssignWorkItem {
                work_item: work_item.clone(),
                to_me: true,
            },
        )
        .await;

    assert_ne!(status, 200);
    assert!(body.contains("set only by routing"), "{body}");
    let (assignee,): (Option<String>,) =
        sqlx::query_as("SELECT assignee_id FROM work_items WHERE id = $1")
            .bind(&work_item)
            .fetch_one(&app.server_db().pool)
            .await
            .unwrap();
    assert_eq!(assignee, Some(site.ada.id.clone()));
    app.stop().await;
}

// SPEC R-VIEW-6, R-VIEW-3: a site admin who is not in the conversation opens the profile.
#[tokio::test]
async fn a_customer_profile_lists_every_conversation_with_details_only_for_readers() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let admin = app
        .create_staff(Staff::named("Alex Admin").site_admin())
        .await;
    let admin = app.sign_in_as(&admin).await;

    let (status, body) = app
        .call_as(
            &admin,
            CustomerProfile {
                customer: site.customer.id.clone(),
                after: None,
            },
        )
        .await;

    assert_eq!(status, 200, "{body}");
    let profile: domain::views::CustomerProfile = serde_json::from_str(&body).unwrap();
    assert_eq!(profile.conversations.len(), 1);
    assert!(!profile.conversations[0].readable);
    assert_eq!(profile.conversations[0].id, None);
    app.stop().await;
}

#[tokio::test]
async fn server_functions_refuse_a_browser_that_is_not_signed_in() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/api/agent/queue"))
        .form(&[("filter", "")])
        .send()
        .await
        .unwrap();

    assert_ne!(response.status().as_u16(), 200);
    assert!(response.text().await.unwrap().contains("Forbidden"));
    app.stop().await;
}
