//! The live operations view (`/admin/live`): the waiting queue, every agent's availability and
//! load, and the open conversations with their first-response goal, for the spaces the viewer
//! administers. Times are unix milliseconds; the page counts waits and goals on from them each
//! second, and reads the view again when the server says something changed.

use serde::{Deserialize, Serialize};

use crate::sla::{FirstResponse, first_response};
use crate::time::{Millis, Timestamp};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationsView {
    /// The spaces in view (all of them for a site admin), by name.
    pub spaces: Vec<String>,
    /// **Maximum conversations**: each agent's limit across all spaces.
    pub max_conversations: u32,
    /// Customers waiting for an agent, longest wait first.
    pub waiting: Vec<WaitingCustomer>,
    pub agents: Vec<AgentLoad>,
    /// Conversations with an agent (Active, Wrapping up).
    pub open: Vec<OpenConversation>,
    /// Customer satisfaction per space in view over [`SATISFACTION_WINDOW`], by space name.
    #[serde(default)]
    pub satisfaction: Vec<(String, crate::ratings::Satisfaction)>,
}

/// How far back the live view's satisfaction figures reach: the last 30 days.
pub const SATISFACTION_WINDOW: crate::time::Millis = 30 * 24 * crate::time::HOUR;

/// The first-response goal's inputs for one conversation, so the page can tell at any second
/// whether it is past.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub waiting_since: i64,
    pub first_reply_at: Option<i64>,
    pub goal_ms: Millis,
}

impl Goal {
    pub fn at(self, now: i64) -> FirstResponse {
        first_response(
            Timestamp(self.waiting_since),
            self.first_reply_at.map(Timestamp),
            None,
            self.goal_ms,
            Timestamp(now),
        )
    }

    /// Past the goal with no agent reply yet: the view highlights it.
    pub fn missed(self, now: i64) -> bool {
        self.first_reply_at.is_none() && matches!(self.at(now), FirstResponse::Breached { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingCustomer {
    pub conversation: String,
    pub space: String,
    pub customer: String,
    pub goal: Goal,
    /// The agent it is offered to now, if any.
    pub offered_to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentLoad {
    pub id: String,
    pub name: String,
    /// Available in at least one of the spaces in view.
    pub available: bool,
    /// Accepted conversations (Active and Wrapping up), all spaces.
    pub accepted: u32,
    /// The conversation offered to them now, if any (it counts toward their load).
    pub offer: Option<String>,
    /// Their customers' ratings over [`SATISFACTION_WINDOW`].
    #[serde(default)]
    pub satisfaction: crate::ratings::Satisfaction,
}

impl AgentLoad {
    /// What counts toward **Maximum conversations**: accepted conversations and the offer.
    pub fn load(&self) -> u32 {
        self.accepted + u32::from(self.offer.is_some())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenConversation {
    pub conversation: String,
    pub space: String,
    pub customer: String,
    pub status: String,
    pub assignee: Option<String>,
    pub goal: Option<Goal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversation_is_highlighted_once_its_goal_passes_without_a_reply() {
        let goal = Goal {
            waiting_since: 1_000,
            first_reply_at: None,
            goal_ms: 60_000,
        };
        assert!(!goal.missed(60_000));
        assert!(goal.missed(61_001));
        let answered = Goal {
            first_reply_at: Some(90_000),
            ..goal
        };
        assert!(
            !answered.missed(200_000),
            "answered late is no longer waiting for a reply"
        );
    }
}
