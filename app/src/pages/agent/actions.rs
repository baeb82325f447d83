//! The dashboard's server functions: thin wrappers that check the session and run one engine
//! command each.

use leptos::prelude::*;

use serde::{Deserialize, Serialize};

use crate::AppError;

/// One line of the agent's **Conversations** list (SPEC R-VIEW-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: String,
    pub customer_name: String,
    pub status: String,
}

#[cfg(feature = "ssr")]
async fn agent() -> Result<(crate::state::AppState, domain::AgentId), AppError> {
    let state = crate::state::AppState::from_context()?;
    let id = crate::auth::session::staff_id().await?;
    Ok((state, domain::AgentId::new(id)))
}

/// Available or Unavailable in all the agent's spaces (SPEC R-AVAIL-2).
#[server(prefix = "/api", endpoint = "agent/availability")]
pub async fn set_availability(available: bool) -> Result<(), AppError> {
    let (state, agent) = agent().await?;
    let availability = if available {
        domain::Availability::Available
    } else {
        domain::Availability::Unavailable
    };
    state
        .engine
        .execute(domain::Command::SetAvailability {
            agent,
            scope: domain::Scope::AllSpaces,
            availability,
        })
        .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "agent/accept")]
pub async fn accept_offer(conversation: String) -> Result<(), AppError> {
    let (state, agent) = agent().await?;
    state
        .engine
        .execute(domain::Command::Accept {
            agent,
            conversation: conversation.into(),
        })
        .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "agent/decline")]
pub async fn decline_offer(conversation: String) -> Result<(), AppError> {
    let (state, agent) = agent().await?;
    state
        .engine
        .execute(domain::Command::Decline {
            agent,
            conversation: conversation.into(),
        })
        .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "agent/end")]
pub async fn end_conversation(conversation: String) -> Result<(), AppError> {
    let (state, agent) = agent().await?;
    state
        .engine
        .execute(domain::Command::EndConversation {
            conversation: conversation.into(),
            by: domain::Ender::Agent(agent),
        })
        .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "agent/conversations")]
pub async fn my_conversations() -> Result<Vec<ConversationSummary>, AppError> {
    let (state, agent) = agent().await?;
    Ok(backend::conversations::for_agent(&state.db, &agent)
        .await?
        .into_iter()
        .map(|c| ConversationSummary {
            id: c.id,
            customer_name: c.customer_name,
            status: c.status,
        })
        .collect())
}
