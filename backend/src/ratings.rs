//! Customer satisfaction ratings: the customer (or visitor) of a conversation rates it once it
//! has ended for them; the team reads a conversation's rating and averages per agent and space.

use std::collections::BTreeMap;

use domain::access::{Reader, may_read};
use domain::ratings::{Rating, Satisfaction, check_rating, may_rate};
use domain::{ConversationId, Timestamp};

use crate::{db::Db, error::BackendError};

/// Stores the rating of the conversation by one of `readers` (the session's customer and
/// visitor); a second rating replaces the first (a double click or a change of mind). Not found
/// for anyone else's conversation (SPEC R-VIEW-3).
pub async fn rate(
    db: &Db,
    readers: &[Reader],
    conversation: &ConversationId,
    score: i64,
    comment: &str,
    now: Timestamp,
) -> Result<Rating, BackendError> {
    let (score, comment) = check_rating(score, comment).map_err(BackendError::Invalid)?;
    let conv = crate::realtime::reads::conversation(db, conversation)
        .await?
        .ok_or(BackendError::NotFound)?;
    if !readers.iter().any(|r| may_read(&conv, r)) {
        return Err(BackendError::NotFound);
    }
    if !may_rate(&conv) {
        return Err(BackendError::Invalid(
            "You can rate the conversation once it has ended.".into(),
        ));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO conversation_ratings (conversation_id, space_id, agent_id, score, comment, rated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (conversation_id) DO UPDATE SET score = excluded.score, \
         comment = excluded.comment, rated_at = excluded.rated_at",
    )
    .bind(conversation.as_str())
    .bind(conv.space.as_str())
    .bind(conv.assignee.as_ref().map(|a| a.as_str().to_string()))
    .bind(i64::from(score))
    .bind(comment.clone())
    .bind(now.as_millis())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Rating {
        score,
        comment,
        rated_at: now.as_millis(),
    })
}

fn rating_of((score, comment, rated_at): (i64, Option<String>, i64)) -> Rating {
    Rating {
        score: u8::try_from(score).unwrap_or_default(),
        comment,
        rated_at,
    }
}

/// A conversation's rating, if it has one. (Callers check who may read it.)
pub async fn of_conversation(db: &Db, conversation: &str) -> Result<Option<Rating>, BackendError> {
    let row: Option<(i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT score, comment, rated_at FROM conversation_ratings WHERE conversation_id = $1",
    )
    .bind(conversation)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(rating_of))
}

/// The ratings given since `since`, summed per agent and per space.
pub async fn satisfaction_since(
    db: &Db,
    since: Timestamp,
) -> Result<
    (
        BTreeMap<String, Satisfaction>,
        BTreeMap<String, Satisfaction>,
    ),
    BackendError,
> {
    let rows: Vec<(Option<String>, String, i64, i64)> = sqlx::query_as(
        "SELECT agent_id, space_id, COUNT(*), CAST(SUM(score) AS BIGINT) FROM conversation_ratings \
         WHERE rated_at >= $1 GROUP BY agent_id, space_id",
    )
    .bind(since.as_millis())
    .fetch_all(&db.pool)
    .await?;
    let mut by_agent: BTreeMap<String, Satisfaction> = BTreeMap::new();
    let mut by_space: BTreeMap<String, Satisfaction> = BTreeMap::new();
    for (agent, space, count, total) in rows {
        let part = Satisfaction {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        };
        for (map, key) in [(&mut by_space, Some(space)), (&mut by_agent, agent)] {
            if let Some(key) = key {
                let entry = map.entry(key).or_default();
                entry.count = entry.count.saturating_add(part.count);
                entry.total = entry.total.saturating_add(part.total);
            }
        }
    }
    Ok((by_agent, by_space))
}
