//! The people most stories need: the site with a space, agents in it, a signed-in customer, and
//! the demo site's admin. Emails are made from the names, so a test names people only once.

use backend::{
    Db,
    store::{
        Actor, site,
        spaces::{self, Role},
        users::{self, NewStaff},
    },
};
use domain::{AgentId, CustomerId, SpaceId};

/// The password every test agent is created with.
pub const PASSWORD: &str = "a long password";

/// The site row and its first space, `name`.
pub async fn site_with_space(db: &Db, name: &str) -> SpaceId {
    site::ensure_site(db, "Test site").await.unwrap();
    space(db, name).await
}

/// Another space on a site that already exists.
pub async fn space(db: &Db, name: &str) -> SpaceId {
    SpaceId::new(spaces::create(db, name).await.unwrap())
}

/// A staff member (not a site admin) with the Agent role in `space`, left Unavailable.
pub async fn agent_in(db: &Db, space: &SpaceId, name: &str) -> AgentId {
    let id = users::create_staff(
        db,
        NewStaff {
            email: email_of(name),
            display_name: name.into(),
            password: PASSWORD.into(),
            site_admin: false,
        },
    )
    .await
    .unwrap();
    spaces::add_member(db, space.as_str(), &id, Role::Agent)
        .await
        .unwrap();
    AgentId::new(id)
}

/// A signed-in customer (a customer record without a password).
pub async fn customer(db: &Db, name: &str) -> CustomerId {
    CustomerId::new(
        users::create_customer(db, &email_of(name), name)
            .await
            .unwrap(),
    )
}

/// Seeds the demo site (once) and acts as its site admin.
pub async fn demo_admin(db: &Db) -> Actor {
    backend::demo::seed_if_empty(db).await.unwrap();
    let (admin,): (String,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'admin@demo.baton.test'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    Actor::load(db, &admin).await.unwrap()
}

/// "Ada" is ada@example.com, "Agent 3" is agent.3@example.com.
fn email_of(name: &str) -> String {
    let local: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    format!("{}@example.com", local.join("."))
}
