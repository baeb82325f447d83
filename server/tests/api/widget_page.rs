//! The customer widget's page `/w/{key}`: a small shell for the widget's own WASM build, with
//! the experience's settings written in (issue: a lean customer widget).

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_widget_page_carries_its_settings_and_names_its_build_by_version() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url(&format!("/w/{}", backend::demo::DEMO_WIDGET_KEY)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let html = response.text().await.unwrap();
    let start = html
        .find(r#"id="baton-widget-info""#)
        .expect("the page carries the settings");
    let json_start = start + html[start..].find('>').unwrap() + 1;
    let json_end = json_start + html[json_start..].find("</script>").unwrap();
    let settings: serde_json::Value = serde_json::from_str(&html[json_start..json_end]).unwrap();
    assert_eq!(settings["widget_key"], backend::demo::DEMO_WIDGET_KEY);
    assert!(
        settings["name"]
            .as_str()
            .is_some_and(|n| html.contains(&format!("<h1 class=\"widget-title\">{n}</h1>")))
    );
    // One module and its WASM, preloaded together, each named with a version.
    assert!(
        html.contains(r#"<link rel="modulepreload" href="/chat/widget.js?v="#),
        "{html}"
    );
    assert!(
        html.contains(r#"<link rel="preload" href="/chat/widget_bg.wasm?v="#),
        "{html}"
    );
    assert!(
        !html.contains("/pkg/"),
        "the website's build is not loaded: {html}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_widget_key_gets_a_page_that_says_so() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/w/wk_nobody"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("This chat is not set up: the site's widget key is unknown."));
    assert!(!html.contains("<script"), "nothing to start: {html}");
    app.stop().await;
}

#[tokio::test]
async fn an_experience_name_cannot_inject_markup_into_the_widget_page() {
    let app = spawn_app().await;
    // As an admin may name it on the settings page (names are free text).
    sqlx::query("UPDATE experiences SET name = $1 WHERE widget_key = $2")
        .bind("</script><script>alert(1)</script>")
        .bind(backend::demo::DEMO_WIDGET_KEY)
        .execute(&app.server_db().pool)
        .await
        .unwrap();
    let html = app
        .client
        .get(app.url(&format!("/w/{}", backend::demo::DEMO_WIDGET_KEY)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(
        html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"),
        "{html}"
    );
    app.stop().await;
}
