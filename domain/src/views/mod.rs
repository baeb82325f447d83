//! Read models the pages show: built on the server (with the visibility rule applied,
//! SPEC R-VIEW-3) and sent as they are to the browser. The agent dashboard's are here; the
//! settings pages' in [`settings`], the AI agent's and Conversation review's in [`ai`].

pub mod ai;
pub mod api_tokens;
pub mod conversations;
pub mod operations;
pub mod settings;
pub mod texts;
pub mod webhooks;

use serde::{Deserialize, Serialize};

use crate::sla::FirstResponse;

/// The work types a new space starts with for follow-up work; admins add and remove others.
pub const FOLLOW_UP_TYPES: [&str; 3] = ["Task", "Bug", "Follow-up"];

/// One row of a queue. `conversation` is set only when the viewer may read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: String,
    pub work_type: String,
    pub title: String,
    pub status: String,
    pub assignee: Option<String>,
    pub created: i64,
    pub space: String,
    pub customer: Option<String>,
    pub customer_id: Option<String>,
    pub conversation: Option<String>,
    /// False for a conversation the viewer may not read: the row shows only that it exists.
    pub readable: bool,
    /// The customer's satisfaction rating, on the work item's own page (not in queue lists).
    #[serde(default)]
    pub rating: Option<crate::ratings::Rating>,
}

/// One page of a queue, in the filter's order. `next` is the cursor of the following page
/// (see `crate::paging`), `None` on the last page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub next: Option<String>,
}

/// What the conversation panel shows beside the transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationDetails {
    pub id: String,
    pub customer_id: Option<String>,
    pub customer_name: String,
    pub status: String,
    pub first_response: Option<FirstResponse>,
    pub resolution: Option<String>,
    pub is_assignee: bool,
    /// The work types follow-up work in the conversation's space may take.
    #[serde(default)]
    pub work_types: Vec<String>,
    /// The customer's satisfaction rating, once they gave one.
    #[serde(default)]
    pub rating: Option<crate::ratings::Rating>,
}

/// A customer's profile (SPEC R-VIEW-6): every conversation they have had, newest first;
/// details only for those the viewer may read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerProfile {
    pub name: String,
    pub email: Option<String>,
    /// One page of them, newest first.
    pub conversations: Vec<ProfileConversation>,
    /// The cursor of the next page of conversations, `None` on the last page.
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileConversation {
    pub id: Option<String>,
    pub started_at: i64,
    pub status: String,
    pub resolution: Option<String>,
    pub readable: bool,
    /// The customer's rating; shown only with the other details, to readers.
    #[serde(default)]
    pub rating: Option<crate::ratings::Rating>,
}

/// What a customer experience's widget needs to know. Public: it holds no secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetInfo {
    pub experience_id: String,
    pub widget_key: String,
    pub name: String,
    pub mode: crate::experience::SupportMode,
    pub fallback_message: String,
    pub help_text: String,
    /// Whether the widget can start a chat at all right now.
    pub chat_open: bool,
    /// Why not, in the customer's words, when it cannot.
    pub closed_reason: Option<String>,
    /// SPEC R-CUST-2: a human chat needs a signed-in customer before the first message.
    pub sign_in_first: bool,
    /// The sites that may embed the widget (normalised entries, as in its `frame-ancestors`):
    /// the widget takes `Baton.identify` tokens only from a parent page on one of them.
    pub allowed_domains: Vec<String>,
    /// The chat's language (the experience's, when it pins one, else the browser's) and its
    /// words, as [`texts::Texts`] holds them. Fields of their own rather than a nested struct:
    /// decoding one more struct would cost the widget more code than these three fields do.
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub rtl: bool,
    #[serde(default)]
    pub words: String,
}

impl WidgetInfo {
    /// The chat's words, to look up.
    pub fn texts(&self) -> texts::Texts {
        texts::Texts {
            lang: self.lang.clone(),
            rtl: self.rtl,
            lines: self.words.clone(),
        }
    }
}
