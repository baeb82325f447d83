//! Sliding session expiry. tower-sessions writes a session (and re-sends its cookie with a new
//! `Max-Age`) only when the session changed, so "14 days without use" would really be "14 days
//! after sign-in". This middleware marks a session that is in use as touched, at most once per
//! [`TOUCH_EVERY`], so the session and its cookie live on while the person keeps using Baton,
//! at the cost of one write per hour per active session.

use axum::{extract::Request, middleware::Next, response::Response};
use backend::clock::now_ms;
use tower_sessions::Session;

/// The session key holding when the session was last marked as used (unix ms).
pub const TOUCHED_KEY: &str = "touched_at";

/// How often an active session is written to extend its expiry.
pub const TOUCH_EVERY_MS: i64 = 60 * 60 * 1000;

/// Static files need no session: looking one up for each would cost a database read apiece.
fn needs_session(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path.starts_with("/chat/")
        || path == "/baton.css"
        || path == "/embed.js"
        || path == "/favicon.ico"
        || path == "/healthz"
        || path == "/readyz")
}

pub async fn slide_expiry(request: Request, next: Next) -> Response {
    let session = needs_session(request.uri().path())
        .then(|| request.extensions().get::<Session>().cloned())
        .flatten()
        // Only sessions the browser already holds: a new, empty one has nothing to keep alive.
        .filter(|session| session.id().is_some());
    let response = next.run(request).await;
    if let Some(session) = session {
        touch(&session).await;
    }
    response
}

async fn touch(session: &Session) {
    // Reading an empty or deleted (signed-out) session must not bring it back.
    if session.is_empty().await {
        return;
    }
    let now = now_ms();
    let last: Option<i64> = session.get(TOUCHED_KEY).await.unwrap_or(None);
    if last.is_some_and(|at| now - at < TOUCH_EVERY_MS) {
        return;
    }
    if let Err(error) = session.insert(TOUCHED_KEY, now).await {
        tracing::warn!(%error, "could not extend the session");
    }
}
