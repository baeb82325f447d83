//! Engine benchmark: drives the real engine (`Engine::execute`) against SQLite (a file in a temp
//! folder) and PostgreSQL (a scratch database, with `--database-url` or TEST_DATABASE_URL) and
//! prints, per setting, routing decision latency with a pre-filled queue, commands per second
//! and messages persisted per second with concurrent senders. A program that prints figures,
//! not a test.
//!
//!   cargo run --release -p backend --bin engine-bench -- \
//!     [--waiting 1000,10000] [--concurrency 1,16] [--conversations 400] [--agents 10] \
//!     [--messages 4000] [--routing 100] [--max 3] [--webhooks 0] [--database-url postgres://…]
//!
//! Every list flag takes comma-separated values; each combination is one row of the table.

mod phases;
mod setup;

use std::time::Duration;

use backend::{
    Db,
    db::{create_scratch_postgres_database, drop_scratch_postgres_database},
};

#[derive(Clone, Debug)]
pub struct Args {
    /// Pre-filled queue sizes (conversations Waiting for agent before measuring).
    waiting: Vec<usize>,
    /// Concurrent message senders.
    concurrency: Vec<usize>,
    /// Active conversations the messages are spread over.
    conversations: usize,
    /// Agents in the routed space.
    agents: usize,
    /// Messages per row.
    messages: usize,
    /// Routing cycles per row (seven routing commands each).
    routing: usize,
    /// Maximum conversations while routing is measured.
    max: u32,
    /// Webhook endpoints subscribed to every event: each event then also writes this many
    /// outbox rows in its command's transaction (nothing delivers them during the bench).
    webhooks: usize,
    database_url: Option<String>,
}

fn list(value: &str) -> Vec<usize> {
    value
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .collect()
}

fn args() -> Args {
    let mut out = Args {
        waiting: vec![1_000, 10_000],
        concurrency: vec![1, 16],
        conversations: 400,
        agents: 10,
        messages: 4_000,
        routing: 100,
        max: 3,
        webhooks: 0,
        database_url: std::env::var("TEST_DATABASE_URL").ok(),
    };
    let argv: Vec<String> = std::env::args().collect();
    for pair in argv.windows(2) {
        let (flag, value) = (pair[0].as_str(), pair[1].as_str());
        let number = value.parse::<usize>().ok().filter(|n| *n > 0);
        match (flag, number) {
            ("--waiting", _) => out.waiting = list(value),
            ("--concurrency", _) => {
                out.concurrency = list(value).into_iter().filter(|n| *n > 0).collect();
            }
            ("--conversations", Some(n)) => out.conversations = n,
            ("--agents", Some(n)) => out.agents = n,
            ("--messages", Some(n)) => out.messages = n,
            ("--routing", Some(n)) => out.routing = n,
            ("--max", Some(n)) => out.max = u32::try_from(n.min(100)).unwrap_or(3),
            ("--webhooks", _) => out.webhooks = value.parse().unwrap_or(0),
            ("--database-url", _) => out.database_url = Some(value.to_string()),
            _ => {}
        }
    }
    if out.waiting.is_empty() {
        out.waiting = vec![0];
    }
    if out.concurrency.is_empty() {
        out.concurrency = vec![1];
    }
    out
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// One row of the table.
pub struct Row {
    pub routing: phases::Routing,
    pub mixed: phases::Mixed,
}

fn header() {
    println!(
        "| {:<10} | {:>7} | {:>5} | {:>4} | {:>9} | {:>9} | {:>8} | {:>10} | {:>11} | {:>9} | {:>9} | {:>11} | {:>6} |",
        "database",
        "waiting",
        "conv",
        "conc",
        "route p50",
        "route p99",
        "route/s",
        "commands/s",
        "persisted/s",
        "msg p50",
        "msg p99",
        "route p99 *",
        "failed"
    );
    println!(
        "|{:-<12}|{:->9}|{:->7}|{:->6}|{:->11}|{:->11}|{:->10}|{:->12}|{:->13}|{:->11}|{:->11}|{:->13}|{:->8}|",
        "", "", "", "", "", "", "", "", "", "", "", "", ""
    );
}

fn print_row(label: &str, waiting: usize, args: &Args, concurrency: usize, row: &Row) {
    let r = &row.routing;
    let m = &row.mixed;
    println!(
        "| {:<10} | {:>7} | {:>5} | {:>4} | {:>9} | {:>9} | {:>8.0} | {:>10.0} | {:>11.0} | {:>9} | {:>9} | {:>11} | {:>6} |",
        label,
        waiting,
        args.conversations,
        concurrency,
        ms(percentile(&r.latencies, 50.0)),
        ms(percentile(&r.latencies, 99.0)),
        r.latencies.len() as f64 / r.elapsed.as_secs_f64(),
        m.commands as f64 / m.elapsed.as_secs_f64(),
        m.persisted as f64 / m.messages_elapsed.as_secs_f64(),
        ms(percentile(&m.message_latencies, 50.0)),
        ms(percentile(&m.message_latencies, 99.0)),
        ms(percentile(&m.routing_latencies, 99.0)),
        m.failed,
    );
}

/// Where a row runs: a SQLite file in a temp folder, or a scratch PostgreSQL database.
enum Target {
    Sqlite,
    Postgres(String),
}

/// A fresh database, and what to remove after it.
enum Scratch {
    Folder(std::path::PathBuf),
    Database { base: String, scratch: String },
}

impl Target {
    fn label(&self) -> &'static str {
        match self {
            Target::Sqlite => "SQLite",
            Target::Postgres(_) => "PostgreSQL",
        }
    }

    async fn fresh(&self, pool: u32) -> (Db, Scratch) {
        match self {
            Target::Sqlite => {
                let dir = std::env::temp_dir()
                    .join(format!("baton-bench-{}", uuid::Uuid::now_v7().simple()));
                let url = format!("sqlite://{}/bench.db", dir.display());
                let db = Db::open(&url, pool).await.expect("SQLite opens");
                (db, Scratch::Folder(dir))
            }
            Target::Postgres(base) => {
                let scratch = create_scratch_postgres_database(base)
                    .await
                    .expect("PostgreSQL reachable");
                let db = Db::open(&scratch, pool).await.expect("PostgreSQL opens");
                let base = base.clone();
                (db, Scratch::Database { base, scratch })
            }
        }
    }
}

impl Scratch {
    async fn remove(self) {
        match self {
            Scratch::Folder(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Scratch::Database { base, scratch } => {
                drop_scratch_postgres_database(&base, &scratch).await;
            }
        }
    }
}

/// Every row for one database: a fresh database per queue size, then each concurrency on it.
async fn run(target: &Target, args: &Args, pool: u32) {
    for &waiting in &args.waiting {
        let (db, scratch) = target.fresh(pool).await;
        let bench = setup::Bench::prepare(&db, args, waiting).await;
        for &concurrency in &args.concurrency {
            let routing = phases::routing_alone(&bench, args.routing).await;
            let mixed = phases::mixed(&bench, args.messages, concurrency).await;
            print_row(
                target.label(),
                waiting,
                args,
                concurrency,
                &Row { routing, mixed },
            );
        }
        bench.check_queue_order().await;
        db.close().await;
        scratch.remove().await;
    }
}

#[tokio::main]
async fn main() {
    let args = args();
    println!(
        "engine-bench: {} agents in the routed space, Maximum conversations {}, {} routing cycles \
         (start, Unavailable, Available, Decline, Accept, End, Resolve) and {} messages over {} \
         active conversations per row; {} webhook endpoint(s) subscribed to every event",
        args.agents, args.max, args.routing, args.messages, args.conversations, args.webhooks
    );
    println!(
        "route p50/p99: routing commands alone, queue pre-filled; commands/s, persisted/s, msg \
         p50/p99: the concurrent senders with routing cycles running beside them (route p99 *: \
         routing latency meanwhile; failed: commands of that phase answered with an error). \
         Latencies in ms."
    );
    println!();
    header();

    let pool = args
        .concurrency
        .iter()
        .copied()
        .max()
        .unwrap_or(1)
        .clamp(8, 64) as u32
        + 2;
    run(&Target::Sqlite, &args, pool).await;
    match args.database_url.clone() {
        Some(base) => run(&Target::Postgres(base), &args, pool).await,
        None => println!(
            "PostgreSQL skipped: pass --database-url postgres://postgres@127.0.0.1:5432/test \
             (or set TEST_DATABASE_URL) to measure it"
        ),
    }
}
