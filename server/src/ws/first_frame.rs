//! Sockets that sign in with their first frame (`/ws?auth=frame`): the embedded widget, whose
//! session token lives in its own storage rather than in a cookie, and which must not put the
//! token in the URL. The socket waits briefly for `{"type":"auth","session":…}`, then runs like
//! any other; the session is always taken as the widget's, so it is never a team member's.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use backend::sessions::DbSessionStore;
use domain::protocol::{ClientFrame, close, parse_client_frame};
use tower_sessions::{Session, session::Id};

use super::{
    WsState,
    auth::{self, Opener},
    connection,
};

/// How long a new socket may take to say who it is.
pub const AUTH_WAIT: Duration = Duration::from_secs(10);

/// Close reasons (at most 123 bytes each, the protocol's limit).
const NO_AUTH: &str = "Send {\"type\":\"auth\",\"session\":…} first.";
const ENDED: &str = "Your chat session has ended or expired: sign in again.";
const UNCHECKED: &str = "Baton cannot check your sign-in just now; reconnecting.";
/// "Try again later": the database is briefly gone.
const TRY_AGAIN: u16 = 1013;

pub async fn run(mut socket: WebSocket, state: WsState) {
    let Some(token) = first_token(&mut socket).await else {
        return refuse(socket, close::UNAUTHORIZED, NO_AUTH).await;
    };
    let Ok(id) = Id::from_str(token.trim()) else {
        return refuse(socket, close::UNAUTHORIZED, ENDED).await;
    };
    let store = Arc::new(DbSessionStore::new(state.app.db.clone()));
    let session = Session::new(Some(id), store, None);
    match auth::signed_in(&state.app, &session, Opener::Widget).await {
        Ok(Some((who, binding))) => {
            let id = state.next_id();
            // A task of its own: this one ends, and what it held for the sign-in is freed
            // instead of staying allocated for the socket's life.
            tokio::spawn(connection::run(socket, state, who, binding, id));
        }
        Ok(None) => refuse(socket, close::UNAUTHORIZED, ENDED).await,
        Err(error) => {
            tracing::warn!(%error, "websocket sign-in check failed");
            refuse(socket, TRY_AGAIN, UNCHECKED).await;
        }
    }
}

/// The token of the first frame, if it arrives in time and is an `auth` frame.
async fn first_token(socket: &mut WebSocket) -> Option<String> {
    let first = tokio::time::timeout(AUTH_WAIT, async {
        loop {
            match socket.recv().await? {
                Ok(Message::Text(text)) => return Some(text),
                // Control frames may come before the first text frame.
                Ok(Message::Ping(_) | Message::Pong(_)) => continue,
                Ok(_) | Err(_) => return None,
            }
        }
    })
    .await
    .ok()??;
    match parse_client_frame(first.as_str()) {
        Ok(ClientFrame::Auth { session }) => Some(session),
        _ => None,
    }
}

async fn refuse(mut socket: WebSocket, code: u16, reason: &'static str) {
    connection::close_socket(&mut socket, code, reason).await;
}
