//! What a widget token may not do over HTTP: act as staff in any way, or outlive its session
//! (unknown, malformed or expired tokens are refused and the widget is told to forget them).

use app::pages::admin::actions::{AuditLog, SiteSettings, Spaces};
use app::pages::agent::actions::{MyConversations, SavedQueues, SetAvailability};

use super::*;
use crate::helpers::spawn_app;

/// Staff server functions from the dashboard and the admin pages, with harmless forms.
fn staff_calls() -> [Call; 5] {
    [
        Call::of(MyConversations {}),
        Call::of(SetAvailability {
            available: false,
            space: Some(String::new()),
        }),
        Call::of(SavedQueues {}),
        Call::of(SiteSettings {}),
        Call::of(Spaces {}),
    ]
}

async fn assert_staff_calls_forbidden(app: &TestApp, token: &str, whose: &str) {
    for call in staff_calls() {
        let endpoint = call.endpoint;
        let reply = widget_call(app, token, call).await;
        assert_eq!(reply.status, 403, "{endpoint} with {whose}: {reply:?}");
        assert_eq!(code_of(&reply), "Forbidden", "{endpoint}: {reply:?}");
    }
}

// Issue 16: widget-channel requests can never act as staff.
#[tokio::test]
async fn a_widget_session_cannot_call_staff_server_functions() {
    let app = spawn_app().await;
    let casey = sign_in_casey(&app, "").await;
    let visit = visitor(&app).await;

    assert_staff_calls_forbidden(&app, &casey, "a customer's widget token").await;
    assert_staff_calls_forbidden(&app, &visit, "a visitor's widget token").await;
    assert_staff_calls_forbidden(&app, "", "the empty header").await;
    app.stop().await;
}

// Issue 16: the widget can never become a staff session, even with the right password.
#[tokio::test]
async fn staff_sign_in_through_the_widget_is_refused_even_with_the_right_password() {
    let app = spawn_app().await;
    let casey = sign_in_casey(&app, "").await;
    let form = || {
        Call::of(StaffSignIn {
            email: "ada@demo.baton.test".into(),
            password: DEMO_PASSWORD.into(),
        })
    };

    for (token, whose) in [("", "the empty header"), (casey.as_str(), "Casey's token")] {
        let reply = widget_call(&app, token, form()).await;

        assert_eq!(reply.status, 403, "with {whose}: {reply:?}");
        // The contract fixes the status only; the answer says where team members sign in.
        let error: app::AppError = serde_json::from_str(&reply.body).expect("an AppError");
        assert!(!error.to_string().is_empty(), "{reply:?}");
        assert!(
            reply.token.as_deref().unwrap_or_default().is_empty(),
            "no token is issued: {reply:?}"
        );
        assert!(!reply.sets_cookie, "no cookie either: {reply:?}");
    }
    // Casey's widget session is still Casey's, not Ada's.
    assert_eq!(me(&app, &casey).await["kind"], "customer");
    // The same password through the dashboard (no header) still signs Ada in: the refusal
    // is the widget channel's, not a lock-out.
    let dashboard = post(&app, None, None, form()).await;
    assert_eq!(dashboard.status, 200, "{dashboard:?}");
    app.stop().await;
}

// Issue 16: a staff session id presented as the widget token is not signed in.
#[tokio::test]
async fn a_staff_session_id_sent_as_the_widget_token_acts_as_nobody() {
    let app = spawn_app().await;
    let admin = staff_session(&app, "admin@demo.baton.test").await;
    // As a cookie the session is the site admin's, so the refusals below are the channel's.
    let by_cookie = post(&app, None, Some(&admin), Call::of(SiteSettings {})).await;
    assert_eq!(by_cookie.status, 200, "{by_cookie:?}");

    let who = widget_call(&app, &admin, Call::of(WhoAmI {})).await;
    assert_eq!(who.status, 200, "{who:?}");
    assert_eq!(who.json(), Value::Null, "{who:?}");
    assert_staff_calls_forbidden(&app, &admin, "the site admin's session id").await;
    let audit = widget_call(&app, &admin, Call::of(AuditLog {})).await;
    assert_eq!(audit.status, 403, "{audit:?}");
    app.stop().await;
}

// Issue 16: a token the server does not know is refused and must be forgotten.
#[tokio::test]
async fn an_unknown_token_is_refused_as_an_ended_session() {
    let app = spawn_app().await;
    let unknown = tower_sessions::session::Id::default().to_string();

    for call in [Call::of(WhoAmI {}), Call::of(BeginVisit {})] {
        let reply = widget_call(&app, &unknown, call).await;
        assert_session_expired(&reply);
    }
    let open = widget_call(&app, &unknown, open_shop_chat()).await;
    assert_session_expired(&open);
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_token_is_refused_as_an_ended_session() {
    let app = spawn_app().await;

    for malformed in [
        "not a session",
        "%%%%",
        "AAAA",
        "x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x",
    ] {
        let reply = widget_call(&app, malformed, Call::of(WhoAmI {})).await;
        assert_session_expired(&reply);
    }
    app.stop().await;
}

#[tokio::test]
async fn an_expired_token_is_refused_as_an_ended_session() {
    let app = spawn_app().await;
    let token = sign_in_casey(&app, "").await;
    assert_eq!(me(&app, &token).await["kind"], "customer");

    expire(&app, &token).await;

    let who = widget_call(&app, &token, Call::of(WhoAmI {})).await;
    assert_session_expired(&who);
    let open = widget_call(&app, &token, open_shop_chat()).await;
    assert_session_expired(&open);
    app.stop().await;
}
