//! The demo host page: in demo mode, a plain HTML page on its own origin that embeds the demo
//! widget through the script tag, as a customer's website would. It is not part of the app.

use std::net::SocketAddr;

use axum::{Router, response::Html, routing::get};
use tokio::net::TcpListener;

const PAGE: &str = include_str!("../demo/host.html");

/// The page with Baton's address and the demo widget key filled in.
pub fn page(baton: &str, key: &str) -> String {
    PAGE.replace("{{BATON}}", baton).replace("{{KEY}}", key)
}

/// Serves the page until the process ends. A taken port is logged, not fatal: the demo host
/// page is a convenience beside Baton.
pub async fn serve(addr: SocketAddr, baton: String) {
    let html = page(&baton, backend::demo::DEMO_WIDGET_KEY);
    let router = Router::new().route("/", get(move || async move { Html(html) }));
    match TcpListener::bind(addr).await {
        Ok(listener) => {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::warn!(%error, "the demo host page stopped");
            }
        }
        Err(error) => tracing::warn!(%error, %addr, "cannot serve the demo host page"),
    }
}
