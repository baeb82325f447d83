//! The embedded widget's session, carried in a header instead of a cookie (see
//! `app::widget_session` for why). A request with the [`HEADER`] gets a session loaded from the
//! token it names — the cookie session is set aside for that request — and the request is marked
//! as the widget's, so it can never act as a team member. After the response, a changed session
//! is saved, and the response tells the widget its new token (created, or rotated at sign-in) or,
//! with the header empty, that the session is gone.
//!
//! The token is a tower-sessions id like the cookie's, stored hashed in the same table
//! (`backend::sessions`), so expiry, sign-out and the socket's session checks work the same.

use std::str::FromStr;
use std::sync::Arc;

use app::{AppError, widget_session::WidgetChannel};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use backend::{
    Db,
    sessions::{DbSessionStore, SIGNED_IN_KEY},
};
use tower_sessions::{Expiry, Session, session::Id};

pub use app::widget_session::HEADER;

/// A widget session lasts this long without use (the same as a cookie session).
pub const WIDGET_SESSION_IDLE: time::Duration = time::Duration::days(14);

/// What a request's header says.
enum Presented {
    /// No header: not the widget; the cookie session applies.
    Nothing,
    /// An empty header: the widget, without a session yet.
    Fresh,
    Token(Id),
    /// Not a token at all.
    Malformed,
}

fn presented(request: &Request) -> Presented {
    let Some(value) = request.headers().get(HEADER) else {
        return Presented::Nothing;
    };
    match value.to_str().map(str::trim) {
        Ok("") => Presented::Fresh,
        Ok(text) => Id::from_str(text).map_or(Presented::Malformed, Presented::Token),
        Err(_) => Presented::Malformed,
    }
}

pub async fn widget_sessions(State(db): State<Db>, mut request: Request, next: Next) -> Response {
    let id = match presented(&request) {
        Presented::Nothing => return next.run(request).await,
        Presented::Fresh => None,
        Presented::Malformed => return expired(),
        Presented::Token(id) => Some(id),
    };
    let session = Session::new(
        id,
        Arc::new(DbSessionStore::new(db)),
        Some(Expiry::OnInactivity(WIDGET_SESSION_IDLE)),
    );
    if id.is_some() {
        // The first look at the session reads its record (once: the function that runs next
        // gets it from memory); tower-sessions drops an id the store does not know.
        if let Err(error) = session.get_value(SIGNED_IN_KEY).await {
            tracing::warn!(%error, "session store unavailable");
            return unavailable();
        }
        if session.id().is_none() {
            return expired();
        }
    }
    request.extensions_mut().insert(session.clone());
    request.extensions_mut().insert(WidgetChannel);
    let mut response = next.run(request).await;
    if let Err(error) = finish(&session).await {
        // The function ran, but its session change (a sign-in, a visitor id) was not kept: the
        // widget must not believe it was.
        tracing::warn!(%error, "could not save a widget session");
        return unavailable();
    }
    if session.id() != id {
        let token = session.id().map(|id| id.to_string()).unwrap_or_default();
        if let Ok(value) = HeaderValue::from_str(&token) {
            response.headers_mut().insert(HEADER, value);
        }
    }
    response
}

/// Saves a changed session, as the cookie layer does for cookie sessions: a new one (a visitor
/// id, a sign-in) gets its id here. A flushed (signed-out) session was deleted by the flush
/// itself, has no id any more, and must not come back empty.
async fn finish(session: &Session) -> Result<(), tower_sessions::session::Error> {
    if session.is_modified() && !session.is_empty().await {
        session.save().await?;
    }
    Ok(())
}

/// 401 in the server functions' error encoding, with the header empty: forget the token.
fn expired() -> Response {
    error_response(StatusCode::UNAUTHORIZED, &AppError::SessionExpired, true)
}

fn unavailable() -> Response {
    error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &AppError::Unavailable,
        false,
    )
}

fn error_response(status: StatusCode, error: &AppError, forget: bool) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if forget {
        response
            .headers_mut()
            .insert(HEADER, HeaderValue::from_static(""));
    }
    response
}
