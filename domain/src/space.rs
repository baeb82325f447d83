//! Spaces: where live chat routes to (SPEC R-SPACE-*, R-ROUTE-1).

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, SpaceId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Space {
    pub id: SpaceId,
    /// The **Live chat** switch (SPEC R-SPACE-1, R-MODE-3).
    pub live_chat: bool,
    /// Members who can take conversations, in a stable order: this order is the round-robin
    /// order, so it must not be re-sorted between loads.
    pub members: Vec<AgentId>,
    /// The last agent offered a conversation in this space; the next offer starts after them.
    pub cursor: Option<AgentId>,
}

impl Space {
    /// A new space has **Live chat** on (SPEC R-SPACE-1).
    pub fn new(id: impl Into<SpaceId>) -> Self {
        Self {
            id: id.into(),
            live_chat: true,
            members: Vec::new(),
            cursor: None,
        }
    }

    pub fn with_members<I, A>(mut self, members: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<AgentId>,
    {
        self.members = members.into_iter().map(Into::into).collect();
        self
    }

    pub fn is_member(&self, agent: &AgentId) -> bool {
        self.members.contains(agent)
    }
}
