//! Issue 15, items 7, 8, 10 (status, profiles) and 11 (paging), over real HTTP: queue filters
//! and orders reveal nothing of conversations the agent may not read (SPEC R-VIEW-3); only
//! members assign a space's work, and every assignment is audited; experience admins route
//! only into spaces they administer; outsiders learn no counts; profiles are for those who may
//! read the customer's conversations; queues and profiles come in pages.
//! This file holds the site the tests meet on; the tests are grouped in the modules below.

mod assignment;
mod exposure;
mod queues;

use app::pages::agent::actions::{AssignWorkItem, CustomerProfile as OpenProfile, Queue};
use domain::views::{CustomerProfile, QueuePage};
use domain::{AgentId, Availability, Command, ConversationId, CustomerId, Scope, SpaceId, Start};

use crate::helpers::{Staff, TestApp, TestUser, spawn_app};

/// The demo site (whose team and counts some tests check) plus a second space, Billing,
/// whose only member is Bea.
struct Site {
    space: String,
    billing: String,
    admin: TestUser,
    ada: TestUser,
    grace: TestUser,
    bea: TestUser,
}

async fn one(app: &TestApp, sql: &str) -> String {
    let (value,): (String,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.server_db().pool)
        .await
        .unwrap();
    value
}

async fn site(app: &TestApp) -> Site {
    let admin = app.demo_staff("admin@demo.baton.test").await;
    let ada = app.demo_staff("ada@demo.baton.test").await;
    let grace = app.demo_staff("grace@demo.baton.test").await;
    let space = app.demo_space().await;
    let billing = app.create_space("Billing").await;
    let bea = app
        .create_staff(Staff::named("Bea Billing").space_admin_of(&billing))
        .await;
    Site {
        space,
        billing,
        admin,
        ada,
        grace,
        bea,
    }
}

async fn customer(app: &TestApp, name: &str) -> TestUser {
    app.create_customer(name).await
}

/// A conversation of `customer` in the demo space, accepted by `accepted_by` (made Available
/// for it), or ended at once with the Fallback message when nobody is Available.
async fn conversation(
    app: &TestApp,
    site: &Site,
    id: &str,
    customer: &TestUser,
    accepted_by: Option<&TestUser>,
) {
    let engine = &app.server.engine;
    if let Some(agent) = accepted_by {
        engine
            .execute(Command::SetAvailability {
                agent: AgentId::new(agent.id.clone()),
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
            customer: Some(CustomerId::new(customer.id.clone())),
            via: Start::Direct,
        })
        .await
        .unwrap();
    if let Some(agent) = accepted_by {
        engine
            .execute(Command::Accept {
                agent: AgentId::new(agent.id.clone()),
                conversation: ConversationId::new(id),
            })
            .await
            .unwrap();
    }
}

async fn task(app: &TestApp, space: &str, id: &str, assignee: Option<&TestUser>, created: i64) {
    sqlx::query(
        "INSERT INTO work_items (id, space_id, work_type, title, status, assignee_id, created_at, updated_at) \
         VALUES ($1, $2, 'Task', $3, 'Open', $4, $5, $5)",
    )
    .bind(id)
    .bind(space)
    .bind(format!("Refund {id}"))
    .bind(assignee.map(|user| user.id.clone()))
    .bind(created)
    .execute(&app.server_db().pool)
    .await
    .unwrap();
}

/// The first page of a queue filter, in the default size.
fn filter(filter: &str) -> Queue {
    Queue {
        filter: filter.into(),
        after: None,
        limit: None,
    }
}

async fn queue(app: &TestApp, session: &str, query: Queue) -> QueuePage {
    app.ok_as(session, query).await
}

async fn assign(app: &TestApp, session: &str, work_item: &str, to_me: bool) -> (u16, String) {
    let work_item = work_item.to_string();
    app.call_as(session, AssignWorkItem { work_item, to_me })
        .await
}

async fn profile(
    app: &TestApp,
    session: &str,
    customer: &str,
    after: Option<&str>,
) -> (u16, String) {
    let (customer, after) = (customer.to_string(), after.map(String::from));
    app.call_as(session, OpenProfile { customer, after }).await
}

fn ids(page: &QueuePage) -> Vec<String> {
    page.rows.iter().map(|r| r.id.clone()).collect()
}

async fn session(app: &TestApp, user: &TestUser) -> String {
    app.sign_in_as(user).await
}

// SPEC R-VIEW-3
