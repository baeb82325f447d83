//! Who may read a conversation's details (SPEC R-VIEW-3, R-CUST-4). Checked on the server for
//! every subscription and every action, whatever the UI hides.

use crate::conversation::Conversation;
use crate::ids::{AgentId, CustomerId, VisitorId};

/// Someone asking to read or act on a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reader {
    Agent(AgentId),
    Customer(CustomerId),
    /// An anonymous visitor: only the AI conversation they started (SPEC R-CUST-2).
    Visitor(VisitorId),
}

/// The assignee and the participants read everything; the agent a conversation is offered to
/// reads it too, to decide whether to accept (the start of the transcript); the customer reads
/// their own conversation (without internal notes: see `EventKind::visible_to_customer`).
/// Everyone else, including other members of the space, reads nothing.
pub fn may_read(conversation: &Conversation, reader: &Reader) -> bool {
    match reader {
        Reader::Customer(customer) => conversation.customer.as_ref() == Some(customer),
        Reader::Visitor(visitor) => conversation.visitor.as_ref() == Some(visitor),
        Reader::Agent(agent) => {
            conversation.is_assignee(agent)
                || conversation.participants.contains(agent)
                || conversation
                    .offer
                    .as_ref()
                    .is_some_and(|o| &o.agent == agent)
        }
    }
}

impl Reader {
    /// Whether this reader sees the team-only events (internal notes, work item changes).
    pub fn is_team(&self) -> bool {
        matches!(self, Reader::Agent(_))
    }
}
