//! The agent's **Conversations** view: their live conversations and the ones they closed
//! recently, with the resolution each was closed with (SPEC R-VIEW-1, seed "Manage live
//! conversations"). Which closed conversations count as recent, and what the view's filter
//! keeps, are rules of their own so they are tested on a virtual clock.

use serde::{Deserialize, Serialize};

use crate::time::{HOUR, Millis, Timestamp};

/// How long a closed conversation stays in the agent's list: a working week, so Monday's
/// follow-up questions about last week's chats find them.
pub const RECENTLY_CLOSED_FOR: Millis = 7 * 24 * HOUR;

/// At most this many closed conversations are listed; older ones are in the customer's profile.
pub const RECENTLY_CLOSED_LIMIT: usize = 50;

/// One line of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: String,
    pub customer_name: String,
    /// The status label, verbatim ("Active", "Wrapping up", "Closed", …).
    pub status: String,
    pub started_at: i64,
    /// When it was Closed; `None` while it is live.
    pub closed_at: Option<i64>,
    /// The resolution it was closed with.
    pub resolution: Option<String>,
}

impl ConversationSummary {
    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }
}

/// Whether a conversation closed at `closed_at` is still listed at `now`.
pub fn recently_closed(closed_at: Timestamp, now: Timestamp) -> bool {
    now.as_millis().saturating_sub(closed_at.as_millis()) <= RECENTLY_CLOSED_FOR
}

/// Which part of the list the agent looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Showing {
    /// Live and recently closed.
    #[default]
    All,
    Live,
    Closed,
}

impl Showing {
    pub const ALL: [Showing; 3] = [Showing::All, Showing::Live, Showing::Closed];

    pub fn label(self) -> &'static str {
        match self {
            Showing::All => "All",
            Showing::Live => "Live",
            Showing::Closed => "Recently closed",
        }
    }

    pub fn from_label(label: &str) -> Showing {
        Showing::ALL
            .into_iter()
            .find(|s| s.label() == label)
            .unwrap_or_default()
    }
}

/// The list's filter: a part of the list and words that must appear in the customer's name,
/// the status or the resolution (case-insensitive).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationFilter {
    pub showing: Showing,
    pub text: String,
}

impl ConversationFilter {
    pub fn keeps(&self, c: &ConversationSummary) -> bool {
        let part = match self.showing {
            Showing::All => true,
            Showing::Live => !c.is_closed(),
            Showing::Closed => c.is_closed(),
        };
        part && self.text.split_whitespace().all(|word| {
            let word = word.to_lowercase();
            [
                Some(c.customer_name.as_str()),
                Some(c.status.as_str()),
                c.resolution.as_deref(),
            ]
            .into_iter()
            .flatten()
            .any(|field| field.to_lowercase().contains(&word))
        })
    }
}
