//! The audit log: who changed which setting, when, from what to what (visible to site admins).
//! Entries are written in the same transaction as the change they describe.

use serde::{Deserialize, Serialize};

use super::Actor;
use crate::{clock::now_ms, db::Db, error::BackendError};

/// One change, as the audit log page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    /// What was changed: "Site", "Space Customer Support", "Customer experience Shop help".
    pub subject: String,
    /// The setting's name as the settings page labels it.
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}

/// A change about to be written, before it has a time.
#[derive(Clone, Debug)]
pub struct Change {
    pub subject: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}

impl Change {
    pub fn new(
        subject: impl Into<String>,
        field: impl Into<String>,
        old_value: impl ToString,
        new_value: impl ToString,
    ) -> Change {
        Change {
            subject: subject.into(),
            field: field.into(),
            old_value: old_value.to_string(),
            new_value: new_value.to_string(),
        }
    }
}

/// Writes the changes that really changed something.
pub async fn record(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    changes: &[Change],
) -> Result<(), BackendError> {
    let at = now_ms();
    for change in changes.iter().filter(|c| c.old_value != c.new_value) {
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_id, actor_name, subject, field, old_value, new_value) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(at)
        .bind(&actor.id)
        .bind(&actor.name)
        .bind(&change.subject)
        .bind(&change.field)
        .bind(&change.old_value)
        .bind(&change.new_value)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The newest entries first.
pub async fn newest(db: &Db, limit: i64) -> Result<Vec<AuditEntry>, BackendError> {
    let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT at, actor_name, subject, field, old_value, new_value FROM audit_log \
         ORDER BY at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(at, actor, subject, field, old_value, new_value)| AuditEntry {
                at,
                actor,
                subject,
                field,
                old_value,
                new_value,
            },
        )
        .collect())
}
