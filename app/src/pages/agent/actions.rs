//! The dashboard's server functions: thin wrappers that check the session and run one engine
//! command each.

use leptos::prelude::*;

use crate::AppError;

pub use domain::views::conversations::ConversationSummary;

#[cfg(feature = "ssr")]
async fn agent() -> Result<(crate::state::AppState, domain::AgentId), AppError> {
    let state = crate::state::AppState::from_context()?;
    let id = crate::auth::session::staff_id().await?;
    Ok((state, domain::AgentId::new(id)))
}

/// Available or Unavailable in one space, or in all the agent's spaces when `space` is empty
/// (SPEC R-AVAIL-2).
#[server(prefix = "/api", endpoint = "agent/availability")]
pub async fn set_availability(available: bool, space: Option<String>) -> Result<(), AppError> {
    let (state, agent) = agent().await?;
    let scope = match space.filter(|s| !s.is_empty()) {
        Some(space) => domain::Scope::Space(domain::SpaceId::new(space)),
        None => domain::Scope::AllSpaces,
    };
    let availability = if available {
        domain::Availability::Available
    } else {
        domain::Availability::Unavailable
    };
    state
        .engine
        .execute(domain::Command::SetAvailability {
            agent,
            scope,
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
    let conversation = domain::ConversationId::new(conversation);
    backend::work::readable_conversation(&state.db, &agent, &conversation).await?;
    state
        .engine
        .execute(domain::Command::EndConversation {
            conversation,
            by: domain::Ender::Agent(agent),
        })
        .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "agent/conversations")]
pub async fn my_conversations() -> Result<Vec<ConversationSummary>, AppError> {
    let (state, agent) = agent().await?;
    let now = state.engine.now();
    Ok(backend::conversations::for_agent(&state.db, &agent, now).await?)
}

/// The saved replies of the conversation's space, filled in for its customer and this agent.
#[server(prefix = "/api", endpoint = "agent/saved-replies")]
pub async fn saved_replies_for(
    conversation: String,
) -> Result<Vec<domain::saved_replies::SavedReply>, AppError> {
    let (state, agent) = agent().await?;
    let conversation = domain::ConversationId::new(conversation);
    Ok(backend::saved_replies::for_conversation(&state.db, &agent, &conversation).await?)
}

/// The team's transcript of a conversation the agent may read (with internal notes).
#[server(prefix = "/api", endpoint = "agent/transcript")]
pub async fn agent_transcript(
    conversation: String,
) -> Result<domain::transcript::TranscriptFile, AppError> {
    let (state, agent) = agent().await?;
    Ok(backend::transcripts::transcript(
        &state.db,
        &domain::ConversationId::new(conversation),
        backend::transcripts::TranscriptRequest {
            readers: &[domain::access::Reader::Agent(agent)],
            time: &crate::components::time::format_time,
            accept_language: "",
        },
    )
    .await?)
}

/// An **internal note**: team only, never sent to the customer (SPEC R-AGENT-1).
#[server(prefix = "/api", endpoint = "agent/note")]
pub async fn add_note(conversation: String, body: String) -> Result<(), AppError> {
    let (state, agent) = agent().await?;
    let conversation = domain::ConversationId::new(conversation);
    // Not readable is answered as not found, so the refusal reveals nothing (SPEC R-VIEW-3).
    backend::work::readable_conversation(&state.db, &agent, &conversation).await?;
    state
        .engine
        .execute(domain::Command::AddNote {
            agent,
            conversation,
            body,
        })
        .await?;
    Ok(())
}

/// Resolve with one of the site's resolutions: Wrapping up → Closed (SPEC R-AGENT-3, R-LIFE-4).
#[server(prefix = "/api", endpoint = "agent/resolve")]
pub async fn resolve_conversation(
    conversation: String,
    resolution: String,
) -> Result<(), AppError> {
    let (state, agent) = agent().await?;
    let conversation = domain::ConversationId::new(conversation);
    backend::work::readable_conversation(&state.db, &agent, &conversation).await?;
    state
        .engine
        .execute(domain::Command::Resolve {
            agent,
            conversation,
            resolution,
        })
        .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "agent/resolutions")]
pub async fn resolutions() -> Result<Vec<String>, AppError> {
    let (state, _agent) = agent().await?;
    Ok(backend::work::resolutions(&state.db).await?)
}

#[server(prefix = "/api", endpoint = "agent/follow-up")]
pub async fn create_follow_up(
    conversation: String,
    work_type: String,
    title: String,
) -> Result<String, AppError> {
    let (state, agent) = agent().await?;
    Ok(backend::work::create_follow_up(
        &state.db,
        &agent,
        &domain::ConversationId::new(conversation),
        &work_type,
        &title,
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "agent/conversation")]
pub async fn conversation_details(
    conversation: String,
) -> Result<domain::views::ConversationDetails, AppError> {
    let (state, agent) = agent().await?;
    let goal = i64::try_from(state.config.sla_first_response.as_millis()).unwrap_or(i64::MAX);
    Ok(backend::work::details(
        &state.db,
        &agent,
        &domain::ConversationId::new(conversation),
        goal,
    )
    .await?)
}

/// One page of the work items of the agent's spaces that match a queue filter (SPEC
/// R-VIEW-2): `after` is the previous page's `next` cursor, `limit` the page size (50 unless
/// asked, at most 200).
#[server(prefix = "/api", endpoint = "agent/queue")]
pub async fn queue(
    filter: String,
    after: Option<String>,
    limit: Option<u32>,
) -> Result<domain::views::QueuePage, AppError> {
    let (state, agent) = agent().await?;
    let parsed = domain::queue::QueueFilter::parse(&filter)
        .map_err(|e| AppError::Invalid(format!("{e}\n{}", e.pointer())).with_status())?;
    let after = after.filter(|c| !c.is_empty());
    let size = domain::paging::page_size(limit);
    Ok(backend::work::queue(&state.db, &agent, &parsed, after.as_deref(), size).await?)
}

/// Assigns a work item from a queue to the caller (`to_me`) or unassigns it: members of its
/// space and site admins only, with an audit entry; conversations refuse (SPEC R-ROUTE-9).
#[server(prefix = "/api", endpoint = "agent/assign")]
pub async fn assign_work_item(work_item: String, to_me: bool) -> Result<(), AppError> {
    let (state, agent) = agent().await?;
    let assignee = to_me.then_some(&agent);
    Ok(backend::work::set_assignee(&state.db, &agent, &work_item, assignee).await?)
}

/// A customer's profile with one page of conversations (`after`: the previous page's `next`).
/// Not found for staff who may not open it (SPEC R-VIEW-3, R-VIEW-6).
#[server(prefix = "/api", endpoint = "agent/customer")]
pub async fn customer_profile(
    customer: String,
    after: Option<String>,
) -> Result<domain::views::CustomerProfile, AppError> {
    let (state, agent) = agent().await?;
    let after = after.filter(|c| !c.is_empty());
    Ok(backend::work::customer_profile(
        &state.db,
        &agent,
        &customer,
        after.as_deref(),
        domain::paging::DEFAULT_PAGE_SIZE,
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "agent/saved-queues")]
pub async fn saved_queues() -> Result<Vec<domain::views::settings::SavedQueue>, AppError> {
    let (state, agent) = agent().await?;
    Ok(backend::store::space_work::queues_for_member(&state.db, agent.as_str()).await?)
}

/// One work item of the agent's spaces (Conversation review links here).
#[server(prefix = "/api", endpoint = "agent/work-item")]
pub async fn work_item(id: String) -> Result<domain::views::QueueRow, AppError> {
    let (state, agent) = agent().await?;
    Ok(backend::work::item(&state.db, &agent, &id).await?)
}
