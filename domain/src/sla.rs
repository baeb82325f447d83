//! Time to first response (SPEC R-VIEW-4): the clock starts when the conversation starts
//! waiting for an agent and stops at the first message an agent sends.

use serde::{Deserialize, Serialize};

use crate::time::{Millis, Timestamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FirstResponse {
    /// No reply yet and the goal not passed: `remaining` until it is.
    Running { remaining: Millis },
    /// Replied within the goal, after `took`.
    Met { took: Millis },
    /// Replied late, or not yet and the goal has passed; `over` says by how much (so far, or
    /// until the conversation ended).
    Breached { over: Millis },
    /// Ended within the goal without an agent's reply (the customer left, the Fallback message):
    /// nothing is due any more, and the goal was not missed.
    EndedUnanswered,
}

/// The state of the first-response goal for a conversation that began waiting at `since`. The
/// clock stops at the first agent reply, or, without one, when the conversation `ended`.
pub fn first_response(
    since: Timestamp,
    first_reply: Option<Timestamp>,
    ended: Option<Timestamp>,
    goal: Millis,
    now: Timestamp,
) -> FirstResponse {
    let elapsed = |until: Timestamp| (until.as_millis() - since.as_millis()).max(0);
    match (first_reply, ended) {
        (Some(at), _) if elapsed(at) <= goal => FirstResponse::Met { took: elapsed(at) },
        (Some(at), _) => FirstResponse::Breached {
            over: elapsed(at) - goal,
        },
        (None, Some(end)) if elapsed(end) <= goal => FirstResponse::EndedUnanswered,
        (None, Some(end)) => FirstResponse::Breached {
            over: elapsed(end) - goal,
        },
        (None, None) if elapsed(now) <= goal => FirstResponse::Running {
            remaining: goal - elapsed(now),
        },
        (None, None) => FirstResponse::Breached {
            over: elapsed(now) - goal,
        },
    }
}

impl FirstResponse {
    /// Short text for the dashboard: "first response due in 3 min", "met in 40 s", …
    pub fn label(self) -> String {
        fn span(ms: Millis) -> String {
            let s = ms / 1000;
            if s < 60 {
                format!("{s} s")
            } else if s < 3600 {
                format!("{} min", s / 60)
            } else {
                format!("{} h {} min", s / 3600, (s % 3600) / 60)
            }
        }
        match self {
            FirstResponse::Running { remaining } => {
                format!("First response due in {}", span(remaining))
            }
            FirstResponse::Met { took } => format!("First response met ({})", span(took)),
            FirstResponse::Breached { over } => {
                format!("First response breached by {}", span(over))
            }
            FirstResponse::EndedUnanswered => "Ended before a first response".to_string(),
        }
    }
}
