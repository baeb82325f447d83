//! Answers a language model writes (an AI agent whose model backend is OpenAI-compatible): the
//! grounded prompt, the answer streamed to the customer as drafts while it is written, and the
//! turn decided by `domain::ai::grounded` once it is complete. The durable message is written
//! once, whole, by the caller, so replay and reconnect stay exact.
//!
//! A handoff or an end while the answer is being written stops it: the stream is dropped, the
//! customer's draft is cleared, and nothing of it is stored (SPEC R-HAND-2).

use std::time::Duration;

use domain::ai::Found;
use domain::ai::grounded::{Draft, Line, ModelReply, PromptInput, grounded_prompt};
use domain::{Author, ConversationEvent, ConversationId, ConversationStatus, EventKind};

use super::model::{ModelClient, ModelError};
use super::model_settings::Configured;
use crate::{
    db::Db,
    error::BackendError,
    realtime::{Bus, BusMessage, Topic, reads},
    secrets::Sealer,
};

/// How many passages the model reads.
pub const PASSAGES: usize = 3;

/// How often a conversation is looked at while its answer is written, for a handoff or an end.
const WATCH: Duration = Duration::from_millis(500);

/// What an AI agent needs to ask language models: one client per node, the key that opens the
/// stored API keys, and each conversation's token budget.
#[derive(Clone)]
pub struct Models {
    pub client: ModelClient,
    pub sealer: Sealer,
    /// Prompt and completion tokens one conversation may use; past it, built-in answers.
    pub token_budget: i64,
}

/// How a model's attempt ended.
pub enum Written {
    /// The model replied (text or a handoff), with the tokens it used.
    Replied { reply: ModelReply, tokens: i64 },
    /// It failed, timed out, or the budget was spent: the built-in answer stands in.
    Failed,
    /// A handoff or an end arrived while it was writing: nothing is said.
    Interrupted,
}

/// Whether the conversation has tokens left in its budget.
pub async fn within_budget(
    db: &Db,
    id: &ConversationId,
    budget: i64,
) -> Result<bool, BackendError> {
    let (used,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(tokens), 0) AS BIGINT) FROM ai_replies WHERE conversation_id = $1",
    )
    .bind(id.as_str())
    .fetch_one(&db.pool)
    .await?;
    Ok(used < budget)
}

/// Asks the model, streaming its text to the conversation's followers as drafts.
#[allow(clippy::too_many_arguments)]
pub async fn write(
    db: &Db,
    bus: &dyn Bus,
    client: &ModelClient,
    configured: &Configured,
    id: &ConversationId,
    experience_name: &str,
    passages: &[Found],
    events: &[ConversationEvent],
    can_hand_off: bool,
) -> Written {
    // The customer's and the AI agent's messages so far, oldest first.
    let lines: Vec<Line<'_>> = events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::Message {
                author: Author::Customer,
                body,
                ..
            } => Some(Line::Customer(body)),
            EventKind::Message {
                author: Author::Ai,
                body,
                ..
            } => Some(Line::AiAgent(body)),
            _ => None,
        })
        .collect();
    let prompt = grounded_prompt(&PromptInput {
        experience: experience_name,
        tone: &configured.tone,
        passages,
        history: &lines,
        can_hand_off,
    });
    let topic = Topic::Conversation(id.clone());
    let publish = |offset: u32, text: String| {
        bus.publish(
            &topic,
            BusMessage::Draft {
                conversation: id.clone(),
                offset,
                text,
            },
        );
    };
    let mut draft = Draft::default();
    let mut shown_chars: u32 = 0;
    let on_piece = |piece: &str| {
        if !draft.push(piece) {
            return;
        }
        let Some(shown) = draft.shown(passages.len()) else {
            return;
        };
        let new: String = shown.chars().skip(shown_chars as usize).collect();
        if new.is_empty() {
            return;
        }
        if shown_chars == 0 {
            // The first words replace the typing indicator.
            bus.publish(
                &topic,
                BusMessage::Typing {
                    conversation: id.clone(),
                    who: domain::protocol::Typist::Ai,
                    typing: false,
                    origin: super::responder::AI_ORIGIN,
                },
            );
        }
        let count = new.chars().count() as u32;
        publish(shown_chars, new);
        shown_chars += count;
    };
    let call = client.answer(&configured.endpoint, &prompt, can_hand_off, on_piece);
    tokio::pin!(call);
    let mut watch = tokio::time::interval(WATCH);
    watch.tick().await;
    let outcome = loop {
        tokio::select! {
            outcome = &mut call => break outcome,
            _ = watch.tick() => {
                if taken_from_ai(db, id).await {
                    // Returning drops the call, which closes the stream; the draft goes.
                    publish(0, String::new());
                    return Written::Interrupted;
                }
            }
        }
    };
    match outcome {
        Ok(answered) => Written::Replied {
            tokens: i64::from(answered.prompt_tokens.unwrap_or(0))
                + i64::from(answered.completion_tokens.unwrap_or(0)),
            reply: answered.reply,
        },
        Err(error) => {
            if !matches!(error, ModelError::Busy) {
                tracing::warn!(conversation = %id, %error, "the model could not answer; the built-in answer is used");
            }
            // Whatever was shown goes; the built-in answer takes its place.
            publish(0, String::new());
            Written::Failed
        }
    }
}

/// Whether the AI may no longer speak: handed off or ended.
async fn taken_from_ai(db: &Db, id: &ConversationId) -> bool {
    match reads::conversation(db, id).await {
        Ok(Some(conversation)) => {
            conversation.status != ConversationStatus::WithAi || conversation.handoff.is_some()
        }
        Ok(None) => true,
        // A brief database outage is no reason to drop the answer; the commit decides.
        Err(_) => false,
    }
}

/// Opens the stored key through `sealer`; kept here so the responder needs only [`Models`].
pub async fn configured(db: &Db, sealer: &Sealer, experience: &str) -> Option<Configured> {
    match super::model_settings::configured(db, sealer, experience).await {
        Ok(configured) => configured,
        Err(error) => {
            tracing::error!(experience, %error, "the AI agent's model settings could not be read; built-in answers are used");
            None
        }
    }
}
