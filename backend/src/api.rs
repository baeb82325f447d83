//! Reads behind the REST API that the dashboard has no function for: conversations a person
//! may read, a page at a time behind a keyset cursor. Visibility is the dashboard's rule
//! (SPEC R-VIEW-3, `domain::access::may_read`), for everyone, site admins included.

use domain::access::{Reader, may_read};
use domain::{AgentId, Conversation};

use crate::{db::Db, error::BackendError};

/// Rows one scan reads while filling a page (a person usually may read a small share).
const SCAN: i64 = 500;
pub const DEFAULT_PAGE: usize = 50;
pub const MAX_PAGE: usize = 200;

/// Where a page of conversations ends: `<started_at>.<id>`, the last row's sort key.
fn decode_cursor(cursor: &str) -> Result<(i64, String), BackendError> {
    let bad = || {
        BackendError::Invalid("This cursor is not one Baton gave; start again without it.".into())
    };
    if cursor.len() > 200 {
        return Err(bad());
    }
    let (at, id) = cursor.split_once('.').ok_or_else(bad)?;
    let at = at.parse::<i64>().map_err(|_| bad())?;
    if id.is_empty() {
        return Err(bad());
    }
    Ok((at, id.to_string()))
}

fn cursor_of(conversation: &Conversation) -> String {
    format!(
        "{}.{}",
        conversation.started_at.as_millis(),
        conversation.id
    )
}

/// One page of the conversations `viewer` may read, oldest first, after `after`; and the
/// cursor of the next page (`None` on the last).
pub async fn readable_conversations(
    db: &Db,
    viewer: &AgentId,
    after: Option<&str>,
    size: usize,
) -> Result<(Vec<Conversation>, Option<String>), BackendError> {
    let size = size.clamp(1, MAX_PAGE);
    let (mut at, mut id) = match after {
        Some(cursor) => decode_cursor(cursor)?,
        None => (i64::MIN, String::new()),
    };
    let reader = Reader::Agent(viewer.clone());
    let mut page = Vec::new();
    loop {
        let rows: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT state, started_at, id FROM conversations \
             WHERE started_at > $1 OR (started_at = $1 AND id > $2) \
             ORDER BY started_at, id LIMIT $3",
        )
        .bind(at)
        .bind(&id)
        .bind(SCAN)
        .fetch_all(&db.pool)
        .await?;
        let exhausted = rows.len() < SCAN as usize;
        for (state, started_at, row_id) in rows {
            (at, id) = (started_at, row_id);
            let conversation: Conversation = serde_json::from_str(&state)?;
            if may_read(&conversation, &reader) {
                page.push(conversation);
                if page.len() == size {
                    let next = cursor_of(&page[size - 1]);
                    return Ok((page, Some(next)));
                }
            }
        }
        if exhausted {
            return Ok((page, None));
        }
    }
}

/// One page of every customer, by id (site admins only: a customer's existence is not for
/// agents who never met them).
pub async fn customers(
    db: &Db,
    actor: &crate::store::Actor,
    after: Option<&str>,
    size: usize,
) -> Result<(Vec<(String, String, Option<String>)>, Option<String>), BackendError> {
    actor.require(domain::roles::Setting::Site)?;
    let size = size.clamp(1, MAX_PAGE);
    let after = after.unwrap_or("");
    if after.len() > 200 {
        return Err(BackendError::Invalid(
            "This cursor is not one Baton gave; start again without it.".into(),
        ));
    }
    let mut rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, display_name, email FROM customers WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(i64::try_from(size).unwrap_or(50) + 1)
    .fetch_all(&db.pool)
    .await?;
    let next = if rows.len() > size {
        rows.truncate(size);
        rows.last().map(|(id, _, _)| id.clone())
    } else {
        None
    };
    Ok((rows, next))
}
