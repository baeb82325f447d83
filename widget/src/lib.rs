//! The customer's chat widget, `/w/{key}`: a WASM build of its own, rendered on the client.
//!
//! The website and the dashboards hydrate server-rendered pages through the router (the
//! `hydrate` crate); the widget needs none of that. The server sends a small page with the
//! experience's settings written into it (`server::http::widget_page`); this entry reads them
//! and draws `app::pages::widget::WidgetPage` in place of the page's placeholder. Only what the
//! chat uses is linked, so opening the chat loads one small module (see ARCHITECTURE.md, The
//! widget's own front end, for why client rendering and what it weighs).

use app::pages::widget::{INFO_ELEMENT_ID, WidgetPage};
use domain::views::WidgetInfo;
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

/// The settings the server wrote into the page, or why they cannot be read.
fn written_settings() -> Result<WidgetInfo, String> {
    let text = document()
        .get_element_by_id(INFO_ELEMENT_ID)
        .and_then(|element| element.text_content())
        .ok_or("the page carries no chat settings")?;
    serde_json::from_str(&text)
        .map_err(|error| format!("the chat settings are unreadable: {error}"))
}

/// Runs when the module is instantiated: replaces the page's placeholder with the chat.
#[wasm_bindgen(start)]
pub fn start() {
    // Panic messages in the console while developing; the release build aborts without them.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let Some(body) = document().body() else {
        return;
    };
    match written_settings() {
        Ok(info) => {
            body.set_inner_html("");
            leptos::mount::mount_to_body(move || view! { <WidgetPage info/> });
            let _ = body.set_attribute("data-hydrated", "true");
        }
        // Only a page that was not made by Baton's server gets here; say so where the chat
        // would be rather than leaving "Loading…" for ever.
        Err(problem) => {
            leptos::logging::error!("{problem}");
            body.set_inner_html(
                r#"<p role="alert" class="widget-body">The chat could not start. Reload the page.</p>"#,
            );
        }
    }
}
