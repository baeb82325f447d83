//! The axum router: Leptos pages and server functions, the websocket, health checks, the
//! stylesheet, and the middleware every response passes through.

use app::{App, shell, state::AppState};
use axum::{Router, middleware, routing::get};
use backend::sessions::{COOKIE_NAME, DbSessionStore};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

use crate::http::{cross_site, health, security_headers, stylesheet, widget_frame};
use crate::ws::{self, WsState};

/// Signed-in sessions last this long without use.
const SESSION_IDLE: time::Duration = time::Duration::days(14);

pub fn build(state: AppState, ws_state: WsState) -> Router {
    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();
    let context_state = state.clone();
    let db = state.db.clone();
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(false)
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE));

    let websocket = Router::new()
        .route("/ws", get(ws::upgrade))
        .with_state(ws_state);

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/baton.css", get(stylesheet::stylesheet))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .merge(websocket)
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            db,
            widget_frame::frame_policy,
        ))
        .layer(middleware::from_fn(cross_site::refuse_cross_site_changes))
        .layer(middleware::from_fn(security_headers::add_security_headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
