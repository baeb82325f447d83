//! Issue 15, item 1 over real HTTP: a queue filter nested 5,000 deep used to overflow a worker's
//! stack and abort the whole server. Now a too-long or too-deep filter gets a 422 that says what
//! to do, the server keeps answering, and saved queues refuse the same filters the same way.

use app::pages::admin::actions::AddQueue;

use crate::helpers::{Staff, spawn_app};

fn parens(depth: usize) -> String {
    format!("{}type = Bug{}", "(".repeat(depth), ")".repeat(depth))
}

fn nots(depth: usize) -> String {
    format!("{}type = Bug", "NOT ".repeat(depth))
}

#[tokio::test]
async fn a_queue_filter_of_5000_nested_parentheses_gets_a_422_and_the_server_keeps_answering() {
    let app = spawn_app().await;
    let space = app.demo_space().await;
    let ada = app
        .create_staff(Staff::named("Ada Lovelace").agent_in(&space))
        .await;
    let ada = app.sign_in_with_password(&ada).await;
    let queue = |filter: String| {
        let (app, ada) = (&app, &ada);
        async move { app.queue(ada, &filter).await }
    };

    let (status, body) = queue(parens(5_000)).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("longer than 2000 characters; shorten it"),
        "{body}"
    );

    let (status, body) = queue(nots(5_000)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("longer than 2000 characters"), "{body}");

    // Deep nesting that fits in the length limit is stopped by the depth limit.
    let (status, body) = queue(parens(990)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("more than 32 levels deep"), "{body}");
    assert!(body.contains("character 33"), "{body}");
    let (status, body) = queue(nots(495)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("more than 32 levels deep"), "{body}");

    // The server is still there, and a filter at the limit works.
    let (status, body) = queue(parens(32)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.health().await, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_saved_queue_with_a_too_deep_or_too_long_filter_is_refused_with_the_same_message() {
    let app = spawn_app().await;
    let admin = app
        .create_staff(Staff::named("Alex Admin").site_admin())
        .await;
    let admin = app.sign_in_with_password(&admin).await;
    let space = app.demo_space().await;
    let save = |name: &'static str, filter: String| {
        let (app, admin, space) = (&app, &admin, &space);
        let queue = AddQueue {
            space: space.clone(),
            name: name.into(),
            filter,
        };
        async move { app.call_as(admin, queue).await }
    };

    let (status, body) = save("Deep", parens(990)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("more than 32 levels deep"), "{body}");
    let (status, body) = save("Long", parens(5_000)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("longer than 2000 characters"), "{body}");
    let (status, body) = save("Deepest allowed", nots(32)).await;
    assert_eq!(status, 200, "{body}");

    let (saved,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM queues WHERE name IN ('Deep', 'Long')")
            .fetch_one(&app.server_db().pool)
            .await
            .unwrap();
    assert_eq!(saved, 0);
    app.stop().await;
}
