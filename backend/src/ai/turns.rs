//! One AI reply in flight per conversation, whichever node was told the customer wrote: a
//! claim in `ai_turns`, taken before replying and given back after.
//!
//! A node that finds the conversation claimed marks it `again` and leaves: the holder replies
//! once more when it is done, reading everything the customer wrote meanwhile. A claim older than
//! [`LEASE`] belongs to a node that died mid-reply, and the next message takes it over.

use std::time::Duration;

use domain::ConversationId;

use crate::{Db, error::BackendError};

/// How long a claim holds without its node giving it back or renewing it. A reply takes the
/// thinking time and a few queries: far less.
pub const LEASE: Duration = Duration::from_secs(120);

/// A held claim on a conversation's reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub conversation: ConversationId,
    holder: String,
}

/// Claims the reply of `conversation` at `now` (unix ms). `None` when another reply is in
/// flight: that one is marked to reply again instead.
pub async fn claim(
    db: &Db,
    conversation: &ConversationId,
    now: i64,
) -> Result<Option<Claim>, BackendError> {
    let holder = uuid::Uuid::now_v7().to_string();
    let stale_before = now.saturating_sub(LEASE.as_millis() as i64);
    // One statement, atomic on both databases: a new claim, a stale one taken over, or a live
    // one marked `again`. The `SET` expressions all read the row as it was.
    let (held_by,): (String,) = sqlx::query_as(
        "INSERT INTO ai_turns (conversation_id, holder, claimed_at, again) VALUES ($1, $2, $3, 0) \
         ON CONFLICT (conversation_id) DO UPDATE SET \
           holder = CASE WHEN ai_turns.claimed_at < $4 THEN excluded.holder ELSE ai_turns.holder END, \
           claimed_at = CASE WHEN ai_turns.claimed_at < $4 THEN excluded.claimed_at ELSE ai_turns.claimed_at END, \
           again = CASE WHEN ai_turns.claimed_at < $4 THEN 0 ELSE 1 END \
         RETURNING holder",
    )
    .bind(conversation.as_str())
    .bind(&holder)
    .bind(now)
    .bind(stale_before)
    .fetch_one(&db.pool)
    .await?;
    Ok((held_by == holder).then(|| Claim {
        conversation: conversation.clone(),
        holder,
    }))
}

/// Gives the claim back after a reply. `true` when the customer wrote meanwhile: the claim is
/// kept (its lease renewed from `now`) and the holder replies again. `false` when it is released,
/// or was taken over after its lease ran out.
pub async fn release(db: &Db, claim: &Claim, now: i64) -> Result<bool, BackendError> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "SELECT again FROM ai_turns WHERE conversation_id = $1 AND holder = $2{}",
        db.backend.for_update()
    );
    let again: Option<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(claim.conversation.as_str())
        .bind(&claim.holder)
        .fetch_optional(&mut *tx)
        .await?;
    let again = match again {
        None => false,
        Some((0,)) => {
            sqlx::query("DELETE FROM ai_turns WHERE conversation_id = $1")
                .bind(claim.conversation.as_str())
                .execute(&mut *tx)
                .await?;
            false
        }
        Some(_) => {
            sqlx::query(
                "UPDATE ai_turns SET again = 0, claimed_at = $1 WHERE conversation_id = $2",
            )
            .bind(now)
            .bind(claim.conversation.as_str())
            .execute(&mut *tx)
            .await?;
            true
        }
    };
    tx.commit().await?;
    Ok(again)
}

/// Conversations whose reply was claimed longer than [`LEASE`] ago and never given back: the
/// node preparing it died mid-reply. Earliest first, at most 100 per look.
pub async fn abandoned(db: &Db, now: i64) -> Result<Vec<ConversationId>, BackendError> {
    let stale_before = now.saturating_sub(LEASE.as_millis() as i64);
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT conversation_id FROM ai_turns WHERE claimed_at < $1 \
         ORDER BY claimed_at, conversation_id LIMIT 100",
    )
    .bind(stale_before)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id,)| ConversationId::new(id))
        .collect())
}
