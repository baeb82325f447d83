//! `/ws`: one websocket per browser tab (DESIGN "Realtime"). The handshake checks the Origin
//! and the session, then [`connection::run`] serves the socket until it closes.

mod auth;
mod connection;
mod first_frame;
mod limits;
mod streams;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use app::{state::AppState, widget_session::WidgetChannel};
use axum::{
    Extension,
    extract::{Query, State, WebSocketUpgrade},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use backend::engine::presence::Presence;
use domain::protocol::{MAX_FRAME_BYTES, PROTOCOL_VERSION};
use serde::Deserialize;
use tokio::sync::watch;
use tower_sessions::Session;

use auth::Opener;
pub use limits::Limits;

/// What every socket shares, behind one pointer: each socket holds it for its whole life, and
/// a copy of the application state per socket would be most of an idle socket's memory.
#[derive(Clone)]
pub struct WsState(Arc<Shared>);

pub struct Shared {
    pub app: AppState,
    pub presence: Presence,
    pub limits: Limits,
    /// Flips to true when the server shuts down: sockets close with "going away".
    pub shutdown: watch::Receiver<bool>,
    next_id: AtomicU64,
}

impl std::ops::Deref for WsState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl WsState {
    pub fn new(
        app: AppState,
        presence: Presence,
        limits: Limits,
        shutdown: watch::Receiver<bool>,
    ) -> Self {
        Self(Arc::new(Shared {
            app,
            presence,
            limits,
            shutdown,
            // From 1: 0 marks a typing signal from another node (`bus::FOREIGN_ORIGIN`).
            next_id: AtomicU64::new(1),
        }))
    }

    fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}

#[derive(Deserialize)]
pub struct Handshake {
    /// The protocol version the client speaks.
    v: Option<u32>,
    /// The widget key, when a page on an embedding site connects for its widget.
    widget: Option<String>,
    /// `frame`: the session comes in the first frame (the embedded widget, which has no cookie).
    auth: Option<String>,
    /// A session token in the URL, which Baton refuses: URLs end up in access logs.
    session: Option<String>,
    token: Option<String>,
    access_token: Option<String>,
}

impl Handshake {
    fn carries_a_token(&self) -> bool {
        self.session.is_some() || self.token.is_some() || self.access_token.is_some()
    }
}

/// Which pages may open a socket with the visitor's cookies: Baton's own, and pages on a
/// widget's allowed domains (naming the widget). `None`: refused.
async fn opener(state: &WsState, headers: &HeaderMap, widget: Option<&str>) -> Option<Opener> {
    if crate::http::cross_site::origin_is_own(headers) {
        return Some(Opener::Baton);
    }
    let (Some(key), Some(origin)) = (
        widget,
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
    ) else {
        return None;
    };
    match backend::store::experiences::by_key(&state.app.db, key).await {
        Ok(found)
            if found.settings.embedded
                && domain::experience::origin_allowed(origin, &found.settings.allowed_domains) =>
        {
            Some(Opener::Widget)
        }
        Ok(_) | Err(_) => None,
    }
}

/// Hard limit: beyond this the socket is closed (1009); between [`MAX_FRAME_BYTES`] and this,
/// the frame is answered with an error and the socket lives on.
const HARD_FRAME_LIMIT: usize = 64 * 1024;

pub async fn upgrade(
    State(state): State<WsState>,
    Query(handshake): Query<Handshake>,
    headers: HeaderMap,
    session: Session,
    widget_channel: Option<Extension<WidgetChannel>>,
    ws: WebSocketUpgrade,
) -> Response {
    if handshake.carries_a_token() {
        return (
            StatusCode::BAD_REQUEST,
            "Send the session in the socket's first frame ({\"type\":\"auth\",\"session\":…}), never in its URL: URLs end up in logs.",
        )
            .into_response();
    }
    // Only Baton's own pages, and pages on a widget's allowed domains (naming the widget),
    // may open a socket with the visitor's cookies. Clients without an Origin (tests, the
    // benchmark) carry no ambient cookies a foreign page could abuse.
    let Some(opener) = opener(&state, &headers, handshake.widget.as_deref()).await else {
        tracing::warn!(origin = ?headers.get(header::ORIGIN), widget = ?handshake.widget, "websocket from a foreign origin refused");
        return (
            StatusCode::FORBIDDEN,
            "This page may not connect to Baton: its origin is not allowed.",
        )
            .into_response();
    };
    let version = handshake.v.unwrap_or(PROTOCOL_VERSION);
    if version != PROTOCOL_VERSION {
        return (
            StatusCode::BAD_REQUEST,
            format!(
                "Protocol version {version} is not spoken here (this server speaks {PROTOCOL_VERSION}). Reload the page."
            ),
        )
            .into_response();
    }
    if handshake.auth.as_deref() == Some("frame") {
        drop(session);
        return configure(ws).on_upgrade(move |socket| first_frame::run(socket, state));
    }
    // A session from the widget's header (a non-browser client) is the widget's: never staff.
    let opener = if widget_channel.is_some() {
        Opener::Widget
    } else {
        opener
    };
    let (principal, binding) = match auth::signed_in(&state.app, &session, opener).await {
        Ok(Some(signed_in)) => signed_in,
        Ok(None) if opener == Opener::Widget => {
            return (
                StatusCode::UNAUTHORIZED,
                "Sign in to chat in this widget, then reconnect. Team members answer from the Baton dashboard, not from a customer's site.",
            )
                .into_response();
        }
        Ok(None) => {
            return (StatusCode::UNAUTHORIZED, "Sign in to chat, then reconnect.").into_response();
        }
        Err(error) => {
            tracing::error!(%error, "websocket sign-in check failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Baton cannot check your sign-in just now. It will reconnect by itself.",
            )
                .into_response();
        }
    };
    drop(session);
    let id = state.next_id();
    configure(ws).on_upgrade(move |socket| connection::run(socket, state, principal, binding, id))
}

fn configure(ws: WebSocketUpgrade) -> WebSocketUpgrade {
    ws
        // tungstenite's defaults (128 KiB read buffer, unbounded write buffer) would cost more
        // per idle socket than everything else together. The read buffer is allocated up
        // front and kept for the socket's life; client frames are a few hundred bytes, and a
        // larger one grows it as needed.
        .read_buffer_size(1024)
        .write_buffer_size(0)
        .max_write_buffer_size(256 * 1024)
        .max_message_size(HARD_FRAME_LIMIT)
        .max_frame_size(HARD_FRAME_LIMIT)
}

const _: () = assert!(MAX_FRAME_BYTES < HARD_FRAME_LIMIT);
