//! Start, handoff, accept/decline, end and resolve (SPEC R-LIFE-*, R-HAND-*, R-ROUTE-3/4/6/8).

use super::chat::check_body;
use super::{Ctx, routing};
use crate::command::{Ender, Start};
use crate::conversation::{Conversation, ConversationStatus, EndReason, HandoffReason, WorkStatus};
use crate::effect::WithdrawReason;
use crate::error::DomainError;
use crate::event::{Author, EventKind};
use crate::ids::{AgentId, ConversationId, CustomerId, SpaceId};
use crate::time::Timestamp;

pub(super) fn wrong_status(expected: &str, actual: ConversationStatus) -> DomainError {
    DomainError::WrongStatus {
        expected: expected.to_owned(),
        actual: actual.label().to_owned(),
    }
}

pub(super) fn start(
    cx: &mut Ctx<'_>,
    id: ConversationId,
    space: SpaceId,
    customer: Option<CustomerId>,
    via: Start,
) -> Result<(), DomainError> {
    if cx.world.conversations.contains_key(&id) {
        return Err(DomainError::ConversationExists { conversation: id });
    }
    let Some(routed) = cx.world.spaces.get(&space) else {
        return Err(DomainError::UnknownSpace { space });
    };
    let visitor = match &via {
        Start::Direct => {
            if !routed.live_chat {
                return Err(DomainError::LiveChatOff { space });
            }
            if customer.is_none() {
                return Err(DomainError::SignInRequired);
            }
            None
        }
        Start::Ai { visitor } => {
            if customer.is_none() && visitor.is_none() {
                // Nobody could ever read it.
                return Err(DomainError::SignInRequired);
            }
            visitor.clone()
        }
    };
    let mut conv = Conversation::new(
        id.clone(),
        space,
        customer,
        ConversationStatus::WithAi,
        cx.now,
    );
    conv.visitor = visitor;
    cx.world.add_conversation(conv);
    if via == Start::Direct {
        begin_routing(cx, &id);
    }
    Ok(())
}

/// Creates the work item in Waiting for agent. With nobody Available in the space the customer
/// gets the fallback straight away and the chat ends, because the fallback message gives them
/// their next step elsewhere and they must not be left waiting (SPEC R-ROUTE-6, R-CUST-5).
/// With agents Available but all busy it just waits; the final routing pass offers it.
fn begin_routing(cx: &mut Ctx<'_>, id: &ConversationId) {
    let now = cx.now;
    let conv = cx.conv_mut(id);
    conv.status = ConversationStatus::Work(WorkStatus::WaitingForAgent);
    conv.waiting_since = Some(now);
    let space = conv.space.clone();
    cx.record(
        id,
        EventKind::StatusChanged {
            from: None,
            to: WorkStatus::WaitingForAgent,
        },
    );
    if !routing::anyone_available(cx.world, &space) {
        cx.record(id, EventKind::FallbackShown);
        end(cx, id, EndReason::NoAgentAvailable);
    }
}

/// Attaches the signed-in customer to an AI conversation (SPEC R-CUST-2). A handoff that was
/// waiting for the sign-in goes ahead now, in the same thread (R-HAND-3).
pub(super) fn identify(
    cx: &mut Ctx<'_>,
    id: &ConversationId,
    customer: CustomerId,
) -> Result<(), DomainError> {
    let conv = cx.conversation(id)?;
    match &conv.customer {
        Some(known) if *known == customer => Ok(()),
        Some(_) => Err(DomainError::CustomerMismatch),
        None if conv.status == ConversationStatus::WithAi => {
            let pending = conv.handoff.clone();
            if pending.is_some() {
                require_live_chat(cx, id)?;
            }
            cx.conv_mut(id).customer = Some(customer);
            if let Some(reason) = pending {
                cx.record(
                    id,
                    EventKind::HandedOff {
                        reason: Some(reason),
                    },
                );
                begin_routing(cx, id);
            }
            Ok(())
        }
        None => Err(DomainError::ConversationEnded),
    }
}

fn require_live_chat(cx: &Ctx<'_>, id: &ConversationId) -> Result<(), DomainError> {
    let conv = cx.conversation(id)?;
    match cx.world.spaces.get(&conv.space) {
        None => Err(DomainError::UnknownSpace {
            space: conv.space.clone(),
        }),
        Some(space) if !space.live_chat => Err(DomainError::LiveChatOff {
            space: space.id.clone(),
        }),
        Some(_) => Ok(()),
    }
}

/// SPEC R-HAND-1/2/3: the AI ends its turn with its farewell and never speaks again. A
/// signed-in customer is routed at once in the same thread; otherwise the handoff waits for
/// the sign-in (R-CUST-2). A second handoff (a double click) changes nothing.
pub(super) fn hand_off(
    cx: &mut Ctx<'_>,
    id: &ConversationId,
    reason: HandoffReason,
    farewell: Option<String>,
) -> Result<(), DomainError> {
    let conv = cx.conversation(id)?;
    if conv.handoff.is_some() {
        return Ok(());
    }
    match conv.status {
        ConversationStatus::WithAi => {}
        ConversationStatus::EndedWithAi => return Err(DomainError::ConversationEnded),
        status @ ConversationStatus::Work(_) => return Err(wrong_status("With AI agent", status)),
    }
    require_live_chat(cx, id)?;
    let farewell = farewell.map(|body| check_body(&body)).transpose()?;
    let signed_in = conv.customer.is_some();
    let now = cx.now;
    let conv = cx.conv_mut(id);
    conv.handoff = Some(reason.clone());
    conv.last_activity_at = now;
    if let Some(body) = farewell {
        cx.record(
            id,
            EventKind::Message {
                author: Author::Ai,
                body,
                client_id: format!("ai-handoff:{id}"),
                attachment: None,
            },
        );
    }
    if signed_in {
        cx.record(
            id,
            EventKind::HandedOff {
                reason: Some(reason),
            },
        );
        begin_routing(cx, id);
    } else {
        cx.record(id, EventKind::HandoffRequested { reason });
    }
    Ok(())
}

/// An offer whose time is up is no longer answerable even if its tick has not run yet; the
/// tick will make the agent Unavailable and move it on (SPEC R-ROUTE-5).
fn is_offered_to(conv: &Conversation, agent: &AgentId, now: Timestamp) -> bool {
    conv.is_waiting()
        && conv
            .offer
            .as_ref()
            .is_some_and(|offer| &offer.agent == agent && now < offer.expires_at)
}

pub(super) fn accept(
    cx: &mut Ctx<'_>,
    agent: &AgentId,
    id: &ConversationId,
) -> Result<(), DomainError> {
    cx.require_agent(agent)?;
    if !is_offered_to(cx.conversation(id)?, agent, cx.now) {
        return Err(DomainError::NotOffered);
    }
    let max = cx.world.settings.max_conversations;
    if cx.world.agents[agent].active >= max {
        return Err(DomainError::AtLimit { max });
    }
    routing::withdraw(cx, id, WithdrawReason::Accepted);
    let now = cx.now;
    let conv = cx.conv_mut(id);
    conv.assignee = Some(agent.clone());
    conv.participants.insert(agent.clone());
    conv.status = ConversationStatus::Work(WorkStatus::Active);
    conv.accepted_at = Some(now);
    // The customer could not be answered while waiting, so silence counts from the accept.
    conv.last_activity_at = now;
    conv.inactivity_warned_at = None;
    if let Some(person) = cx.world.agents.get_mut(agent) {
        person.active += 1;
    }
    cx.record(
        id,
        EventKind::Assigned {
            agent: agent.clone(),
        },
    );
    cx.record(
        id,
        EventKind::StatusChanged {
            from: Some(WorkStatus::WaitingForAgent),
            to: WorkStatus::Active,
        },
    );
    Ok(())
}

pub(super) fn decline(
    cx: &mut Ctx<'_>,
    agent: &AgentId,
    id: &ConversationId,
) -> Result<(), DomainError> {
    cx.require_agent(agent)?;
    if !is_offered_to(cx.conversation(id)?, agent, cx.now) {
        return Err(DomainError::NotOffered);
    }
    // The final routing pass re-offers it, passing over the decliner when it can.
    routing::withdraw(cx, id, WithdrawReason::Declined);
    Ok(())
}

pub(super) fn end_by(cx: &mut Ctx<'_>, id: &ConversationId, by: &Ender) -> Result<(), DomainError> {
    let conv = cx.conversation(id)?;
    let reason = match by {
        Ender::Agent(agent) => {
            cx.require_agent(agent)?;
            if !conv.is_assignee(agent) {
                return Err(DomainError::NotAssignee);
            }
            if conv.status != ConversationStatus::Work(WorkStatus::Active) {
                return Err(wrong_status(WorkStatus::Active.label(), conv.status));
            }
            EndReason::AgentEnded
        }
        Ender::Customer => {
            if conv.status.has_ended() {
                return Err(DomainError::ConversationEnded);
            }
            EndReason::CustomerEnded
        }
    };
    end(cx, id, reason);
    Ok(())
}

/// Ends the customer-facing conversation. After an accept the work item goes to Wrapping up so
/// the agent can finish (SPEC R-LIFE-3, R-LIFE-6); before any accept it goes straight to Closed
/// (SPEC R-LIFE-5); with the AI it simply ends, there being no work item.
pub(super) fn end(cx: &mut Ctx<'_>, id: &ConversationId, reason: EndReason) {
    let status = cx.world.conversations[id].status;
    let next = match status {
        ConversationStatus::WithAi => ConversationStatus::EndedWithAi,
        ConversationStatus::Work(WorkStatus::WaitingForAgent) => {
            let withdrawn = match reason {
                EndReason::NoAcceptInTime => WithdrawReason::NoAcceptInTime,
                _ => WithdrawReason::Ended,
            };
            routing::withdraw(cx, id, withdrawn);
            ConversationStatus::Work(WorkStatus::Closed)
        }
        ConversationStatus::Work(WorkStatus::Active) => {
            ConversationStatus::Work(WorkStatus::WrappingUp)
        }
        _ => return,
    };
    let now = cx.now;
    let conv = cx.conv_mut(id);
    conv.status = next;
    conv.ended_at = Some(now);
    conv.end_reason = Some(reason);
    if next == ConversationStatus::Work(WorkStatus::Closed) {
        conv.closed_at = Some(now);
    }
    cx.record(id, EventKind::Ended { reason });
    if let (Some(from), Some(to)) = (status.work(), next.work()) {
        cx.record(
            id,
            EventKind::StatusChanged {
                from: Some(from),
                to,
            },
        );
    }
}

/// Resolving needs Wrapping up: an Active chat must be ended first, so the customer is always
/// told it is over (SPEC R-CUST-5, R-AGENT-2, R-AGENT-3).
pub(super) fn resolve(
    cx: &mut Ctx<'_>,
    agent: &AgentId,
    id: &ConversationId,
    resolution: &str,
) -> Result<(), DomainError> {
    cx.require_agent(agent)?;
    let conv = cx.conversation(id)?;
    if !conv.is_assignee(agent) {
        return Err(DomainError::NotAssignee);
    }
    if conv.status != ConversationStatus::Work(WorkStatus::WrappingUp) {
        return Err(wrong_status(WorkStatus::WrappingUp.label(), conv.status));
    }
    let resolution = resolution.trim().to_owned();
    if resolution.is_empty() {
        return Err(DomainError::EmptyResolution);
    }
    let now = cx.now;
    let conv = cx.conv_mut(id);
    conv.status = ConversationStatus::Work(WorkStatus::Closed);
    conv.closed_at = Some(now);
    conv.resolution = Some(resolution.clone());
    // Frees the slot; the final routing pass offers it on (SPEC R-LIFE-4, R-ROUTE-10).
    if let Some(person) = cx.world.agents.get_mut(agent) {
        person.active = person.active.saturating_sub(1);
    }
    cx.record(
        id,
        EventKind::Resolved {
            resolution,
            agent: agent.clone(),
        },
    );
    cx.record(
        id,
        EventKind::StatusChanged {
            from: Some(WorkStatus::WrappingUp),
            to: WorkStatus::Closed,
        },
    );
    Ok(())
}
