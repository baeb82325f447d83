//! What the REST API sends and receives: a public contract of its own (documented in the
//! OpenAPI document), kept apart from the pages' view types so either can change alone.

use domain::views::{CustomerProfile, QueueRow};
use domain::{Conversation, ConversationEvent};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `?cursor=&limit=` of a paged list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next` of the previous page; none for the first.
    pub cursor: Option<String>,
    /// Rows per page: 50 by default, at most 200.
    pub limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationOut {
    pub id: String,
    /// `with_ai`, `ended_with_ai`, `waiting_for_agent`, `active`, `wrapping_up`, `closed`.
    pub status: String,
    pub space: String,
    pub customer: Option<String>,
    pub assignee: Option<String>,
    /// Unix milliseconds.
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub resolution: Option<String>,
}

impl From<&Conversation> for ConversationOut {
    fn from(c: &Conversation) -> ConversationOut {
        ConversationOut {
            id: c.id.to_string(),
            status: c.status.code().to_string(),
            space: c.space.to_string(),
            customer: c.customer.as_ref().map(|x| x.to_string()),
            assignee: c.assignee.as_ref().map(|x| x.to_string()),
            started_at: c.started_at.as_millis(),
            ended_at: c.ended_at.map(|t| t.as_millis()),
            resolution: c.resolution.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConversationPage {
    pub items: Vec<ConversationOut>,
    /// The cursor of the next page; absent on the last.
    pub next: Option<String>,
}

/// One entry of a transcript.
#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub seq: i64,
    pub at: i64,
    /// `message`, `note`, `assigned`, `ended`, `resolved`, `handed_off`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The event's own fields (for a message: `author`, `body`, `client_id`).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<&ConversationEvent> for EventOut {
    fn from(e: &ConversationEvent) -> EventOut {
        let mut data = serde_json::to_value(&e.kind).unwrap_or_default();
        if let Some(fields) = data.as_object_mut() {
            fields.remove("type");
        }
        EventOut {
            seq: e.seq,
            at: e.at.as_millis(),
            kind: e.kind.type_name().into(),
            data,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TranscriptOut {
    pub conversation: ConversationOut,
    /// Every event in order, internal notes included (the caller is staff).
    pub events: Vec<EventOut>,
}

#[derive(Deserialize, ToSchema)]
pub struct MessageIn {
    pub body: String,
    /// Your idempotency key: the same one again stores the message once and answers its seq.
    pub client_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageOut {
    pub conversation: String,
    pub seq: i64,
    pub client_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerOut {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerPage {
    pub items: Vec<CustomerOut>,
    pub next: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerConversationOut {
    /// Absent when the caller may not read it: the profile shows only that it exists.
    pub id: Option<String>,
    pub status: String,
    pub started_at: i64,
    pub resolution: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerProfileOut {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub conversations: Vec<CustomerConversationOut>,
    pub next: Option<String>,
}

impl CustomerProfileOut {
    pub fn of(id: &str, profile: CustomerProfile) -> CustomerProfileOut {
        CustomerProfileOut {
            id: id.to_string(),
            name: profile.name,
            email: profile.email,
            conversations: profile
                .conversations
                .into_iter()
                .map(|c| CustomerConversationOut {
                    id: c.id,
                    status: c.status,
                    started_at: c.started_at,
                    resolution: c.resolution,
                })
                .collect(),
            next: profile.next,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkItemQuery {
    /// A queue filter, such as `status = "Waiting for agent" ORDER BY created`.
    pub filter: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkItemOut {
    pub id: String,
    pub work_type: String,
    pub title: String,
    pub status: String,
    pub assignee: Option<String>,
    pub created: i64,
    pub space: String,
    /// Absent when the caller may not read the conversation.
    pub customer: Option<String>,
    pub conversation: Option<String>,
    pub readable: bool,
}

impl From<QueueRow> for WorkItemOut {
    fn from(r: QueueRow) -> WorkItemOut {
        WorkItemOut {
            id: r.id,
            work_type: r.work_type,
            title: r.title,
            status: r.status,
            assignee: r.assignee,
            created: r.created,
            space: r.space,
            customer: r.customer_id,
            conversation: r.conversation,
            readable: r.readable,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkItemPage {
    pub items: Vec<WorkItemOut>,
    pub next: Option<String>,
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct AvailabilityIn {
    /// `Available` or `Unavailable`, in every space of the agent.
    pub availability: String,
}

#[derive(Serialize, ToSchema)]
pub struct AvailabilityOut {
    pub agent: String,
    pub availability: String,
}
