//! Issue 15, items 7, 8, 10 (status, profiles) and 11 (paging), over real HTTP: queue filters
//! and orders reveal nothing of conversations the agent may not read (SPEC R-VIEW-3); only
//! members assign a space's work, and every assignment is audited; experience admins route
//! only into spaces they administer; outsiders learn no counts; profiles are for those who may
//! read the customer's conversations; queues and profiles come in pages.

use backend::sessions::SignedIn;
use domain::views::{CustomerProfile, QueuePage};
use domain::{AgentId, Availability, Command, ConversationId, CustomerId, Scope, SpaceId, Start};

use crate::helpers::{TestApp, call, spawn_app};

/// The demo site plus a second space, Billing, whose only member is Bea.
struct Site {
    space: String,
    billing: String,
    admin: String,
    ada: String,
    grace: String,
    bea: String,
}

async fn one(app: &TestApp, sql: &str) -> String {
    let (value,): (String,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.server_db().pool)
        .await
        .unwrap();
    value
}

async fn site(app: &TestApp) -> Site {
    let db = app.server_db();
    let user = |email: &'static str| format!("SELECT id FROM users WHERE email = '{email}'");
    let admin = one(app, &user("admin@demo.baton.test")).await;
    let ada = one(app, &user("ada@demo.baton.test")).await;
    let grace = one(app, &user("grace@demo.baton.test")).await;
    let space = one(app, "SELECT id FROM spaces WHERE name = 'Customer Support'").await;
    let bea = "user-bea".to_string();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, site_admin, created_at) \
         VALUES ($1, 'bea@demo.baton.test', 'Bea Billing', 'not a hash', 0, 0)",
    )
    .bind(&bea)
    .execute(&db.pool)
    .await
    .unwrap();
    let billing = backend::directory::create_space(db, "Billing")
        .await
        .unwrap();
    backend::directory::add_member(db, &billing, &bea, backend::directory::Role::SpaceAdmin)
        .await
        .unwrap();
    Site {
        space,
        billing,
        admin,
        ada,
        grace,
        bea,
    }
}

async fn customer(app: &TestApp, id: &str, name: &str) -> String {
    sqlx::query(
        "INSERT INTO customers (id, email, display_name, created_at) VALUES ($1, $2, $3, 0)",
    )
    .bind(id)
    .bind(format!("{id}@example.com"))
    .bind(name)
    .execute(&app.server_db().pool)
    .await
    .unwrap();
    id.to_string()
}

/// A conversation of `customer` in the demo space, accepted by `accepted_by` (made Available
/// for it), or ended at once with the Fallback message when nobody is Available.
async fn conversation(
    app: &TestApp,
    site: &Site,
    id: &str,
    customer: &str,
    accepted_by: Option<&str>,
) {
    let engine = &app.server.engine;
    if let Some(agent) = accepted_by {
        engine
            .execute(Command::SetAvailability {
                agent: AgentId::new(agent),
                scope: Scope::AllSpaces,
                availability: Availability::Available,
            })
            .await
            .unwrap();
    }
    engine
        .execute(Command::StartConversation {
            id: ConversationId::new(id),
            space: SpaceId::new(site.space.clone()),
            customer: Some(CustomerId::new(customer)),
            via: Start::Direct,
        })
        .await
        .unwrap();
    if let Some(agent) = accepted_by {
        engine
            .execute(Command::Accept {
                agent: AgentId::new(agent),
                conversation: ConversationId::new(id),
            })
            .await
            .unwrap();
    }
}

async fn task(app: &TestApp, space: &str, id: &str, assignee: Option<&str>, created: i64) {
    sqlx::query(
        "INSERT INTO work_items (id, space_id, work_type, title, status, assignee_id, created_at, updated_at) \
         VALUES ($1, $2, 'Task', $3, 'Open', $4, $5, $5)",
    )
    .bind(id)
    .bind(space)
    .bind(format!("Refund {id}"))
    .bind(assignee)
    .bind(created)
    .execute(&app.server_db().pool)
    .await
    .unwrap();
}

async fn queue(app: &TestApp, session: &str, form: &[(&str, &str)]) -> QueuePage {
    let (status, body) = call(app, session, "agent/queue", form).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn ids(page: &QueuePage) -> Vec<String> {
    page.rows.iter().map(|r| r.id.clone()).collect()
}

async fn session(app: &TestApp, user: &str) -> String {
    app.session_for(SignedIn::Staff(user.to_string())).await
}

// SPEC R-VIEW-3
#[tokio::test]
async fn a_filter_by_a_hidden_customer_finds_nothing_and_other_spaces_stay_out_of_sight() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let casey = customer(&app, "casey-1", "Casey Quiet").await;
    conversation(&app, &site, "c-hidden", &casey, Some(&site.ada)).await;
    let (ada, grace, bea) = (
        session(&app, &site.ada).await,
        session(&app, &site.grace).await,
        session(&app, &site.bea).await,
    );

    for filter in [
        "customer = \"casey-1@example.com\"",
        "customer = \"Casey Quiet\"",
        "customer IN (\"casey-1@example.com\") AND status = Active",
    ] {
        let for_grace = queue(&app, &grace, &[("filter", filter)]).await;
        assert!(
            for_grace.rows.is_empty(),
            "{filter} revealed {:?}",
            for_grace.rows
        );
        let for_ada = queue(&app, &ada, &[("filter", filter)]).await;
        assert_eq!(ids(&for_ada), vec!["work-c-hidden"], "{filter}");
    }
    // Grace still sees that it exists, without its customer.
    let all = queue(&app, &grace, &[("filter", "type = Conversation")]).await;
    assert_eq!(all.rows.len(), 1);
    assert_eq!(all.rows[0].customer, None);
    // Bea is in Billing only: nothing of Customer Support reaches her, whatever she asks.
    task(&app, &site.billing, "w-billing", None, 1).await;
    let everything = queue(&app, &bea, &[("filter", "")]).await;
    assert_eq!(ids(&everything), vec!["w-billing"]);
    for filter in [
        "customer = EMPTY",
        "customer != EMPTY",
        "space = \"Customer Support\"",
    ] {
        let for_bea = queue(&app, &bea, &[("filter", filter)]).await;
        assert!(
            ids(&for_bea).iter().all(|id| id == "w-billing"),
            "{filter:?}: {:?}",
            for_bea.rows
        );
    }
    app.stop().await;
}

// SPEC R-VIEW-3
#[tokio::test]
async fn ordering_by_customer_does_not_reveal_the_order_of_hidden_names() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let aaron = customer(&app, "aaron", "Aaron Able").await;
    let zoe = customer(&app, "zoe", "Zoe Zed").await;
    conversation(&app, &site, "c-zoe", &zoe, Some(&site.ada)).await;
    conversation(&app, &site, "c-aaron", &aaron, Some(&site.ada)).await;
    let (ada, grace) = (
        session(&app, &site.ada).await,
        session(&app, &site.grace).await,
    );
    let ascending = [("filter", "type = Conversation ORDER BY customer ASC")];
    let descending = [("filter", "type = Conversation ORDER BY customer DESC")];

    let up = ids(&queue(&app, &grace, &ascending).await);
    let down = ids(&queue(&app, &grace, &descending).await);

    assert_eq!(up.len(), 2);
    assert_eq!(up, down, "the hidden names ordered Grace's queue");
    // Ada may read both, so her order is by name.
    assert_eq!(
        ids(&queue(&app, &ada, &ascending).await),
        vec!["work-c-aaron", "work-c-zoe"]
    );
    app.stop().await;
}

async fn assignee_of(app: &TestApp, work_item: &str) -> Option<String> {
    let (assignee,): (Option<String>,) =
        sqlx::query_as("SELECT assignee_id FROM work_items WHERE id = $1")
            .bind(work_item)
            .fetch_one(&app.server_db().pool)
            .await
            .unwrap();
    assignee
}

async fn audit_rows(app: &TestApp) -> Vec<(Option<String>, String, String, String, String)> {
    sqlx::query_as(
        "SELECT actor_id, subject, field, old_value, new_value FROM audit_log ORDER BY at, id",
    )
    .fetch_all(&app.server_db().pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_agent_outside_the_space_cannot_unassign_its_work_and_nothing_changes() {
    let app = spawn_app().await;
    let site = site(&app).await;
    task(&app, &site.space, "w-task", Some(&site.ada), 1).await;
    let bea = session(&app, &site.bea).await;

    for to_me in ["false", "true"] {
        let (status, body) = call(
            &app,
            &bea,
            "agent/assign",
            &[("work_item", "w-task"), ("to_me", to_me)],
        )
        .await;
        assert_eq!(status, 403, "to_me={to_me}: {body}");
    }

    assert_eq!(assignee_of(&app, "w-task").await, Some(site.ada.clone()));
    assert!(audit_rows(&app).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_member_assigning_and_unassigning_work_leaves_an_audit_entry_each_time() {
    let app = spawn_app().await;
    let site = site(&app).await;
    task(&app, &site.space, "w-task", Some(&site.ada), 1).await;
    let grace = session(&app, &site.grace).await;

    let (status, body) = call(
        &app,
        &grace,
        "agent/assign",
        &[("work_item", "w-task"), ("to_me", "true")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        &app,
        &grace,
        "agent/assign",
        &[("work_item", "w-task"), ("to_me", "false")],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    assert_eq!(assignee_of(&app, "w-task").await, None);
    let grace_id = Some(site.grace.clone());
    let entry = |old: &str, new: &str| {
        (
            grace_id.clone(),
            "Task Refund w-task".to_string(),
            "Assignee".to_string(),
            old.to_string(),
            new.to_string(),
        )
    };
    assert_eq!(
        audit_rows(&app).await,
        vec![
            entry("Ada Lovelace", "Grace Hopper"),
            entry("Grace Hopper", "")
        ]
    );
    app.stop().await;
}

fn help_form<'a>(experience: &'a str, space: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("experience", experience),
        ("name", "Baton Help"),
        ("mode", "support_team"),
        ("website", "true"),
        ("embedded", "true"),
        ("space", space),
        ("fallback_message", "Write to help@example.com"),
        ("help_text", ""),
        ("allowed_domains", "127.0.0.1:3002"),
    ]
}

// SPEC R-SPACE-4, R-ROUTE-1
#[tokio::test]
async fn an_experience_admin_cannot_route_live_chat_into_a_space_they_do_not_administer() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let experience = one(&app, "SELECT id FROM experiences WHERE name = 'Baton Help'").await;
    sqlx::query("INSERT INTO experience_admins (experience_id, user_id) VALUES ($1, $2)")
        .bind(&experience)
        .bind(&site.grace)
        .execute(&app.server_db().pool)
        .await
        .unwrap();
    let (grace, admin) = (
        session(&app, &site.grace).await,
        session(&app, &site.admin).await,
    );
    let routed = || {
        one(
            &app,
            "SELECT space_id FROM experiences WHERE name = 'Baton Help'",
        )
    };

    let (status, body) = call(
        &app,
        &grace,
        "admin/experience/save",
        &help_form(&experience, &site.billing),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("only into a space you administer"), "{body}");
    assert_eq!(routed().await, site.space);

    // Keeping the space a site admin chose is fine, and a site admin routes anywhere.
    let (status, body) = call(
        &app,
        &grace,
        "admin/experience/save",
        &help_form(&experience, &site.space),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        &app,
        &admin,
        "admin/experience/save",
        &help_form(&experience, &site.billing),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(routed().await, site.billing);
    app.stop().await;
}

#[tokio::test]
async fn an_outsider_asking_the_service_status_learns_no_counts() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let status = |cookie: Option<String>| {
        let mut request = app
            .client
            .post(app.url("/api/service-status"))
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(session) = cookie {
            request = request.header(
                "cookie",
                format!("{}={session}", backend::sessions::COOKIE_NAME),
            );
        }
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };

    let outsider = status(None).await;
    let staff = status(Some(session(&app, &site.ada).await)).await;

    assert_eq!(outsider["database_answers"], true, "{outsider}");
    assert!(outsider["details"].is_null(), "{outsider}");
    for secret in ["spaces", "conversations", "SQLite", "Baton demo"] {
        assert!(
            !outsider.to_string().contains(secret),
            "{secret} in {outsider}"
        );
    }
    assert_eq!(staff["details"]["spaces"], 2, "{staff}");
    assert_eq!(staff["details"]["staff"], 4, "{staff}");
    app.stop().await;
}

// SPEC R-VIEW-3, R-VIEW-6
#[tokio::test]
async fn an_agent_who_reads_none_of_a_customers_conversations_cannot_open_their_profile() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let casey = customer(&app, "casey-2", "Casey Private").await;
    conversation(&app, &site, "c-private", &casey, Some(&site.ada)).await;
    let open = |session: String, customer: &'static str| {
        let app = &app;
        async move { call(app, &session, "agent/customer", &[("customer", customer)]).await }
    };

    let (status, body) = open(session(&app, &site.grace).await, "casey-2").await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("Casey Private"), "{body}");
    // The refusal is the same as for a customer who does not exist: it confirms nothing.
    let (missing, missing_body) = open(session(&app, &site.grace).await, "nobody").await;
    assert_eq!((missing, missing_body), (status, body));

    let (status, body) = open(session(&app, &site.ada).await, "casey-2").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = open(session(&app, &site.admin).await, "casey-2").await;
    assert_eq!(status, 200, "{body}");
    let profile: CustomerProfile = serde_json::from_str(&body).unwrap();
    assert_eq!(profile.name, "Casey Private");
    assert!(!profile.conversations[0].readable);
    app.stop().await;
}

#[tokio::test]
async fn queues_come_in_pages_of_at_most_two_hundred_with_a_cursor_to_the_next() {
    let app = spawn_app().await;
    let site = site(&app).await;
    for i in 0..205 {
        task(&app, &site.space, &format!("w-{i:03}"), None, 1_000 + i).await;
    }
    let ada = session(&app, &site.ada).await;
    let filter = "type = Task ORDER BY created DESC";

    let first = queue(&app, &ada, &[("filter", filter)]).await;
    assert_eq!(first.rows.len(), 50, "the default page");
    assert_eq!(first.rows[0].id, "w-204");
    let big = queue(&app, &ada, &[("filter", filter), ("limit", "100000")]).await;
    assert_eq!(big.rows.len(), 200, "the largest page");

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut form = vec![("filter", filter), ("limit", "60")];
        if let Some(cursor) = &after {
            form.push(("after", cursor));
        }
        let page = queue(&app, &ada, &form).await;
        seen.extend(ids(&page));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let expected: Vec<String> = (0..205).rev().map(|i| format!("w-{i:03}")).collect();
    assert_eq!(seen, expected);

    let (status, body) = call(
        &app,
        &ada,
        "agent/queue",
        &[("filter", filter), ("after", "not-a-cursor")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    app.stop().await;
}

// SPEC R-VIEW-6
#[tokio::test]
async fn a_profile_lists_a_long_history_a_page_at_a_time() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let casey = customer(&app, "casey-3", "Casey Regular").await;
    // Nobody is Available, so each ends at once with the Fallback message (SPEC R-ROUTE-6).
    for i in 0..55 {
        conversation(&app, &site, &format!("c-{i:02}"), &casey, None).await;
    }
    let admin = session(&app, &site.admin).await;

    let (status, body) = call(&app, &admin, "agent/customer", &[("customer", "casey-3")]).await;
    assert_eq!(status, 200, "{body}");
    let first: CustomerProfile = serde_json::from_str(&body).unwrap();
    let next = first.next.clone().expect("a second page");
    let (status, body) = call(
        &app,
        &admin,
        "agent/customer",
        &[("customer", "casey-3"), ("after", &next)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let second: CustomerProfile = serde_json::from_str(&body).unwrap();

    assert_eq!(first.conversations.len(), 50);
    assert_eq!(second.conversations.len(), 5);
    assert_eq!(second.next, None);
    let oldest_first = first.conversations.last().unwrap().started_at;
    assert!(
        second
            .conversations
            .iter()
            .all(|c| c.started_at <= oldest_first)
    );
    app.stop().await;
}
