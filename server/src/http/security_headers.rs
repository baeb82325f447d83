//! Security headers on every response. The dashboard may never be framed; the widget route
//! sets its own `frame-ancestors` from the widget's allowed domains (see `widget_frame`), which
//! is why these are only added when a handler has not set them already.
//!
//! Scripts: every page's inline scripts (Leptos's hydration bootstrap and the resolved-resource
//! scripts it streams) carry a per-response nonce. The nonce is made here, put in the request's
//! extensions for the renderer (see `router::build`), and named in `script-src`, so an injected
//! inline script or a script from another origin does not run.

use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use leptos::nonce::Nonce;

const HEADERS: [(HeaderName, &str); 4] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    ),
];

/// One year, and subdomains: the usual value for a site that is served over HTTPS only.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Whether Baton is reached over HTTPS (its public URL says so): then cookies are `Secure`
/// and browsers are told to use HTTPS only.
#[derive(Clone, Copy, Debug)]
pub struct Https(pub bool);

/// The Content-Security-Policy for a page, given who may frame it (`frame-ancestors …`).
pub fn policy(frame_ancestors: &str, nonce: &Nonce) -> String {
    // 'wasm-unsafe-eval' lets the page compile its WebAssembly and nothing else; 'self' covers
    // the JS glue and the code-split chunks under /pkg.
    format!(
        "{frame_ancestors}; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

pub async fn add_security_headers(
    State(Https(https)): State<Https>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A handler that set its own CSP (the widget route's frame-ancestors) decides framing.
    let own_policy = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    if !own_policy
        && let Ok(value) = HeaderValue::from_str(&policy("frame-ancestors 'none'", &nonce))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    for (name, value) in HEADERS {
        if own_policy && name == header::X_FRAME_OPTIONS {
            continue;
        }
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}
