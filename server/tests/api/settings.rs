//! Admin settings on the server: every refusal the settings pages can meet, checked through
//! the real server functions with real sessions (SPEC R-MODE-3, R-MODE-4, R-SPACE-1, R-SPACE-3),
//! and the embedded widget's allowed domains on the iframe and the websocket.

use backend::sessions::SignedIn;

use crate::helpers::{TestApp, call, spawn_app};

async fn id_of(app: &TestApp, sql: &str) -> String {
    let (id,): (String,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.server_db().pool)
        .await
        .unwrap();
    id
}

async fn admin(app: &TestApp) -> String {
    let id = id_of(
        app,
        "SELECT id FROM users WHERE email = 'admin@demo.baton.test'",
    )
    .await;
    app.session_for(SignedIn::Staff(id)).await
}

async fn agent(app: &TestApp) -> String {
    let id = id_of(
        app,
        "SELECT id FROM users WHERE email = 'ada@demo.baton.test'",
    )
    .await;
    app.session_for(SignedIn::Staff(id)).await
}

async fn demo_space(app: &TestApp) -> String {
    id_of(app, "SELECT id FROM spaces WHERE name = 'Customer Support'").await
}

async fn help_experience(app: &TestApp) -> String {
    id_of(app, "SELECT id FROM experiences WHERE name = 'Baton Help'").await
}

fn experience_form<'a>(id: &'a str, space: &'a str, mode: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("experience", id),
        ("name", "Baton Help"),
        ("mode", mode),
        ("website", "true"),
        ("embedded", "true"),
        ("space", space),
        ("fallback_message", "Write to help@example.com"),
        ("help_text", ""),
        ("allowed_domains", "127.0.0.1:3002"),
    ]
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
    let space = demo_space(&app).await;
    let experience = help_experience(&app).await;
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("admin/site", vec![]),
        (
            "admin/site/save",
            vec![
                ("name", "Mine"),
                ("plan", "Premium"),
                ("max_conversations", "50"),
                ("resolutions", "Done"),
            ],
        ),
        ("admin/spaces/create", vec![("name", "Ada's space")]),
        ("admin/space", vec![("space", &space)]),
        (
            "admin/space/live-chat",
            vec![("space", &space), ("on", "false")],
        ),
        (
            "admin/space/invite",
            vec![
                ("space", &space),
                ("email", "x@example.com"),
                ("role", "agent"),
            ],
        ),
        ("admin/experience", vec![("experience", &experience)]),
        (
            "admin/experience/rotate-secret",
            vec![("experience", &experience)],
        ),
        (
            "admin/experiences/create",
            vec![("name", "Ada's experience")],
        ),
        ("admin/audit", vec![]),
    ];
    for (endpoint, form) in attempts {
        let (status, body) = call(&app, &ada, endpoint, &form).await;
        assert_eq!(status, 403, "{endpoint} must refuse an agent: {body}");
    }
    let mut save = experience_form(&experience, &space, "support_team");
    save[1] = ("name", "Hijacked");
    let (status, _) = call(&app, &ada, "admin/experience/save", &save).await;
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
    let space = demo_space(&app).await;
    // The demo's Alex is site admin; make Grace a space admin through the settings.
    let admin = admin(&app).await;
    let grace = id_of(
        &app,
        "SELECT id FROM users WHERE email = 'grace@demo.baton.test'",
    )
    .await;
    let (status, body) = call(
        &app,
        &admin,
        "admin/space/role",
        &[("space", &space), ("user", &grace), ("role", "space_admin")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let grace_session = app.session_for(SignedIn::Staff(grace)).await;
    let (status, body) = call(
        &app,
        &grace_session,
        "admin/space/queue",
        &[
            ("space", &space),
            ("name", "Bugs"),
            ("filter", "type = Bug"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        &app,
        &grace_session,
        "admin/space/queue",
        &[
            ("space", &space),
            ("name", "Broken"),
            ("filter", "type = = Bug"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("The filter has a mistake at character"),
        "{body}"
    );
    // A space admin is not a site admin.
    let (status, _) = call(&app, &grace_session, "admin/site", &[]).await;
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
        let (status, body) = call(
            &app,
            &admin,
            "admin/site/save",
            &[
                ("name", "Baton demo"),
                ("plan", "Premium"),
                ("max_conversations", bad),
                ("resolutions", "Done"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body.contains("1") && body.contains("100"), "{body}");
    }
    let (status, body) = call(
        &app,
        &admin,
        "admin/site/save",
        &[
            ("name", "Baton demo"),
            ("plan", "Premium"),
            ("max_conversations", "7"),
            ("resolutions", "Done\nDuplicate"),
        ],
    )
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
    let (status, quiet) = call(&app, &admin, "admin/spaces/create", &[("name", "Quiet")]).await;
    assert_eq!(status, 200);
    let quiet: String = serde_json::from_str(&quiet).unwrap();
    let (status, body) = call(
        &app,
        &admin,
        "admin/space/live-chat",
        &[("space", &quiet), ("on", "false")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let experience = help_experience(&app).await;
    let (status, body) = call(
        &app,
        &admin,
        "admin/experience/save",
        &experience_form(&experience, &quiet, "support_team"),
    )
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
    let space = demo_space(&app).await;
    let (status, body) = call(
        &app,
        &admin,
        "admin/space/live-chat",
        &[("space", &space), ("on", "false")],
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
    let (status, body) = call(
        &app,
        &admin,
        "admin/site/save",
        &[
            ("name", "Baton demo"),
            ("plan", "Standard"),
            ("max_conversations", "3"),
            ("resolutions", "Done"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Standard plan has no live chat"), "{body}");
    // …and on Standard, an experience cannot be saved with live chat.
    sqlx::query("UPDATE site_settings SET plan = 'Standard'")
        .execute(&app.server_db().pool)
        .await
        .unwrap();
    let experience = help_experience(&app).await;
    let space = demo_space(&app).await;
    for mode in ["support_team", "ai_and_team"] {
        let (status, body) = call(
            &app,
            &admin,
            "admin/experience/save",
            &experience_form(&experience, &space, mode),
        )
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
    let customer = id_of(
        &app,
        "SELECT id FROM customers WHERE email = 'casey@demo.baton.test'",
    )
    .await;
    let session = app.session_for(SignedIn::Customer(customer)).await;
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
