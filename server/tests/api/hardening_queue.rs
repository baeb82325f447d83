//! Issue 15, item 1 over real HTTP: a queue filter nested 5,000 deep used to overflow a worker's
//! stack and abort the whole server. Now a too-long or too-deep filter gets a 422 that says what
//! to do, the server keeps answering, and saved queues refuse the same filters the same way.

use crate::helpers::{TestApp, call, spawn_app};

/// Signs a demo team member in through the real sign-in endpoint; returns the session cookie.
async fn sign_in(app: &TestApp, email: &str) -> String {
    let response = app
        .client
        .post(app.url("/api/staff-sign-in"))
        .form(&[("email", email), ("password", "baton-demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{email} signs in");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{}=", backend::sessions::COOKIE_NAME)))
        .and_then(|rest| rest.split(';').next())
        .expect("a session cookie")
        .to_string()
}

fn parens(depth: usize) -> String {
    format!("{}type = Bug{}", "(".repeat(depth), ")".repeat(depth))
}

fn nots(depth: usize) -> String {
    format!("{}type = Bug", "NOT ".repeat(depth))
}

#[tokio::test]
async fn a_queue_filter_of_5000_nested_parentheses_gets_a_422_and_the_server_keeps_answering() {
    let app = spawn_app().await;
    let ada = sign_in(&app, "ada@demo.baton.test").await;
    let queue = |filter: String| {
        let (app, ada) = (&app, &ada);
        async move { call(app, ada, "agent/queue", &[("filter", filter.as_str())]).await }
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
    let admin = sign_in(&app, "admin@demo.baton.test").await;
    let (space,): (String,) = sqlx::query_as("SELECT id FROM spaces ORDER BY name LIMIT 1")
        .fetch_one(&app.server_db().pool)
        .await
        .unwrap();
    let save = |name: &'static str, filter: String| {
        let (app, admin, space) = (&app, &admin, &space);
        async move {
            call(
                app,
                admin,
                "admin/space/queue",
                &[
                    ("space", space.as_str()),
                    ("name", name),
                    ("filter", filter.as_str()),
                ],
            )
            .await
        }
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
