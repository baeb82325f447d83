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

/// Whether a work item's details (its customer, its conversation) are the reader's to see:
/// work that is not a conversation shows them to every member of its space; a conversation
/// only to those who may read it (SPEC R-VIEW-3). Everyone in the space sees that it exists.
pub fn may_see_work_item_details(conversation: Option<&Conversation>, reader: &Reader) -> bool {
    conversation.is_none_or(|c| may_read(c, reader))
}

/// What decides whether a staff member may open a customer's profile (SPEC R-VIEW-3, R-VIEW-6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileViewer<'a> {
    pub agent: &'a AgentId,
    pub site_admin: bool,
    /// A work item that is not a conversation (follow-up work) names this customer in one of
    /// the agent's spaces: the queue already shows them the customer.
    pub shares_work_item: bool,
}

/// A customer's profile is for site admins, for agents who may read at least one of the
/// customer's conversations, and for members of a space whose follow-up work names the
/// customer. Anyone else is answered as if the customer did not exist, so asking confirms
/// nothing. `conversations` may be read in batches: the answer is true as soon as one is
/// readable.
pub fn may_open_profile<'c>(
    viewer: ProfileViewer<'_>,
    conversations: impl IntoIterator<Item = &'c Conversation>,
) -> bool {
    if viewer.site_admin || viewer.shares_work_item {
        return true;
    }
    let reader = Reader::Agent(viewer.agent.clone());
    conversations.into_iter().any(|c| may_read(c, &reader))
}
