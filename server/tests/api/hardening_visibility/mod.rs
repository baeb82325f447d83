//! Issue 15, items 7, 8, 10 (status, profiles) and 11 (paging), over real HTTP: queue filters
//! and orders reveal nothing of conversations the agent may not read (SPEC R-VIEW-3); only
//! members assign a space's work, and every assignment is audited; experience admins route
//! only into spaces they administer; outsiders learn no counts; profiles are for those who may
//! read the customer's conversations; queues and profiles come in pages.
//! This file holds the site the tests meet on; the tests are grouped in the modules below.

mod assignment;
mod exposure;
mod queues;

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
    let billing = backend::store::spaces::create(db, "Billing").await.unwrap();
    backend::store::spaces::add_member(
        db,
        &billing,
        &bea,
        backend::store::spaces::Role::SpaceAdmin,
    )
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
