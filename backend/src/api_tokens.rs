//! REST API tokens: made and revoked by site admins (audited), each acting for one staff member.
//! The value is 256 random bits shown once; the database keeps its SHA-256 (like session ids),
//! so a copy of the database lets nobody call the API.

use domain::roles::Setting;
use domain::views::api_tokens::{ApiScope, ApiTokenView, CreatedToken};
use sha2::{Digest, Sha256};

use crate::{
    clock::now_ms,
    db::Db,
    error::BackendError,
    store::{
        Actor,
        audit::{Audited, Change, found},
    },
};

/// What every token starts with, so secret scanners and people recognise one.
pub const PREFIX: &str = "baton_";
/// A token's last use is written at most this often (a busy integration would otherwise write
/// on every request).
const LAST_USED_EVERY_MS: i64 = 60_000;
const MAX_NAME_CHARS: usize = 100;

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Who a presented token acts for, and what it may do.
#[derive(Clone, Debug)]
pub struct TokenHolder {
    pub token_id: String,
    pub user_id: String,
    pub scope: ApiScope,
}

/// The holder of `presented`, if it is a live token (not revoked, its staff member still
/// there). Anything else is `None`: the caller answers 401 without saying why.
pub async fn authenticate(db: &Db, presented: &str) -> Result<Option<TokenHolder>, BackendError> {
    if !presented.starts_with(PREFIX) || presented.len() > 200 {
        return Ok(None);
    }
    let row: Option<(String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, user_id, scope, last_used_at FROM api_tokens \
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(digest(presented))
    .fetch_optional(&db.pool)
    .await?;
    let Some((token_id, user_id, scope, last_used)) = row else {
        return Ok(None);
    };
    let now = now_ms();
    if last_used.is_none_or(|at| now - at >= LAST_USED_EVERY_MS) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&token_id)
            .execute(&db.pool)
            .await?;
    }
    Ok(ApiScope::from_code(&scope).map(|scope| TokenHolder {
        token_id,
        user_id,
        scope,
    }))
}

pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<ApiTokenView>, BackendError> {
    actor.require(Setting::Site)?;
    type Row = (
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.name, t.user_id, u.display_name, t.scope, t.created_at, t.last_used_at, \
         t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         ORDER BY t.created_at DESC, t.id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, acts_for, acts_for_name, scope, created_at, last_used_at, revoked_at)| {
                ApiTokenView {
                    id,
                    name,
                    acts_for,
                    acts_for_name,
                    scope: ApiScope::from_code(&scope).unwrap_or(ApiScope::Read),
                    created_at,
                    last_used_at,
                    revoked_at,
                }
            },
        )
        .collect())
}

/// Makes a token acting for staff member `acts_for`. Its value is in the answer, never again.
pub async fn create(
    db: &Db,
    actor: &Actor,
    name: &str,
    acts_for: &str,
    scope: ApiScope,
) -> Result<CreatedToken, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Site).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(BackendError::Invalid(format!(
            "Name the token (up to {MAX_NAME_CHARS} characters), such as the system that uses it."
        )));
    }
    let person: Option<(String,)> = sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
        .bind(acts_for)
        .fetch_optional(change.tx())
        .await?;
    let (acts_for_name,) = person.ok_or_else(|| {
        BackendError::Invalid("Choose the team member the token acts for.".into())
    })?;
    let secret = crate::secrets::random_secret(PREFIX, 32);
    let id = uuid::Uuid::now_v7().to_string();
    let created_at = now_ms();
    sqlx::query(
        "INSERT INTO api_tokens (id, name, token_hash, scope, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(name)
    .bind(digest(&secret))
    .bind(scope.code())
    .bind(acts_for)
    .bind(created_at)
    .execute(change.tx())
    .await?;
    change.changed(Change::new(
        format!("API token {name}"),
        "Access",
        "",
        format!("{} as {acts_for_name}", scope.label()),
    ));
    change.commit().await?;
    Ok(CreatedToken {
        token: ApiTokenView {
            id,
            name: name.to_string(),
            acts_for: acts_for.to_string(),
            acts_for_name,
            scope,
            created_at,
            last_used_at: None,
            revoked_at: None,
        },
        secret,
    })
}

/// Revokes a token: its next request gets 401.
pub async fn revoke(db: &Db, actor: &Actor, id: &str) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Site).await?;
    let row: Option<(String,)> =
        sqlx::query_as("SELECT name FROM api_tokens WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .fetch_optional(change.tx())
            .await?;
    let (name,) = row.ok_or(BackendError::NotFound)?;
    found(
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(change.tx())
            .await?,
    )?;
    change.changed(Change::new(
        format!("API token {name}"),
        "Access",
        "Active",
        "Revoked",
    ));
    change.commit().await
}

/// Every staff member a token can act for: (id, name), by name. Site admins only.
pub async fn staff(db: &Db, actor: &Actor) -> Result<Vec<(String, String)>, BackendError> {
    actor.require(Setting::Site)?;
    Ok(
        sqlx::query_as("SELECT id, display_name FROM users ORDER BY display_name, id")
            .fetch_all(&db.pool)
            .await?,
    )
}
