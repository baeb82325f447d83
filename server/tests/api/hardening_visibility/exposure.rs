//! What outsiders and uninvolved staff learn: service status and customer profiles (items 10, 11).

use super::*;

#[tokio::test]
async fn an_outsider_asking_the_service_status_learns_no_counts() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let status = |cookie: Option<String>| {
        let mut request = app
            .client
            .post(app.url("/api/service-status"))
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(session) = cookie {
            request = request.header(
                "cookie",
                format!("{}={session}", backend::sessions::COOKIE_NAME),
            );
        }
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };

    let outsider = status(None).await;
    let staff = status(Some(session(&app, &site.ada).await)).await;

    assert_eq!(outsider["database_answers"], true, "{outsider}");
    assert!(outsider["details"].is_null(), "{outsider}");
    for secret in ["spaces", "conversations", "SQLite", "Baton demo"] {
        assert!(
            !outsider.to_string().contains(secret),
            "{secret} in {outsider}"
        );
    }
    assert_eq!(staff["details"]["spaces"], 2, "{staff}");
    assert_eq!(staff["details"]["staff"], 4, "{staff}");
    app.stop().await;
}

// SPEC R-VIEW-3, R-VIEW-6
#[tokio::test]
async fn an_agent_who_reads_none_of_a_customers_conversations_cannot_open_their_profile() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let casey = customer(&app, "Casey Private").await;
    conversation(&app, &site, "c-private", &casey, Some(&site.ada)).await;
    let open = |session: String, customer: String| {
        let app = &app;
        async move { profile(app, &session, &customer, None).await }
    };

    let (status, body) = open(session(&app, &site.grace).await, casey.id.clone()).await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("Casey Private"), "{body}");
    // The refusal is the same as for a customer who does not exist: it confirms nothing.
    let (missing, missing_body) = open(session(&app, &site.grace).await, "nobody".into()).await;
    assert_eq!((missing, missing_body), (status, body));

    let (status, body) = open(session(&app, &site.ada).await, casey.id.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = open(session(&app, &site.admin).await, casey.id.clone()).await;
    assert_eq!(status, 200, "{body}");
    let profile: CustomerProfile = serde_json::from_str(&body).unwrap();
    assert_eq!(profile.name, "Casey Private");
    assert!(!profile.conversations[0].readable);
    app.stop().await;
}

#[tokio::test]
async fn a_profile_lists_a_long_history_a_page_at_a_time() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let casey = customer(&app, "Casey Regular").await;
    // Nobody is Available, so each ends at once with the Fallback message (SPEC R-ROUTE-6).
    for i in 0..55 {
        conversation(&app, &site, &format!("c-{i:02}"), &casey, None).await;
    }
    let admin = session(&app, &site.admin).await;

    let (status, body) = profile(&app, &admin, &casey.id, None).await;
    assert_eq!(status, 200, "{body}");
    let first: CustomerProfile = serde_json::from_str(&body).unwrap();
    let next = first.next.clone().expect("a second page");
    let (status, body) = profile(&app, &admin, &casey.id, Some(&next)).await;
    assert_eq!(status, 200, "{body}");
    let second: CustomerProfile = serde_json::from_str(&body).unwrap();

    assert_eq!(first.conversations.len(), 50);
    assert_eq!(second.conversations.len(), 5);
    assert_eq!(second.next, None);
    let oldest_first = first.conversations.last().unwrap().started_at;
    assert!(
        second
            .conversations
            .iter()
            .all(|c| c.started_at <= oldest_first)
    );
    app.stop().await;
}
