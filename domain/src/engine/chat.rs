//! Messages and internal notes (SPEC R-AGENT-1, R-HAND-2, R-LIFE-3, R-CUST-5).

use super::Ctx;
use super::lifecycle::wrong_status;
use crate::attachments::Attachment;
use crate::conversation::{ConversationStatus, WorkStatus};
use crate::error::DomainError;
use crate::event::{Author, EventKind, MAX_MESSAGE_CHARS};
use crate::ids::{AgentId, ConversationId};

/// Trims the ends (stray newlines from the composer) and enforces the size limits.
pub(super) fn check_body(body: &str) -> Result<String, DomainError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(DomainError::EmptyMessage);
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(DomainError::MessageTooLong {
            max: MAX_MESSAGE_CHARS,
        });
    }
    Ok(body.to_owned())
}

pub(super) fn send_message(
    cx: &mut Ctx<'_>,
    id: &ConversationId,
    author: Author,
    body: &str,
    client_id: String,
    attachment: Option<Attachment>,
) -> Result<(), DomainError> {
    let conv = cx.conversation(id)?;
    match &author {
        Author::Customer => {
            if conv.status.has_ended() {
                return Err(DomainError::ConversationEnded);
            }
        }
        Author::Agent(agent) => {
            cx.require_agent(agent)?;
            if !conv.is_assignee(agent) {
                return Err(DomainError::NotAssignee);
            }
            if conv.status != ConversationStatus::Work(WorkStatus::Active) {
                return Err(wrong_status(WorkStatus::Active.label(), conv.status));
            }
        }
        Author::Ai => match conv.status {
            // After a handoff the AI never speaks again, even while the customer signs in
            // (SPEC R-HAND-2).
            ConversationStatus::WithAi if conv.handoff.is_some() => {
                return Err(DomainError::AiHasEnded);
            }
            ConversationStatus::WithAi => {}
            ConversationStatus::EndedWithAi => return Err(DomainError::ConversationEnded),
            ConversationStatus::Work(_) => return Err(DomainError::AiHasEnded),
        },
    }
    let body = check_body(body)?;
    let now = cx.now;
    let conv = cx.conv_mut(id);
    // Any message from either side is activity and cancels a pending warning (SPEC R-TIME-3).
    conv.last_activity_at = now;
    conv.inactivity_warned_at = None;
    if let Author::Agent(agent) = &author {
        conv.participants.insert(agent.clone());
        conv.first_agent_reply_at.get_or_insert(now);
    }
    cx.record(
        id,
        EventKind::Message {
            author,
            body,
            client_id,
            attachment,
        },
    );
    Ok(())
}

/// Notes are allowed while Active and Wrapping up (SPEC R-LIFE-2, R-LIFE-3). They are not
/// customer-facing, so they do not count as activity: a conversation where only notes are
/// written is still silent for the customer and gets the inactivity warning (SPEC R-TIME-3).
pub(super) fn add_note(
    cx: &mut Ctx<'_>,
    agent: &AgentId,
    id: &ConversationId,
    body: &str,
) -> Result<(), DomainError> {
    cx.require_agent(agent)?;
    let conv = cx.conversation(id)?;
    if !conv.is_assignee(agent) && !conv.participants.contains(agent) {
        return Err(DomainError::NotParticipant);
    }
    if !matches!(
        conv.status.work(),
        Some(WorkStatus::Active | WorkStatus::WrappingUp)
    ) {
        return Err(wrong_status("Active or Wrapping up", conv.status));
    }
    let body = check_body(body)?;
    cx.record(
        id,
        EventKind::Note {
            agent: agent.clone(),
            body,
        },
    );
    Ok(())
}
