//! What one node tells the others in a PostgreSQL notification, and how a receiver tells a
//! lost notification from a duplicate.

use std::collections::HashMap;

use domain::ConversationId;
use serde::{Deserialize, Serialize};

use crate::realtime::{BusMessage, Topic};

/// PostgreSQL refuses a notification payload of 8,000 bytes or more.
pub const MAX_PAYLOAD: usize = 7_999;

/// One notification: the node that sent it, its place in that node's sequence, and what it says.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub node: String,
    /// 1, 2, 3… per node in publish order, so a receiver sees a lost note as a gap.
    pub n: u64,
    pub body: Body,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// A committed event, by reference: its body may be larger than a payload may be, and it is
    /// already in storage for the receiver to read.
    Event {
        conversation: ConversationId,
        seq: i64,
    },
    /// Any other message travels whole (they are all small).
    Whole { topic: Topic, message: BusMessage },
    /// Carries only a number: sent after this node dropped a note, so receivers see the gap
    /// now rather than at this node's next publication.
    Gap,
}

impl Body {
    pub fn of(topic: &Topic, message: &BusMessage) -> Body {
        match message {
            BusMessage::Event(event) => Body::Event {
                conversation: event.conversation.clone(),
                seq: event.seq,
            },
            other => Body::Whole {
                topic: topic.clone(),
                message: other.clone(),
            },
        }
    }
}

/// The payload for `note`, or `None` when it would be too large to send.
pub fn encode(note: &Note) -> Option<String> {
    let payload = serde_json::to_string(note).ok()?;
    (payload.len() <= MAX_PAYLOAD).then_some(payload)
}

/// How a note compares with what this node already had from its sender.
#[derive(Debug, PartialEq, Eq)]
pub enum Arrival {
    /// The next one, or the first heard from that node.
    InOrder,
    /// Some notes of that node never arrived: what they said is lost.
    AfterGap,
    /// Already seen (a send retried after an unclear failure).
    Duplicate,
}

/// The last note number seen from each other node.
#[derive(Default)]
pub struct Sequences {
    last: HashMap<String, u64>,
}

impl Sequences {
    pub fn arrive(&mut self, node: &str, n: u64) -> Arrival {
        let Some(last) = self.last.get_mut(node) else {
            self.last.insert(node.to_string(), n);
            return Arrival::InOrder;
        };
        if n <= *last {
            return Arrival::Duplicate;
        }
        let gap = n > *last + 1;
        *last = n;
        if gap {
            Arrival::AfterGap
        } else {
            Arrival::InOrder
        }
    }

    /// Forgets every node: after this node's own listening was interrupted it has already
    /// treated everything as lost, so the next note from each node starts afresh.
    pub fn forget(&mut self) {
        self.last.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_past_a_missing_one_is_after_a_gap_and_a_repeated_one_is_a_duplicate() {
        let mut seen = Sequences::default();
        assert_eq!(seen.arrive("a", 7), Arrival::InOrder, "first from a");
        assert_eq!(seen.arrive("a", 8), Arrival::InOrder);
        assert_eq!(seen.arrive("a", 8), Arrival::Duplicate);
        assert_eq!(seen.arrive("a", 10), Arrival::AfterGap);
        assert_eq!(seen.arrive("b", 1), Arrival::InOrder, "nodes count apart");
        seen.forget();
        assert_eq!(seen.arrive("a", 20), Arrival::InOrder);
    }

    #[test]
    fn an_event_travels_by_reference_and_anything_else_whole() {
        let topic = Topic::Agent(domain::AgentId::new("ada"));
        let offer = BusMessage::Offer {
            conversation: ConversationId::new("c1"),
            expires_at: domain::Timestamp(5),
        };
        let note = Note {
            node: "a".into(),
            n: 1,
            body: Body::of(&topic, &offer),
        };
        let payload = encode(&note).unwrap();
        assert_eq!(serde_json::from_str::<Note>(&payload).unwrap(), note);
    }
}
