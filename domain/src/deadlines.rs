//! Which deadlines a conversation has (SPEC R-TIME-*), as plain timestamps: the world polls them
//! ([`crate::World::poll_timeout`]) and the engine's `Tick` fires the ones due. Apart from the
//! engine so that the world can read them without depending on the engine that reads the world.

use crate::conversation::{Conversation, ConversationStatus, WorkStatus};
use crate::time::{Timers, Timestamp};

/// One kind of deadline. The declaration order breaks ties between deadlines that fall at the
/// same instant: an unanswered offer is still the agent's miss even if the conversation also
/// runs out, and a conversation that ends needs no inactivity warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Due {
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

pub(crate) fn earliest(conv: &Conversation, timers: &Timers) -> Option<(Timestamp, Due)> {
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
