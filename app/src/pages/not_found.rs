use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="mx-auto max-w-2xl px-6 py-16">
            <h1 class="text-2xl font-semibold">"Page not found"</h1>
            <p class="mt-2 text-muted">"This page does not exist. "<a class="link" href="/">"Go to the start page"</a>"."</p>
        </main>
    }
}
