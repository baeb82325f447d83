//! The running server's scheduler fires stored deadlines on its own, with no request arriving.

use std::time::{Duration, Instant};

use backend::config::RawConfig;
use domain::{AgentId, Availability, Command, ConversationId, CustomerId, Scope, SpaceId, Start};

use crate::helpers::{Staff, spawn_app_with};

// SPEC R-ROUTE-5, R-TIME-5: with a 1 s offer timeout, an unanswered offer sets the agent
// Unavailable by itself.
#[tokio::test]
async fn the_scheduler_fires_an_unanswered_offer_without_any_request() {
    let app = spawn_app_with(RawConfig {
        offer_timeout: Some("1s".into()),
        ..Default::default()
    })
    .await;
    let engine = app.server.engine.clone();
    let space = app.create_space("Scheduled").await;
    let agent = app
        .create_staff(Staff::named("Ada Lovelace").agent_in(&space))
        .await
        .id;
    let customer = app.create_customer("Casey").await.id;
    engine
        .execute(Command::SetAvailability {
            agent: AgentId::new(agent.clone()),
            scope: Scope::AllSpaces,
            availability: Availability::Available,
        })
        .await
        .unwrap();
    engine
        .execute(Command::StartConversation {
            id: ConversationId::new("c-scheduler"),
            space: SpaceId::new(space.clone()),
            customer: Some(CustomerId::new(customer)),
            via: Start::Direct,
        })
        .await
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if app.availability(&space, &agent).await == "Unavailable" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the scheduler never fired the expired offer"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.stop().await;
}
