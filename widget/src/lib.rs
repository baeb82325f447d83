//! The WASM entry point: hydrates the server-rendered page. Everything else lives in `app`.
// Leptos views nest deep types; the release build (no erased components) needs more room.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
