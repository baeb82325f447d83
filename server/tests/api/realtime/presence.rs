//! Presence and shutdown: what happens when tabs or the server go away.

use super::*;

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
        let state = app.availability(&cast.space, &cast.agent).await;
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

    let state = app.availability(&cast.space, &cast.agent).await;
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
