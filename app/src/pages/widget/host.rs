//! What the embedding page (`embed.js`) tells the widget by `postMessage`: the session token it
//! keeps for the widget in its own storage (`baton:session`), and the site's identity token
//! (`baton:identify`, from `Baton.identify`).
//!
//! Both are taken only from the page that frames the widget ([`listen`] checks the message's
//! source) and only from Baton's own origin or one of the experience's allowed domains
//! ([`origin_trusted`]): otherwise any window holding a reference to this one (a page that
//! opened it, a frame beside it) could sign the visitor in as a customer of its choosing (login
//! CSRF) or slip them a session. Framing itself is limited to the allowed domains by the
//! route's `frame-ancestors`.

use leptos::prelude::*;

/// How long a framed widget waits for the embedding page's session before going on without it
/// (an embed script from before sessions were kept, a page that blocks its own storage).
pub const KEEPER_WAIT_MS: u32 = 2_000;

pub struct FromHost {
    pub origin: String,
    pub what: What,
}

pub enum What {
    /// The widget's session token the page keeps ("" when it keeps none).
    Session(String),
    /// An identity token signed by the site (`Baton.identify`).
    Identify(String),
}

/// Whether the widget runs inside a frame (at the top level `window.parent` is the window).
pub fn framed() -> bool {
    let own = window();
    match own.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(parent.as_ref(), own.as_ref()),
        _ => false,
    }
}

pub fn origin_trusted(origin: &str, allowed_domains: &[String]) -> bool {
    let own = window().location().origin().unwrap_or_default();
    origin == own || domain::experience::origin_allowed(origin, allowed_domains)
}

/// Calls `deliver` with every well-formed message from the embedding page.
pub fn listen(deliver: impl Fn(FromHost) + 'static) -> WindowListenerHandle {
    window_event_listener(leptos::ev::message, move |event| {
        if !from_embedding_page(&event) {
            return;
        }
        let data = event.data();
        let field = |name: &str| {
            js_sys::Reflect::get(&data, &name.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        let what = match (field("type").as_deref(), field("token")) {
            (Some("baton:session"), token) => What::Session(token.unwrap_or_default()),
            (Some("baton:identify"), Some(token)) => What::Identify(token),
            _ => return,
        };
        deliver(FromHost {
            origin: event.origin(),
            what,
        });
    })
}

/// Whether a message came from the page this widget is framed in: the widget must be in a
/// frame (at the top level whoever opened it could post to it), and the message's source must
/// be that parent, not another window or frame.
fn from_embedding_page(event: &web_sys::MessageEvent) -> bool {
    let Ok(Some(parent)) = window().parent() else {
        return false;
    };
    framed()
        && event
            .source()
            .is_some_and(|source| js_sys::Object::is(source.as_ref(), parent.as_ref()))
}
