//! The agent's Conversations list: live and recently closed (SPEC R-VIEW-1). (Customers start
//! and find theirs through `widget`.)

use domain::views::conversations::{RECENTLY_CLOSED_LIMIT, recently_closed};
use domain::{AgentId, Conversation, ConversationStatus, Timestamp};

pub use domain::views::conversations::ConversationSummary;

use crate::{db::Db, error::BackendError};

/// The agent's conversations that are not Closed, newest first, then the ones they closed
/// recently with their resolution, most recently closed first.
pub async fn for_agent(
    db: &Db,
    agent: &AgentId,
    now: Timestamp,
) -> Result<Vec<ConversationSummary>, BackendError> {
    // Both halves use the (assignee_id, status) index; a closed conversation keeps its assignee.
    let live: Vec<(String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT c.id, cu.display_name, c.status, c.started_at FROM conversations c \
         LEFT JOIN customers cu ON cu.id = c.customer_id \
         WHERE c.assignee_id = $1 AND c.status <> 'closed' ORDER BY c.started_at DESC, c.id DESC",
    )
    .bind(agent.as_str())
    .fetch_all(&db.pool)
    .await?;
    // Closing happens after starting, so the newest started are read first; a few more than are
    // shown, since the order of closing can differ from the order of starting.
    let closed: Vec<(Option<String>, String)> = sqlx::query_as(
        "SELECT cu.display_name, c.state FROM conversations c \
         LEFT JOIN customers cu ON cu.id = c.customer_id \
         WHERE c.assignee_id = $1 AND c.status = 'closed' \
         ORDER BY c.started_at DESC, c.id DESC LIMIT $2",
    )
    .bind(agent.as_str())
    .bind((RECENTLY_CLOSED_LIMIT * 2) as i64)
    .fetch_all(&db.pool)
    .await?;

    let mut list: Vec<ConversationSummary> = live
        .into_iter()
        .map(|(id, customer, status, started_at)| ConversationSummary {
            id,
            customer_name: customer.unwrap_or_else(|| "Customer".into()),
            status: ConversationStatus::from_code(&status)
                .map(|s| s.label().to_string())
                .unwrap_or(status),
            started_at,
            closed_at: None,
            resolution: None,
        })
        .collect();
    let mut recent = Vec::new();
    for (customer, state) in closed {
        let conv: Conversation = serde_json::from_str(&state)?;
        let Some(closed_at) = conv.closed_at.filter(|at| recently_closed(*at, now)) else {
            continue;
        };
        recent.push(ConversationSummary {
            id: conv.id.to_string(),
            customer_name: customer.unwrap_or_else(|| "Customer".into()),
            status: conv.status.label().to_string(),
            started_at: conv.started_at.as_millis(),
            closed_at: Some(closed_at.as_millis()),
            resolution: conv.resolution,
        });
    }
    recent.sort_by(|a, b| b.closed_at.cmp(&a.closed_at).then(b.id.cmp(&a.id)));
    recent.truncate(RECENTLY_CLOSED_LIMIT);
    list.extend(recent);
    Ok(list)
}
