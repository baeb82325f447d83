//! Serves the one stylesheet generated at build time by `build.rs`.

use axum::{
    http::{HeaderValue, header},
    response::IntoResponse,
};

pub const BATON_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/baton.css"));

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        BATON_CSS,
    )
}
