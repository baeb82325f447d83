//! What a decision asks the outside world to do: persist, then publish.

use serde::{Deserialize, Serialize};

use crate::agent::{Availability, UnavailableReason};
use crate::event::ConversationEvent;
use crate::ids::{AgentId, ConversationId, SpaceId};
use crate::time::Timestamp;

/// Why an offer stopped being live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawReason {
    Declined,
    Expired,
    Accepted,
    /// The conversation ended while offered (the customer left, or another timer ended it).
    Ended,
    /// Nobody accepted before the no-accept deadline (SPEC R-TIME-2): the conversation closed
    /// and the customer saw the Fallback message. Told apart from `Ended` so the agent is not
    /// told the customer left.
    NoAcceptInTime,
    /// The agent went Unavailable (by choice, or after missing another offer).
    AgentUnavailable,
}

/// Effects come in the order things happened. The `Store*` effects come last and name every
/// row the decision changed, so the storage layer writes exactly those (reading the new values
/// from the [`World`](crate::World)) before publishing anything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Effect {
    /// A durable event: insert it, then publish it to the conversation's subscribers.
    Event(ConversationEvent),
    /// Tell the agent a conversation is offered to them until `expires_at`.
    OfferMade {
        conversation: ConversationId,
        agent: AgentId,
        expires_at: Timestamp,
    },
    /// Remove an offer from the agent's screen.
    OfferWithdrawn {
        conversation: ConversationId,
        agent: AgentId,
        reason: WithdrawReason,
    },
    /// An agent's availability in one space changed.
    AvailabilityChanged {
        agent: AgentId,
        space: SpaceId,
        availability: Availability,
        reason: UnavailableReason,
    },
    /// Write this conversation's row, with the deadline the scheduler should wake it at.
    StoreConversation {
        conversation: ConversationId,
        next_deadline: Option<Timestamp>,
    },
    /// Write this agent's row (availability, reason; `active` is derived by COUNT).
    StoreAgent { agent: AgentId },
    /// Write this space's row (round-robin cursor, Live chat switch).
    StoreSpace { space: SpaceId },
    /// Write the site settings.
    StoreSettings,
}
