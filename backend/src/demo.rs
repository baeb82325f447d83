//! Demo data: the one place that fills an empty database when the server runs in demo mode.
//! It runs only when the site has no settings row yet, so a second start re-seeds nothing.

use crate::{
    accounts::{NewStaff, create_staff},
    db::Db,
    directory::{self, Role},
    error::BackendError,
};

/// A sign-in the demo creates, printed at start so a newcomer can click through at once.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

pub const DEMO_PASSWORD: &str = "baton-demo";

pub const DEMO_LOGINS: [DemoLogin; 4] = [
    DemoLogin {
        role: "site admin",
        email: "admin@demo.baton.test",
        password: DEMO_PASSWORD,
    },
    DemoLogin {
        role: "agent",
        email: "ada@demo.baton.test",
        password: DEMO_PASSWORD,
    },
    DemoLogin {
        role: "agent",
        email: "grace@demo.baton.test",
        password: DEMO_PASSWORD,
    },
    DemoLogin {
        role: "customer",
        email: "casey@demo.baton.test",
        password: DEMO_PASSWORD,
    },
];

/// Whether the site has been set up (by the demo or by `create-admin`).
pub async fn site_exists(db: &Db) -> Result<bool, BackendError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM site_settings WHERE id = 1")
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// Creates the site settings row if missing (first start of a production database).
pub async fn ensure_site(db: &Db, name: &str) -> Result<(), BackendError> {
    if !site_exists(db).await? {
        sqlx::query("INSERT INTO site_settings (id, name) VALUES (1, $1)")
            .bind(name)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// Seeds the demo site when the database is empty. Returns true when it seeded.
pub async fn seed_if_empty(db: &Db) -> Result<bool, BackendError> {
    if site_exists(db).await? {
        return Ok(false);
    }
    ensure_site(db, "Baton demo").await?;
    let mut ids = Vec::new();
    let staff = DEMO_LOGINS.iter().filter(|login| login.role != "customer");
    for (login, name) in staff.zip(["Alex Admin", "Ada Lovelace", "Grace Hopper"]) {
        let id = create_staff(
            db,
            NewStaff {
                email: login.email.into(),
                display_name: name.into(),
                password: login.password.into(),
                site_admin: login.role == "site admin",
            },
        )
        .await?;
        ids.push(id);
    }
    let space_id = directory::create_space(db, "Customer Support").await?;
    for (id, role) in ids.iter().zip([Role::SpaceAdmin, Role::Agent, Role::Agent]) {
        directory::add_member(db, &space_id, id, role).await?;
    }
    for login in DEMO_LOGINS.iter().filter(|login| login.role == "customer") {
        crate::customers::sign_up(db, login.email, "Casey Customer", login.password).await?;
    }
    Ok(true)
}

/// Counts shown on the landing page's status check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteOverview {
    pub site_name: Option<String>,
    pub spaces: i64,
    pub staff: i64,
    pub conversations: i64,
}

pub async fn overview(db: &Db) -> Result<SiteOverview, BackendError> {
    let site_name: Option<(String,)> =
        sqlx::query_as("SELECT name FROM site_settings WHERE id = 1")
            .fetch_optional(&db.pool)
            .await?;
    let (spaces,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM spaces")
        .fetch_one(&db.pool)
        .await?;
    let (staff,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    let (conversations,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM conversations")
        .fetch_one(&db.pool)
        .await?;
    Ok(SiteOverview {
        site_name: site_name.map(|(n,)| n),
        spaces,
        staff,
        conversations,
    })
}
