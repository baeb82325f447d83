//! Spaces, their members and customers as the demo seed and the tests create them, without an
//! acting admin. The settings pages go through `admin`, which checks roles and audits.

use crate::{clock::now_ms, db::Db, error::BackendError};

/// Creates a space with **Live chat** on (SPEC R-SPACE-1) and returns its id.
pub async fn create_space(db: &Db, name: &str) -> Result<String, BackendError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(BackendError::Invalid("A space needs a name.".into()));
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO spaces (id, name, live_chat, created_at) VALUES ($1, $2, 1, $3)")
        .bind(&id)
        .bind(name)
        .bind(now_ms())
        .execute(&db.pool)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                BackendError::Invalid(format!("A space called {name:?} already exists."))
            }
            other => other.into(),
        })?;
    for work_type in domain::views::FOLLOW_UP_TYPES {
        sqlx::query("INSERT INTO work_types (space_id, name) VALUES ($1, $2)")
            .bind(&id)
            .bind(work_type)
            .execute(&db.pool)
            .await?;
    }
    Ok(id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    SpaceAdmin,
    Agent,
}

impl Role {
    fn code(self) -> &'static str {
        match self {
            Role::SpaceAdmin => "space_admin",
            Role::Agent => "agent",
        }
    }
}

/// Adds a member at the end of the space's round-robin order, Unavailable until they say so.
pub async fn add_member(db: &Db, space: &str, user: &str, role: Role) -> Result<(), BackendError> {
    let (next,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM space_members WHERE space_id = $1",
    )
    .bind(space)
    .fetch_one(&db.pool)
    .await?;
    sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, position, availability) VALUES ($1, $2, $3, $4, 'Unavailable')",
    )
    .bind(space)
    .bind(user)
    .bind(role.code())
    .bind(next)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Creates a customer record (sign-up with a password comes with the widget) and returns its id.
pub async fn create_customer(
    db: &Db,
    email: &str,
    display_name: &str,
) -> Result<String, BackendError> {
    let email = crate::accounts::parse_email(email)?;
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO customers (id, email, display_name, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(&email)
    .bind(display_name.trim())
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// A space member's availability as stored.
pub async fn availability(db: &Db, space: &str, user: &str) -> Result<String, BackendError> {
    let (state,): (String,) = sqlx::query_as(
        "SELECT availability FROM space_members WHERE space_id = $1 AND user_id = $2",
    )
    .bind(space)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(BackendError::NotFound)?;
    Ok(state)
}
