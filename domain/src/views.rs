//! Read models the dashboard shows: built on the server (with the visibility rule applied,
//! SPEC R-VIEW-3) and sent as they are to the browser.

use serde::{Deserialize, Serialize};

use crate::sla::FirstResponse;

/// Work types an agent can create as follow-up work, until spaces define their own.
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
}

/// A customer's profile (SPEC R-VIEW-6): every conversation they have had, newest first;
/// details only for those the viewer may read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerProfile {
    pub name: String,
    pub email: Option<String>,
    pub conversations: Vec<ProfileConversation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileConversation {
    pub id: Option<String>,
    pub started_at: i64,
    pub status: String,
    pub resolution: Option<String>,
    pub readable: bool,
}
