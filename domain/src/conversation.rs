//! Conversations and their work-item lifecycle (SPEC R-LIFE-*).

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, ConversationId, CustomerId, SpaceId, VisitorId};
use crate::time::Timestamp;

/// Why the AI agent handed a conversation to the team (SPEC R-HAND-1).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HandoffReason {
    /// The customer asked for a person in words.
    AskedForPerson,
    /// The customer pressed **Talk to a person** in the widget.
    Button,
    /// The AI agent answered too many times in a row without confidence.
    CannotHelp,
    /// One of the admin's handoff phrases appeared in the customer's message.
    Rule { phrase: String },
}

impl HandoffReason {
    /// For the team: why this conversation came from the AI agent.
    pub fn label(&self) -> String {
        match self {
            Self::AskedForPerson => "The customer asked for a person".into(),
            Self::Button => "The customer pressed Talk to a person".into(),
            Self::CannotHelp => "The AI agent could not help".into(),
            Self::Rule { phrase } => format!("Handoff rule: \u{201c}{phrase}\u{201d}"),
        }
    }
}

/// The work type of every live chat: built in to every space, never added or removed, and its
/// assignee is set only by routing (the agent who accepts). Other work types are a space's own.
pub const WORK_TYPE: &str = "Conversation";

/// The status of the **Conversation** work item in its space (SPEC R-LIFE-1..4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    WaitingForAgent,
    Active,
    WrappingUp,
    Closed,
}

impl WorkStatus {
    /// The user-facing term, verbatim.
    pub fn label(self) -> &'static str {
        match self {
            Self::WaitingForAgent => "Waiting for agent",
            Self::Active => "Active",
            Self::WrappingUp => "Wrapping up",
            Self::Closed => "Closed",
        }
    }

    /// The only moves the work item may make. `None` is "no work item yet": it is created on a
    /// direct start or a handoff. Resolving straight from Active is not allowed: the
    /// customer-facing chat must be ended first so the customer is never left waiting (R-CUST-5).
    pub fn is_legal_transition(from: Option<Self>, to: Self) -> bool {
        use WorkStatus::*;
        matches!(
            (from, to),
            (None, WaitingForAgent)
                | (Some(WaitingForAgent), Active)
                | (Some(WaitingForAgent), Closed)
                | (Some(Active), WrappingUp)
                | (Some(WrappingUp), Closed)
        )
    }
}

/// Where a conversation is. The AI part comes before the work item exists; a handoff creates
/// the work item in the same conversation (same id, same events, seq continues; SPEC R-HAND-3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// The AI agent is answering; nothing is routed and there is no work item.
    WithAi,
    /// The conversation ended while still with the AI (customer left, or maximum duration).
    /// Final, and no work item was ever created.
    EndedWithAi,
    /// A human part exists: the work item's status.
    Work(WorkStatus),
}

impl ConversationStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::WithAi => "With AI agent",
            Self::EndedWithAi => "Ended",
            Self::Work(status) => status.label(),
        }
    }

    /// A stable code for storage columns; [`ConversationStatus::from_code`] reads it back.
    pub fn code(self) -> &'static str {
        match self {
            Self::WithAi => "with_ai",
            Self::EndedWithAi => "ended_with_ai",
            Self::Work(WorkStatus::WaitingForAgent) => "waiting_for_agent",
            Self::Work(WorkStatus::Active) => "active",
            Self::Work(WorkStatus::WrappingUp) => "wrapping_up",
            Self::Work(WorkStatus::Closed) => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::WithAi,
            Self::EndedWithAi,
            Self::Work(WorkStatus::WaitingForAgent),
            Self::Work(WorkStatus::Active),
            Self::Work(WorkStatus::WrappingUp),
            Self::Work(WorkStatus::Closed),
        ]
        .into_iter()
        .find(|status| status.code() == code)
    }

    pub fn work(self) -> Option<WorkStatus> {
        match self {
            Self::Work(status) => Some(status),
            _ => None,
        }
    }

    /// Nothing more can happen: no timers, no messages, no routing.
    pub fn is_final(self) -> bool {
        matches!(self, Self::EndedWithAi | Self::Work(WorkStatus::Closed))
    }

    /// The customer-facing chat is over (it may still await the agent's resolution).
    pub fn has_ended(self) -> bool {
        matches!(
            self,
            Self::EndedWithAi | Self::Work(WorkStatus::WrappingUp | WorkStatus::Closed)
        )
    }
}

impl fmt::Display for ConversationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A live offer of a waiting conversation to one agent (SPEC R-ROUTE-2, R-ROUTE-5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub agent: AgentId,
    pub offered_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Why the customer-facing conversation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    AgentEnded,
    CustomerEnded,
    NoAgentAvailable,
    NoAcceptInTime,
    Inactivity,
    MaxDuration,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: ConversationId,
    /// The space this conversation routes to (SPEC R-ROUTE-1).
    pub space: SpaceId,
    /// `None` only while with the AI: a human part needs a signed-in customer (SPEC R-CUST-2).
    pub customer: Option<CustomerId>,
    /// The anonymous visitor who started it with the AI agent, if it began before sign-in.
    #[serde(default)]
    pub visitor: Option<VisitorId>,
    /// Set when the AI handed off (or tried to, before sign-in). From then on the AI never
    /// speaks again in this conversation (SPEC R-HAND-2).
    #[serde(default)]
    pub handoff: Option<HandoffReason>,
    pub status: ConversationStatus,
    pub assignee: Option<AgentId>,
    /// Agents who were assigned or wrote; they may read its details (SPEC R-VIEW-3).
    pub participants: BTreeSet<AgentId>,
    pub offer: Option<Offer>,
    /// Who declined the most recent offer, so the next offer prefers someone else
    /// (SPEC R-ROUTE-3) yet can come back to them when nobody else can take it (R-ROUTE-4).
    /// Cleared when an offer ends any other way, because only the very next offer is affected.
    pub last_declined: Option<AgentId>,
    pub started_at: Timestamp,
    /// When the work item entered Waiting for agent; the no-accept deadline counts from here.
    pub waiting_since: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    /// The last customer-facing message, or the accept; the inactivity timers count from here.
    pub last_activity_at: Timestamp,
    /// Set when the inactivity warning went out; a message clears it.
    pub inactivity_warned_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub end_reason: Option<EndReason>,
    pub closed_at: Option<Timestamp>,
    pub resolution: Option<String>,
    /// When an agent first wrote to the customer: the first-response SLA stops here (R-VIEW-4).
    #[serde(default)]
    pub first_agent_reply_at: Option<Timestamp>,
    /// The seq the next durable event of this conversation gets; starts at 1.
    pub next_seq: i64,
}

impl Conversation {
    pub fn new(
        id: ConversationId,
        space: SpaceId,
        customer: Option<CustomerId>,
        status: ConversationStatus,
        now: Timestamp,
    ) -> Self {
        Self {
            id,
            space,
            customer,
            visitor: None,
            handoff: None,
            status,
            assignee: None,
            participants: BTreeSet::new(),
            offer: None,
            last_declined: None,
            started_at: now,
            waiting_since: None,
            accepted_at: None,
            last_activity_at: now,
            inactivity_warned_at: None,
            ended_at: None,
            end_reason: None,
            closed_at: None,
            resolution: None,
            first_agent_reply_at: None,
            next_seq: 1,
        }
    }

    pub fn work_status(&self) -> Option<WorkStatus> {
        self.status.work()
    }

    pub fn is_waiting(&self) -> bool {
        self.status == ConversationStatus::Work(WorkStatus::WaitingForAgent)
    }

    pub fn is_assignee(&self, agent: &AgentId) -> bool {
        self.assignee.as_ref() == Some(agent)
    }
}
