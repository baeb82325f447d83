use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_and_readyz_answer_ok_with_a_reachable_database() {
    let app = spawn_app().await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(ready.text().await.unwrap().contains("SQLite reachable"));
    app.stop().await;
}

#[tokio::test]
async fn readyz_reports_not_ready_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.server_db().close().await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    assert_eq!(
        ready.text().await.unwrap(),
        "not ready: database unreachable\n"
    );
    app.stop().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/healthz", "/baton.css", "/no-such-page"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(headers.contains_key("referrer-policy"), "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_start_page_is_server_rendered_with_the_stylesheet() {
    let app = spawn_app().await;
    let page = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Check service status"));
    assert!(html.contains("/baton.css"));
    let css = app
        .client
        .get(app.url("/baton.css"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        css.contains("prefers-color-scheme: dark"),
        "design system has dark mode"
    );
    assert!(
        css.contains(".max-w-3xl"),
        "utilities used in app/src are generated"
    );
    app.stop().await;
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/baton.css"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    app.stop().await;
}

#[tokio::test]
async fn a_same_origin_server_function_call_reaches_the_database() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/service-status"))
        .header("origin", &app.address)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    // Not signed in: whether the database answers, and no figures (see hardening_visibility.rs).
    assert_eq!(body["database_answers"], true);
    assert!(body["details"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn a_cross_site_post_is_refused_with_a_clear_403() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/service-status"))
        .header("origin", "http://evil.example")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Cross-site request refused")
    );
    app.stop().await;
}

#[tokio::test]
async fn server_functions_do_not_answer_get_requests() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/service-status"))
        .send()
        .await
        .unwrap();
    assert_ne!(
        response.status(),
        200,
        "a state-reading POST function must not run on GET"
    );
    app.stop().await;
}
