//! The site the benchmark talks to: one space, agents Available with room for everyone, and
//! one Active conversation per pair of sockets, with a session minted for each side (no
//! sign-in, so the sign-in rate limits are never involved).

use std::sync::Arc;

use backend::{
    Db, Engine,
    clock::SystemClock,
    sessions::{DbSessionStore, SignedIn},
    store::{
        site,
        spaces::{self, Role},
        users::{self, NewStaff},
    },
};
use domain::{
    AgentId, Availability, Command, ConversationId, CustomerId, Effect, Scope, SpaceId, Start,
    Timers,
};
use serde::{Deserialize, Serialize};

/// One conversation and the sessions of its two sides.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pair {
    pub conversation: ConversationId,
    pub customer_session: String,
    pub agent_session: String,
}

pub async fn seed(db: &Db, pairs: usize, agents: usize) -> Result<Vec<Pair>, String> {
    let e = |e: backend::BackendError| e.to_string();
    site::ensure_site(db, "Bench").await.map_err(e)?;
    let space = spaces::create(db, "Bench").await.map_err(e)?;
    let mut agent_ids = Vec::new();
    for i in 0..agents {
        let id = users::create_staff(
            db,
            NewStaff {
                email: format!("agent{i}@bench.test"),
                display_name: format!("Agent {i}"),
                password: "bench password".into(),
                site_admin: false,
            },
        )
        .await
        .map_err(e)?;
        spaces::add_member(db, &space, &id, Role::Agent)
            .await
            .map_err(e)?;
        agent_ids.push(id);
    }
    let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock));
    engine
        .execute(Command::SetMaxConversations { max: 100 })
        .await
        .map_err(e)?;
    for agent in &agent_ids {
        engine
            .execute(Command::SetAvailability {
                agent: AgentId::new(agent.clone()),
                scope: Scope::AllSpaces,
                availability: Availability::Available,
            })
            .await
            .map_err(e)?;
    }
    let sessions = DbSessionStore::new(db.clone());
    let mut out = Vec::with_capacity(pairs);
    for i in 0..pairs {
        let customer =
            users::create_customer(db, &format!("c{i}@bench.test"), &format!("Customer {i}"))
                .await
                .map_err(e)?;
        let conversation = ConversationId::new(format!("bench-{i}"));
        let started = engine
            .execute(Command::StartConversation {
                id: conversation.clone(),
                space: SpaceId::new(space.clone()),
                customer: Some(CustomerId::new(customer.clone())),
                via: Start::Direct,
            })
            .await
            .map_err(e)?;
        let agent = started
            .effects
            .iter()
            .find_map(|effect| match effect {
                Effect::OfferMade { agent, .. } => Some(agent.clone()),
                _ => None,
            })
            .ok_or("no agent had room: raise --agents")?;
        engine
            .execute(Command::Accept {
                agent: agent.clone(),
                conversation: conversation.clone(),
            })
            .await
            .map_err(e)?;
        let lifetime = time::Duration::hours(2);
        out.push(Pair {
            conversation,
            customer_session: sessions
                .mint(&SignedIn::Customer(customer), lifetime)
                .await
                .map_err(|e| e.to_string())?,
            agent_session: sessions
                .mint(&SignedIn::Staff(agent.to_string()), lifetime)
                .await
                .map_err(|e| e.to_string())?,
        });
        if (i + 1) % 1000 == 0 {
            println!("  seeded {} conversations", i + 1);
        }
    }
    Ok(out)
}
