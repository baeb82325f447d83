//! Agents and their per-space availability (SPEC R-AVAIL-*).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, ConversationId, SpaceId};
use crate::time::Timestamp;

/// **Available** or **Unavailable** in one space (SPEC R-AVAIL-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Availability {
    Available,
    Unavailable,
}

impl Availability {
    /// The user-facing term, verbatim.
    pub fn label(self) -> &'static str {
        match self {
            Self::Available => "Available",
            Self::Unavailable => "Unavailable",
        }
    }
}

/// Why an agent is Unavailable, so the UI can tell "you missed an offer" apart from a choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum UnavailableReason {
    /// The agent chose Unavailable (or this is also used as the cause of any change they made).
    SetByAgent,
    /// The agent let an offer run out (SPEC R-ROUTE-5).
    MissedOffer {
        conversation: ConversationId,
        at: Timestamp,
    },
    /// Every dashboard tab of the agent was closed for longer than the presence grace period, so
    /// Baton stopped offering them conversations nobody would see.
    Disconnected { at: Timestamp },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: AgentId,
    /// Availability per space. A space that is missing counts as Unavailable.
    pub availability: BTreeMap<SpaceId, Availability>,
    pub unavailable_reason: Option<UnavailableReason>,
    /// How many of this agent's assigned conversations are not Closed (Active or Wrapping up),
    /// across all spaces. The storage layer loads it with a COUNT; the engine keeps it in step.
    pub active: u32,
}

impl Agent {
    pub fn new(id: impl Into<AgentId>) -> Self {
        Self {
            id: id.into(),
            availability: BTreeMap::new(),
            unavailable_reason: None,
            active: 0,
        }
    }

    pub fn availability_in(&self, space: &SpaceId) -> Availability {
        self.availability
            .get(space)
            .copied()
            .unwrap_or(Availability::Unavailable)
    }

    pub fn is_available_in(&self, space: &SpaceId) -> bool {
        self.availability_in(space) == Availability::Available
    }
}
