//! The widget route `/w/{key}`: what the embed script's iframe shows. A compact page with the
//! experience's name, a close button, and the customer's chat. It talks to the host page only
//! through `postMessage`: "ready" and "close" and new agent messages go up (for the launcher's
//! unread badge); an identity token comes down (`Baton.identify`).

pub mod actions;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::AppError;
use crate::auth::who_am_i;
use crate::components::customer_chat::{CustomerChat, Viewer, tell_host};
use actions::{identify, load_widget_info};

#[component]
pub fn WidgetPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    // Before any server function runs: from here on they carry the widget's own session.
    #[cfg(feature = "hydrate")]
    crate::widget_session::enter_widget_mode();
    let info = Resource::new(key, load_widget_info);
    // Asked from the browser only: the widget's session is in the iframe's storage, which the
    // server rendering this page cannot see (the page request carries no session at all).
    let me = Viewer::from_local(LocalResource::new(who_am_i));
    let sign_in =
        Action::new(|(key, token): &(String, String)| identify(key.clone(), token.clone()));
    Effect::new(move |_| {
        if matches!(sign_in.value().get(), Some(Ok(()))) {
            me.refetch();
        }
    });
    // The host page's identity token arrives by postMessage once the widget said it is ready.
    // Only the page that embeds the widget may send one (see `from_embedding_page`), and only
    // from one of the experience's allowed domains: otherwise any window holding a reference
    // to this one (a page that opened it, a frame beside it) could sign the visitor in as a
    // customer of its choosing (login CSRF). The allowed domains come with the widget's
    // settings, so a token that arrives before they have loaded waits for them.
    #[cfg(feature = "hydrate")]
    {
        let pending = RwSignal::new(None::<(String, String)>);
        Effect::new(move |_| {
            let Some((origin, token)) = pending.get() else {
                return;
            };
            let Some(Ok(info)) = info.get() else {
                return;
            };
            pending.set(None);
            let own = window().location().origin().unwrap_or_default();
            if origin == own || domain::experience::origin_allowed(&origin, &info.allowed_domains) {
                sign_in.dispatch((key(), token));
            }
        });
        let handle = window_event_listener(leptos::ev::message, move |event| {
            if !from_embedding_page(&event) {
                return;
            }
            let data = event.data();
            let kind = js_sys::Reflect::get(&data, &"type".into())
                .ok()
                .and_then(|v| v.as_string());
            if kind.as_deref() == Some("baton:identify")
                && let Some(token) = js_sys::Reflect::get(&data, &"token".into())
                    .ok()
                    .and_then(|v| v.as_string())
            {
                pending.set(Some((event.origin(), token)));
            }
        });
        // Another tab of the same site signed in or out: its token replaced this one's. Start
        // again with the new session, so every tab shows the same customer and conversation.
        let other_tab = window_event_listener(leptos::ev::storage, |event| {
            if event.key().as_deref() == Some(crate::widget_session::STORAGE_KEY) {
                let _ = window().location().reload();
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
            other_tab.remove();
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

/// Whether a message came from the page this widget is framed in: the widget must be in a
/// frame (at the top level `window.parent` is the window itself, and whoever opened it could
/// post to it), and the message's source must be that parent, not another window or frame.
/// Framing itself is limited to the allowed domains by the route's `frame-ancestors`.
#[cfg(feature = "hydrate")]
fn from_embedding_page(event: &web_sys::MessageEvent) -> bool {
    let own = window();
    let Ok(Some(parent)) = own.parent() else {
        return false;
    };
    if js_sys::Object::is(parent.as_ref(), own.as_ref()) {
        return false;
    }
    event
        .source()
        .is_some_and(|source| js_sys::Object::is(source.as_ref(), parent.as_ref()))
}
