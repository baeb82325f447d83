//! Server functions of the AI agent's settings page and of Conversation review. Roles are
//! checked by `backend::ai` on every call.

use domain::views::ai::{AiAgentView, ReviewDetail, ReviewRow};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::actions::actor;
use crate::AppError;

#[server(prefix = "/api", endpoint = "admin/ai-agent")]
pub async fn load_ai_agent_page(experience: String) -> Result<AiAgentView, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::ai::knowledge::view(&state.db, &actor, &experience).await?)
}

#[server(prefix = "/api", endpoint = "admin/ai-agent/handoff")]
pub async fn save_handoff_settings(
    experience: String,
    unconfident_limit: String,
    phrases: String,
) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    actor.require(domain::roles::Setting::Experience(&experience))?;
    let limit = unconfident_limit.trim().parse::<u32>().map_err(|_| {
        AppError::Invalid(
            "Answers without confidence before handoff must be a whole number from 1 to 10.".into(),
        )
        .with_status()
    })?;
    backend::ai::knowledge::save_settings(&state.db, &actor, &experience, limit, &phrases).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/ai-agent/publish")]
pub async fn publish_ai_agent(experience: String, publish: bool) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::ai::knowledge::set_published(&state.db, &actor, &experience, publish).await?)
}

/// Saves an article; an empty `id` creates one. Returns its id.
#[server(prefix = "/api", endpoint = "admin/ai-agent/article")]
pub async fn save_article(
    experience: String,
    id: String,
    title: String,
    body: String,
    published: bool,
) -> Result<String, AppError> {
    let (state, actor) = actor().await?;
    let id = Some(id.trim()).filter(|i| !i.is_empty());
    Ok(backend::ai::knowledge::save_article(
        &state.db,
        &actor,
        &experience,
        id,
        &title,
        &body,
        published,
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "admin/ai-agent/article/delete")]
pub async fn delete_article(experience: String, id: String) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::ai::knowledge::delete_article(&state.db, &actor, &experience, &id).await?)
}

/// Conversation review's list; `outcome` is a [`domain::ai::ReviewOutcome`] code or empty for all.
#[server(prefix = "/api", endpoint = "admin/review")]
pub async fn load_review(outcome: String) -> Result<Vec<ReviewRow>, AppError> {
    let (state, actor) = actor().await?;
    let only = domain::ai::ReviewOutcome::from_code(&outcome);
    Ok(backend::ai::review::list(&state.db, &actor, only).await?)
}

#[server(prefix = "/api", endpoint = "admin/review/transcript")]
pub async fn load_review_transcript(conversation: String) -> Result<ReviewDetail, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::ai::review::detail(
        &state.db,
        &actor,
        &domain::ConversationId::new(conversation),
    )
    .await?)
}
