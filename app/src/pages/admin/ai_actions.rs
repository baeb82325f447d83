//! Server functions of the AI agent's settings page and of Conversation review. Roles are
//! checked by `backend::ai` on every call.

// A server function takes its form's fields as arguments (they arrive as one form), and the
// `#[server]` macro copies them into a client function an item-level allow does not reach.
#![allow(clippy::too_many_arguments)]

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

/// The model backend form as the page sends it; `backend` is a `ModelBackend` code.
#[cfg(feature = "ssr")]
fn model_form<'a>(
    backend: &str,
    base_url: &'a str,
    model: &'a str,
    temperature: &'a str,
    tone: &'a str,
    api_key: &'a str,
    remove_key: bool,
) -> Result<backend::ai::model_settings::ModelForm<'a>, AppError> {
    let backend =
        domain::ai::model_settings::ModelBackend::from_code(backend).ok_or_else(|| {
            AppError::Invalid("Choose Built-in or OpenAI-compatible.".into()).with_status()
        })?;
    Ok(backend::ai::model_settings::ModelForm {
        backend,
        base_url,
        model,
        temperature,
        tone,
        api_key,
        remove_key,
    })
}

#[cfg(feature = "ssr")]
fn models(state: &crate::state::AppState) -> Result<&backend::ai::written::Models, AppError> {
    state.ai.models().ok_or_else(|| {
        tracing::error!("the AI agent was started without language models");
        AppError::Internal
    })
}

/// Saves the model backend. An empty `api_key` keeps the stored key; it is never sent back.
#[server(prefix = "/api", endpoint = "admin/ai-agent/model")]
pub async fn save_model_settings(
    experience: String,
    backend: String,
    base_url: String,
    model: String,
    temperature: String,
    tone: String,
    api_key: String,
    remove_key: bool,
) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    let form = model_form(
        &backend,
        &base_url,
        &model,
        &temperature,
        &tone,
        &api_key,
        remove_key,
    )?;
    backend::ai::model_settings::save(
        &state.db,
        &actor,
        &models(&state)?.sealer,
        &experience,
        form,
    )
    .await?;
    Ok(())
}

/// **Test connection**: what the endpoint said to a tiny request with the form's values.
#[server(prefix = "/api", endpoint = "admin/ai-agent/model/test")]
pub async fn test_model_connection(
    experience: String,
    base_url: String,
    model: String,
    temperature: String,
    api_key: String,
    remove_key: bool,
) -> Result<String, AppError> {
    let (state, actor) = actor().await?;
    let form = model_form(
        "openai_compatible",
        &base_url,
        &model,
        &temperature,
        "",
        &api_key,
        remove_key,
    )?;
    let models = models(&state)?;
    Ok(backend::ai::model_settings::test_connection(
        &state.db,
        &actor,
        &models.sealer,
        &models.client,
        &experience,
        form,
    )
    .await?)
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
