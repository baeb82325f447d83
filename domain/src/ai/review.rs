//! How a conversation with the AI agent turned out, for **Conversation review** (SPEC R-VIEW-5).

use serde::{Deserialize, Serialize};

/// How a conversation with the AI agent turned out, for **Conversation review** (SPEC R-VIEW-5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// Still with the AI agent (or waiting for the customer to sign in for a person).
    InProgress,
    /// Ended with the AI agent, whose last real turn was a confident answer.
    ResolvedByAi,
    /// Passed to the team: a work item exists.
    HandedOff,
    /// Ended with the AI agent without an answer it was sure of, or a handoff the customer
    /// never signed in for.
    Abandoned,
}

impl ReviewOutcome {
    pub const ALL: [ReviewOutcome; 4] = [
        ReviewOutcome::ResolvedByAi,
        ReviewOutcome::HandedOff,
        ReviewOutcome::Abandoned,
        ReviewOutcome::InProgress,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::InProgress => "In progress",
            Self::ResolvedByAi => "Resolved by AI",
            Self::HandedOff => "Handed off",
            Self::Abandoned => "Abandoned",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::ResolvedByAi => "resolved_by_ai",
            Self::HandedOff => "handed_off",
            Self::Abandoned => "abandoned",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// SPEC R-VIEW-5: classifies a conversation that began with the AI agent from its status and
/// the kinds of the AI's turns (oldest first).
pub fn review_outcome(
    status: crate::conversation::ConversationStatus,
    turn_kinds: &[&str],
) -> ReviewOutcome {
    use crate::conversation::ConversationStatus;
    match status {
        ConversationStatus::Work(_) => ReviewOutcome::HandedOff,
        ConversationStatus::WithAi => ReviewOutcome::InProgress,
        ConversationStatus::EndedWithAi => {
            let last_real = turn_kinds
                .iter()
                .rev()
                .find(|k| !matches!(**k, "small_talk" | "greeting"));
            if last_real == Some(&"answer") {
                ReviewOutcome::ResolvedByAi
            } else {
                ReviewOutcome::Abandoned
            }
        }
    }
}
