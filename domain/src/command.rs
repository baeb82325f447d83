//! Commands: every state change is one command, decided on one snapshot.

use serde::{Deserialize, Serialize};

use crate::agent::Availability;
use crate::conversation::HandoffReason;
use crate::event::Author;
use crate::ids::{AgentId, ConversationId, CustomerId, SpaceId, VisitorId};

/// How a conversation begins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Start {
    /// Straight to the support team: routed at once.
    Direct,
    /// With the AI agent first: nothing is routed until a handoff. `visitor` is the anonymous
    /// visitor who may read it before signing in (SPEC R-CUST-2).
    Ai { visitor: Option<VisitorId> },
}

/// Which spaces an availability change applies to (SPEC R-AVAIL-2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "space", rename_all = "snake_case")]
pub enum Scope {
    Space(SpaceId),
    /// Every space the agent is a member of.
    AllSpaces,
}

/// Who chose to end the conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "agent", rename_all = "snake_case")]
pub enum Ender {
    Agent(AgentId),
    Customer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// A customer opens a chat. `customer` may be `None` only for an AI start (SPEC R-CUST-2).
    StartConversation {
        id: ConversationId,
        space: SpaceId,
        customer: Option<CustomerId>,
        via: Start,
    },
    /// Attach the signed-in customer to an AI conversation before a handoff (SPEC R-CUST-2).
    IdentifyCustomer {
        conversation: ConversationId,
        customer: CustomerId,
    },
    /// The AI ends its turn with `farewell` and never speaks again (SPEC R-HAND-2). With a
    /// signed-in customer routing starts at once in the same thread (R-HAND-3); otherwise the
    /// handoff waits for the customer to sign in ([`Command::IdentifyCustomer`]).
    HandOff {
        conversation: ConversationId,
        reason: HandoffReason,
        farewell: Option<String>,
    },
    SetAvailability {
        agent: AgentId,
        scope: Scope,
        availability: Availability,
    },
    /// The agent's last dashboard tab has been gone for the presence grace period: Unavailable
    /// in every space, offers they hold move on (see ARCHITECTURE.md, "Presence").
    AgentAway { agent: AgentId },
    Accept {
        agent: AgentId,
        conversation: ConversationId,
    },
    Decline {
        agent: AgentId,
        conversation: ConversationId,
    },
    SendMessage {
        conversation: ConversationId,
        author: Author,
        body: String,
        client_id: String,
        /// A file already in the store (see `backend::attachments`); `body` is its name.
        attachment: Option<crate::attachments::Attachment>,
    },
    AddNote {
        agent: AgentId,
        conversation: ConversationId,
        body: String,
    },
    EndConversation {
        conversation: ConversationId,
        by: Ender,
    },
    Resolve {
        agent: AgentId,
        conversation: ConversationId,
        resolution: String,
    },
    /// Fire whatever is due for this conversation at `now`; harmless when nothing is.
    Tick { conversation: ConversationId },
    /// The space's **Live chat** switch (SPEC R-SPACE-1).
    SetLiveChat { space: SpaceId, on: bool },
    /// The site's **Maximum conversations** (SPEC R-SPACE-3).
    SetMaxConversations { max: u32 },
}

impl Command {
    /// The conversation the storage layer must load (and lock) besides the waiting ones.
    pub fn conversation(&self) -> Option<&ConversationId> {
        match self {
            Self::StartConversation { id, .. } => Some(id),
            Self::IdentifyCustomer { conversation, .. }
            | Self::HandOff { conversation, .. }
            | Self::Accept { conversation, .. }
            | Self::Decline { conversation, .. }
            | Self::SendMessage { conversation, .. }
            | Self::AddNote { conversation, .. }
            | Self::EndConversation { conversation, .. }
            | Self::Resolve { conversation, .. }
            | Self::Tick { conversation } => Some(conversation),
            Self::SetAvailability { .. }
            | Self::AgentAway { .. }
            | Self::SetLiveChat { .. }
            | Self::SetMaxConversations { .. } => None,
        }
    }
}
