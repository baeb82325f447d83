//! The snapshot a command is decided on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::deadlines::next_deadline;
use crate::ids::{AgentId, ConversationId, SpaceId};
use crate::settings::SiteSettings;
use crate::space::Space;
use crate::time::Timestamp;

/// What the storage layer loads for one command.
///
/// For a routing command: the settings, all spaces, all agents (with their `active` counts),
/// every conversation that holds a live offer (at most agents × **Maximum conversations**; so
/// [`World::offers_to`] is complete), the command's own conversation, and in each space only the
/// oldest waiting conversations without an offer that this decision could possibly offer
/// ([`crate::routing_window`]). What routing costs so grows with the team, never with the
/// length of the queue or the number of closed conversations. For a chat command (a message, a
/// note): the conversation, its space and the writing agent.
///
/// The rules never look at any other conversation: routing reads the queue oldest first and
/// stops in a space at the first conversation nobody there can take, so the rest of the line
/// cannot change the decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct World {
    pub settings: SiteSettings,
    pub spaces: BTreeMap<SpaceId, Space>,
    pub agents: BTreeMap<AgentId, Agent>,
    pub conversations: BTreeMap<ConversationId, Conversation>,
}

impl World {
    pub fn new(settings: SiteSettings) -> Self {
        Self {
            settings,
            ..Self::default()
        }
    }

    pub fn add_space(&mut self, space: Space) {
        self.spaces.insert(space.id.clone(), space);
    }

    pub fn add_agent(&mut self, agent: Agent) {
        self.agents.insert(agent.id.clone(), agent);
    }

    pub fn add_conversation(&mut self, conversation: Conversation) {
        self.conversations
            .insert(conversation.id.clone(), conversation);
    }

    /// The earliest deadline of any loaded conversation: when to call `Tick` next.
    pub fn poll_timeout(&self) -> Option<Timestamp> {
        self.conversations
            .values()
            .filter_map(|conv| next_deadline(conv, &self.settings.timers))
            .min()
    }

    /// The conversations with something due at `now`, in id order.
    pub fn due(&self, now: Timestamp) -> Vec<ConversationId> {
        self.conversations
            .values()
            .filter(|conv| next_deadline(conv, &self.settings.timers).is_some_and(|at| at <= now))
            .map(|conv| conv.id.clone())
            .collect()
    }

    /// Live offers to this agent (only Waiting conversations carry offers, and storage loads
    /// every one that does, so this is complete).
    pub fn offers_to(&self, agent: &AgentId) -> u32 {
        let count = self
            .conversations
            .values()
            .filter(|conv| {
                conv.offer
                    .as_ref()
                    .is_some_and(|offer| &offer.agent == agent)
            })
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// Routing load: accepted conversations plus outstanding offers, so an agent is never
    /// offered more than they could accept (SPEC R-ROUTE-2, R-ROUTE-10).
    pub fn load_of(&self, agent: &AgentId) -> u32 {
        let active = self.agents.get(agent).map_or(0, |a| a.active);
        active.saturating_add(self.offers_to(agent))
    }
}
