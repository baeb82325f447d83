//! Read markers: how far each reader has seen a conversation, from the websocket's `ack`.
//! They only ever move forward, so acks that arrive out of order cannot undo each other.

use domain::ConversationId;

use crate::{db::Db, error::BackendError};

/// Records that `reader` ("agent:<id>" or "customer:<id>") has seen up to `seq`.
pub async fn mark_read(
    db: &Db,
    conversation: &ConversationId,
    reader: &str,
    seq: i64,
) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO read_marks (conversation_id, reader, seq) VALUES ($1, $2, $3) \
         ON CONFLICT (conversation_id, reader) DO UPDATE SET seq = excluded.seq \
         WHERE read_marks.seq < excluded.seq",
    )
    .bind(conversation.as_str())
    .bind(reader)
    .bind(seq)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The last seq `reader` has seen (0 when never).
pub async fn read_up_to(
    db: &Db,
    conversation: &ConversationId,
    reader: &str,
) -> Result<i64, BackendError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT seq FROM read_marks WHERE conversation_id = $1 AND reader = $2")
            .bind(conversation.as_str())
            .bind(reader)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map_or(0, |(seq,)| seq))
}
