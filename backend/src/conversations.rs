//! The agent's conversations list. (Customers start and find theirs through `widget`.)

use domain::AgentId;
use serde::{Deserialize, Serialize};

use crate::{db::Db, error::BackendError};

/// One line of an agent's **Conversations** list (SPEC R-VIEW-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: String,
    pub customer_name: String,
    pub status: String,
    pub started_at: i64,
}

/// The agent's conversations that are not Closed, newest first.
pub async fn for_agent(db: &Db, agent: &AgentId) -> Result<Vec<ConversationSummary>, BackendError> {
    let rows: Vec<(String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT c.id, cu.display_name, c.status, c.started_at FROM conversations c \
         LEFT JOIN customers cu ON cu.id = c.customer_id \
         WHERE c.assignee_id = $1 AND c.status <> 'closed' ORDER BY c.started_at DESC, c.id DESC",
    )
    .bind(agent.as_str())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, customer, status, started_at)| ConversationSummary {
            id,
            customer_name: customer.unwrap_or_else(|| "Customer".into()),
            status: domain::ConversationStatus::from_code(&status)
                .map(|s| s.label().to_string())
                .unwrap_or(status),
            started_at,
        })
        .collect())
}
