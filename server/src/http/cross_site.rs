//! Refuses cross-site state changes (CSRF). Every request that may change something (anything
//! but GET, HEAD, OPTIONS) must come from Baton's own pages: browsers say so in
//! `Sec-Fetch-Site`, and older ones in `Origin`. Non-browser clients send neither and pass;
//! they carry no ambient cookies a forged page could abuse.

use axum::{
    extract::Request,
    http::{Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub const REFUSAL: &str = "Cross-site request refused: changes to Baton must come from Baton's own pages. Reload the page and try again.";

pub async fn refuse_cross_site_changes(request: Request, next: Next) -> Response {
    if is_safe_method(request.method()) || is_same_site(&request) {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), uri = %request.uri(), "refused cross-site request");
        (StatusCode::FORBIDDEN, REFUSAL).into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" = typed in the address bar or a bookmark; only cross-site is refused.
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    origin_is_own(headers)
}

/// Whether the request's `Origin` (when it has one) is this server's own, as the `Host` header
/// names it. Requests without an `Origin` pass: browsers always send one where it matters.
pub fn origin_is_own(headers: &axum::http::HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .unwrap_or("");
    !host.is_empty() && authority == host
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(method: Method, headers: &[(&str, &str)]) -> Request {
        let mut builder = axum::http::Request::builder().method(method).uri("/api/x");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn a_post_from_the_same_origin_passes() {
        let r = request(
            Method::POST,
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000"),
                ("sec-fetch-site", "same-origin"),
            ],
        );
        assert!(is_same_site(&r));
    }

    #[test]
    fn a_post_from_another_site_is_refused() {
        let r = request(
            Method::POST,
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://evil.test"),
                ("sec-fetch-site", "cross-site"),
            ],
        );
        assert!(!is_same_site(&r));
    }

    #[test]
    fn a_foreign_origin_is_refused_even_without_fetch_metadata() {
        let r = request(
            Method::POST,
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:9999"),
            ],
        );
        assert!(!is_same_site(&r));
    }

    #[test]
    fn a_same_site_but_other_origin_request_is_refused() {
        let r = request(
            Method::POST,
            &[("host", "127.0.0.1:3000"), ("sec-fetch-site", "same-site")],
        );
        assert!(!is_same_site(&r));
    }

    #[test]
    fn gets_are_never_refused() {
        assert!(is_safe_method(&Method::GET));
    }
}
