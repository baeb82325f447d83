//! The embedded widget's cookie-less session (issue 16). The widget is a third-party iframe, so
//! it holds its session token itself and sends it in the `x-baton-session` request header
//! (empty: "widget, no session yet") and in the websocket's first frame, never in a URL. The
//! server answers with the header when the session was created or rotated, and with it empty
//! when the session ended or the token is no good. A widget session can never act as staff.
//!
//! This file holds the helpers; the tests are grouped by concern in the modules below:
//! tokens issued and used over HTTP (`http`), refusals over HTTP (`refusals`), the socket
//! (`socket`).

mod http;
mod refusals;
mod socket;

pub use app::auth::{CustomerSignIn, CustomerSignUp, SignOut, StaffSignIn, WhoAmI};
pub use app::pages::widget::actions::{BeginVisit, OpenConversation, StartChat};
use serde_json::Value;

pub use crate::client::Call;
use crate::helpers::TestApp;

/// The request and response header carrying the widget's session token.
pub const HEADER: &str = "x-baton-session";
/// The demo experience with the AI agent first: a chat needs no sign-in (SPEC R-CUST-2).
pub const SHOP: &str = "wk_demo_shop";
pub const CASEY: &str = "casey@demo.baton.test";
pub const DEMO_PASSWORD: &str = "baton-demo";

/// What a server function answered.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The `x-baton-session` response header: `Some("")` when present and empty.
    pub token: Option<String>,
    /// Whether the response tried to set any cookie.
    pub sets_cookie: bool,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|_| panic!("a JSON answer, got {}: {}", self.status, self.body))
    }

    /// The new token of a successful call that began or rotated the widget session.
    pub fn new_token(&self) -> String {
        assert_eq!(self.status, 200, "{}", self.body);
        let token = self
            .token
            .clone()
            .unwrap_or_else(|| panic!("no {HEADER} header in the answer: {self:?}"));
        assert!(!token.is_empty(), "an empty {HEADER} header: {self:?}");
        token
    }
}

/// POSTs a server function with the widget header (`Some("")`: no session yet) and/or a
/// dashboard cookie, and no other state: the client keeps no cookies between calls.
pub async fn post(app: &TestApp, token: Option<&str>, cookie: Option<&str>, call: Call) -> Reply {
    let mut request = call.request(app);
    if let Some(token) = token {
        request = request.header(HEADER, token);
    }
    if let Some(cookie) = cookie {
        request = request.header(
            "cookie",
            format!("{}={cookie}", backend::sessions::COOKIE_NAME),
        );
    }
    let response = request.send().await.unwrap();
    let token = response
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().expect("a visible-ASCII token").to_string());
    Reply {
        status: response.status().as_u16(),
        token,
        sets_cookie: response.headers().contains_key("set-cookie"),
        body: response.text().await.unwrap(),
    }
}

/// Calls a server function as the widget holding `token` ("" before it has one).
pub async fn widget_call(app: &TestApp, token: &str, call: Call) -> Reply {
    post(app, Some(token), None, call).await
}

/// The shop's widget asks for its visitor's open conversation.
pub fn open_shop_chat() -> Call {
    Call::of(OpenConversation { key: SHOP.into() })
}

/// Casey's sign-in form with the demo's password.
pub fn casey_sign_in() -> Call {
    Call::of(CustomerSignIn {
        email: CASEY.into(),
        password: DEMO_PASSWORD.into(),
    })
}

/// `/api/me` as the widget holding `token`: `null` or `{"kind": …, "id": …, "name": …}`.
pub async fn me(app: &TestApp, token: &str) -> Value {
    let reply = widget_call(app, token, Call::of(WhoAmI {})).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

/// Casey signs in in the widget (starting from `token`, "" for none) and gets a new token.
pub async fn sign_in_casey(app: &TestApp, token: &str) -> String {
    let reply = widget_call(app, token, casey_sign_in()).await;
    reply.new_token()
}

/// A new customer signs up in the widget; returns their token and id.
pub async fn sign_up(app: &TestApp, name: &str, email: &str) -> (String, String) {
    let sign_up = CustomerSignUp {
        name: name.into(),
        email: email.into(),
        password: "a long enough password".into(),
    };
    let reply = widget_call(app, "", Call::of(sign_up)).await;
    let token = reply.new_token();
    let id = reply.json()["id"].as_str().unwrap().to_string();
    (token, id)
}

/// An anonymous visitor's new widget session (`widget/visit` with the empty header).
pub async fn visitor(app: &TestApp) -> String {
    widget_call(app, "", Call::of(BeginVisit {}))
        .await
        .new_token()
}

/// Starts a chat with the shop's AI agent as the widget holding `token`; its conversation id.
pub async fn start_shop_chat(app: &TestApp, token: &str) -> String {
    let start = StartChat { key: SHOP.into() };
    let reply = widget_call(app, token, Call::of(start)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply
        .json()
        .as_str()
        .expect("a conversation id")
        .to_string()
}

/// The demo customer Casey's id (these tests sign in with the demo's own password).
pub async fn casey_id(app: &TestApp) -> String {
    app.demo_customer(CASEY).await.id
}

/// A dashboard session (the cookie's value) for a staff member of the demo, by email.
pub async fn staff_session(app: &TestApp, email: &str) -> String {
    let staff = app.demo_staff(email).await;
    app.sign_in_as(&staff).await
}

/// Makes the session behind `token` expire, as if it had not been used for too long.
pub async fn expire(app: &TestApp, token: &str) {
    app.expire_session(token).await;
}

/// A token refused as no good: 401, `SessionExpired` with a message saying to sign in again,
/// and the header present and empty so the widget forgets the token.
pub fn assert_session_expired(reply: &Reply) {
    assert_eq!(reply.status, 401, "{reply:?}");
    assert_eq!(reply.json()["code"], "SessionExpired", "{reply:?}");
    let error: app::AppError = serde_json::from_str(&reply.body)
        .unwrap_or_else(|e| panic!("an AppError answer ({e}): {}", reply.body));
    let message = error.to_string().to_lowercase();
    assert!(
        message.contains("expired") && message.contains("sign in"),
        "the message says what happened and what to do: {message}"
    );
    assert_eq!(
        reply.token.as_deref(),
        Some(""),
        "the {HEADER} header is present and empty: {reply:?}"
    );
    assert!(!reply.sets_cookie, "{reply:?}");
}

/// The error code of a refusal's JSON body.
pub fn code_of(reply: &Reply) -> Value {
    reply.json()["code"].clone()
}
