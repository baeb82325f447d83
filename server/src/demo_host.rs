//! The demo host site: in demo mode, two plain HTML pages of a made-up shop on their own
//! address, each embedding the demo widget through the script tag, as a customer's website
//! would. Two pages, so one can see the conversation follow the visitor from page to page.
//! It is not part of the app.

use std::net::SocketAddr;

use axum::{Router, response::Html, routing::get};
use tokio::net::TcpListener;

const SHOP: &str = include_str!("../demo/host.html");
const CHECKOUT: &str = include_str!("../demo/checkout.html");

/// A page with Baton's address and the demo widget key filled in.
fn fill(page: &str, baton: &str, key: &str) -> String {
    page.replace("{{BATON}}", baton).replace("{{KEY}}", key)
}

/// The shop's pages; any other path is 404.
pub fn router(baton: &str, key: &str) -> Router {
    let shop = fill(SHOP, baton, key);
    let checkout = fill(CHECKOUT, baton, key);
    Router::new()
        .route("/", get(move || async move { Html(shop) }))
        .route("/checkout.html", get(move || async move { Html(checkout) }))
}

/// Serves the pages until the process ends. A taken port is logged, not fatal: the demo host
/// site is a convenience beside Baton.
pub async fn serve(addr: SocketAddr, baton: String) {
    let router = router(&baton, backend::demo::DEMO_WIDGET_KEY);
    match TcpListener::bind(addr).await {
        Ok(listener) => {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::warn!(%error, "the demo host site stopped");
            }
        }
        Err(error) => tracing::warn!(%error, %addr, "cannot serve the demo host site"),
    }
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::Request, http::StatusCode};
    use tower::ServiceExt;

    use super::*;

    async fn get_page(path: &str) -> (StatusCode, String) {
        let response = router("http://127.0.0.1:3000", "wk_demo_help")
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn both_pages_embed_the_widget_and_link_each_other() {
        for path in ["/", "/checkout.html"] {
            let (status, html) = get_page(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(html.contains(
                r#"<script src="http://127.0.0.1:3000/embed.js" data-baton-widget="wk_demo_help" async></script>"#
            ));
            assert!(
                html.contains(r#"<a href="/""#) && html.contains(r#"<a href="/checkout.html""#)
            );
            assert!(!html.contains("{{"), "{path} has an unfilled placeholder");
        }
    }

    #[tokio::test]
    async fn any_other_path_is_not_found() {
        assert_eq!(get_page("/admin").await.0, StatusCode::NOT_FOUND);
    }
}
