//! Invitations to a space. Baton sends no mail yet, so inviting someone who has no account
//! makes a link for the space admin to pass on; accepting it, the invited person chooses a name
//! and a password and becomes a staff member of that space in one transaction.

use domain::views::settings::PendingInvitation;
use serde::{Deserialize, Serialize};

use super::{
    random_hex,
    spaces::{Role, add_member_in},
    users::insert_staff,
};
use crate::{
    accounts::{check_password_strength, hash_password},
    clock::now_ms,
    db::Db,
    error::BackendError,
};

/// Invitations are good for a week.
pub const INVITATION_DAYS: i64 = 7;

/// The space's invitations not yet accepted and still good, oldest first.
pub async fn pending(db: &Db, space: &str) -> Result<Vec<PendingInvitation>, BackendError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT token, email, role, expires_at FROM invitations \
         WHERE space_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at",
    )
    .bind(space)
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(token, email, role, expires_at)| PendingInvitation {
            email,
            role,
            link: format!("/invite/{token}"),
            expires_at,
        })
        .collect())
}

/// Makes an invitation good for [`INVITATION_DAYS`] in `tx`; returns the link's path.
pub async fn create_in(
    tx: &mut sqlx::AnyConnection,
    space: &str,
    email: &str,
    role: Role,
    invited_by: &str,
) -> Result<String, BackendError> {
    let token = random_hex(24);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO invitations (token, space_id, email, role, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&token)
    .bind(space)
    .bind(email)
    .bind(role.code())
    .bind(invited_by)
    .bind(now)
    .bind(now + INVITATION_DAYS * 24 * 3_600_000)
    .execute(&mut *tx)
    .await?;
    Ok(format!("/invite/{token}"))
}

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
    let id = insert_staff(&mut tx, &email, name, &hash, false).await?;
    add_member_in(&mut tx, &space, &id, Role::parse(&role)?).await?;
    sqlx::query("UPDATE invitations SET accepted_at = $1 WHERE token = $2")
        .bind(now_ms())
        .bind(token)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}
