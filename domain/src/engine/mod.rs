//! The conversation engine: `decide(world, command, now)`, pure and all-or-nothing.
//!
//! Every handler first checks, then changes the draft world and records effects. Whatever the
//! command, routing runs last ([`routing::offer_waiting`]): any slot a command freed is offered
//! to the oldest waiting conversation. Because nothing is offered before that final pass, loads
//! only grow while offers are being made, which keeps round robin easy to reason about.

mod availability;
mod chat;
mod lifecycle;
mod routing;
mod timers;
mod window;

pub use window::routing_window;

use crate::deadlines::next_deadline;

use crate::agent::UnavailableReason;
use crate::command::Command;
use crate::conversation::Conversation;
use crate::effect::Effect;
use crate::error::DomainError;
use crate::event::{ConversationEvent, EventKind};
use crate::ids::{AgentId, ConversationId};
use crate::time::Timestamp;
use crate::world::World;

/// Decides one command at `now`. On `Ok` the world holds the new state and the effects say what
/// to persist and publish; on `Err` the world is exactly as it was.
pub fn decide(
    world: &mut World,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Effect>, DomainError> {
    // A draft keeps the caller's world untouched on any error, however late it is found.
    let mut draft = world.clone();
    let mut cx = Ctx {
        world: &mut draft,
        now,
        effects: Vec::new(),
    };
    cx.apply(command)?;
    routing::offer_waiting(&mut cx);
    let mut effects = cx.effects;
    store_changes(world, &draft, &mut effects);
    *world = draft;
    Ok(effects)
}

/// The state of one decision in progress.
pub(crate) struct Ctx<'w> {
    pub world: &'w mut World,
    pub now: Timestamp,
    pub effects: Vec<Effect>,
}

impl Ctx<'_> {
    fn apply(&mut self, command: Command) -> Result<(), DomainError> {
        match command {
            Command::StartConversation {
                id,
                space,
                customer,
                via,
            } => lifecycle::start(self, id, space, customer, via),
            Command::IdentifyCustomer {
                conversation,
                customer,
            } => lifecycle::identify(self, &conversation, customer),
            Command::HandOff {
                conversation,
                reason,
                farewell,
            } => lifecycle::hand_off(self, &conversation, reason, farewell),
            Command::SetAvailability {
                agent,
                scope,
                availability,
            } => availability::set_availability(
                self,
                &agent,
                &scope,
                availability,
                UnavailableReason::SetByAgent,
            ),
            Command::AgentAway { agent } => availability::away(self, &agent),
            Command::Accept {
                agent,
                conversation,
            } => lifecycle::accept(self, &agent, &conversation),
            Command::Decline {
                agent,
                conversation,
            } => lifecycle::decline(self, &agent, &conversation),
            Command::SendMessage {
                conversation,
                author,
                body,
                client_id,
                attachment,
            } => chat::send_message(self, &conversation, author, &body, client_id, attachment),
            Command::AddNote {
                agent,
                conversation,
                body,
            } => chat::add_note(self, &agent, &conversation, &body),
            Command::EndConversation { conversation, by } => {
                lifecycle::end_by(self, &conversation, &by)
            }
            Command::Resolve {
                agent,
                conversation,
                resolution,
            } => lifecycle::resolve(self, &agent, &conversation, &resolution),
            Command::Tick { conversation } => timers::tick(self, &conversation),
            Command::SetLiveChat { space, on } => availability::set_live_chat(self, &space, on),
            Command::SetMaxConversations { max } => availability::set_max_conversations(self, max),
        }
    }

    pub fn conversation(&self, id: &ConversationId) -> Result<&Conversation, DomainError> {
        self.world
            .conversations
            .get(id)
            .ok_or_else(|| DomainError::UnknownConversation {
                conversation: id.clone(),
            })
    }

    /// Only for ids already checked with [`Ctx::conversation`] or taken from the world.
    pub fn conv_mut(&mut self, id: &ConversationId) -> &mut Conversation {
        self.world
            .conversations
            .get_mut(id)
            .expect("conversation checked before changing it")
    }

    pub fn require_agent(&self, agent: &AgentId) -> Result<(), DomainError> {
        if self.world.agents.contains_key(agent) {
            Ok(())
        } else {
            Err(DomainError::UnknownAgent {
                agent: agent.clone(),
            })
        }
    }

    /// Records a durable event with the conversation's next seq.
    pub fn record(&mut self, conversation: &ConversationId, kind: EventKind) {
        let at = self.now;
        let conv = self.conv_mut(conversation);
        let seq = conv.next_seq;
        conv.next_seq += 1;
        self.effects.push(Effect::Event(ConversationEvent {
            conversation: conversation.clone(),
            seq,
            at,
            kind,
        }));
    }
}

/// Names every row the decision changed, by comparing the draft with the snapshot.
fn store_changes(before: &World, after: &World, effects: &mut Vec<Effect>) {
    if before.settings != after.settings {
        effects.push(Effect::StoreSettings);
    }
    for (id, space) in &after.spaces {
        if before.spaces.get(id) != Some(space) {
            effects.push(Effect::StoreSpace { space: id.clone() });
        }
    }
    for (id, agent) in &after.agents {
        if before.agents.get(id) != Some(agent) {
            effects.push(Effect::StoreAgent { agent: id.clone() });
        }
    }
    for (id, conv) in &after.conversations {
        if before.conversations.get(id) != Some(conv) {
            effects.push(Effect::StoreConversation {
                conversation: id.clone(),
                next_deadline: next_deadline(conv, &after.settings.timers),
            });
        }
    }
}
