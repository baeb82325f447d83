//! The axum router: Leptos pages and server functions, health checks, the stylesheet, and the
//! middleware every response passes through.

use app::{App, shell, state::AppState};
use axum::{Router, middleware, routing::get};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::http::{cross_site, health, security_headers, stylesheet};

pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();
    let context_state = state.clone();

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
        .layer(middleware::from_fn(cross_site::refuse_cross_site_changes))
        .layer(middleware::from_fn(security_headers::add_security_headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
