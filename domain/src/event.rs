//! Durable events: one row each, numbered per conversation by `seq` (replay after reconnect).

use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::conversation::{EndReason, HandoffReason, WorkStatus};
use crate::ids::{AgentId, ConversationId};
use crate::time::Timestamp;

/// The longest message or note body, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5_000;

/// Who wrote a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "agent", rename_all = "snake_case")]
pub enum Author {
    Customer,
    Agent(AgentId),
    Ai,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A chat message. `client_id` is the sender's idempotency key (unique in storage). With a
    /// file, `body` is the file's name, so every reader of plain text (transcripts, webhooks,
    /// the AI agent's prompt) still says what was sent.
    Message {
        author: Author,
        body: String,
        client_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attachment: Option<Attachment>,
    },
    /// An **internal note**: team only, never shown to the customer (SPEC R-AGENT-1).
    Note { agent: AgentId, body: String },
    /// The work item moved. `from` is `None` when the work item is created.
    StatusChanged {
        from: Option<WorkStatus>,
        to: WorkStatus,
    },
    /// An agent accepted and is now the assignee (SPEC R-ROUTE-8).
    Assigned { agent: AgentId },
    /// The customer is shown the experience's **Fallback message** (SPEC R-ROUTE-6, R-ROUTE-7).
    FallbackShown,
    /// Both sides are told the conversation is inactive (SPEC R-TIME-3).
    InactivityWarning,
    /// The customer-facing conversation is over (SPEC R-CUST-5).
    Ended { reason: EndReason },
    /// The assignee resolved the work item (SPEC R-AGENT-3).
    Resolved { resolution: String, agent: AgentId },
    /// The AI ended its turn and the conversation goes to the support team (SPEC R-HAND-2).
    /// `reason` is absent on conversations handed off before reasons were recorded.
    HandedOff {
        #[serde(default)]
        reason: Option<HandoffReason>,
    },
    /// The AI ended its turn for a person, and the customer must sign in first (SPEC R-CUST-2);
    /// `HandedOff` follows once they have.
    HandoffRequested { reason: HandoffReason },
}

impl EventKind {
    /// Whether the customer's transcript shows this event. Internal notes never are
    /// (SPEC R-AGENT-1), nor is the work item's bookkeeping (status, resolution).
    pub fn visible_to_customer(&self) -> bool {
        match self {
            Self::Message { .. }
            | Self::Assigned { .. }
            | Self::FallbackShown
            | Self::InactivityWarning
            | Self::Ended { .. }
            | Self::HandedOff { .. }
            | Self::HandoffRequested { .. } => true,
            Self::Note { .. } | Self::StatusChanged { .. } | Self::Resolved { .. } => false,
        }
    }

    /// The serde tag, handy as a storage column.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Message { .. } => "message",
            Self::Note { .. } => "note",
            Self::StatusChanged { .. } => "status_changed",
            Self::Assigned { .. } => "assigned",
            Self::FallbackShown => "fallback_shown",
            Self::InactivityWarning => "inactivity_warning",
            Self::Ended { .. } => "ended",
            Self::Resolved { .. } => "resolved",
            Self::HandedOff { .. } => "handed_off",
            Self::HandoffRequested { .. } => "handoff_requested",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationEvent {
    pub conversation: ConversationId,
    /// 1, 2, 3… per conversation without gaps.
    pub seq: i64,
    pub at: Timestamp,
    #[serde(flatten)]
    pub kind: EventKind,
}

impl ConversationEvent {
    pub fn visible_to_customer(&self) -> bool {
        self.kind.visible_to_customer()
    }
}
