//! The one error type of the domain layer. Every message is fit to show the user as is.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ids::{AgentId, ConversationId, SpaceId};

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DomainError {
    /// The command names a conversation that is not in the snapshot (a bad id, or the storage
    /// layer did not load it). The user sees "This conversation no longer exists."
    #[error("This conversation no longer exists.")]
    UnknownConversation { conversation: ConversationId },

    /// The command names an agent that does not exist.
    #[error("Unknown agent {agent}.")]
    UnknownAgent { agent: AgentId },

    /// The command names a space that does not exist.
    #[error("Unknown space {space}.")]
    UnknownSpace { space: SpaceId },

    /// A start reused an existing conversation id (a retried start the caller should dedupe).
    #[error("This conversation has already started.")]
    ConversationExists { conversation: ConversationId },

    /// Availability was set for a space the agent is not a member of (SPEC R-AVAIL-2).
    #[error("You are not a member of space {space}.")]
    NotMember { agent: AgentId, space: SpaceId },

    /// A start or handoff targets a space whose **Live chat** is off (SPEC R-MODE-3).
    #[error("Live chat is off in this space.")]
    LiveChatOff { space: SpaceId },

    /// A human part was requested for a customer who is not signed in; the widget prompts them
    /// to sign in first (SPEC R-CUST-2).
    #[error("Please sign in to chat with our team.")]
    SignInRequired,

    /// An AI conversation is already tied to another customer.
    #[error("This conversation belongs to someone else.")]
    CustomerMismatch,

    /// Accept or decline from an agent the conversation is not (or no longer) offered to: a
    /// double click, another agent, or the offer moved on or expired (SPEC R-ROUTE-8).
    #[error("This conversation is no longer offered to you.")]
    NotOffered,

    /// Accept while the agent is at **Maximum conversations** (the limit was lowered after the
    /// offer was made) (SPEC R-ROUTE-10).
    #[error("You are at your Maximum conversations ({max}). Resolve one to take another.")]
    AtLimit { max: u32 },

    /// Messaging, ending or resolving by an agent who is not the assignee.
    #[error("Only the assigned agent can do this.")]
    NotAssignee,

    /// Reading or writing notes by an agent who is neither assignee nor participant
    /// (SPEC R-VIEW-3).
    #[error("Only agents in this conversation can do this.")]
    NotParticipant,

    /// The conversation is in the wrong status for the action; `expected` and `actual` are the
    /// user-facing status labels.
    #[error("This conversation is {actual}; this needs it to be {expected}.")]
    WrongStatus { expected: String, actual: String },

    /// The customer wrote or ended after the conversation ended (SPEC R-CUST-5).
    #[error("This conversation has ended.")]
    ConversationEnded,

    /// The AI tried to speak after it handed off (SPEC R-HAND-2).
    #[error("The AI agent has handed this conversation to the team and can no longer reply.")]
    AiHasEnded,

    /// A message or note with nothing but whitespace.
    #[error("Write something before sending.")]
    EmptyMessage,

    /// A message or note longer than [`crate::MAX_MESSAGE_CHARS`].
    #[error("Messages can be at most {max} characters.")]
    MessageTooLong { max: usize },

    /// Resolve without a resolution (SPEC R-AGENT-3).
    #[error("Choose a resolution to close this conversation.")]
    EmptyResolution,

    /// **Maximum conversations** outside 1..=100.
    #[error("Maximum conversations must be between 1 and 100 (got {value}).")]
    InvalidMaxConversations { value: u32 },
}
