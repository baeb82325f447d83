//! Topics and the bus that carries messages to every subscriber of a topic on this node.
//!
//! The in-process bus is a map of tokio broadcast channels, one per topic that has subscribers.
//! A subscriber that falls more than [`CHANNEL_CAPACITY`] messages behind gets `Lagged` from its
//! receiver: the websocket then rebuilds that stream from the database (events are durable),
//! so lag costs a read, never a message. Several nodes need a bus that crosses processes
//! (PostgreSQL LISTEN/NOTIFY); the [`Bus`] trait is the seam for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::protocol::Typist;
use domain::{
    AgentId, Availability, ConversationEvent, ConversationId, Effect, Timestamp, UnavailableReason,
    WithdrawReason,
};
use tokio::sync::broadcast;

/// How many messages a topic buffers for its slowest subscriber.
pub const CHANNEL_CAPACITY: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Everything that happens in one conversation: durable events and typing.
    Conversation(ConversationId),
    /// One agent's offers and availability.
    Agent(AgentId),
    /// One sign-in session (its id): [`BusMessage::SessionEnded`] when it is signed out, so
    /// every socket opened with it closes before it can act again.
    Session(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BusMessage {
    Event(ConversationEvent),
    Typing {
        conversation: ConversationId,
        who: Typist,
        typing: bool,
        /// The socket that typed, so it does not echo to itself.
        origin: u64,
    },
    Offer {
        conversation: ConversationId,
        expires_at: Timestamp,
    },
    OfferWithdrawn {
        conversation: ConversationId,
        reason: WithdrawReason,
    },
    Availability {
        space: domain::SpaceId,
        availability: Availability,
        reason: UnavailableReason,
    },
    /// The session of this topic was signed out.
    SessionEnded,
}

pub trait Bus: Send + Sync + 'static {
    fn publish(&self, topic: &Topic, message: BusMessage);
    fn subscribe(&self, topic: &Topic) -> broadcast::Receiver<Arc<BusMessage>>;
}

/// A session topic carries one message in its life: a buffer of one is enough.
const SESSION_CHANNEL_CAPACITY: usize = 1;

/// Below this many topics the map is never swept.
const SWEEP_FLOOR: usize = 64;

/// One node's bus.
#[derive(Default)]
pub struct InProcessBus {
    topics: Mutex<Topics>,
}

#[derive(Default)]
struct Topics {
    map: HashMap<Topic, broadcast::Sender<Arc<BusMessage>>>,
    /// The map is swept of topics nobody follows any more when it grows past this.
    sweep_at: usize,
}

impl Topics {
    /// Forgets topics whose subscribers have all gone. A topic is otherwise forgotten only
    /// when something is published to it, and some never are again (a conversation nobody
    /// writes in, a session that expires instead of signing out). Sweeping when the map has
    /// doubled keeps the cost per subscription constant.
    fn sweep_if_grown(&mut self) {
        if self.map.len() < self.sweep_at.max(SWEEP_FLOOR) {
            return;
        }
        self.map.retain(|_, sender| sender.receiver_count() > 0);
        self.sweep_at = self.map.len() * 2;
    }
}

impl InProcessBus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Topics with at least one subscriber (the benchmark reports it).
    pub fn topic_count(&self) -> usize {
        self.topics.lock().map(|t| t.map.len()).unwrap_or(0)
    }
}

impl Bus for InProcessBus {
    fn publish(&self, topic: &Topic, message: BusMessage) {
        let Ok(mut topics) = self.topics.lock() else {
            return;
        };
        if let Some(sender) = topics.map.get(topic)
            && sender.send(Arc::new(message)).is_err()
        {
            // Every subscriber has gone: forget the topic so the map does not grow forever.
            topics.map.remove(topic);
        }
    }

    fn subscribe(&self, topic: &Topic) -> broadcast::Receiver<Arc<BusMessage>> {
        let mut topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        topics.sweep_if_grown();
        let capacity = match topic {
            Topic::Session(_) => SESSION_CHANNEL_CAPACITY,
            Topic::Conversation(_) | Topic::Agent(_) => CHANNEL_CAPACITY,
        };
        topics
            .map
            .entry(topic.clone())
            .or_insert_with(|| broadcast::channel(capacity).0)
            .subscribe()
    }
}

/// Tells every socket opened with this session that it was signed out. Called after the
/// session row is gone, so a socket that checks the store afterwards finds it gone too.
pub fn session_ended(bus: &dyn Bus, session_id: &str) {
    bus.publish(
        &Topic::Session(session_id.to_string()),
        BusMessage::SessionEnded,
    );
}

/// Publishes a committed command's effects to the topics that care about them.
pub fn publish_effects(bus: &dyn Bus, effects: &[Effect]) {
    for effect in effects {
        match effect {
            Effect::Event(event) => bus.publish(
                &Topic::Conversation(event.conversation.clone()),
                BusMessage::Event(event.clone()),
            ),
            Effect::OfferMade {
                conversation,
                agent,
                expires_at,
            } => bus.publish(
                &Topic::Agent(agent.clone()),
                BusMessage::Offer {
                    conversation: conversation.clone(),
                    expires_at: *expires_at,
                },
            ),
            Effect::OfferWithdrawn {
                conversation,
                agent,
                reason,
            } => bus.publish(
                &Topic::Agent(agent.clone()),
                BusMessage::OfferWithdrawn {
                    conversation: conversation.clone(),
                    reason: *reason,
                },
            ),
            Effect::AvailabilityChanged {
                agent,
                space,
                availability,
                reason,
            } => bus.publish(
                &Topic::Agent(agent.clone()),
                BusMessage::Availability {
                    space: space.clone(),
                    availability: *availability,
                    reason: reason.clone(),
                },
            ),
            Effect::StoreConversation { .. }
            | Effect::StoreAgent { .. }
            | Effect::StoreSpace { .. }
            | Effect::StoreSettings => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typing(origin: u64) -> BusMessage {
        BusMessage::Typing {
            conversation: ConversationId::new("c1"),
            who: Typist::Customer,
            typing: true,
            origin,
        }
    }

    #[tokio::test]
    async fn every_subscriber_of_a_topic_gets_its_messages_and_no_others() {
        let bus = InProcessBus::new();
        let c1 = Topic::Conversation(ConversationId::new("c1"));
        let c2 = Topic::Conversation(ConversationId::new("c2"));
        let mut first = bus.subscribe(&c1);
        let mut second = bus.subscribe(&c1);
        let mut other = bus.subscribe(&c2);

        bus.publish(&c1, typing(7));

        assert_eq!(*first.recv().await.unwrap(), typing(7));
        assert_eq!(*second.recv().await.unwrap(), typing(7));
        assert!(other.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_topic_without_subscribers_is_forgotten() {
        let bus = InProcessBus::new();
        let c1 = Topic::Conversation(ConversationId::new("c1"));
        drop(bus.subscribe(&c1));

        bus.publish(&c1, typing(1));

        assert_eq!(bus.topic_count(), 0);
    }

    #[tokio::test]
    async fn topics_whose_subscribers_left_without_a_publish_are_forgotten_as_the_map_grows() {
        let bus = InProcessBus::new();
        for n in 0..10_000 {
            drop(bus.subscribe(&Topic::Session(format!("s{n}"))));
        }
        let mut kept = bus.subscribe(&Topic::Session("kept".into()));
        for n in 0..10_000 {
            drop(bus.subscribe(&Topic::Session(format!("t{n}"))));
        }

        assert!(
            bus.topic_count() <= 2 * SWEEP_FLOOR,
            "{}",
            bus.topic_count()
        );
        session_ended(&bus, "kept");
        assert_eq!(
            *kept.recv().await.unwrap(),
            BusMessage::SessionEnded,
            "a followed topic survives the sweeps"
        );
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_it_lagged() {
        let bus = InProcessBus::new();
        let c1 = Topic::Conversation(ConversationId::new("c1"));
        let mut slow = bus.subscribe(&c1);

        for origin in 0..(CHANNEL_CAPACITY as u64 + 10) {
            bus.publish(&c1, typing(origin));
        }

        assert!(matches!(
            slow.recv().await,
            Err(broadcast::error::RecvError::Lagged(_))
        ));
    }
}
