//! `/api/v1/conversations`: the conversations the token's person may read, a transcript, and
//! a message from the assignee.

use app::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
};
use backend::{api, realtime::reads, work::readable_conversation};
use domain::{Author, Command, ConversationId, MAX_MESSAGE_CHARS};

use super::auth::{ApiError, Body, Caller, ErrorBody, Params};
use super::schema::{
    ConversationOut, ConversationPage, EventOut, MessageIn, MessageOut, PageQuery, TranscriptOut,
};

/// List conversations
///
/// The conversations the token's person may read (assigned to them, or ones they took part
/// in), oldest first. Follow `next` until it is absent; each conversation comes once.
#[utoipa::path(
    get, path = "/api/v1/conversations", tag = "Conversations",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = ConversationPage),
        (status = 401, description = "No live token", body = ErrorBody),
        (status = 422, description = "A cursor Baton did not give", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list_conversations(
    State(state): State<AppState>,
    caller: Caller,
    Params(page): Params<PageQuery>,
) -> Result<Json<ConversationPage>, ApiError> {
    let (items, next) = api::readable_conversations(
        &state.db,
        &caller.agent(),
        page.cursor.as_deref(),
        page.limit.unwrap_or(api::DEFAULT_PAGE),
    )
    .await?;
    Ok(Json(ConversationPage {
        items: items.iter().map(ConversationOut::from).collect(),
        next,
    }))
}

/// Read a conversation with its transcript
///
/// Not found for a conversation the token's person may not read (whether or not it exists).
#[utoipa::path(
    get, path = "/api/v1/conversations/{id}", tag = "Conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    responses(
        (status = 200, description = "The conversation and every event", body = TranscriptOut),
        (status = 401, description = "No live token", body = ErrorBody),
        (status = 404, description = "Not found, or not readable by this person", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn get_conversation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TranscriptOut>, ApiError> {
    let id = ConversationId::new(id);
    let conversation = readable_conversation(&state.db, &caller.agent(), &id).await?;
    let events = reads::all_events(&state.db, &id).await?;
    Ok(Json(TranscriptOut {
        conversation: ConversationOut::from(&conversation),
        events: events.iter().map(EventOut::from).collect(),
    }))
}

/// Send a message as the assignee
///
/// Posts into an Active conversation assigned to the token's person, as they would from the
/// dashboard. Needs a read-and-write token.
#[utoipa::path(
    post, path = "/api/v1/conversations/{id}/messages", tag = "Conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    request_body = MessageIn,
    responses(
        (status = 201, description = "Stored (or stored before, with the same client id)", body = MessageOut),
        (status = 401, description = "No live token", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "Not found, or not readable by this person", body = ErrorBody),
        (status = 409, description = "Refused by the rules (not the assignee, conversation not active)", body = ErrorBody),
        (status = 422, description = "An empty or too long message", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn post_message(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(message): Body<MessageIn>,
) -> Result<(axum::http::StatusCode, Json<MessageOut>), ApiError> {
    caller.require_write()?;
    let id = ConversationId::new(id);
    readable_conversation(&state.db, &caller.agent(), &id).await?;
    let body = message.body.trim();
    if body.is_empty() || body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::invalid(format!(
            "A message has 1 to {MAX_MESSAGE_CHARS} characters."
        )));
    }
    let client_id = message
        .client_id
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| format!("api:{}", uuid::Uuid::now_v7()));
    if client_id.len() > 100 {
        return Err(ApiError::invalid("A client id has at most 100 characters."));
    }
    let outcome = state
        .engine
        .execute(Command::SendMessage {
            conversation: id.clone(),
            author: Author::Agent(caller.agent()),
            body: body.to_string(),
            client_id: client_id.clone(),
            attachment: None,
        })
        .await?;
    let seq = outcome
        .message_seq()
        .ok_or_else(|| ApiError::from(backend::BackendError::Corrupt("no seq".into())))?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(MessageOut {
            conversation: id.to_string(),
            seq,
            client_id,
        }),
    ))
}
