//! Security headers on every response. The dashboard may never be framed; the widget route
//! sets its own `frame-ancestors` from the widget's allowed domains (see `widget_frame`), which
//! is why these are only added when a handler has not set them already.

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};

const HEADERS: [(HeaderName, &str); 5] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        header::CONTENT_SECURITY_POLICY,
        "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
    ),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    ),
];

pub async fn add_security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A handler that set its own CSP (the widget route's frame-ancestors) decides framing.
    let own_policy = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    for (name, value) in HEADERS {
        if own_policy && name == header::X_FRAME_OPTIONS {
            continue;
        }
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}
