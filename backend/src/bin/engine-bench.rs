//! Engine benchmark: drives the real engine against SQLite (and PostgreSQL when
//! TEST_DATABASE_URL is set) and prints commands per second, routing decision latency
//! percentiles and messages persisted per second. A program that prints figures, not a test.
//!
//!   cargo run --release -p backend --bin engine-bench [-- --conversations 400 --messages 4000]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use backend::{
    Db, Engine,
    clock::SystemClock,
    db::{create_scratch_postgres_database, drop_scratch_postgres_database},
    store::{
        site,
        spaces::{self, Role},
        users,
    },
};
use domain::{
    AgentId, Author, Availability, Command, ConversationId, CustomerId, Ender, Scope, SpaceId,
    Start, Timers,
};

struct Args {
    conversations: usize,
    messages: usize,
    agents: usize,
}

fn args() -> Args {
    let mut out = Args {
        conversations: 400,
        messages: 4000,
        agents: 10,
    };
    let argv: Vec<String> = std::env::args().collect();
    for pair in argv.windows(2) {
        let value = pair[1].parse().unwrap_or(0);
        match pair[0].as_str() {
            "--conversations" if value > 0 => out.conversations = value,
            "--messages" if value > 0 => out.messages = value,
            "--agents" if value > 0 => out.agents = value,
            _ => {}
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn run(label: &str, db: Db, args: &Args) {
    site::ensure_site(&db, "Bench").await.unwrap();
    sqlx::query("UPDATE site_settings SET max_conversations = 100 WHERE id = 1")
        .execute(&db.pool)
        .await
        .unwrap();
    let space = SpaceId::new(spaces::create(&db, "Bench space").await.unwrap());
    let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock));
    let mut agents = Vec::new();
    for i in 0..args.agents {
        // Created the way the product creates them; the argon2 hash of each (a few per run)
        // is spent before the clock starts, so it does not count in the figures.
        let id = users::create_staff(
            &db,
            users::NewStaff {
                email: format!("agent{i}@bench.test"),
                display_name: format!("Agent {i}"),
                password: "bench agent password".into(),
                site_admin: false,
            },
        )
        .await
        .unwrap();
        spaces::add_member(&db, space.as_str(), &id, Role::Agent)
            .await
            .unwrap();
        let agent = AgentId::new(id);
        engine
            .execute(Command::SetAvailability {
                agent: agent.clone(),
                scope: Scope::AllSpaces,
                availability: Availability::Available,
            })
            .await
            .unwrap();
        agents.push(agent);
    }
    let customer = CustomerId::new(
        users::create_customer(&db, "bench@bench.test", "Bench")
            .await
            .unwrap(),
    );

    // Phase 1: routing. Start → offer → accept, then end → resolve, for every conversation.
    let mut routing = Vec::new();
    let mut commands = 0usize;
    let started = Instant::now();
    let mut ids = Vec::new();
    for _ in 0..args.conversations {
        let id = ConversationId::new(uuid::Uuid::now_v7().to_string());
        let t = Instant::now();
        let outcome = engine
            .execute(Command::StartConversation {
                id: id.clone(),
                space: space.clone(),
                customer: Some(customer.clone()),
                via: Start::Direct,
            })
            .await
            .unwrap();
        routing.push(t.elapsed());
        let offered = outcome.effects.iter().find_map(|e| match e {
            domain::Effect::OfferMade { agent, .. } => Some(agent.clone()),
            _ => None,
        });
        let Some(agent) = offered else {
            panic!(
                "every conversation should be offered (agents: {})",
                agents.len()
            )
        };
        let t = Instant::now();
        engine
            .execute(Command::Accept {
                agent: agent.clone(),
                conversation: id.clone(),
            })
            .await
            .unwrap();
        routing.push(t.elapsed());
        commands += 2;
        ids.push((id, agent));
        if ids.len() >= args.agents * 50 {
            break;
        }
    }
    // Phase 2: messages, alternating customer and agent, on the accepted conversations.
    let message_start = Instant::now();
    let mut message_latency = Vec::new();
    for n in 0..args.messages {
        let (id, agent) = &ids[n % ids.len()];
        let author = if n % 2 == 0 {
            Author::Customer
        } else {
            Author::Agent(agent.clone())
        };
        let t = Instant::now();
        engine
            .execute(Command::SendMessage {
                conversation: id.clone(),
                author,
                body: format!("message {n}"),
                client_id: uuid::Uuid::now_v7().to_string(),
            })
            .await
            .unwrap();
        message_latency.push(t.elapsed());
    }
    let message_elapsed = message_start.elapsed();
    commands += args.messages;
    for (id, agent) in &ids {
        let t = Instant::now();
        engine
            .execute(Command::EndConversation {
                conversation: id.clone(),
                by: Ender::Agent(agent.clone()),
            })
            .await
            .unwrap();
        engine
            .execute(Command::Resolve {
                agent: agent.clone(),
                conversation: id.clone(),
                resolution: "Done".into(),
            })
            .await
            .unwrap();
        routing.push(t.elapsed() / 2);
        commands += 2;
    }
    let total = started.elapsed();
    routing.sort();
    message_latency.sort();
    println!("== {label} ==");
    println!("  conversations routed      {}", ids.len());
    println!(
        "  commands                  {commands} in {:.2} s = {:.0} commands/s",
        total.as_secs_f64(),
        commands as f64 / total.as_secs_f64()
    );
    println!(
        "  routing decision latency  p50 {}  p99 {}  (start, accept, end, resolve; one transaction each)",
        ms(percentile(&routing, 50.0)),
        ms(percentile(&routing, 99.0))
    );
    println!(
        "  messages persisted        {} in {:.2} s = {:.0} messages/s (p50 {}, p99 {})",
        args.messages,
        message_elapsed.as_secs_f64(),
        args.messages as f64 / message_elapsed.as_secs_f64(),
        ms(percentile(&message_latency, 50.0)),
        ms(percentile(&message_latency, 99.0))
    );
}

#[tokio::main]
async fn main() {
    let args = args();
    println!(
        "engine-bench: {} agents, up to {} conversations, {} messages, sequential commands",
        args.agents, args.conversations, args.messages
    );

    let dir = std::env::temp_dir().join(format!("baton-bench-{}", uuid::Uuid::now_v7().simple()));
    let url = format!("sqlite://{}/bench.db", dir.display());
    let db = Db::open(&url, 8).await.expect("SQLite opens");
    run("SQLite (file, WAL)", db.clone(), &args).await;
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);

    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) => {
            let scratch = create_scratch_postgres_database(&base)
                .await
                .expect("PostgreSQL reachable");
            let db = Db::open(&scratch, 8).await.expect("PostgreSQL opens");
            run("PostgreSQL (loopback)", db.clone(), &args).await;
            db.close().await;
            drop_scratch_postgres_database(&base, &scratch).await;
        }
        Err(_) => println!("== PostgreSQL == skipped: set TEST_DATABASE_URL to measure it"),
    }
}
