//! The audit log: who changed which setting, when, from what to what (visible to site admins).
//! Entries are written in the same transaction as the change they describe, through
//! [`Audited`].

use domain::roles::Setting;
use domain::views::settings::AuditEntry;

use super::Actor;
use crate::{clock::now_ms, db::Db, error::BackendError};

/// One audited change, in the order that keeps the audit true:
/// 1. [`Audited::begin`] refuses unless the actor holds the role, then begins the write
///    transaction;
/// 2. the caller reads the old values through [`Audited::tx`] — inside the transaction, so a
///    concurrent change cannot slip in between the read and the write and leave the entry
///    naming a value the row no longer held;
/// 3. runs its statements there ([`found`] turns "no row" into `NotFound`) and names what
///    changed with [`Audited::changed`];
/// 4. [`Audited::commit`] writes the entries that really changed something and commits them
///    with the change. Dropped without commit (an error on the way), nothing is written.
pub struct Audited<'a> {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    actor: &'a Actor,
    changes: Vec<Change>,
}

impl<'a> Audited<'a> {
    pub async fn begin(
        db: &Db,
        actor: &'a Actor,
        setting: Setting<'_>,
    ) -> Result<Audited<'a>, BackendError> {
        actor.require(setting)?;
        Ok(Audited {
            tx: db.begin_write().await?,
            actor,
            changes: Vec::new(),
        })
    }

    /// For a change whose permission depends on rows read in the transaction (assigning work
    /// needs membership of the work item's space): the caller checks it there, before writing.
    pub async fn begin_then_check(db: &Db, actor: &'a Actor) -> Result<Audited<'a>, BackendError> {
        Ok(Audited {
            tx: db.begin_write().await?,
            actor,
            changes: Vec::new(),
        })
    }

    /// The write transaction, for the reads of the old values and the statements.
    pub fn tx(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    /// Records a change (one with equal old and new values writes no entry).
    pub fn changed(&mut self, change: Change) {
        self.changes.push(change);
    }

    pub async fn commit(mut self) -> Result<(), BackendError> {
        record(&mut self.tx, self.actor, &self.changes).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

/// A statement's outcome: `NotFound` when it touched no row.
pub fn found(done: sqlx::any::AnyQueryResult) -> Result<(), BackendError> {
    if done.rows_affected() == 0 {
        Err(BackendError::NotFound)
    } else {
        Ok(())
    }
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

/// Writes the changes that really changed something, in the caller's transaction (the
/// engine's commands that carry an audit entry; other changes go through [`Audited`]).
pub async fn record(
    tx: &mut sqlx::AnyConnection,
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
        .execute(&mut *tx)
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
