//! What the widget tells the page that embeds it (`embed.js`) by `postMessage`: that it is
//! ready, that it should close, how many replies the conversation has (the unread badge), and
//! whether a conversation is open (so the chat follows the customer to the site's next page).
//! They carry no secrets, so they go to whatever page frames the widget (framing is limited to
//! the experience's allowed domains); the session token goes only to its keeper
//! (`widget_session::remember`).

#[cfg(feature = "browser")]
use leptos::prelude::window;

/// Posts `{type, count?}` to the page that frames this one (the embed script), if any.
pub fn tell_host(kind: &str, count: Option<u32>) {
    #[cfg(feature = "browser")]
    post(kind, count.map(|n| ("count", n.into())));
    #[cfg(not(feature = "browser"))]
    let _ = (kind, count);
}

/// Posts `{type: "baton:conversation", active}` to the embedding page, if any.
pub fn tell_host_conversation(active: bool) {
    #[cfg(feature = "browser")]
    post("baton:conversation", Some(("active", active.into())));
    #[cfg(not(feature = "browser"))]
    let _ = active;
}

#[cfg(feature = "browser")]
fn post(kind: &str, field: Option<(&str, leptos::wasm_bindgen::JsValue)>) {
    let Ok(Some(parent)) = window().parent() else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
    if let Some((name, value)) = field {
        let _ = js_sys::Reflect::set(&message, &name.into(), &value);
    }
    let _ = parent.post_message(&message, "*");
}
