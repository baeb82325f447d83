//! Admin settings: the site, spaces, customer experiences, members and roles, and the audit
//! log every change writes to. Each function checks the actor's role first (never trusting the
//! page that called it) and changes one thing in one transaction with its audit entry.

pub mod audit;
pub mod experiences;
pub mod invitations;
pub mod site;
pub mod space_members;
pub mod space_work;
pub mod spaces;

use std::collections::BTreeSet;

use domain::roles::{Setting, StaffRoles};

use crate::{db::Db, error::BackendError};

/// A staff member changing settings, with the roles they hold now.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub roles: StaffRoles,
}

impl Actor {
    /// Loads the staff member's roles; an unknown id (a deleted account) may change nothing.
    pub async fn load(db: &Db, user: &str) -> Result<Actor, BackendError> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT display_name, site_admin FROM users WHERE id = $1")
                .bind(user)
                .fetch_optional(&db.pool)
                .await?;
        let Some((name, site_admin)) = row else {
            return Err(BackendError::Forbidden);
        };
        let spaces: Vec<(String,)> = sqlx::query_as(
            "SELECT space_id FROM space_members WHERE user_id = $1 AND role = 'space_admin'",
        )
        .bind(user)
        .fetch_all(&db.pool)
        .await?;
        let experiences: Vec<(String,)> =
            sqlx::query_as("SELECT experience_id FROM experience_admins WHERE user_id = $1")
                .bind(user)
                .fetch_all(&db.pool)
                .await?;
        Ok(Actor {
            id: user.to_string(),
            name,
            roles: StaffRoles {
                site_admin: site_admin != 0,
                space_admin_of: spaces.into_iter().map(|(s,)| s).collect::<BTreeSet<_>>(),
                experience_admin_of: experiences.into_iter().map(|(e,)| e).collect(),
            },
        })
    }

    /// Loads the actor and refuses unless they may change `setting`.
    pub async fn allowed(db: &Db, user: &str, setting: Setting<'_>) -> Result<Actor, BackendError> {
        let actor = Actor::load(db, user).await?;
        actor.require(setting)?;
        Ok(actor)
    }

    pub fn require(&self, setting: Setting<'_>) -> Result<(), BackendError> {
        if self.roles.may_change(setting) {
            Ok(())
        } else {
            tracing::info!(actor = %self.id, ?setting, "settings change refused: no role");
            Err(BackendError::Forbidden)
        }
    }
}

/// A random token in lowercase hex, for widget keys, identity secrets and invitation links.
pub(crate) fn random_hex(bytes: usize) -> String {
    use rand_core::{OsRng, RngCore};
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Maps a unique-constraint failure to a clear refusal.
pub(crate) fn taken(error: sqlx::Error, message: impl FnOnce() -> String) -> BackendError {
    match error {
        sqlx::Error::Database(d) if d.is_unique_violation() => BackendError::Invalid(message()),
        other => other.into(),
    }
}

/// First-admin set-up from the browser: creates the first site admin, only while the site has
/// no staff at all (checked in the write transaction, so two people cannot both succeed).
const ALREADY_SET_UP: &str = "Baton is already set up. Sign in, or ask a site admin to invite you.";

pub async fn create_first_admin(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, BackendError> {
    let email = crate::accounts::parse_email(email)?;
    crate::accounts::check_password_strength(password)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(BackendError::Invalid(
            "Enter your name (at most 100 characters).".into(),
        ));
    }
    // Refused before hashing: a set-up site must not spend a hash on every stranger's try.
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Err(BackendError::Invalid(ALREADY_SET_UP.into()));
    }
    let hash = crate::accounts::hash_password(password.to_string()).await?;
    crate::demo::ensure_site(db, "Baton").await?;
    let mut tx = db.begin_write().await?;
    let (staff,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *tx)
        .await?;
    if staff > 0 {
        return Err(BackendError::Invalid(ALREADY_SET_UP.into()));
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, site_admin, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5)",
    )
    .bind(&id)
    .bind(&email)
    .bind(name)
    .bind(&hash)
    .bind(crate::clock::now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}
