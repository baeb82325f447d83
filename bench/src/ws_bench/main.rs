//! Websocket benchmark: opens N real connections on loopback to a Baton server, runs live-chat
//! conversations at fixed message rates and prints handshakes per second, the server's memory
//! per socket (idle and marginal), send→receive latency percentiles, lost messages and the
//! codes of any error frames. A program that prints figures, never a timed test; it stops by
//! itself.
//!
//!   cargo run --release -p bench --bin ws-bench -- --connections 10000 --rate 500,1000,2000,5000
//!
//! Every conversation has two sockets: its customer and its agent (agents keep one tab per
//! conversation here, the heavier case for the server). Messages alternate sides, so every
//! message is measured from the sender's `send` to the other party's `event`.
//!
//! The sockets are held by `--processes` client processes (this program again, `--worker`),
//! each well under the machine's open-files limit, and bound to `--sources` loopback source
//! addresses (127.0.0.2, …) so they are not capped by one address's ephemeral ports.
//!
//! The server: by default this program again (`--serve`, the `server` crate of this checkout)
//! on a scratch SQLite database (`--postgres URL` for a scratch PostgreSQL one); `--server-bin
//! PATH` runs a Baton server binary instead (to compare builds); `--addr HOST:PORT --database
//! URL [--server-pid PID]` uses a server already running on that database (its pid is found from
//! the port). See `target.rs` for the limits the benchmark's server is configured with.
//!
//! Several nodes of one cluster (`scripts/cluster.sh`): `--nodes http://IP:PORT,http://IP:PORT,…
//! --database URL` (the cluster's PostgreSQL database, fresh) runs every rate twice: all sockets
//! on the first node, then each customer on one node and its agent on the next (`nodes.rs`),
//! and prints both rows side by side. Start the nodes with `BATON_MESSAGE_RATE=1000` (as the
//! servers this program starts have) and `BATON_DEMO=false`.

mod client;
mod nodes;
mod report;
mod seed;
mod target;

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use backend::{
    Db,
    config::{Config, RawConfig},
    db::{create_scratch_postgres_database, drop_scratch_postgres_database},
};
use tokio::io::AsyncReadExt;

use target::{BENCH_MESSAGE_RATE, Target};

#[derive(Debug)]
struct Args {
    connections: usize,
    rates: Vec<u64>,
    seconds: u64,
    agents: usize,
    postgres: Option<String>,
    processes: Option<usize>,
    sources: Option<usize>,
    server_bin: Option<String>,
    addr: Option<String>,
    database: Option<String>,
    server_pid: Option<u32>,
    /// `--nodes`: the nodes' `IP:PORT`s.
    nodes: Option<Vec<String>>,
}

fn args(argv: &[String]) -> Result<Args, String> {
    let mut out = Args {
        connections: 10_000,
        rates: vec![500, 1000, 2000, 5000],
        seconds: 20,
        agents: 60,
        postgres: None,
        processes: None,
        sources: None,
        server_bin: None,
        addr: None,
        database: None,
        server_pid: None,
        nodes: None,
    };
    let mut words = argv.iter().skip(1);
    while let Some(flag) = words.next() {
        let value = words
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag} {value}: not a number"))
        };
        match flag.as_str() {
            "--connections" => out.connections = number()?.max(2) as usize,
            "--rate" => {
                out.rates = value
                    .split(',')
                    .map(|r| r.trim().parse::<u64>().map_err(|_| format!("--rate {r}")))
                    .collect::<Result<_, _>>()?;
            }
            "--seconds" => out.seconds = number()?.max(1),
            "--agents" => out.agents = number()?.max(1) as usize,
            "--processes" => out.processes = Some(number()?.max(1) as usize),
            "--sources" => out.sources = Some(number()?.clamp(1, 250) as usize),
            "--postgres" => out.postgres = Some(value.clone()),
            "--server-bin" => out.server_bin = Some(value.clone()),
            "--addr" => out.addr = Some(value.clone()),
            "--database" => out.database = Some(value.clone()),
            "--server-pid" => out.server_pid = Some(number()? as u32),
            "--nodes" => out.nodes = Some(nodes::authorities(value)),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if let Some(nodes) = &out.nodes {
        if nodes.len() < 2 || out.database.is_none() || out.addr.is_some() {
            return Err("--nodes takes two or more nodes, with --database (not --addr)".into());
        }
        out.addr = Some(nodes[0].clone());
    }
    if out.addr.is_some() != out.database.is_some() {
        return Err("--addr and --database go together (the server's database is seeded)".into());
    }
    Ok(out)
}

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if let Some(i) = argv.iter().position(|a| a == "--serve") {
        serve(&argv[i + 1]).await;
        return;
    }
    if argv.iter().any(|a| a == "--worker") {
        let value = |flag: &str| {
            argv.iter()
                .position(|a| a == flag)
                .and_then(|i| argv.get(i + 1))
                .cloned()
                .unwrap_or_default()
        };
        let pairs = std::fs::read_to_string(value("--pairs"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        let sources = value("--sources")
            .split(',')
            .filter_map(|s| s.parse::<Ipv4Addr>().ok())
            .collect::<Vec<_>>();
        client::worker(value("--url"), pairs, sources).await;
        return;
    }
    let result = match args(&argv) {
        Ok(args) => run(args).await,
        Err(problem) => Err(problem),
    };
    if let Err(problem) = result {
        eprintln!("ws-bench: {problem}");
        std::process::exit(1);
    }
}

/// Raises this process's open-files soft limit to its hard limit: every socket is a file.
pub fn raise_file_limit() -> u64 {
    rlimit::increase_nofile_limit(u64::MAX).unwrap_or(0)
}

/// The `--serve` child: a Baton server on an ephemeral loopback port until stdin closes.
async fn serve(database_url: &str) {
    let config = Config::load(
        None,
        RawConfig {
            database_url: Some(database_url.into()),
            addr: Some("127.0.0.1:0".into()),
            log_level: Some("error".into()),
            db_max_connections: Some(16),
            message_rate: Some(BENCH_MESSAGE_RATE),
            ..Default::default()
        },
    )
    .expect("bench configuration is valid");
    let server = server::run::start(config).await.expect("server starts");
    println!("LISTENING {}", server.addr);
    let mut rest = Vec::new();
    let _ = tokio::io::stdin().read_to_end(&mut rest).await;
    server.stop().await;
}

async fn run(args: Args) -> Result<(), String> {
    let limit = raise_file_limit();
    let pairs = args.connections / 2;
    let sockets = pairs * 2;
    // Each client process stays 4,000 files under a 20,000 limit (its tasks, pipes, the
    // runtime), and each source address well under its ~28,000 ephemeral ports.
    let processes = args.processes.unwrap_or(sockets.div_ceil(16_000)).max(1);
    let sources = args.sources.unwrap_or(sockets.div_ceil(20_000).max(2));
    let source_addrs: Vec<Ipv4Addr> = (0..sources)
        .map(|i| Ipv4Addr::new(127, 0, 0, 2 + i as u8))
        .collect();
    let dir = std::env::temp_dir().join(format!("baton-ws-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let url = match (&args.database, &args.postgres) {
        (Some(url), _) => url.clone(),
        (None, Some(base)) => create_scratch_postgres_database(base)
            .await
            .map_err(|e| e.to_string())?,
        (None, None) => format!("sqlite://{}/bench.db", dir.display()),
    };
    let label = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "ws-bench: {sockets} sockets ({pairs} conversations), rates {:?} msg/s for {} s each, {label}; \
         {processes} client process(es), source addresses {}..{}, open-files limit {limit}",
        args.rates,
        args.seconds,
        source_addrs[0],
        source_addrs[source_addrs.len() - 1],
    );

    let seeding = Instant::now();
    let db = Db::open(&url, 8).await.map_err(|e| e.to_string())?;
    let agents = args.agents.max(pairs.div_ceil(100));
    let seeded = seed::seed(&db, pairs, agents).await?;
    db.close().await;
    println!("  seeded in {:.1} s", seeding.elapsed().as_secs_f64());

    let target = match (&args.addr, &args.server_bin) {
        (Some(addr), _) => Target::running(addr, args.server_pid)?,
        (None, Some(bin)) => Target::binary(bin, &url).await?,
        (None, None) => Target::in_process(&url).await?,
    };
    println!("  server {} (pid {})", target.addr, target.pid);
    let drive = |urls: Vec<String>| {
        let (target, seeded, sources) = (&target, &seeded, &source_addrs);
        let (rates, dir) = (&args.rates, &dir);
        async move {
            let rows = report::drive(
                target,
                &urls,
                seeded,
                processes,
                sources,
                rates,
                args.seconds,
                dir,
            );
            rows.await
        }
    };
    let single = drive(vec![nodes::ws_url(&target.addr)]).await;
    let outcome = match (&args.nodes, single) {
        (Some(nodes), Ok(single)) => {
            println!(
                "  across {} nodes: each customer on one node, its agent on the next",
                nodes.len()
            );
            let across = drive(nodes.iter().map(|n| nodes::ws_url(n)).collect()).await;
            across.map(|across| nodes::print_comparison(nodes.len(), &single, &across))
        }
        (_, single) => single.map(drop),
    };
    target.stop().await;
    if args.database.is_none()
        && let Some(base) = &args.postgres
    {
        drop_scratch_postgres_database(base, &url).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

/// Waits between phases so the server's memory and queues settle.
const SETTLE: Duration = Duration::from_secs(2);
