//! Topics and the bus that carries messages to every subscriber of a topic on this node.
//!
//! The in-process bus maps each topic that has subscribers to their queues
//! ([`Subscription`]). A queue holds only what its subscriber has not read yet, and at most
//! [`SUBSCRIBER_CAPACITY`] messages: a subscriber further behind is told it [`Lagged`] and the
//! websocket rebuilds that stream from the database (events are durable), so lag costs a read,
//! never a message. A topic is forgotten when its last subscriber leaves, so a conversation
//! costs bus memory only while someone follows it. Several nodes need a bus that crosses
//! processes: [`super::pg_bus::PgBus`] (PostgreSQL LISTEN/NOTIFY) wraps this one behind the
//! same [`Bus`] trait.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use domain::protocol::Typist;
use domain::{
    AgentId, Availability, ConversationEvent, ConversationId, Timestamp, UnavailableReason,
    WithdrawReason,
};
use serde::{Deserialize, Serialize};

use super::subscription::{Inbox, Registry};
pub use super::subscription::{Lagged, Subscription};

/// How many unread messages one subscriber may hold before it is told it lagged. Its queue
/// grows to this only while it falls behind.
pub const SUBSCRIBER_CAPACITY: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Topic {
    /// Everything that happens in one conversation: durable events and typing.
    Conversation(ConversationId),
    /// One agent's offers and availability.
    Agent(AgentId),
    /// One sign-in session (its id): [`BusMessage::SessionEnded`] when it is signed out, so
    /// every socket opened with it closes before it can act again.
    Session(String),
    /// What the live operations view shows (queue, availability, load, offers) changed.
    Operations,
}

/// Serializable so another node can receive it (`realtime::pg_bus`); an event crosses nodes
/// by reference only, since its body may exceed a notification's size limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "message", rename_all = "snake_case")]
pub enum BusMessage {
    Event(ConversationEvent),
    Typing {
        conversation: ConversationId,
        who: Typist,
        typing: bool,
        /// The socket that typed, so it does not echo to itself. Socket ids count per node
        /// from 1; a signal from another node arrives with [`FOREIGN_ORIGIN`].
        origin: u64,
    },
    /// A piece of the AI agent's answer as a language model writes it (see
    /// `ServerFrame::Draft`): ephemeral, like typing.
    Draft {
        conversation: ConversationId,
        offset: u32,
        text: String,
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
    /// On [`Topic::Operations`]: the live operations view should be read again.
    OperationsChanged,
}

/// The `origin` of a typing signal from another node: no socket here has it, so no socket here
/// takes the signal for its own echo.
pub const FOREIGN_ORIGIN: u64 = 0;

pub trait Bus: Send + Sync + 'static {
    fn publish(&self, topic: &Topic, message: BusMessage);
    fn subscribe(&self, topic: &Topic) -> Subscription;
}

/// A session topic carries one message in its life: room for one is enough.
const SESSION_CAPACITY: usize = 1;
/// The operations topic's messages carry no data; a few queued are as good as many.
const OPERATIONS_CAPACITY: usize = 16;

/// One node's bus.
pub struct InProcessBus {
    topics: Arc<Topics>,
}

#[derive(Default)]
struct Topics {
    map: Mutex<HashMap<Topic, Vec<Arc<Inbox>>>>,
}

impl Topics {
    fn lock(&self) -> MutexGuard<'_, HashMap<Topic, Vec<Arc<Inbox>>>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Registry for Topics {
    fn leave(&self, topic: &Topic, inbox: &Arc<Inbox>) {
        let mut map = self.lock();
        if let Some(inboxes) = map.get_mut(topic) {
            inboxes.retain(|other| !Arc::ptr_eq(other, inbox));
            if inboxes.is_empty() {
                map.remove(topic);
            }
        }
    }
}

impl Default for InProcessBus {
    fn default() -> Self {
        Self::new()
    }
}

impl InProcessBus {
    pub fn new() -> Self {
        Self {
            topics: Arc::new(Topics::default()),
        }
    }

    /// Topics with at least one subscriber.
    pub fn topic_count(&self) -> usize {
        self.topics.lock().len()
    }

    /// Whether anyone on this node follows `topic`: a message nobody here reads need not be
    /// fetched from storage.
    pub fn has_subscribers(&self, topic: &Topic) -> bool {
        self.topics.lock().contains_key(topic)
    }

    /// Tells every subscriber of the topics `which` selects that it [`Lagged`], so each
    /// rebuilds from storage. For messages lost before they reached this node (a lost
    /// PostgreSQL LISTEN connection), where no queue overflowed to say so.
    pub fn mark_lagged(&self, which: impl Fn(&Topic) -> bool) {
        let map = self.topics.lock();
        for (topic, inboxes) in map.iter() {
            if which(topic) {
                for inbox in inboxes {
                    inbox.mark_lagged();
                }
            }
        }
    }

    /// The topics this node follows that `which` selects.
    pub fn topics(&self, which: impl Fn(&Topic) -> bool) -> Vec<Topic> {
        self.topics
            .lock()
            .keys()
            .filter(|topic| which(topic))
            .cloned()
            .collect()
    }
}

impl Bus for InProcessBus {
    fn publish(&self, topic: &Topic, message: BusMessage) {
        let map = self.topics.lock();
        let Some(inboxes) = map.get(topic) else {
            return;
        };
        let message = Arc::new(message);
        for inbox in inboxes {
            inbox.push(message.clone());
        }
    }

    fn subscribe(&self, topic: &Topic) -> Subscription {
        let capacity = match topic {
            Topic::Session(_) => SESSION_CAPACITY,
            // Each message only says "read again": a subscriber that falls behind is lagged,
            // which the socket takes as a change too.
            Topic::Operations => OPERATIONS_CAPACITY,
            Topic::Conversation(_) | Topic::Agent(_) => SUBSCRIBER_CAPACITY,
        };
        let inbox = Arc::new(Inbox::new(capacity));
        self.topics
            .lock()
            .entry(topic.clone())
            .or_default()
            .push(inbox.clone());
        let registry: Weak<dyn Registry> = Arc::downgrade(&self.topics) as Weak<dyn Registry>;
        Subscription::new(inbox, topic.clone(), registry)
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
        assert!(other.try_recv().is_none());
    }

    #[tokio::test]
    async fn a_subscriber_waiting_for_a_message_is_woken_by_its_publication() {
        let bus = Arc::new(InProcessBus::new());
        let c1 = Topic::Conversation(ConversationId::new("c1"));
        let mut waiting = bus.subscribe(&c1);
        let publisher = {
            let (bus, c1) = (bus.clone(), c1.clone());
            tokio::spawn(async move {
                tokio::task::yield_now().await;
                bus.publish(&c1, typing(3));
            })
        };

        assert_eq!(*waiting.recv().await.unwrap(), typing(3));
        publisher.await.unwrap();
    }

    #[tokio::test]
    async fn a_topic_is_forgotten_as_soon_as_its_last_subscriber_leaves() {
        let bus = InProcessBus::new();
        let c1 = Topic::Conversation(ConversationId::new("c1"));
        let first = bus.subscribe(&c1);
        let second = bus.subscribe(&c1);

        drop(first);
        assert_eq!(bus.topic_count(), 1, "one subscriber is left");
        drop(second);

        assert_eq!(bus.topic_count(), 0);
    }

    #[tokio::test]
    async fn many_topics_followed_and_left_without_a_publish_leave_nothing_behind() {
        let bus = InProcessBus::new();
        for n in 0..10_000 {
            drop(bus.subscribe(&Topic::Session(format!("s{n}"))));
        }
        let mut kept = bus.subscribe(&Topic::Session("kept".into()));

        assert_eq!(bus.topic_count(), 1);
        session_ended(&bus, "kept");
        assert_eq!(*kept.recv().await.unwrap(), BusMessage::SessionEnded);
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_it_lagged_then_gets_what_came_after() {
        let bus = InProcessBus::new();
        let c1 = Topic::Conversation(ConversationId::new("c1"));
        let mut slow = bus.subscribe(&c1);

        for origin in 0..(SUBSCRIBER_CAPACITY as u64 + 10) {
            bus.publish(&c1, typing(origin));
        }

        assert_eq!(
            slow.recv().await,
            Err(Lagged(SUBSCRIBER_CAPACITY as u64)),
            "the full queue was dropped"
        );
        for origin in SUBSCRIBER_CAPACITY as u64..(SUBSCRIBER_CAPACITY as u64 + 10) {
            assert_eq!(*slow.recv().await.unwrap(), typing(origin));
        }
        assert!(slow.try_recv().is_none());
    }

    #[tokio::test]
    async fn marking_topics_lagged_drops_their_queues_and_tells_only_their_subscribers() {
        let bus = InProcessBus::new();
        let c1 = Topic::Conversation(ConversationId::new("c1"));
        let session = Topic::Session("s".into());
        let mut follower = bus.subscribe(&c1);
        let mut signed_in = bus.subscribe(&session);
        bus.publish(&c1, typing(1));

        bus.mark_lagged(|topic| !matches!(topic, Topic::Session(_)));

        assert_eq!(follower.recv().await, Err(Lagged(1)));
        assert!(follower.try_recv().is_none(), "the stale queue is gone");
        assert!(signed_in.try_recv().is_none());
        bus.publish(&c1, typing(2));
        assert_eq!(*follower.recv().await.unwrap(), typing(2));
        assert!(bus.has_subscribers(&c1));
    }

    #[tokio::test]
    async fn a_fast_subscriber_is_unaffected_by_a_slow_one() {
        let bus = InProcessBus::new();
        let c1 = Topic::Conversation(ConversationId::new("c1"));
        let _slow = bus.subscribe(&c1);
        let mut fast = bus.subscribe(&c1);

        for origin in 0..(SUBSCRIBER_CAPACITY as u64 * 2) {
            bus.publish(&c1, typing(origin));
            assert_eq!(*fast.recv().await.unwrap(), typing(origin));
        }
    }
}
