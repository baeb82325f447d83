//! The customer widget's page, `/w/{key}`: what the embed script's iframe loads.
//!
//! Not a Leptos route: the widget is a WASM build of its own (the `widget` crate), rendered on
//! the client. This page is its shell: the stylesheet, the module (preloaded with its WASM, so
//! both download at once), the experience's settings written in as JSON so the chat starts
//! without asking for them, and a placeholder with the experience's name until the module runs.
//! Who may frame it is decided by `widget_frame`, which also gives the page's inline script its
//! nonce through the response's CSP.

use std::path::Path;

use axum::{
    extract::{Path as UrlPath, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use leptos::nonce::Nonce;

use backend::Db;

/// Where the widget's build lies under the site root, and its URL path.
pub const ASSET_DIR: &str = "chat";
const MODULE: &str = "widget.js";
const WASM: &str = "widget_bg.wasm";

/// The widget build's URLs, each with the build's version (written by scripts/build-widget.sh
/// from the files' contents, and also given to the embed script's prefetch), so browsers may
/// keep them for a year and a new build is fetched at once.
#[derive(Clone, Debug)]
pub struct WidgetAssets {
    module: String,
    wasm: String,
}

impl WidgetAssets {
    /// Reads the build's version under `site_root`. A missing build is logged, not fatal: the
    /// website and the dashboards work without it.
    pub fn find(site_root: &Path) -> Self {
        let file = site_root.join(ASSET_DIR).join("version");
        let version = match std::fs::read_to_string(&file) {
            Ok(text) => text.trim().to_string(),
            Err(error) => {
                tracing::error!(%error, file = %file.display(),
                    "the customer widget is not built (run scripts/build-widget.sh): its page cannot start the chat");
                "missing".to_string()
            }
        };
        WidgetAssets {
            module: format!("/{ASSET_DIR}/{MODULE}?v={version}"),
            wasm: format!("/{ASSET_DIR}/{WASM}?v={version}"),
        }
    }
}

/// Text safe inside an HTML element or a double-quoted attribute.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that cannot end the `<script>` element it sits in: `<`, `>` and `&` only occur inside
/// JSON strings, where their `\u` escapes mean the same.
fn json_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn page(title: &str, head: &str, body: &str) -> String {
    page_in("en", "ltr", title, head, body)
}

/// The page in the chat's language and writing direction.
fn page_in(lang: &str, dir: &str, title: &str, head: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>{title}</title><link rel="stylesheet" href="/baton.css">{head}</head><body class="bg-surface text-ink antialiased">{body}</body></html>"#
    )
}

/// What the page needs: the experiences, and where the widget's build is.
#[derive(Clone)]
pub struct WidgetPageState {
    pub db: Db,
    pub assets: WidgetAssets,
}

/// The page for a widget key, or a page saying the key is unknown.
pub async fn widget_page(
    State(state): State<WidgetPageState>,
    UrlPath(key): UrlPath<String>,
    request: Request,
) -> Response {
    let nonce = request
        .extensions()
        .get::<Nonce>()
        .cloned()
        .unwrap_or_default();
    let accept_language = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let info = match backend::widget::info(&state.db, &key, accept_language).await {
        Ok(info) => info,
        Err(backend::BackendError::NotFound) => {
            let body = r#"<div class="widget-body"><p>This chat is not set up: the site's widget key is unknown.</p></div>"#;
            return (StatusCode::NOT_FOUND, Html(page("Chat", "", body))).into_response();
        }
        Err(error) => {
            tracing::error!(%error, "cannot read the widget's experience");
            let body = r#"<div class="widget-body"><p role="alert">The chat is temporarily unavailable. Try again in a minute.</p></div>"#;
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Html(page("Chat", "", body)),
            )
                .into_response();
        }
    };
    let settings = match serde_json::to_string(&info) {
        Ok(json) => json_for_script(&json),
        Err(error) => {
            tracing::error!(%error, "cannot write the widget's settings");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let assets = &state.assets;
    let name = escape_html(&info.name);
    let head = format!(
        r#"<link rel="modulepreload" href="{module}"><link rel="preload" href="{wasm}" as="fetch" type="application/wasm" crossorigin><script type="application/json" id="{id}" nonce="{nonce}">{settings}</script><script type="module" nonce="{nonce}">import start from "{module}";start({{module_or_path:"{wasm}"}});</script>"#,
        module = assets.module,
        wasm = assets.wasm,
        id = app::pages::widget::INFO_ELEMENT_ID,
    );
    // The same header the chat draws, so nothing moves when it takes over.
    let body = format!(
        r#"<div class="widget-frame"><header class="widget-header"><span class="brand-mark" aria-hidden="true">B</span><h1 class="widget-title">{name}</h1></header><div class="widget-body"><p class="text-muted">{loading}</p></div></div>"#,
        loading = escape_html(&info.texts().get("loading")),
    );
    let (lang, dir) = (escape_html(&info.lang), info.texts().dir());
    let mut response = Html(page_in(&lang, dir, &name, &head, &body)).into_response();
    // The settings change when an admin edits the experience: never reuse an old page.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_cannot_close_their_script_element() {
        let written = json_for_script(r#"{"name":"</script><script>alert(1)</script>&"}"#);
        assert!(!written.contains("</script"));
        let read: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(read["name"], "</script><script>alert(1)</script>&");
    }

    #[test]
    fn the_experience_name_is_text_not_markup() {
        assert_eq!(
            escape_html(r#"<b>"Shop" & 'co'</b>"#),
            "&lt;b&gt;&quot;Shop&quot; &amp; &#39;co&#39;&lt;/b&gt;"
        );
    }
}
