//! Who may frame the widget route `/w/{key}`: Baton itself and the widget's allowed domains,
//! as the experience's admin set them (read on every request, so a change applies at once).
//! Browsers refuse to draw the iframe anywhere else.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use backend::Db;
use leptos::nonce::Nonce;

use super::security_headers;

pub async fn frame_policy(State(db): State<Db>, request: Request, next: Next) -> Response {
    let key = request
        .uri()
        .path()
        .strip_prefix("/w/")
        .map(|rest| rest.trim_end_matches('/').to_string())
        .filter(|k| !k.is_empty() && !k.contains('/'));
    // Made by `security_headers`, which runs first; the page's scripts carry it.
    let nonce = request
        .extensions()
        .get::<Nonce>()
        .cloned()
        .unwrap_or_default();
    let mut response = next.run(request).await;
    let Some(key) = key else {
        return response;
    };
    let ancestors = match backend::store::experiences::by_key(&db, &key).await {
        Ok(found) if found.settings.embedded => {
            domain::experience::frame_ancestors(&found.settings.allowed_domains)
        }
        Ok(_) => domain::experience::frame_ancestors(&[]),
        Err(_) => return response,
    };
    if let Ok(value) = HeaderValue::from_str(&security_headers::policy(&ancestors, &nonce)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}
