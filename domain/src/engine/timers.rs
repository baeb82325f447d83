//! Timer policy (SPEC R-TIME-*): which deadlines a conversation has, and what firing them does.

use super::{Ctx, lifecycle, routing};
use crate::agent::{Availability, UnavailableReason};
use crate::conversation::{Conversation, ConversationStatus, EndReason, WorkStatus};
use crate::effect::{Effect, WithdrawReason};
use crate::error::DomainError;
use crate::event::EventKind;
use crate::ids::{AgentId, ConversationId, SpaceId};
use crate::time::{Timers, Timestamp};

/// One kind of deadline. The declaration order breaks ties between deadlines that fall at the
/// same instant: an unanswered offer is still the agent's miss even if the conversation also
/// runs out, and a conversation that ends needs no inactivity warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Due {
    OfferExpiry,
    AcceptDeadline,
    MaxDuration,
    InactivityEnd,
    InactivityWarning,
}

fn pending(conv: &Conversation, timers: &Timers) -> Vec<(Timestamp, Due)> {
    let max_duration = (conv.started_at.plus(timers.max_duration), Due::MaxDuration);
    match conv.status {
        ConversationStatus::WithAi => vec![max_duration],
        ConversationStatus::Work(WorkStatus::WaitingForAgent) => {
            let mut due = Vec::with_capacity(3);
            if let Some(offer) = &conv.offer {
                due.push((offer.expires_at, Due::OfferExpiry));
            }
            let since = conv.waiting_since.unwrap_or(conv.started_at);
            due.push((since.plus(timers.accept_deadline), Due::AcceptDeadline));
            due.push(max_duration);
            due
        }
        ConversationStatus::Work(WorkStatus::Active) => {
            let inactivity = match conv.inactivity_warned_at {
                Some(warned) => (warned.plus(timers.inactivity_grace), Due::InactivityEnd),
                None => (
                    conv.last_activity_at.plus(timers.inactivity_warning),
                    Due::InactivityWarning,
                ),
            };
            vec![max_duration, inactivity]
        }
        // Wrapping up waits for the agent's resolution, which has no deadline (SPEC R-LIFE-6).
        ConversationStatus::Work(WorkStatus::WrappingUp | WorkStatus::Closed)
        | ConversationStatus::EndedWithAi => Vec::new(),
    }
}

fn earliest(conv: &Conversation, timers: &Timers) -> Option<(Timestamp, Due)> {
    // `min_by_key` keeps the first of equal minima, so sorting by kind first breaks ties.
    let mut due = pending(conv, timers);
    due.sort_by_key(|&(_, kind)| kind as u8);
    due.into_iter().min_by_key(|&(at, _)| at)
}

/// When this conversation next needs a `Tick`: the earliest of offer expiry, no-accept deadline,
/// inactivity warning or end, and maximum duration. `None` once nothing can fire any more.
pub fn next_deadline(conv: &Conversation, timers: &Timers) -> Option<Timestamp> {
    earliest(conv, timers).map(|(at, _)| at)
}

/// Fires everything due at `now`, earliest first. Each firing moves the conversation past that
/// deadline, so a second tick at the same `now` finds nothing to do.
pub(super) fn tick(cx: &mut Ctx<'_>, id: &ConversationId) -> Result<(), DomainError> {
    cx.conversation(id)?;
    let timers = cx.world.settings.timers.clone();
    // At most one offer expiry, one warning and one end can be due, so this always stops early.
    for _ in 0..8 {
        let conv = &cx.world.conversations[id];
        let Some((at, due)) = earliest(conv, &timers) else {
            break;
        };
        if at > cx.now {
            break;
        }
        fire(cx, id, due);
    }
    Ok(())
}

fn fire(cx: &mut Ctx<'_>, id: &ConversationId, due: Due) {
    match due {
        Due::OfferExpiry => {
            if let Some(agent) = routing::withdraw(cx, id, WithdrawReason::Expired) {
                missed_offer(cx, &agent, id);
            }
        }
        Due::AcceptDeadline => {
            cx.record(id, EventKind::FallbackShown);
            lifecycle::end(cx, id, EndReason::NoAcceptInTime);
        }
        Due::MaxDuration => lifecycle::end(cx, id, EndReason::MaxDuration),
        Due::InactivityEnd => lifecycle::end(cx, id, EndReason::Inactivity),
        Due::InactivityWarning => {
            cx.conv_mut(id).inactivity_warned_at = Some(cx.now);
            cx.record(id, EventKind::InactivityWarning);
        }
    }
}

/// A missed offer means the person is away from the desk, not away from one space: they go
/// Unavailable everywhere, so customers in their other spaces do not wait 120 s on them too
/// (SPEC R-ROUTE-5).
fn missed_offer(cx: &mut Ctx<'_>, agent: &AgentId, conversation: &ConversationId) {
    let reason = UnavailableReason::MissedOffer {
        conversation: conversation.clone(),
        at: cx.now,
    };
    let Some(person) = cx.world.agents.get_mut(agent) else {
        return;
    };
    person.unavailable_reason = Some(reason.clone());
    let available: Vec<SpaceId> = person
        .availability
        .iter()
        .filter(|(_, availability)| **availability == Availability::Available)
        .map(|(space, _)| space.clone())
        .collect();
    for space in routing::mark_unavailable(cx, agent, &available) {
        cx.effects.push(Effect::AvailabilityChanged {
            agent: agent.clone(),
            space,
            availability: Availability::Unavailable,
            reason: reason.clone(),
        });
    }
    routing::withdraw_offers_to(cx, agent, None);
}
