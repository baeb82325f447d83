//! The axum router: Leptos pages and server functions, the websocket, health checks, the
//! stylesheet, and the middleware every response passes through.

use std::time::Duration;

use app::{App, shell, state::AppState};
use axum::{
    Router,
    http::{HeaderValue, StatusCode, header, request::Parts},
    middleware,
    routing::get,
};
use backend::sessions::{COOKIE_NAME, DbSessionStore};
use leptos::{nonce::Nonce, prelude::provide_context, prelude::use_context};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    timeout::{RequestBodyTimeoutLayer, TimeoutLayer},
    trace::TraceLayer,
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

use crate::http::security_headers::Https;
use crate::http::{
    attachments, cross_site, health, security_headers, session_refresh, stylesheet, widget_frame,
    widget_page, widget_session,
};
use crate::ws::{self, WsState};

/// Signed-in sessions last this long without use.
const SESSION_IDLE: time::Duration = time::Duration::days(14);
/// The largest request body Baton reads (server-function forms; the largest is a knowledge base
/// article). Bigger bodies get 413 before anything is parsed.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A request body must arrive within this long.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// A request must be answered (headers sent) within this long, or it gets 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Gives the page renderer the nonce that `security_headers` put in the response's CSP, so
/// the page's inline scripts carry the same one.
fn provide_script_nonce() {
    if let Some(nonce) =
        use_context::<Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned())
    {
        provide_context(nonce);
    }
}

pub fn build(state: AppState, ws_state: WsState) -> Router {
    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();
    let context_state = state.clone();
    let fallback_state = state.clone();
    let db = state.db.clone();
    let https = Https(state.config.serves_https());
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(https.0)
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE));

    let websocket = Router::new()
        .route("/ws", get(ws::upgrade))
        .with_state(ws_state);
    // The customer widget: its page, and its build with a year's caching (the page names each
    // file with a version made from its contents).
    let site_root = std::path::PathBuf::from(&*state.leptos_options.site_root);
    let widget = Router::new()
        .route("/w/{key}", get(widget_page::widget_page))
        .with_state(widget_page::WidgetPageState {
            db: state.db.clone(),
            assets: widget_page::WidgetAssets::find(&site_root),
        })
        .nest_service(
            &format!("/{}", widget_page::ASSET_DIR),
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ))
                .service(
                    ServeDir::new(site_root.join(widget_page::ASSET_DIR))
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        );

    // Attachments: files are larger than forms, so the general body limit is applied to
    // everything else before they are merged in; the upload checks the site's own limit.
    let files = Router::new()
        .route(
            "/attachments/{id}",
            get(attachments::download).post(attachments::upload),
        )
        .with_state(attachments::AttachmentsState {
            app: state.clone(),
            uploads: std::sync::Arc::new(tokio::sync::Semaphore::new(attachments::UPLOADS_AT_ONCE)),
        });

    Router::new()
        .merge(crate::api::router())
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/baton.css", get(stylesheet::stylesheet))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                provide_script_nonce();
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || {
                provide_context(fallback_state.clone());
                provide_script_nonce();
            },
            shell,
        ))
        .with_state(state)
        .merge(websocket)
        .merge(widget)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(files)
        .layer(middleware::from_fn(session_refresh::slide_expiry))
        // Inside the cookie layer: a widget request's header session replaces the cookie's.
        .layer(middleware::from_fn_with_state(
            db.clone(),
            widget_session::widget_sessions,
        ))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            db,
            widget_frame::frame_policy,
        ))
        .layer(middleware::from_fn(cross_site::refuse_cross_site_changes))
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            https,
            security_headers::add_security_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
