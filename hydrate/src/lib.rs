//! The WASM entry point of the website and the dashboards: hydrates the server-rendered page.
//! Everything else lives in `app`. (The customer widget is the `widget` crate, a build of its own.)
// Leptos views nest deep types; the release build (no erased components) needs more room.
#![recursion_limit = "256"]

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy routes (see `app::routes`): hydration waits for the page's chunk. This is
    // `leptos::mount::hydrate_lazy` plus one step at the end: marking the page hydrated only
    // when all of it, Suspense boundaries included, answers clicks.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = document().body() else {
            return;
        };
        let app = leptos::mount::hydrate_from_async(body, app::App).await;
        app.forget();
        app::mark_hydrated();
    });
}
