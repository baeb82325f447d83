//! Reads and starts around conversations that the pages need: a customer's open conversation,
//! an agent's conversations, and starting a live chat.

use domain::{AgentId, Command, ConversationId, CustomerId, SpaceId, Start};
use serde::{Deserialize, Serialize};

use crate::{db::Db, engine::Engine, error::BackendError};

/// One line of an agent's **Conversations** list (SPEC R-VIEW-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: String,
    pub customer_name: String,
    pub status: String,
    pub started_at: i64,
}

/// The space a customer's live chat goes to. Customer experiences (each routing to its own
/// space, SPEC R-ROUTE-1) replace this choice; until then it is the oldest space with Live chat
/// on, which in the demo is "Customer Support".
pub async fn default_live_chat_space(db: &Db) -> Result<SpaceId, BackendError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM spaces WHERE live_chat = 1 ORDER BY created_at, id LIMIT 1")
            .fetch_optional(&db.pool)
            .await?;
    row.map(|(id,)| SpaceId::new(id))
        .ok_or_else(|| BackendError::Invalid("Live chat is not set up on this site yet.".into()))
}

/// Starts a live chat for a signed-in customer, straight to the support team.
pub async fn start_live_chat(
    engine: &Engine,
    customer: &CustomerId,
) -> Result<ConversationId, BackendError> {
    let space = default_live_chat_space(engine.db()).await?;
    let id = ConversationId::new(uuid::Uuid::now_v7().to_string());
    engine
        .execute(Command::StartConversation {
            id: id.clone(),
            space,
            customer: Some(customer.clone()),
            via: Start::Direct,
        })
        .await?;
    Ok(id)
}

/// The customer's newest conversation that is still going on for them (not yet ended).
pub async fn open_for_customer(
    db: &Db,
    customer: &CustomerId,
) -> Result<Option<ConversationId>, BackendError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM conversations WHERE customer_id = $1 \
         AND status IN ('with_ai', 'waiting_for_agent', 'active') ORDER BY started_at DESC, id DESC LIMIT 1",
    )
    .bind(customer.as_str())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id,)| ConversationId::new(id)))
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
