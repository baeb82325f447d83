//! Server functions of the AI agent's settings page and of Conversation review. Roles are
//! checked by `backend::ai` on every call.

use domain::{ai::ReviewOutcome, experience::SupportMode};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRow {
    pub id: String,
    pub title: String,
    pub body: String,
    pub published: bool,
}

/// Everything the AI agent's settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiAgentPage {
    pub experience_id: String,
    pub experience_name: String,
    pub mode: SupportMode,
    pub published: bool,
    pub unconfident_limit: u32,
    pub phrases: Vec<String>,
    pub articles: Vec<ArticleRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub conversation: String,
    pub experience: String,
    pub customer: String,
    pub started_at: i64,
    pub outcome: ReviewOutcome,
    pub handoff_reason: Option<String>,
    pub answers: usize,
    pub work_item: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub who: String,
    pub body: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewTranscript {
    pub item: ReviewItem,
    pub lines: Vec<ReviewLine>,
}

#[cfg(feature = "ssr")]
async fn actor() -> Result<(crate::state::AppState, backend::store::Actor), AppError> {
    let state = crate::state::AppState::from_context()?;
    let user = crate::auth::session::staff_id().await?;
    let actor = backend::store::Actor::load(&state.db, &user).await?;
    Ok((state, actor))
}

#[server(prefix = "/api", endpoint = "admin/ai-agent")]
pub async fn load_ai_agent_page(experience: String) -> Result<AiAgentPage, AppError> {
    let (state, actor) = actor().await?;
    let view = backend::ai::knowledge::view(&state.db, &actor, &experience).await?;
    Ok(AiAgentPage {
        experience_id: view.experience_id,
        experience_name: view.experience_name,
        mode: view.mode,
        published: view.published,
        unconfident_limit: view.settings.unconfident_limit,
        phrases: view.settings.phrases,
        articles: view
            .articles
            .into_iter()
            .map(|a| ArticleRow {
                id: a.id,
                title: a.title,
                body: a.body,
                published: a.published,
            })
            .collect(),
    })
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

#[cfg(feature = "ssr")]
fn item(row: backend::ai::review::ReviewRow) -> ReviewItem {
    ReviewItem {
        conversation: row.conversation,
        experience: row.experience,
        customer: row.customer,
        started_at: row.started_at,
        outcome: row.outcome,
        handoff_reason: row.handoff_reason,
        answers: row.answers,
        work_item: row.work_item,
    }
}

/// Conversation review's list; `outcome` is a [`ReviewOutcome`] code or empty for all.
#[server(prefix = "/api", endpoint = "admin/review")]
pub async fn load_review(outcome: String) -> Result<Vec<ReviewItem>, AppError> {
    let (state, actor) = actor().await?;
    let only = ReviewOutcome::from_code(&outcome);
    Ok(backend::ai::review::list(&state.db, &actor, only)
        .await?
        .into_iter()
        .map(item)
        .collect())
}

#[server(prefix = "/api", endpoint = "admin/review/transcript")]
pub async fn load_review_transcript(conversation: String) -> Result<ReviewTranscript, AppError> {
    let (state, actor) = actor().await?;
    let detail = backend::ai::review::detail(
        &state.db,
        &actor,
        &domain::ConversationId::new(conversation),
    )
    .await?;
    Ok(ReviewTranscript {
        item: item(detail.row),
        lines: detail
            .lines
            .into_iter()
            .map(|l| ReviewLine {
                who: l.who,
                body: l.body,
                at: l.at,
            })
            .collect(),
    })
}
