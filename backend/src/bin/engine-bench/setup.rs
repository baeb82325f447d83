//! One benchmark site: a chat space whose conversations the messages go to, and the routed
//! space with its agents and a pre-filled queue.

use std::sync::Arc;

use backend::{
    Backend, Db, Engine,
    clock::SystemClock,
    store::{
        backlog::{self, Queued},
        site,
        spaces::{self, Role},
        users,
    },
};
use domain::{
    AgentId, Availability, Command, ConversationId, CustomerId, Effect, Scope, SpaceId, Start,
    Timers, Timestamp,
};

use crate::Args;

pub struct Bench {
    pub engine: Engine,
    pub db: Db,
    /// The routed space: its agents and the queue routing is measured on.
    pub space: SpaceId,
    pub agents: Vec<AgentId>,
    pub customer: CustomerId,
    /// Accepted conversations in the chat space, with their assignee: where messages go.
    pub chats: Vec<(ConversationId, AgentId)>,
}

/// The most a chat agent holds (the database's bound on Maximum conversations).
const CHATS_PER_AGENT: usize = 100;

async fn staff(db: &Db, space: &str, name: &str) -> AgentId {
    // Created the way the product creates them; the argon2 hash of each is spent before the
    // clock starts, so it does not count in the figures.
    let id = users::create_staff(
        db,
        users::NewStaff {
            email: format!("{name}@bench.test"),
            display_name: name.into(),
            password: "bench agent password".into(),
            site_admin: false,
        },
    )
    .await
    .unwrap();
    spaces::add_member(db, space, &id, Role::Agent)
        .await
        .unwrap();
    AgentId::new(id)
}

async fn set(engine: &Engine, agent: &AgentId, availability: Availability) {
    engine
        .execute(Command::SetAvailability {
            agent: agent.clone(),
            scope: Scope::AllSpaces,
            availability,
        })
        .await
        .unwrap();
}

pub fn offered_to(effects: &[Effect], conversation: &ConversationId) -> Option<AgentId> {
    effects.iter().find_map(|e| match e {
        Effect::OfferMade {
            conversation: c,
            agent,
            ..
        } if c == conversation => Some(agent.clone()),
        _ => None,
    })
}

/// A conversation id whose order has nothing to do with the queue's, so only `waiting_since`
/// can put the line in order (multiplying by an odd number is a bijection: no two collide).
fn scrambled_id(i: usize) -> ConversationId {
    let mixed = (i as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    ConversationId::new(uuid::Uuid::from_u128(mixed).to_string())
}

impl Bench {
    /// A fresh site: `conversations` accepted chats (their agents then go Unavailable, as
    /// agents who only finish their chats), Maximum conversations set to `--max`, and the routed
    /// space's agents Available with a queue of `waiting` conversations behind their offers.
    pub async fn prepare(db: &Db, args: &Args, waiting: usize) -> Bench {
        site::ensure_site(db, "Bench").await.unwrap();
        // Before the engine's first command, so its copy of the subscriptions has them.
        let every_event: Vec<&str> = domain::webhooks::WebhookEvent::ALL
            .iter()
            .map(|e| e.code())
            .collect();
        for n in 0..args.webhooks {
            sqlx::query(
                "INSERT INTO webhook_endpoints (id, url, description, events, secret_sealed, \
                 created_at) VALUES ($1, $2, '', $3, 'bench', 0)",
            )
            .bind(format!("bench-hook-{n}"))
            .bind(format!("http://127.0.0.1:9/hook{n}"))
            .bind(every_event.join(","))
            .execute(&db.pool)
            .await
            .unwrap();
        }
        sqlx::query("UPDATE site_settings SET max_conversations = 100 WHERE id = 1")
            .execute(&db.pool)
            .await
            .unwrap();
        let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock));
        let customer = CustomerId::new(
            users::create_customer(db, "bench@bench.test", "Bench")
                .await
                .unwrap(),
        );

        let chat_space = SpaceId::new(spaces::create(db, "Chat").await.unwrap());
        let mut chat_agents = Vec::new();
        for i in 0..args.conversations.div_ceil(CHATS_PER_AGENT) {
            let agent = staff(db, chat_space.as_str(), &format!("chat{i}")).await;
            set(&engine, &agent, Availability::Available).await;
            chat_agents.push(agent);
        }
        let mut chats = Vec::new();
        for _ in 0..args.conversations {
            let id = ConversationId::new(uuid::Uuid::now_v7().to_string());
            let outcome = engine
                .execute(Command::StartConversation {
                    id: id.clone(),
                    space: chat_space.clone(),
                    customer: Some(customer.clone()),
                    via: Start::Direct,
                })
                .await
                .unwrap();
            let agent = offered_to(&outcome.effects, &id).expect("a chat agent has room");
            engine
                .execute(Command::Accept {
                    agent: agent.clone(),
                    conversation: id.clone(),
                })
                .await
                .unwrap();
            chats.push((id, agent));
        }
        for agent in &chat_agents {
            set(&engine, agent, Availability::Unavailable).await;
        }
        engine
            .execute(Command::SetMaxConversations { max: args.max })
            .await
            .unwrap();

        let space = SpaceId::new(spaces::create(db, "Support").await.unwrap());
        let mut agents = Vec::new();
        for i in 0..args.agents {
            agents.push(staff(db, space.as_str(), &format!("agent{i}")).await);
        }
        let now = engine.now().as_millis();
        let queue: Vec<Queued> = (0..waiting)
            .map(|i| Queued {
                id: scrambled_id(i),
                customer: customer.clone(),
                waiting_since: Timestamp(now - waiting as i64 + i as i64),
            })
            .collect();
        backlog::fill(db, &space, &Timers::default(), &queue)
            .await
            .unwrap();
        if db.backend == Backend::Postgres {
            // A queue that grew over time has been analysed by autovacuum; one written in a
            // single statement a moment ago has not, and the planner would guess its shape.
            sqlx::query("ANALYZE conversations")
                .execute(&db.pool)
                .await
                .unwrap();
        }
        // Each agent coming in takes their share of offers, oldest first.
        for agent in &agents {
            set(&engine, agent, Availability::Available).await;
        }
        Bench {
            engine,
            db: db.clone(),
            space,
            agents,
            customer,
            chats,
        }
    }

    /// The routed space's queue still holds its offers on the oldest conversations: a check
    /// that the figures come from routing doing its job.
    pub async fn check_queue_order(&self) {
        let (newest_offered, oldest_unoffered): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT \
               (SELECT MAX(waiting_since) FROM conversations WHERE space_id = $1 \
                  AND status = 'waiting_for_agent' AND offer_agent_id IS NOT NULL), \
               (SELECT MIN(waiting_since) FROM conversations WHERE space_id = $1 \
                  AND status = 'waiting_for_agent' AND offer_agent_id IS NULL)",
        )
        .bind(self.space.as_str())
        .fetch_one(&self.db.pool)
        .await
        .unwrap();
        if let (Some(offered), Some(unoffered)) = (newest_offered, oldest_unoffered)
            && offered > unoffered
        {
            println!(
                "  !! an offer went to a newer conversation ({offered}) while an older one waits \
                 unoffered ({unoffered})"
            );
        }
    }
}
