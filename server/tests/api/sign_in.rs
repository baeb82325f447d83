//! Sign-in through the server functions: the session cookie, wrong credentials, and the limit on
//! attempts.

use crate::helpers::spawn_app;

async fn sign_in(app: &crate::helpers::TestApp, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/staff-sign-in"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_right_password_sets_an_http_only_session_cookie() {
    let app = spawn_app().await;

    let response = sign_in(&app, "ada@demo.baton.test", "baton-demo").await;

    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cookie.starts_with("baton_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_password_gets_a_clear_message_and_no_session() {
    let app = spawn_app().await;

    let response = sign_in(&app, "grace@demo.baton.test", "not the password").await;

    assert_eq!(response.status(), 422);
    assert!(response.headers().get("set-cookie").is_none());
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("do not match an account")
    );
    app.stop().await;
}

#[tokio::test]
async fn repeated_attempts_for_one_email_are_slowed_down() {
    let app = spawn_app().await;

    for _ in 0..5 {
        sign_in(&app, "admin@demo.baton.test", "guess").await;
    }
    let sixth = sign_in(&app, "admin@demo.baton.test", "baton-demo").await;

    // Issue 15: a refusal for too many requests is 429 with the seconds to wait.
    assert_eq!(sixth.status(), 429);
    assert!(sixth.headers().contains_key("retry-after"));
    assert!(
        sixth
            .text()
            .await
            .unwrap()
            .contains("Too many sign-in attempts")
    );
    app.stop().await;
}
