//! What a committed command publishes: each effect to the topic that cares about it, and one
//! `OperationsChanged` when the live operations view should read itself again.

use domain::{Effect, EventKind};

use super::bus::{Bus, BusMessage, Topic};

/// Publishes a committed command's effects to the topics that care about them.
pub fn publish_effects(bus: &dyn Bus, effects: &[Effect]) {
    if changes_operations(effects) {
        bus.publish(&Topic::Operations, BusMessage::OperationsChanged);
    }
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

/// Whether a commit changed what the live operations view shows: the queue (a conversation
/// waiting, offered, accepted, ended), an agent's availability or load, an offer, or a first
/// agent reply (the first-response goal). An ordinary message changes none of it.
fn changes_operations(effects: &[Effect]) -> bool {
    effects.iter().any(|effect| match effect {
        Effect::OfferMade { .. }
        | Effect::OfferWithdrawn { .. }
        | Effect::AvailabilityChanged { .. }
        | Effect::StoreAgent { .. }
        | Effect::StoreSettings => true,
        Effect::Event(event) => matches!(
            event.kind,
            EventKind::StatusChanged { .. }
                | EventKind::Assigned { .. }
                | EventKind::Ended { .. }
                | EventKind::HandedOff { .. }
                | EventKind::Message {
                    author: domain::Author::Agent(_),
                    ..
                }
        ),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{AgentId, Author, ConversationEvent, ConversationId, Timestamp};

    fn message(author: Author) -> Effect {
        Effect::Event(ConversationEvent {
            conversation: ConversationId::new("c1"),
            seq: 3,
            at: Timestamp(1),
            kind: EventKind::Message {
                author,
                body: "hi".into(),
                client_id: "m1".into(),
                attachment: None,
            },
        })
    }

    #[test]
    fn a_customer_message_does_not_wake_the_live_view_but_offers_and_agent_replies_do() {
        assert!(!changes_operations(&[message(Author::Customer)]));
        assert!(!changes_operations(&[message(Author::Ai)]));
        assert!(changes_operations(&[message(Author::Agent(AgentId::new(
            "ada"
        )))]));
        assert!(changes_operations(&[Effect::OfferMade {
            conversation: ConversationId::new("c1"),
            agent: AgentId::new("ada"),
            expires_at: Timestamp(2),
        }]));
    }
}
