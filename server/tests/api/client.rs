//! The typed client for server functions: a test calls one by the argument struct the
//! `#[server]` macro made for it (`app.call_as(&session, Queue { .. })`), so its endpoint and
//! field names come from the app itself and a renamed argument fails to compile here instead
//! of quietly sending a form the server ignores. `call` with a raw form stays for the tests
//! whose point is a malformed or hostile request.

use app::pages::admin::actions::SaveExperience;
use leptos::server_fn::ServerFn;
use serde::{Serialize, de::DeserializeOwned};

use crate::helpers::{TestApp, TestUser};

/// One server function call, ready to send: its path and its url-encoded arguments.
#[derive(Clone, Debug)]
pub struct Call {
    pub endpoint: &'static str,
    form: String,
}

impl Call {
    /// The call of server function `F` with these arguments, encoded as the browser's client
    /// encodes them (a url-encoded form, `serde_qs`).
    pub fn of<F: ServerFn + Serialize>(args: F) -> Call {
        Call {
            endpoint: F::PATH,
            form: serde_qs::to_string(&args).expect("server function arguments encode"),
        }
    }

    /// The POST of this call with no session yet: the caller adds the cookie or header it
    /// means to test.
    pub fn request(self, app: &TestApp) -> reqwest::RequestBuilder {
        app.client
            .post(app.url(self.endpoint))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(self.form)
    }
}

impl TestApp {
    /// Sends `call` as the holder of `session` (a dashboard cookie): (status, body).
    pub async fn send(&self, session: &str, call: Call) -> (u16, String) {
        let response = call
            .request(self)
            .header(
                "cookie",
                format!("{}={session}", backend::sessions::COOKIE_NAME),
            )
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Calls server function `F` as the holder of `session`: (status, body).
    pub async fn call_as<F: ServerFn + Serialize>(&self, session: &str, args: F) -> (u16, String) {
        self.send(session, Call::of(args)).await
    }

    /// Calls server function `F` as the holder of `session`, expects success, and returns its
    /// answer as the function's own return type.
    pub async fn ok_as<F>(&self, session: &str, args: F) -> F::Output
    where
        F: ServerFn + Serialize,
        F::Output: DeserializeOwned,
    {
        let endpoint = F::PATH;
        let (status, body) = self.call_as(session, args).await;
        assert_eq!(status, 200, "{endpoint}: {body}");
        serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{endpoint} answers its own type ({e}): {body}"))
    }

    /// Signs a staff member in through the real sign-in form (password and all); returns the
    /// session cookie the server set.
    pub async fn sign_in_with_password(&self, user: &TestUser) -> String {
        let response = self
            .client
            .post(self.url(<app::auth::StaffSignIn as ServerFn>::PATH))
            .form(&[("email", &user.email), ("password", &user.password)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{} signs in", user.email);
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix(&format!("{}=", backend::sessions::COOKIE_NAME)))
            .and_then(|rest| rest.split(';').next())
            .expect("a session cookie")
            .to_string()
    }

    /// One page of the work items matching a queue filter, as `session` sees them (SPEC
    /// R-VIEW-2): (status, body).
    pub async fn queue(&self, session: &str, filter: &str) -> (u16, String) {
        self.call_as(
            session,
            app::pages::agent::actions::Queue {
                filter: filter.to_string(),
                after: None,
                limit: None,
            },
        )
        .await
    }
}

/// The demo experience's (Baton Help) settings as its page saves them, routed to `space` in
/// support mode `mode`.
pub fn demo_experience_form(experience: &str, space: &str, mode: &str) -> SaveExperience {
    SaveExperience {
        experience: experience.into(),
        name: "Baton Help".into(),
        mode: mode.into(),
        website: true,
        embedded: true,
        space: space.into(),
        fallback_message: "Write to help@example.com".into(),
        help_text: String::new(),
        allowed_domains: "127.0.0.1:3002".into(),
    }
}

/// Calls a server function by its endpoint with a raw form, as the holder of `session`:
/// (status, body). For requests the typed client cannot express on purpose (missing or
/// malformed fields); everything else uses [`TestApp::call_as`].
pub async fn call(
    app: &TestApp,
    session: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = app
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .header(
            "cookie",
            format!("{}={session}", backend::sessions::COOKIE_NAME),
        )
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}
