//! The widget's server functions: the experience behind a widget key, the customer's open
//! conversation, starting one, the place in the queue, and signing in with an embedding site's
//! identity token.

use domain::views::WidgetInfo;
use leptos::prelude::*;

use crate::AppError;

#[server(prefix = "/api", endpoint = "widget/info", client = crate::widget_session::SessionAwareClient)]
pub async fn load_widget_info(key: String) -> Result<WidgetInfo, AppError> {
    let state = crate::state::AppState::from_context()?;
    // The browser's languages: sent with the page's request and with this call from the widget.
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let accept_language = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Ok(backend::widget::info(&state.db, &key, accept_language).await?)
}

/// The open conversation of the signed-in customer or of this session's anonymous visitor.
#[server(prefix = "/api", endpoint = "widget/open", client = crate::widget_session::SessionAwareClient)]
pub async fn open_conversation(key: String) -> Result<Option<String>, AppError> {
    let state = crate::state::AppState::from_context()?;
    let who = crate::auth::session::chatter(false).await?;
    Ok(backend::widget::open_conversation(&state.db, &key, &who)
        .await?
        .map(|id| id.to_string()))
}

/// Gives this browser an anonymous visitor id before its chat opens a socket, so an AI chat
/// needs no sign-in (SPEC R-CUST-2).
#[server(prefix = "/api", endpoint = "widget/visit", client = crate::widget_session::SessionAwareClient)]
pub async fn begin_visit() -> Result<(), AppError> {
    crate::auth::session::visitor_id(true).await?;
    Ok(())
}

/// Starts a chat: with the AI agent when the experience has a published one (no sign-in
/// needed, SPEC R-CUST-2), otherwise with the team for a signed-in customer.
#[server(prefix = "/api", endpoint = "widget/start", client = crate::widget_session::SessionAwareClient)]
pub async fn start_chat(key: String) -> Result<String, AppError> {
    let state = crate::state::AppState::from_context()?;
    let who = crate::auth::session::chatter(true).await?;
    crate::limits::chat_start(&state, &who).await?;
    Ok(backend::widget::start(&state.engine, &state.ai, &key, &who)
        .await?
        .to_string())
}

/// **Talk to a person**: the AI agent hands the conversation to the team (SPEC R-HAND-1).
#[server(prefix = "/api", endpoint = "widget/person", client = crate::widget_session::SessionAwareClient)]
pub async fn talk_to_person(conversation: String) -> Result<(), AppError> {
    let state = crate::state::AppState::from_context()?;
    let who = crate::auth::session::chatter(false).await?;
    Ok(backend::widget::ask_for_person(
        &state.engine,
        &state.ai,
        &domain::ConversationId::new(conversation),
        &who,
    )
    .await?)
}

/// After signing in: the visitor's open AI conversation becomes the customer's, and a handoff
/// waiting for the sign-in goes ahead (SPEC R-CUST-2, R-HAND-3).
#[server(prefix = "/api", endpoint = "widget/claim", client = crate::widget_session::SessionAwareClient)]
pub async fn claim_conversation(key: String) -> Result<Option<String>, AppError> {
    let state = crate::state::AppState::from_context()?;
    let customer = domain::CustomerId::new(crate::auth::session::customer_id().await?);
    let Some(visitor) = crate::auth::session::visitor_id(false).await? else {
        return Ok(None);
    };
    Ok(backend::widget::claim(
        &state.engine,
        &key,
        &customer,
        &domain::VisitorId::new(visitor),
    )
    .await?
    .map(|id| id.to_string()))
}

/// 1 when first in line; None once an agent has the conversation (or it ended).
#[server(prefix = "/api", endpoint = "widget/queue-position", client = crate::widget_session::SessionAwareClient)]
pub async fn queue_position(conversation: String) -> Result<Option<i64>, AppError> {
    let state = crate::state::AppState::from_context()?;
    let customer = domain::CustomerId::new(crate::auth::session::customer_id().await?);
    Ok(backend::widget::queue_position(
        &state.db,
        &domain::ConversationId::new(conversation),
        &customer,
    )
    .await?)
}

/// Signs the customer in with a token their site signed (`Baton.identify(token)`).
#[server(prefix = "/api", endpoint = "widget/identify", client = crate::widget_session::SessionAwareClient)]
pub async fn identify(key: String, token: String) -> Result<(), AppError> {
    let state = crate::state::AppState::from_context()?;
    let customer = backend::widget::identify(&state.db, &key, &token).await?;
    crate::auth::session::begin(backend::sessions::SignedIn::Customer(customer.to_string())).await
}

/// The customer's satisfaction rating of their conversation once it has ended (1 to 5, an
/// optional comment); a second rating replaces the first.
#[server(prefix = "/api", endpoint = "widget/rate", client = crate::widget_session::SessionAwareClient)]
pub async fn rate_conversation(
    conversation: String,
    score: i64,
    comment: String,
) -> Result<(), AppError> {
    let state = crate::state::AppState::from_context()?;
    let who = crate::auth::session::chatter(false).await?;
    backend::ratings::rate(
        &state.db,
        &crate::auth::session::readers(&who),
        &domain::ConversationId::new(conversation),
        score,
        &comment,
        state.engine.now(),
    )
    .await?;
    Ok(())
}

/// The customer's transcript of their conversation, as a file to save.
#[server(prefix = "/api", endpoint = "widget/transcript", client = crate::widget_session::SessionAwareClient)]
pub async fn customer_transcript(
    conversation: String,
) -> Result<domain::transcript::TranscriptFile, AppError> {
    let state = crate::state::AppState::from_context()?;
    let who = crate::auth::session::chatter(false).await?;
    // Written in the chat's language, as the widget's words are.
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let accept_language = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Ok(backend::transcripts::transcript(
        &state.db,
        &domain::ConversationId::new(conversation),
        backend::transcripts::TranscriptRequest {
            readers: &crate::auth::session::readers(&who),
            time: &crate::components::time::format_time,
            accept_language,
        },
    )
    .await?)
}
