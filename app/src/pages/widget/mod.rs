//! The widget `/w/{key}`: what the embed script's iframe shows. A compact page with the
//! experience's name, a close button, and the customer's chat. It talks to the host page only
//! through `postMessage`: "ready" and "close" and new agent messages go up (for the launcher's
//! unread badge); an identity token comes down (`Baton.identify`).
//!
//! It is the whole of the widget's own WASM build (the `widget` crate renders it on the client):
//! no router, no other page. The server writes the experience's settings into the page it
//! serves (`server::http::widget_page`), so the chat starts without asking for them.

pub mod actions;
#[cfg(feature = "browser")]
mod host;

use domain::views::WidgetInfo;
use leptos::prelude::*;

use crate::auth::who_am_i;
use crate::components::customer_chat::{CustomerChat, Viewer};
use crate::components::host_messages::tell_host;
use actions::identify;

/// The id of the element whose text is the experience's settings as JSON, in the page the
/// server sends for `/w/{key}`.
pub const INFO_ELEMENT_ID: &str = "baton-widget-info";

#[component]
pub fn WidgetPage(info: WidgetInfo) -> impl IntoView {
    // Before any server function runs: from here on they carry the widget's own session.
    #[cfg(feature = "browser")]
    crate::widget_session::enter_widget_mode();
    let title = info.name.clone();
    let texts = info.texts();
    let (close_label, loading) = (texts.get("close-chat"), texts.get("loading"));
    let info = StoredValue::new(info);
    // Whether the session to use is known: at once at the top level; in a frame, once the
    // embedding page has handed over the token it keeps (or has had two seconds to).
    let session_known = RwSignal::new(false);
    // Who the customer is, asked from the browser once the session is known (the server
    // rendering this page cannot see the widget's session: the page request carries none).
    let me = StoredValue::new(None::<Viewer>);
    let sign_in =
        Action::new(|(key, token): &(String, String)| identify(key.clone(), token.clone()));
    Effect::new(move |_| {
        if matches!(sign_in.value().get(), Some(Ok(())))
            && let Some(me) = me.get_value()
        {
            me.refetch();
        }
    });
    // The embedding page's messages (its session keeping and `Baton.identify`) are taken only
    // from the page that frames the widget, and only from Baton's origin or one of the
    // experience's allowed domains; see `host`. They wait for the widget's settings.
    #[cfg(feature = "browser")]
    {
        let inbox = RwSignal::new(Vec::<host::FromHost>::new());
        Effect::new(move |_| {
            if inbox.with(Vec::is_empty) {
                return;
            }
            for message in inbox.try_update(std::mem::take).unwrap_or_default() {
                let trusted =
                    info.with_value(|i| host::origin_trusted(&message.origin, &i.allowed_domains));
                if !trusted {
                    continue;
                }
                match message.what {
                    host::What::Session(token) => {
                        let changed = crate::widget_session::adopt(&message.origin, &token);
                        if !session_known.get_untracked() {
                            session_known.set(true);
                        } else if changed {
                            // Another tab signed in or out: start again with its session.
                            let _ = window().location().reload();
                        }
                    }
                    host::What::Identify(token) => {
                        sign_in.dispatch((info.with_value(|i| i.widget_key.clone()), token));
                    }
                }
            }
        });
        let listener = host::listen(move |message| inbox.update(|i| i.push(message)));
        Effect::new(move |_| {
            if host::framed() {
                leptos::task::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(host::KEEPER_WAIT_MS).await;
                    if !session_known.get_untracked() {
                        session_known.set(true);
                    }
                });
            } else {
                session_known.set(true);
            }
        });
        // Another tab signed in or out, where the frame's own storage works: start again.
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
            listener.remove();
            other_tab.remove();
            escape.remove();
        });
    }
    Effect::new(move |_| tell_host("baton:ready", None));
    view! {
        // The page's `<html>` already has the chat's `lang` and `dir` (the server wrote them).
        <div class="widget-frame">
            <header class="widget-header">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <h1 class="widget-title">{title}</h1>
                <button class="btn btn-small ml-auto" type="button" aria-label=close_label
                    on:click=move |_| tell_host("baton:close", None)>"×"</button>
            </header>
            <div class="widget-body">
                <p role="alert" class="text-danger text-sm">
                    {move || sign_in.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                </p>
                // Drawn once the session to use is known.
                {move || if session_known.get() {
                    let viewer = Viewer::from_local(LocalResource::new(who_am_i));
                    me.set_value(Some(viewer));
                    view! { <CustomerChat info=info.get_value() me=viewer/> }.into_any()
                } else {
                    view! { <p class="text-muted">{loading.clone()}</p> }.into_any()
                }}
            </div>
        </div>
    }
}
