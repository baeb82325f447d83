//! The embedded widget's own session, which needs no cookie.
//!
//! The widget is an iframe on Baton's origin inside a customer's website: a third-party frame,
//! where browsers neither send nor store `SameSite=Lax` cookies and increasingly block
//! third-party cookies — and with them the frame's own `localStorage` — altogether. So the
//! widget holds an opaque session token in memory, sends it in the [`HEADER`] of every
//! server-function call and in the websocket's first frame (never in a URL, where it would land
//! in access logs), and has it kept between pages by the embedding page's script (`embed.js`,
//! first-party storage on the customer's site) and, where the browser allows, in its own
//! partitioned storage. The server answers with the same header when the session was created or
//! rotated (sign-in), and with it empty when the session ended (sign-out, expiry): the client
//! stores or forgets the token accordingly.
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

#[cfg(feature = "browser")]
mod browser {
    use std::cell::{Cell, RefCell};

    /// The `localStorage` key of the token, in the iframe's (partitioned) storage.
    pub const STORAGE_KEY: &str = "baton.session";

    thread_local! {
        static WIDGET_MODE: Cell<bool> = const { Cell::new(false) };
        /// The token in use. Kept in memory because the iframe's own storage is often not
        /// available at all: browsers that block third-party cookies block a third-party
        /// frame's `localStorage` with them.
        static TOKEN: RefCell<String> = const { RefCell::new(String::new()) };
        /// The embedding page that keeps the token in its own (first-party) storage, and gets
        /// every new token back; set when it hands the token over.
        static KEEPER: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    /// From now on server functions carry the widget's session. Starts from the token in the
    /// iframe's own storage, where the browser allows one.
    pub fn enter_widget_mode() {
        WIDGET_MODE.with(|mode| mode.set(true));
        if let Some(stored) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
            TOKEN.with(|t| *t.borrow_mut() = stored);
        }
    }

    pub fn in_widget_mode() -> bool {
        WIDGET_MODE.with(Cell::get)
    }

    fn storage() -> Option<web_sys::Storage> {
        leptos::prelude::window().local_storage().ok().flatten()
    }

    pub fn token() -> Option<String> {
        Some(TOKEN.with(|t| t.borrow().clone())).filter(|t| !t.is_empty())
    }

    /// The embedding page (at `origin`) handed over the token it keeps. Returns whether it
    /// differs from the one in use. An empty one does not replace a token this iframe holds:
    /// the page may have lost its storage, and the iframe then gives it the token back.
    pub fn adopt(origin: &str, token: &str) -> bool {
        KEEPER.with(|k| *k.borrow_mut() = Some(origin.to_string()));
        let current = TOKEN.with(|t| t.borrow().clone());
        if token.is_empty() && !current.is_empty() {
            remember(&current);
            return false;
        }
        if token == current {
            return false;
        }
        keep(token);
        true
    }

    /// Uses `token` from now on, and keeps it in the frame's own storage where the browser
    /// allows (empty: forgets it).
    fn keep(token: &str) {
        TOKEN.with(|t| *t.borrow_mut() = token.to_string());
        if let Some(storage) = storage() {
            let _ = if token.is_empty() {
                storage.remove_item(STORAGE_KEY)
            } else {
                storage.set_item(STORAGE_KEY, token)
            };
        }
    }

    /// Stores what the server said: a new token, or (empty) that the session ended; and tells
    /// the embedding page, which keeps it for the site's other pages and tabs.
    pub fn remember(token: &str) {
        keep(token);
        let Some(keeper) = KEEPER.with(|k| k.borrow().clone()) else {
            return;
        };
        if let Ok(Some(parent)) = leptos::prelude::window().parent() {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"baton:session".into());
            let _ = js_sys::Reflect::set(&message, &"token".into(), &token.into());
            // Only to the page that keeps it, never to whatever else might frame this one.
            let _ = parent.post_message(&message, &keeper);
        }
    }
}

#[cfg(feature = "browser")]
pub use browser::{STORAGE_KEY, adopt, enter_widget_mode, in_widget_mode, remember, token};

/// The token to send in the websocket's first frame: `Some` only in the widget.
pub fn socket_token() -> Option<String> {
    #[cfg(feature = "browser")]
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
        Bytes,
        client::{Client, browser::BrowserClient},
        error::{FromServerFnError, IntoAppError, ServerFnErrorErr},
        request::browser::BrowserRequest,
        response::ClientRes,
    };
    use std::future::Future;

    use super::SessionAwareClient;

    /// A `fetch` response. Not the server-function client's own response type, which turns the
    /// browser's headers into an `http::HeaderMap` on every call: the widget reads one header,
    /// and the `http` crate's header parsing would weigh about 18 KB of its WASM.
    #[cfg(feature = "browser")]
    pub struct FetchResponse {
        response: send_wrapper::SendWrapper<web_sys::Response>,
        /// What is left of the request: its abort controller, which cancels the call when
        /// dropped. Kept until the answer has been read, so a call whose caller went away stops
        /// downloading, and one that was answered is not cut short.
        _call: BrowserRequest,
    }

    #[cfg(not(feature = "browser"))]
    pub struct FetchResponse(std::convert::Infallible);

    #[cfg(not(feature = "browser"))]
    fn unreachable_server<E: FromServerFnError>() -> E {
        ServerFnErrorErr::Request("server functions are called from the browser".into())
            .into_app_error()
    }

    impl<E, IS, OS> Client<E, IS, OS> for SessionAwareClient
    where
        E: FromServerFnError,
        IS: FromServerFnError,
        OS: FromServerFnError,
    {
        type Request = BrowserRequest;
        type Response = FetchResponse;

        #[cfg(feature = "browser")]
        fn send(mut req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
            use leptos::wasm_bindgen::JsCast;
            let widget = super::in_widget_mode();
            if widget {
                req.headers()
                    .set(super::HEADER, &super::token().unwrap_or_default());
            }
            // The request goes to `fetch`; its abort controller stays behind in `req` (taking
            // the whole request would drop the controller, which aborts the call at once).
            let request = web_sys::Request::new_with_str("/")
                .map(|empty| web_sys::Request::from(std::mem::replace(&mut *req, empty.into())));
            send_wrapper::SendWrapper::new(async move {
                let request = request.map_err(|_| {
                    ServerFnErrorErr::Request("the request could not be made".into())
                        .into_app_error()
                })?;
                let fetched = leptos::prelude::window().fetch_with_request(&request);
                let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(fetched)
                    .await
                    .map_err(|_| {
                        ServerFnErrorErr::Request("Baton could not be reached".into())
                            .into_app_error()
                    })?
                    .unchecked_into();
                if widget && let Ok(Some(value)) = response.headers().get(super::HEADER) {
                    super::remember(&value);
                }
                Ok(FetchResponse {
                    response: send_wrapper::SendWrapper::new(response),
                    _call: req,
                })
            })
        }

        #[cfg(not(feature = "browser"))]
        async fn send(_req: Self::Request) -> Result<Self::Response, E> {
            Err(unreachable_server())
        }

        fn open_websocket(
            path: &str,
        ) -> impl Future<
            Output = Result<
                (
                    impl futures::Stream<Item = Result<Bytes, Bytes>> + Send + 'static,
                    impl futures::Sink<Bytes> + Send + 'static,
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

    #[cfg(feature = "browser")]
    impl FetchResponse {
        /// The body as text, once it has arrived.
        async fn text(self) -> Option<String> {
            let body = self.response.text().ok()?;
            wasm_bindgen_futures::JsFuture::from(body)
                .await
                .ok()?
                .as_string()
        }
    }

    #[cfg(feature = "browser")]
    impl<E: FromServerFnError> ClientRes<E> for FetchResponse {
        fn try_into_string(self) -> impl Future<Output = Result<String, E>> + Send {
            send_wrapper::SendWrapper::new(async move {
                self.text().await.ok_or_else(|| {
                    ServerFnErrorErr::Deserialization("the answer could not be read".into())
                        .into_app_error()
                })
            })
        }

        fn try_into_bytes(self) -> impl Future<Output = Result<Bytes, E>> + Send {
            let text = <Self as ClientRes<E>>::try_into_string(self);
            async move { text.await.map(Bytes::from) }
        }

        fn try_into_stream(
            self,
        ) -> Result<impl futures::Stream<Item = Result<Bytes, Bytes>> + Send + Sync + 'static, E>
        {
            // No server function Baton's browsers call streams its answer.
            Err::<futures::stream::Empty<Result<Bytes, Bytes>>, E>(
                ServerFnErrorErr::Response("streamed answers are not supported".into())
                    .into_app_error(),
            )
        }

        fn status(&self) -> u16 {
            self.response.status()
        }

        fn status_text(&self) -> String {
            self.response.status_text()
        }

        fn location(&self) -> String {
            self.response
                .headers()
                .get("location")
                .ok()
                .flatten()
                .unwrap_or_else(|| self.response.url())
        }

        fn has_redirect(&self) -> bool {
            self.response
                .headers()
                .get(leptos::server_fn::redirect::REDIRECT_HEADER)
                .ok()
                .flatten()
                .is_some()
        }
    }

    #[cfg(not(feature = "browser"))]
    impl<E: FromServerFnError> ClientRes<E> for FetchResponse {
        async fn try_into_string(self) -> Result<String, E> {
            match self.0 {}
        }

        async fn try_into_bytes(self) -> Result<Bytes, E> {
            match self.0 {}
        }

        fn try_into_stream(
            self,
        ) -> Result<impl futures::Stream<Item = Result<Bytes, Bytes>> + Send + Sync + 'static, E>
        {
            Err::<futures::stream::Empty<Result<Bytes, Bytes>>, E>(unreachable_server())
        }

        fn status(&self) -> u16 {
            match self.0 {}
        }

        fn status_text(&self) -> String {
            match self.0 {}
        }

        fn location(&self) -> String {
            match self.0 {}
        }

        fn has_redirect(&self) -> bool {
            match self.0 {}
        }
    }
}
