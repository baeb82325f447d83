//! Issue 15, items 6 and 11 (transport): slow clients are cut off, shutdown does not wait on
//! them, bodies are bounded, scripts need the page's nonce, cookies are `Secure` with HSTS over
//! HTTPS, session ids are stored hashed, and a session in use does not expire.

use std::time::{Duration, Instant};

use backend::config::RawConfig;
use backend::sessions::{COOKIE_NAME, stored_id};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

async fn sign_in_staff(app: &TestApp) -> reqwest::Response {
    app.client
        .post(app.url("/api/staff-sign-in"))
        .form(&[("email", "ada@demo.baton.test"), ("password", "baton-demo")])
        .send()
        .await
        .unwrap()
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{COOKIE_NAME}=")))
        .map(str::to_string)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_string())
        .unwrap()
}

/// Sends the start of a request and never finishes its headers; returns how long the server
/// took to close the connection (or `None` if it was still open after `patience`).
async fn half_sent_request_closes_after(
    addr: std::net::SocketAddr,
    patience: Duration,
) -> Option<Duration> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(
            patience.saturating_sub(started.elapsed()),
            stream.read(&mut buffer),
        )
        .await
        {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            // A 408 before closing is fine; keep reading until the close.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn a_request_whose_headers_never_finish_is_cut_off_within_the_header_timeout() {
    let app = spawn_app().await;
    let limit = server::http::serve::HEADER_READ_TIMEOUT;

    let closed_after =
        half_sent_request_closes_after(app.server.addr, limit + Duration::from_secs(5)).await;

    let closed_after = closed_after.expect("the server closed the slow connection");
    assert!(
        closed_after <= limit + Duration::from_secs(2),
        "{closed_after:?}"
    );
    // And the server still answers everybody else.
    assert_eq!(app.health().await, 200);
    app.stop().await;
}

#[tokio::test]
async fn shutdown_does_not_wait_for_a_client_that_never_finishes_its_request() {
    let app = spawn_app().await;
    let mut slow = TcpStream::connect(app.server.addr).await.unwrap();
    slow.write_all(b"POST /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nx")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    app.stop().await;

    let bound = server::http::serve::SHUTDOWN_GRACE + Duration::from_secs(3);
    assert!(
        started.elapsed() <= bound,
        "shutdown took {:?}",
        started.elapsed()
    );
    drop(slow);
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_refused_before_it_is_read() {
    let app = spawn_app().await;
    let huge = "a".repeat(server::router::MAX_BODY_BYTES + 1);

    let response = app
        .client
        .post(app.url("/api/staff-sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("email={huge}&password=x"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 413);
    assert_eq!(app.health().await, 200);
    app.stop().await;
}

/// The nonce a page's CSP names in `script-src`.
fn script_nonce(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("script-src names a nonce") + "'nonce-".len();
    csp[start..].split('\'').next().unwrap().to_string()
}

#[tokio::test]
async fn every_inline_script_carries_the_nonce_the_page_policy_names() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/sign-in",
        "/support",
        "/w/wk_demo_help",
        "/no-such-page",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("script-src 'self' 'nonce-"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        let nonce = script_nonce(&csp);
        let html = response.text().await.unwrap();
        let scripts: Vec<&str> = html
            .match_indices("<script")
            .map(|(at, _)| &html[at..])
            .collect();
        assert!(!scripts.is_empty(), "{path} has its hydration script");
        for script in scripts {
            let tag = &script[..script.find('>').unwrap()];
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: {tag}");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn each_response_gets_a_fresh_nonce() {
    let app = spawn_app().await;
    let csp = |r: &reqwest::Response| {
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string()
    };
    let first = csp(&app.client.get(app.url("/")).send().await.unwrap());
    let second = csp(&app.client.get(app.url("/")).send().await.unwrap());
    assert_ne!(script_nonce(&first), script_nonce(&second));
    app.stop().await;
}

#[tokio::test]
async fn the_widget_page_keeps_its_frame_ancestors_and_gets_the_script_policy() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/w/wk_demo_help"))
        .send()
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.starts_with("frame-ancestors 'self'"), "{csp}");
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    app.stop().await;
}

#[tokio::test]
async fn over_plain_http_cookies_are_not_secure_and_there_is_no_hsts() {
    let app = spawn_app().await;
    let response = sign_in_staff(&app).await;
    let cookie = session_cookie(&response).expect("signed in");
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    app.stop().await;
}

#[tokio::test]
async fn behind_an_https_public_url_cookies_are_secure_and_responses_carry_hsts() {
    let app = spawn_app_with(RawConfig {
        public_url: Some("https://chat.example.com".into()),
        ..RawConfig::default()
    })
    .await;
    let response = sign_in_staff(&app).await;
    let cookie = session_cookie(&response).expect("signed in");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let hsts = response.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.contains("max-age=31536000"), "{hsts}");
    app.stop().await;
}

#[tokio::test]
async fn the_database_holds_only_a_hash_of_each_session_id() {
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in_staff(&app).await).expect("signed in");
    let id = cookie_value(&cookie);

    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM sessions")
        .fetch_all(&app.server_db().pool)
        .await
        .unwrap();

    assert!(
        ids.iter().all(|(stored,)| stored != &id),
        "the raw id is not stored"
    );
    let hashed = stored_id(&id.parse().unwrap());
    assert!(
        ids.iter().any(|(stored,)| stored == &hashed),
        "its SHA-256 is"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_session_in_use_is_extended_and_its_cookie_renewed() {
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in_staff(&app).await).expect("signed in");
    let id = cookie_value(&cookie);
    let key = stored_id(&id.parse().unwrap());
    let db = &app.server_db().pool;
    // Pretend the session was last used two hours ago and has a day left.
    let (data,): (String,) = sqlx::query_as("SELECT data FROM sessions WHERE id = $1")
        .bind(&key)
        .fetch_one(db)
        .await
        .unwrap();
    let mut data: serde_json::Value = serde_json::from_str(&data).unwrap();
    let now = backend::clock::now_ms();
    data["touched_at"] = serde_json::json!(now - 2 * 3600 * 1000);
    let a_day_left = now + 24 * 3600 * 1000;
    sqlx::query("UPDATE sessions SET data = $1, expires_at = $2 WHERE id = $3")
        .bind(data.to_string())
        .bind(a_day_left)
        .bind(&key)
        .execute(db)
        .await
        .unwrap();

    let response = app
        .client
        .post(app.url("/api/me"))
        .header("cookie", format!("{COOKIE_NAME}={id}"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let renewed = session_cookie(&response).expect("the cookie is sent again");
    assert!(renewed.contains("Max-Age="), "{renewed}");
    let (expires_at,): (i64,) = sqlx::query_as("SELECT expires_at FROM sessions WHERE id = $1")
        .bind(&key)
        .fetch_one(db)
        .await
        .unwrap();
    assert!(
        expires_at > now + 13 * 24 * 3600 * 1000,
        "extended to 14 days from now"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_session_used_again_within_the_hour_is_not_rewritten() {
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in_staff(&app).await).expect("signed in");
    let id = cookie_value(&cookie);
    let call = || {
        app.client
            .post(app.url("/api/me"))
            .header("cookie", format!("{COOKIE_NAME}={id}"))
            .send()
    };
    // The first use after sign-in marks it touched; the next one has nothing to write.
    call().await.unwrap();
    let second = call().await.unwrap();
    assert_eq!(second.status(), 200);
    assert!(session_cookie(&second).is_none());
    app.stop().await;
}

#[tokio::test]
async fn a_server_function_call_with_missing_or_mistyped_arguments_gets_400_with_what_was_wrong() {
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in_staff(&app).await).expect("signed in");
    let id = cookie_value(&cookie);
    // A missing field, then a value of the wrong type.
    for (endpoint, form) in [
        ("/api/agent/queue", [("space", "")]),
        ("/api/agent/availability", [("available", "maybe")]),
    ] {
        let response = app
            .client
            .post(app.url(endpoint))
            .header("cookie", format!("{COOKIE_NAME}={id}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{endpoint}");
        let body = response.text().await.unwrap();
        assert!(body.contains("could not be read"), "{endpoint}: {body}");
    }
    assert_eq!(app.health().await, 200);
    app.stop().await;
}
