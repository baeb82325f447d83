//! The snapshot of a chat command (a message or an internal note), in one statement.
//!
//! Messages are by far the most frequent command, and on SQLite each statement is a hop to the
//! database's worker thread and back, so the hops are what a message costs. A chat decision
//! reads only its conversation, whether the writing agent exists, and — for a message —
//! whether this author already sent this client id (a resend). It changes no agent, space or
//! setting, and routing cannot offer anything from it (no agent is loaded to offer to), so
//! those are not loaded: the agent is loaded bare (no load, no availability), which the chat
//! rules never read. One query answers all of it and row-locks the conversation on PostgreSQL.

use domain::{Agent, AgentId, Conversation, ConversationId, SiteSettings, Timers, World};

use super::snapshot::Tx;
use crate::{db::Backend, error::BackendError};

/// What a chat command is decided on.
pub(super) struct ChatSnapshot {
    pub world: World,
    /// The seq of this author's message with the same client id, when it is a resend.
    pub duplicate_of: Option<i64>,
}

/// Who writes, and the message's client id (`None` for a note).
pub(super) struct WrittenBy<'a> {
    pub agent: Option<&'a AgentId>,
    pub resend_key: Option<(String, &'a str)>,
}

pub(super) async fn load(
    tx: &mut Tx,
    backend: Backend,
    timers: Timers,
    conversation: &ConversationId,
    by: WrittenBy<'_>,
) -> Result<ChatSnapshot, BackendError> {
    let (author, client_id) = match &by.resend_key {
        Some((author, client_id)) => (author.as_str(), Some(*client_id)),
        None => ("", None),
    };
    let row: Option<(String, Option<i64>, Option<i64>, i64)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT c.state, \
               (SELECT max_conversations FROM site_settings WHERE id = 1), \
               (SELECT seq FROM conversation_events e \
                 WHERE e.conversation_id = c.id AND e.author = $2 AND e.client_id = $3), \
               (SELECT COUNT(*) FROM users u WHERE u.id = $4) \
             FROM conversations c WHERE c.id = $1{}",
            backend.for_update()
        )))
        .bind(conversation.as_str())
        .bind(author)
        .bind(client_id)
        .bind(by.agent.map_or("", |agent| agent.as_str()))
        .fetch_optional(&mut **tx)
        .await?;
    let mut world = World::new(SiteSettings {
        max_conversations: SiteSettings::DEFAULT_MAX_CONVERSATIONS,
        timers,
    });
    let Some((state, max, duplicate_of, agent_exists)) = row else {
        // No such conversation: the decision refuses it by name.
        return Ok(ChatSnapshot {
            world,
            duplicate_of: None,
        });
    };
    let max = max.ok_or_else(|| {
        BackendError::Invalid("The site is not set up yet: create the first admin.".into())
    })?;
    world.settings.max_conversations =
        u32::try_from(max).unwrap_or(SiteSettings::DEFAULT_MAX_CONVERSATIONS);
    world.add_conversation(serde_json::from_str::<Conversation>(&state)?);
    if let Some(agent) = by.agent.filter(|_| agent_exists > 0) {
        world.add_agent(Agent::new(agent.clone()));
    }
    Ok(ChatSnapshot {
        world,
        duplicate_of,
    })
}
