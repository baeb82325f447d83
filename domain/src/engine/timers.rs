//! Timer policy (SPEC R-TIME-*): what firing a conversation's deadlines does (which deadlines it
//! has is `crate::deadlines`).

use super::{Ctx, lifecycle, routing};
use crate::agent::{Availability, UnavailableReason};
use crate::conversation::EndReason;
use crate::deadlines::{Due, earliest};
use crate::effect::{Effect, WithdrawReason};
use crate::error::DomainError;
use crate::event::EventKind;
use crate::ids::{AgentId, ConversationId, SpaceId};

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
