//! Tokens the widget is given and uses over HTTP: sign-up, sign-in with rotation, an
//! anonymous visitor's AI chat, the header winning over a cookie, and sign-out.

use app::pages::agent::actions::MyConversations;

use super::*;
use crate::helpers::spawn_app;

// Issue 16: the widget's session needs no cookie.
#[tokio::test]
async fn signing_up_in_the_widget_returns_a_token_in_the_header_and_sets_no_cookie() {
    let app = spawn_app().await;

    let sign_up = CustomerSignUp {
        name: "Wanda Widget".into(),
        email: "wanda@example.com".into(),
        password: "a long enough password".into(),
    };
    let reply = widget_call(&app, "", Call::of(sign_up)).await;

    let token = reply.new_token();
    assert!(!reply.sets_cookie, "{reply:?}");
    let id = reply.json()["id"].as_str().unwrap().to_string();
    let who = me(&app, &token).await;
    assert_eq!(who["kind"], "customer", "{who}");
    assert_eq!(who["id"], id.as_str(), "{who}");
    assert_eq!(who["name"], "Wanda Widget", "{who}");
    app.stop().await;
}

// Issue 16; a new id on sign-in, so a planted or leaked earlier token is worth nothing.
#[tokio::test]
async fn signing_in_in_the_widget_returns_a_new_token_each_time_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    let casey = casey_id(&app).await;
    let visit = visitor(&app).await;

    let reply = widget_call(&app, &visit, casey_sign_in()).await;
    let signed_in = reply.new_token();
    assert!(!reply.sets_cookie, "{reply:?}");
    assert_eq!(reply.json()["kind"], "customer", "{}", reply.body);
    let again = sign_in_casey(&app, "").await;

    assert_ne!(signed_in, visit, "sign-in rotates the visitor's token");
    assert_ne!(again, visit);
    assert_ne!(again, signed_in, "each sign-in is a session of its own");
    for token in [&signed_in, &again] {
        let who = me(&app, token).await;
        assert_eq!(who["kind"], "customer", "{who}");
        assert_eq!(who["id"], casey.as_str(), "{who}");
    }
    let old = widget_call(&app, &visit, Call::of(WhoAmI {})).await;
    assert_session_expired(&old);
    app.stop().await;
}

// SPEC R-CUST-2: an anonymous visitor chats with the AI agent; the chat is theirs alone.
#[tokio::test]
async fn a_visitor_token_starts_an_ai_chat_and_finds_it_again_while_another_visitor_does_not() {
    let app = spawn_app().await;

    let visit = visitor(&app).await;
    let conversation = start_shop_chat(&app, &visit).await;
    let found = widget_call(&app, &visit, open_shop_chat()).await;
    let stranger = visitor(&app).await;
    let not_found = widget_call(&app, &stranger, open_shop_chat()).await;

    assert_ne!(stranger, visit);
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.json(), conversation.as_str(), "{}", found.body);
    assert!(!found.sets_cookie, "{found:?}");
    assert_eq!(not_found.status, 200, "{}", not_found.body);
    assert_eq!(not_found.json(), Value::Null, "{}", not_found.body);
    // Without the header there is no session at all: the visitor's chat is not found either.
    let (status, body) = crate::helpers::call(&app, "", "widget/open", &[("key", SHOP)]).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    app.stop().await;
}

// Issue 16: with the header, the cookie is ignored for that request.
#[tokio::test]
async fn the_header_token_needs_no_cookie_and_a_cookie_beside_the_header_is_ignored() {
    let app = spawn_app().await;
    let ada = staff_session(&app, "ada@demo.baton.test").await;
    let casey = sign_in_casey(&app, "").await;

    let me = || Call::of(WhoAmI {});
    let by_cookie = post(&app, None, Some(&ada), me()).await;
    let empty_header_and_cookie = post(&app, Some(""), Some(&ada), me()).await;
    let token_and_cookie = post(&app, Some(&casey), Some(&ada), me()).await;
    let token_alone = post(&app, Some(&casey), None, me()).await;

    assert_eq!(
        by_cookie.json()["kind"],
        "staff",
        "the dashboard cookie still works"
    );
    assert_eq!(empty_header_and_cookie.status, 200);
    assert_eq!(
        empty_header_and_cookie.json(),
        Value::Null,
        "the staff cookie is ignored beside an empty header"
    );
    assert_eq!(
        token_and_cookie.json()["kind"],
        "customer",
        "{}",
        token_and_cookie.body
    );
    assert_eq!(
        token_alone.json()["kind"],
        "customer",
        "{}",
        token_alone.body
    );
    // Nor may the cookie act through the widget channel for staff work.
    let staff_work = post(&app, Some(""), Some(&ada), Call::of(MyConversations {})).await;
    assert_eq!(staff_work.status, 403, "{staff_work:?}");
    app.stop().await;
}

// Issue 16: sign-out through the widget ends the session at once.
#[tokio::test]
async fn signing_out_in_the_widget_ends_the_session_at_once_and_says_so_in_the_header() {
    let app = spawn_app().await;
    let token = sign_in_casey(&app, "").await;
    assert_eq!(me(&app, &token).await["kind"], "customer");

    let reply = widget_call(&app, &token, Call::of(SignOut {})).await;

    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(
        reply.token.as_deref(),
        Some(""),
        "the header tells the widget to forget its token: {reply:?}"
    );
    assert!(!reply.sets_cookie, "{reply:?}");
    let after = widget_call(&app, &token, Call::of(WhoAmI {})).await;
    assert_session_expired(&after);
    app.stop().await;
}
