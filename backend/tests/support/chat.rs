//! The commands most stories begin with, each with the values no test varies: an agent made
//! Available everywhere, a conversation a signed-in customer starts directly, and a customer's
//! message with a fresh client id.

use backend::{Engine, Outcome};
use domain::{
    AgentId, Author, Availability, Command, ConversationId, CustomerId, Scope, SpaceId, Start,
};

/// Sets `agent` Available in all their spaces.
pub async fn available(engine: &Engine, agent: &AgentId) {
    engine
        .execute(Command::SetAvailability {
            agent: agent.clone(),
            scope: Scope::AllSpaces,
            availability: Availability::Available,
        })
        .await
        .unwrap();
}

/// `customer` starts conversation `id` in `space` straight to the agents (no AI first).
pub async fn start_direct(
    engine: &Engine,
    id: &ConversationId,
    space: &SpaceId,
    customer: &CustomerId,
) -> Outcome {
    engine
        .execute(start_direct_command(id, space, customer))
        .await
        .unwrap()
}

/// The command `start_direct` runs, for tests that batch it with others.
pub fn start_direct_command(
    id: &ConversationId,
    space: &SpaceId,
    customer: &CustomerId,
) -> Command {
    Command::StartConversation {
        id: id.clone(),
        space: space.clone(),
        customer: Some(customer.clone()),
        via: Start::Direct,
    }
}

/// `agent` accepts the conversation offered to them.
pub async fn accept(engine: &Engine, agent: &AgentId, id: &ConversationId) {
    engine
        .execute(Command::Accept {
            agent: agent.clone(),
            conversation: id.clone(),
        })
        .await
        .unwrap();
}

/// The customer sends `body` with a fresh client id.
pub async fn customer_says(engine: &Engine, id: &ConversationId, body: &str) -> Outcome {
    engine
        .execute(Command::SendMessage {
            conversation: id.clone(),
            author: Author::Customer,
            body: body.into(),
            client_id: uuid::Uuid::now_v7().to_string(),
            attachment: None,
        })
        .await
        .unwrap()
}
