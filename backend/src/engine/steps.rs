//! What individual commands do around the generic decide-and-persist, inside the same
//! transaction: checks that need the database before the decision, the part of the snapshot a
//! command is decided on, the writes that commit beside it, and what it announces afterwards.
//!
//! [`Engine::execute_with`](super::Engine::execute_with) calls these for every command, so a
//! command with something of its own to do gets it here, never as a special case in the engine.

use domain::{Author, Command, ConversationStatus, Effect, EventKind, Start, World};

use super::{Alongside, FollowUp, snapshot::Tx};
use crate::error::BackendError;

/// Checks and look-ups that must happen in the command's transaction before it is decided.
pub(super) async fn before(tx: &mut Tx, command: &Command) -> Result<(), BackendError> {
    match command {
        Command::SetLiveChat { space, on: false } => {
            refuse_if_routed_to(tx, space.as_str()).await?;
        }
        Command::Resolve { resolution, .. } => check_resolution(tx, resolution).await?,
        _ => {}
    }
    Ok(())
}

/// The writes that commit with the command or not at all (see [`Alongside`]).
pub(super) async fn after(
    tx: &mut Tx,
    command: &Command,
    effects: &[Effect],
    alongside: &Alongside,
) -> Result<(), BackendError> {
    // The experience a new conversation came through, written beside it.
    if let (Some(experience), Command::StartConversation { id, via, .. }) =
        (alongside.experience.as_deref(), command)
    {
        let visitor = match via {
            Start::Ai { visitor } => visitor.as_ref(),
            Start::Direct => None,
        };
        sqlx::query("UPDATE conversations SET experience_id = $1, visitor_id = $2 WHERE id = $3")
            .bind(experience)
            .bind(visitor.map(|v| v.to_string()))
            .bind(id.as_str())
            .execute(&mut **tx)
            .await?;
    }
    if let Some(turn) = &alongside.ai_turn
        && let (Some(seq), Some(conversation)) = (message_seq(effects), conversation_of(effects))
    {
        sqlx::query(
            "INSERT INTO ai_replies (conversation_id, seq, kind, article_id, backend, tokens) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(conversation)
        .bind(seq)
        .bind(turn.kind.as_str())
        .bind(turn.article.as_deref())
        .bind(turn.backend.as_str())
        .bind(turn.tokens)
        .execute(&mut **tx)
        .await?;
    }
    // A resent message (same client id) stored nothing new, and names no new file.
    if let (
        Some(key),
        Command::SendMessage {
            attachment: Some(file),
            conversation,
            ..
        },
        Some(seq),
    ) = (
        alongside.attachment_blob.as_deref(),
        command,
        message_seq(effects),
    ) {
        sqlx::query(
            "INSERT INTO attachments (id, conversation_id, seq, blob_key, name, content_type, size, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(file.id.as_str())
        .bind(conversation.as_str())
        .bind(seq)
        .bind(key)
        .bind(file.name.as_str())
        .bind(file.content_type.as_str())
        .bind(i64::try_from(file.size).unwrap_or(i64::MAX))
        .bind(crate::clock::now_ms())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// What a committed command asks of the rest of Baton, read from the decided world and its
/// effects, so it is the same whichever path sent the command.
pub(super) fn follow_ups(world: &World, effects: &[Effect]) -> Vec<FollowUp> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Event(event)
                if matches!(
                    event.kind,
                    EventKind::Message {
                        author: Author::Customer,
                        ..
                    }
                ) && world
                    .conversations
                    .get(&event.conversation)
                    .is_some_and(|c| c.status == ConversationStatus::WithAi) =>
            {
                Some(FollowUp::CustomerWroteToAi(event.conversation.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The seq of the message among the effects, if the command stored one.
pub(super) fn message_seq(effects: &[Effect]) -> Option<i64> {
    effects.iter().find_map(|e| match e {
        Effect::Event(event) if matches!(event.kind, EventKind::Message { .. }) => Some(event.seq),
        _ => None,
    })
}

fn conversation_of(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Event(event) => Some(event.conversation.to_string()),
        _ => None,
    })
}

/// SPEC R-MODE-3: Live chat cannot be turned off in a space that a live-chat experience routes
/// to; the refusal names the experiences, so the admin knows what to change first. Checked in
/// the switch's own transaction, so an experience saved at the same moment cannot slip by.
async fn refuse_if_routed_to(tx: &mut Tx, space: &str) -> Result<(), BackendError> {
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM experiences WHERE space_id = $1 AND support_mode <> 'ai_agent' ORDER BY name",
    )
    .bind(space)
    .fetch_all(&mut **tx)
    .await?;
    if names.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = names.into_iter().map(|(n,)| n).collect();
    Err(BackendError::Invalid(format!(
        "Live chat stays on: these customer experiences route live chat to this space: {}. Route them to another space first.",
        names.join(", ")
    )))
}

/// Resolving asks for one of the site's resolutions (SPEC R-AGENT-3); anything else is refused
/// with the list to choose from.
async fn check_resolution(tx: &mut Tx, resolution: &str) -> Result<(), BackendError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT resolutions FROM site_settings WHERE id = 1")
            .fetch_optional(&mut **tx)
            .await?;
    let allowed: Vec<String> = match row {
        Some((json,)) => serde_json::from_str(&json)?,
        None => Vec::new(),
    };
    if allowed.iter().any(|r| r == resolution.trim()) {
        Ok(())
    } else {
        Err(BackendError::Invalid(format!(
            "Choose one of the site's resolutions: {}.",
            allowed.join(", ")
        )))
    }
}
