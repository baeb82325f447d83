//! Demo data: the one place that fills an empty database when the server runs in demo mode.
//! It runs only when the site has no settings row yet, so a second start re-seeds nothing.

use crate::{
    db::Db,
    error::BackendError,
    store::{
        experiences, site,
        spaces::{self, Role},
        users::{NewStaff, create_staff},
    },
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

/// Seeds the demo site when the database is empty. Returns true when it seeded.
pub async fn seed_if_empty(db: &Db) -> Result<bool, BackendError> {
    if site::site_exists(db).await? {
        return Ok(false);
    }
    site::ensure_site(db, "Baton demo").await?;
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
    let space_id = spaces::create(db, "Customer Support").await?;
    for (id, role) in ids.iter().zip([Role::SpaceAdmin, Role::Agent, Role::Agent]) {
        spaces::add_member(db, &space_id, id, role).await?;
    }
    seed_settings(db, &space_id).await?;
    for login in DEMO_LOGINS.iter().filter(|login| login.role == "customer") {
        crate::customers::sign_up(db, login.email, "Casey Customer", login.password).await?;
    }
    Ok(true)
}

/// The demo's embedded widget key: fixed, so the demo host page can name it.
pub const DEMO_WIDGET_KEY: &str = "wk_demo_help";

/// Customer experiences, a queue and an SLA goal, so every settings page has something in it.
async fn seed_settings(db: &Db, space: &str) -> Result<(), BackendError> {
    let experiences = [
        (
            "Baton Help",
            "support_team",
            1,
            DEMO_WIDGET_KEY,
            r#"["127.0.0.1:3002","localhost:3002"]"#,
            "Sign in and chat with our support team. Most questions are answered within minutes.\n\nCommon topics: billing, your account, getting started.",
        ),
        (
            "Baton Shop Assistant",
            "ai_and_team",
            0,
            "wk_demo_shop",
            "[]",
            "Questions about an order, delivery, returns or sizes? Our AI agent answers at once from our help articles, and a person from the team takes over whenever you ask.",
        ),
    ];
    for (name, mode, embedded, key, domains, help) in experiences {
        sqlx::query(
            "INSERT INTO experiences (id, name, support_mode, website, embedded, space_id, fallback_message, help_text,              widget_key, allowed_domains, identity_secret, created_at) VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(name)
        .bind(mode)
        .bind(embedded)
        .bind(space)
        .bind("No agent can take your chat right now. Write to help@demo.baton.test and we will answer within a day, or read https://demo.baton.test/help while you wait.")
        .bind(help)
        .bind(key)
        .bind(domains)
        .bind(experiences::new_identity_secret())
        .bind(crate::clock::now_ms())
        .execute(&db.pool)
        .await?;
    }
    seed_knowledge_base(db, "wk_demo_shop").await?;
    sqlx::query(
        "INSERT INTO queues (id, space_id, name, filter, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(space)
    .bind("Open conversations")
    .bind(r#"type = Conversation AND status != Closed ORDER BY created DESC"#)
    .bind(crate::clock::now_ms())
    .execute(&db.pool)
    .await?;
    sqlx::query(
        "INSERT INTO sla_goals (space_id, work_type, minutes) VALUES ($1, 'Conversation', 5)",
    )
    .bind(space)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The Shop Assistant's AI agent: the demo knowledge base, published, with one handoff phrase.
async fn seed_knowledge_base(db: &Db, widget_key: &str) -> Result<(), BackendError> {
    let experience = experiences::by_key(db, widget_key).await?.id;
    let now = crate::clock::now_ms();
    for (title, body) in crate::demo_kb::DEMO_ARTICLES {
        sqlx::query(
            "INSERT INTO kb_articles (id, experience_id, title, body, published, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&experience)
        .bind(title)
        .bind(body)
        .bind(now)
        .execute(&db.pool)
        .await?;
    }
    sqlx::query(
        "INSERT INTO ai_agents (experience_id, unconfident_limit, handoff_phrases, updated_at) VALUES ($1, 2, $2, $3)",
    )
    .bind(&experience)
    .bind(r#"["chargeback","legal complaint"]"#)
    .bind(now)
    .execute(&db.pool)
    .await?;
    sqlx::query("UPDATE experiences SET ai_published = 1 WHERE id = $1")
        .bind(&experience)
        .execute(&db.pool)
        .await?;
    Ok(())
}
