//! The widget route `/w/{key}`: what the embed script's iframe shows. A compact page with the
//! experience's name, a close button, and the customer's chat. It talks to the host page only
//! through `postMessage`: "ready" and "close" and new agent messages go up (for the launcher's
//! unread badge); an identity token comes down (`Baton.identify`).

pub mod actions;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::AppError;
use crate::auth::who_am_i;
use crate::components::customer_chat::{CustomerChat, tell_host};
use actions::{identify, load_widget_info};

#[component]
pub fn WidgetPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let info = Resource::new(key, load_widget_info);
    let me = Resource::new(|| (), |_| who_am_i());
    let sign_in =
        Action::new(|(key, token): &(String, String)| identify(key.clone(), token.clone()));
    Effect::new(move |_| {
        if matches!(sign_in.value().get(), Some(Ok(()))) {
            me.refetch();
        }
    });
    // The host page's identity token arrives by postMessage once the widget said it is ready.
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::message, move |event| {
            let data = event.data();
            let kind = js_sys::Reflect::get(&data, &"type".into())
                .ok()
                .and_then(|v| v.as_string());
            if kind.as_deref() == Some("baton:identify")
                && let Some(token) = js_sys::Reflect::get(&data, &"token".into())
                    .ok()
                    .and_then(|v| v.as_string())
            {
                sign_in.dispatch((key(), token));
            }
        });
        // Escape closes the chat wherever the focus is, as it does on the host page.
        let escape = window_event_listener(leptos::ev::keydown, |event| {
            if event.key() == "Escape" {
                tell_host("baton:close", None);
            }
        });
        on_cleanup(move || {
            handle.remove();
            escape.remove();
        });
    }
    Effect::new(move |_| tell_host("baton:ready", None));
    view! {
        <div class="widget-frame">
            <header class="widget-header">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <h1 class="widget-title">
                    <Suspense fallback=|| "Chat">
                        {move || info.get().map(|r| r.map(|i| i.name).unwrap_or_else(|_| "Chat".into()))}
                    </Suspense>
                </h1>
                <button class="btn btn-small ml-auto" type="button" aria-label="Close chat"
                    on:click=move |_| tell_host("baton:close", None)>"×"</button>
            </header>
            <div class="widget-body">
                <p role="alert" class="text-danger text-sm">
                    {move || sign_in.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                </p>
                <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                    {move || info.get().map(|r| match r {
                        Ok(info) => view! { <CustomerChat info me/> }.into_any(),
                        Err(AppError::NotFound) => view! {
                            <p>"This chat is not set up: the site's widget key is unknown."</p>
                        }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                </Suspense>
            </div>
        </div>
    }
}
