//! The embedded widget's own session, which needs no cookie.
//!
//! The widget is an iframe on Baton's origin inside a customer's website: a third-party frame,
//! where browsers neither send nor store `SameSite=Lax` cookies and increasingly block
//! third-party cookies altogether. So the widget keeps its session token in its own
//! `localStorage` (which browsers partition by the top-level site) and sends it in the
//! [`HEADER`] of every server-function call and in the websocket's first frame — never in a
//! URL, where it would land in access logs. The server answers with the same header when the
//! session was created or rotated (sign-in), and with it empty when the session ended (sign-out,
//! expiry): the client stores or forgets the token accordingly.
//!
//! The support website and the dashboards are first-party pages and keep the HttpOnly cookie;
//! only pages that called [`enter_widget_mode`] send the header.

/// The request and response header carrying the widget's session token.
pub const HEADER: &str = "x-baton-session";

/// Marks a request as the widget's (the header was present), for the server functions: a widget
/// session may never act as a staff member.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug)]
pub struct WidgetChannel;

/// Whether the request being served came from the widget (carried [`HEADER`]).
#[cfg(feature = "ssr")]
pub fn in_widget_channel() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| parts.extensions.get::<WidgetChannel>().is_some())
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;

    /// The `localStorage` key of the token, in the iframe's (partitioned) storage.
    pub const STORAGE_KEY: &str = "baton.session";

    thread_local! {
        static WIDGET_MODE: Cell<bool> = const { Cell::new(false) };
    }

    pub fn enter_widget_mode() {
        WIDGET_MODE.with(|mode| mode.set(true));
    }

    pub fn in_widget_mode() -> bool {
        WIDGET_MODE.with(Cell::get)
    }

    fn storage() -> Option<web_sys::Storage> {
        leptos::prelude::window().local_storage().ok().flatten()
    }

    pub fn token() -> Option<String> {
        storage()?
            .get_item(STORAGE_KEY)
            .ok()
            .flatten()
            .filter(|t| !t.is_empty())
    }

    /// Stores what the server said: a new token, or (empty) that the session ended.
    pub fn remember(token: &str) {
        let Some(storage) = storage() else { return };
        let _ = if token.is_empty() {
            storage.remove_item(STORAGE_KEY)
        } else {
            storage.set_item(STORAGE_KEY, token)
        };
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{STORAGE_KEY, enter_widget_mode, in_widget_mode, remember, token};

/// The token to send in the websocket's first frame: `Some` only in the widget.
pub fn socket_token() -> Option<String> {
    #[cfg(feature = "hydrate")]
    if in_widget_mode() {
        return Some(token().unwrap_or_default());
    }
    None
}

/// The server-function client of every function the widget calls: the browser's `fetch`, plus
/// the widget session header in widget mode. Elsewhere (the support website) it is exactly the
/// default client, so the same functions serve both with the cookie there.
pub struct SessionAwareClient;

mod client {
    use leptos::server_fn::{
        client::{Client, browser::BrowserClient},
        error::FromServerFnError,
        request::browser::BrowserRequest,
        response::browser::BrowserResponse,
    };
    use std::future::Future;

    use super::SessionAwareClient;

    impl<E, IS, OS> Client<E, IS, OS> for SessionAwareClient
    where
        E: FromServerFnError,
        IS: FromServerFnError,
        OS: FromServerFnError,
    {
        type Request = BrowserRequest;
        type Response = BrowserResponse;

        fn send(req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
            #[cfg(feature = "hydrate")]
            let widget = super::in_widget_mode();
            #[cfg(feature = "hydrate")]
            if widget {
                req.headers()
                    .set(super::HEADER, &super::token().unwrap_or_default());
            }
            let sent = <BrowserClient as Client<E, IS, OS>>::send(req);
            async move {
                let response = sent.await?;
                #[cfg(feature = "hydrate")]
                if widget
                    && let Some(value) = response.generate_headers().get(super::HEADER)
                    && let Ok(value) = value.to_str()
                {
                    super::remember(value);
                }
                Ok(response)
            }
        }

        fn open_websocket(
            path: &str,
        ) -> impl Future<
            Output = Result<
                (
                    impl futures::Stream<Item = Result<leptos::server_fn::Bytes, leptos::server_fn::Bytes>>
                    + Send
                    + 'static,
                    impl futures::Sink<leptos::server_fn::Bytes> + Send + 'static,
                ),
                E,
            >,
        > + Send {
            <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
        }

        fn spawn(future: impl Future<Output = ()> + Send + 'static) {
            <BrowserClient as Client<E, IS, OS>>::spawn(future)
        }
    }
}
