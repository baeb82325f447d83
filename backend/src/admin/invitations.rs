//! Accepting an invitation to a space: the invited person chooses a name and a password, and
//! becomes a staff member of that space in one transaction.

use serde::{Deserialize, Serialize};

use super::space_members::{add_member_in, parse_role};
use crate::{
    accounts::{check_password_strength, hash_password},
    clock::now_ms,
    db::Db,
    error::BackendError,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub space: String,
    pub email: String,
    pub role: String,
}

const GONE: &str =
    "This invitation link has expired or was already used. Ask your space admin for a new one.";

/// The invitation behind a link, while it is still good.
pub async fn find(db: &Db, token: &str) -> Result<InvitationView, BackendError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT s.name, i.email, i.role FROM invitations i JOIN spaces s ON s.id = i.space_id \
         WHERE i.token = $1 AND i.accepted_at IS NULL AND i.expires_at > $2",
    )
    .bind(token)
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?;
    let (space, email, role) = row.ok_or_else(|| BackendError::Invalid(GONE.into()))?;
    Ok(InvitationView { space, email, role })
}

/// Creates the staff account and the membership; returns the new user's id. A second click
/// finds the invitation used and changes nothing.
pub async fn accept(
    db: &Db,
    token: &str,
    display_name: &str,
    password: &str,
) -> Result<String, BackendError> {
    let name = display_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(BackendError::Invalid(
            "Enter your name (at most 100 characters).".into(),
        ));
    }
    check_password_strength(password)?;
    // A token that cannot be accepted is refused before hashing (checked again below, in the
    // transaction, where it counts).
    let usable: Option<(String,)> = sqlx::query_as(
        "SELECT token FROM invitations WHERE token = $1 AND accepted_at IS NULL AND expires_at > $2",
    )
    .bind(token)
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?;
    if usable.is_none() {
        return Err(BackendError::Invalid(GONE.into()));
    }
    let hash = hash_password(password.to_string()).await?;
    let mut tx = db.begin_write().await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT space_id, email, role FROM invitations \
         WHERE token = $1 AND accepted_at IS NULL AND expires_at > $2",
    )
    .bind(token)
    .bind(now_ms())
    .fetch_optional(&mut *tx)
    .await?;
    let (space, email, role) = row.ok_or_else(|| BackendError::Invalid(GONE.into()))?;
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(BackendError::Invalid(format!(
            "{email} already has a Baton account: sign in, and ask your space admin to add you."
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, site_admin, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(&id)
    .bind(&email)
    .bind(name)
    .bind(&hash)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    add_member_in(&mut tx, &space, &id, parse_role(&role)?).await?;
    sqlx::query("UPDATE invitations SET accepted_at = $1 WHERE token = $2")
        .bind(now_ms())
        .bind(token)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}
