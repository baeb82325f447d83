//! Admin settings on the server: every refusal the settings pages can meet, checked through
//! the real server functions with real sessions (SPEC R-MODE-3, R-MODE-4, R-SPACE-1, R-SPACE-3),
//! and the embedded widget's allowed domains on the iframe and the websocket.

use app::pages::admin::actions::{
    AddQueue, AuditLog, CreateExperience, CreateSpace, InviteMember, LoadExperiencePage,
    LoadSpacePage, RotateSecret, SaveExperience, SaveSiteSettings, SetLiveChat, SetMemberRole,
    SiteSettings,
};

use crate::client::{Call, demo_experience_form as experience_form};
use crate::helpers::{Staff, TestApp, spawn_app};

/// A new site admin's session.
async fn admin(app: &TestApp) -> String {
    let admin = app
        .create_staff(Staff::named("Alex Admin").site_admin())
        .await;
    app.sign_in_as(&admin).await
}

/// A new agent of the demo space, with no admin role: their session.
async fn agent(app: &TestApp) -> String {
    let space = app.demo_space().await;
    let ada = app
        .create_staff(Staff::named("Ada Lovelace").agent_in(&space))
        .await;
    app.sign_in_as(&ada).await
}

/// The site settings form with this plan, Maximum conversations and resolutions.
fn site_form(plan: &str, max_conversations: &str, resolutions: &str) -> SaveSiteSettings {
    SaveSiteSettings {
        name: "Baton demo".into(),
        plan: plan.into(),
        max_conversations: max_conversations.into(),
        resolutions: resolutions.into(),
    }
}

async fn audit_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.server_db().pool)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn an_agent_without_an_admin_role_is_refused_every_settings_change() {
    let app = spawn_app().await;
    let ada = agent(&app).await;
    let space = app.demo_space().await;
    let experience = app.demo_experience().await;
    let attempts = vec![
        Call::of(SiteSettings {}),
        Call::of(SaveSiteSettings {
            name: "Mine".into(),
            ..site_form("Premium", "50", "Done")
        }),
        Call::of(CreateSpace {
            name: "Ada's space".into(),
        }),
        Call::of(LoadSpacePage {
            space: space.clone(),
        }),
        Call::of(SetLiveChat {
            space: space.clone(),
            on: false,
        }),
        Call::of(InviteMember {
            space: space.clone(),
            email: "x@example.com".into(),
            role: "agent".into(),
        }),
        Call::of(LoadExperiencePage {
            experience: experience.clone(),
        }),
        Call::of(RotateSecret {
            experience: experience.clone(),
        }),
        Call::of(CreateExperience {
            name: "Ada's experience".into(),
        }),
        Call::of(AuditLog {}),
    ];
    for call in attempts {
        let endpoint = call.endpoint;
        let (status, body) = app.send(&ada, call).await;
        assert_eq!(status, 403, "{endpoint} must refuse an agent: {body}");
    }
    let save = SaveExperience {
        name: "Hijacked".into(),
        ..experience_form(&experience, &space, "support_team")
    };
    let (status, _) = app.call_as(&ada, save).await;
    assert_eq!(status, 403);
    assert_eq!(
        audit_count(&app).await,
        0,
        "nothing refused is recorded as changed"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_space_admin_changes_their_space_and_the_change_is_audited() {
    let app = spawn_app().await;
    let space = app.demo_space().await;
    // A site admin makes Grace, an agent of the space, its space admin through the settings.
    let admin = admin(&app).await;
    let grace = app
        .create_staff(Staff::named("Grace Hopper").agent_in(&space))
        .await;
    let (status, body) = app
        .call_as(
            &admin,
            SetMemberRole {
                space: space.clone(),
                user: grace.id.clone(),
                role: "space_admin".into(),
            },
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let grace_session = app.sign_in_as(&grace).await;
    let queue = |name: &str, filter: &str| AddQueue {
        space: space.clone(),
        name: name.into(),
        filter: filter.into(),
    };
    let (status, body) = app
        .call_as(&grace_session, queue("Bugs", "type = Bug"))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_as(&grace_session, queue("Broken", "type = = Bug"))
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("The filter has a mistake at character"),
        "{body}"
    );
    // A space admin is not a site admin.
    let (status, _) = app.call_as(&grace_session, SiteSettings {}).await;
    assert_eq!(status, 403);
    let (field, new): (String, String) =
        sqlx::query_as("SELECT field, new_value FROM audit_log WHERE actor_name = 'Grace Hopper'")
            .fetch_one(&app.server_db().pool)
            .await
            .unwrap();
    assert_eq!((field.as_str(), new.as_str()), ("Queue Bugs", "type = Bug"));
    app.stop().await;
}

// SPEC R-SPACE-3
#[tokio::test]
async fn maximum_conversations_out_of_range_is_refused_and_a_good_value_takes_effect_at_once() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    for bad in ["0", "101", "many", "-3"] {
        let (status, body) = app.call_as(&admin, site_form("Premium", bad, "Done")).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body.contains("1") && body.contains("100"), "{body}");
    }
    let (status, body) = app
        .call_as(&admin, site_form("Premium", "7", "Done\nDuplicate"))
        .await;
    assert_eq!(status, 200, "{body}");
    let (max,): (i64,) = sqlx::query_as("SELECT max_conversations FROM site_settings")
        .fetch_one(&app.server_db().pool)
        .await
        .unwrap();
    assert_eq!(max, 7);
    let (old, new): (String, String) = sqlx::query_as(
        "SELECT old_value, new_value FROM audit_log WHERE field = 'Maximum conversations'",
    )
    .fetch_one(&app.server_db().pool)
    .await
    .unwrap();
    assert_eq!((old.as_str(), new.as_str()), ("3", "7"));
    app.stop().await;
}

// SPEC R-MODE-3
#[tokio::test]
async fn an_experience_cannot_route_to_a_space_with_live_chat_off() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let (status, quiet) = app
        .call_as(
            &admin,
            CreateSpace {
                name: "Quiet".into(),
            },
        )
        .await;
    assert_eq!(status, 200);
    let quiet: String = serde_json::from_str(&quiet).unwrap();
    let (status, body) = app
        .call_as(
            &admin,
            SetLiveChat {
                space: quiet.clone(),
                on: false,
            },
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let experience = app.demo_experience().await;
    let (status, body) = app
        .call_as(&admin, experience_form(&experience, &quiet, "support_team"))
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Live chat is off in the space Quiet"),
        "{body}"
    );
    app.stop().await;
}

// SPEC R-MODE-3
#[tokio::test]
async fn live_chat_cannot_be_turned_off_in_a_space_an_experience_routes_to() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let space = app.demo_space().await;
    let (status, body) = app
        .call_as(
            &admin,
            SetLiveChat {
                space: space.clone(),
                on: false,
            },
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Baton Help") && body.contains("Baton Shop Assistant"),
        "the refusal names the experiences: {body}"
    );
    let (live,): (i64,) = sqlx::query_as("SELECT live_chat FROM spaces WHERE id = $1")
        .bind(&space)
        .fetch_one(&app.server_db().pool)
        .await
        .unwrap();
    assert_eq!(live, 1, "Live chat stays on");
    app.stop().await;
}

// SPEC R-MODE-4
#[tokio::test]
async fn live_chat_on_the_standard_plan_is_refused_both_ways() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    // The plan cannot drop to Standard while experiences use live chat…
    let (status, body) = app
        .call_as(&admin, site_form("Standard", "3", "Done"))
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Standard plan has no live chat"), "{body}");
    // …and on Standard, an experience cannot be saved with live chat.
    sqlx::query("UPDATE site_settings SET plan = 'Standard'")
        .execute(&app.server_db().pool)
        .await
        .unwrap();
    let experience = app.demo_experience().await;
    let space = app.demo_space().await;
    for mode in ["support_team", "ai_and_team"] {
        let (status, body) = app
            .call_as(&admin, experience_form(&experience, &space, mode))
            .await;
        assert_eq!(status, 422);
        assert!(body.contains("Premium or Enterprise"), "{body}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_widget_may_be_framed_only_by_its_allowed_domains() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url(&format!("/w/{}", backend::demo::DEMO_WIDGET_KEY)))
        .send()
        .await
        .unwrap();
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        policy.starts_with("frame-ancestors 'self' 127.0.0.1:3002 localhost:3002;"),
        "{policy}"
    );
    assert!(response.headers().get("x-frame-options").is_none());
    // The dashboard may never be framed.
    let dashboard = app.client.get(app.url("/agent")).send().await.unwrap();
    assert_eq!(dashboard.headers()["x-frame-options"], "DENY");
    app.stop().await;
}

#[tokio::test]
async fn a_websocket_from_a_domain_the_widget_does_not_allow_is_refused() {
    let app = spawn_app().await;
    let casey = app.create_customer("Casey Customer").await;
    let session = app.sign_in_as(&casey).await;
    let url = format!(
        "ws://{}/ws?v=1&widget={}",
        app.server.addr,
        backend::demo::DEMO_WIDGET_KEY
    );
    let refused = app
        .try_connect_to(&url, Some(&session), Some("http://shop.evil.test"))
        .await;
    assert!(
        matches!(&refused, Err(tokio_tungstenite::tungstenite::Error::Http(r)) if r.status() == 403),
        "a domain not allowed is refused"
    );
    let no_widget = app
        .try_connect(Some(&session), Some("http://127.0.0.1:3002"))
        .await;
    assert!(no_widget.is_err(), "an allowed domain must name its widget");
    let allowed = app
        .try_connect_to(&url, Some(&session), Some("http://127.0.0.1:3002"))
        .await;
    assert!(
        allowed.is_ok(),
        "an allowed domain with its widget key connects"
    );
    app.stop().await;
}
