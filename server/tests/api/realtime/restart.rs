//! Issue 15, item 11: presence survives a restart. Tabs that closed with the old process were
//! never counted out, so without a look at start an agent whose browser is gone would stay
//! Available and keep getting offers nobody answers.

use std::time::{Duration, Instant};

use backend::{config::RawConfig, sessions::SignedIn};
use domain::UnavailableReason;
use domain::protocol::ServerFrame;

use super::{Cast, cast, make_available};
use crate::helpers::{TestApp, spawn_app};

async fn availability(app: &TestApp, space: &str, agent: &str) -> String {
    app.availability(space, agent).await
}

fn short_grace(grace: &str) -> RawConfig {
    RawConfig {
        presence_grace: Some(grace.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_agent_available_when_the_server_restarts_becomes_unavailable_if_no_tab_reconnects_within_the_grace()
 {
    let app = spawn_app().await;
    let Cast { agent, space, .. } = cast(&app).await;
    make_available(&app, &agent).await;

    let app = app.restart_with(short_grace("300ms")).await;

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = availability(&app, &space, &agent).await;
        if state == "Unavailable" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "agent still {state} long after the grace period"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (reason,): (Option<String>,) =
        sqlx::query_as("SELECT unavailable_reason FROM users WHERE id = $1")
            .bind(&agent)
            .fetch_one(&app.server_db().pool)
            .await
            .unwrap();
    let reason: UnavailableReason = serde_json::from_str(&reason.unwrap()).unwrap();
    assert!(
        matches!(reason, UnavailableReason::Disconnected { .. }),
        "the dashboard says why: {reason:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_agent_whose_dashboard_reconnects_within_the_grace_after_a_restart_stays_available() {
    let app = spawn_app().await;
    let Cast { agent, space, .. } = cast(&app).await;
    make_available(&app, &agent).await;

    let app = app.restart_with(short_grace("2s")).await;
    let session = app.session_for(SignedIn::Staff(agent.clone())).await;
    let mut tab = app.connect(&session).await;
    tab.expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
        .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;

    assert_eq!(availability(&app, &space, &agent).await, "Available");
    app.stop().await;
}
