//! The running server's scheduler fires stored deadlines on its own, with no request arriving.

use std::time::{Duration, Instant};

use backend::{
    config::RawConfig,
    store::{spaces, users},
};
use domain::{AgentId, Availability, Command, ConversationId, CustomerId, Scope, SpaceId, Start};

use crate::helpers::spawn_app_with;

// SPEC R-ROUTE-5, R-TIME-5: with a 1 s offer timeout, an unanswered offer sets the agent
// Unavailable by itself.
#[tokio::test]
async fn the_scheduler_fires_an_unanswered_offer_without_any_request() {
    let app = spawn_app_with(RawConfig {
        offer_timeout: Some("1s".into()),
        ..Default::default()
    })
    .await;
    let db = app.server_db().clone();
    let engine = app.server.engine.clone();
    let (space, agent): (String, String) = sqlx::query_as(
        "SELECT space_id, user_id FROM space_members WHERE role = 'agent' ORDER BY position LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let customer = users::create_customer(&db, "casey@example.com", "Casey")
        .await
        .unwrap();
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
        if spaces::availability(&db, &space, &agent).await.unwrap() == "Unavailable" {
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
