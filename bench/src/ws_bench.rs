//! Websocket benchmark: opens N real connections on loopback to a Baton server running in a
//! child process (so its memory is its own), runs live-chat conversations at a fixed message
//! rate, and prints send→receive latency percentiles, delivered messages per second and the
//! server's memory per connection. A program that prints figures, never a timed test.
//!
//!   cargo run --release -p bench --bin ws-bench -- --connections 10000 --rate 500 --seconds 20
//!
//! Every conversation has two sockets: its customer and its agent (agents keep one tab per
//! conversation here, which is the heavier case for the server). Messages alternate sides, so
//! every message is measured from the sender's `send` to the other party's `event`.
//! With `--postgres URL` the run uses a scratch PostgreSQL database instead of SQLite.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use backend::{
    Db, Engine,
    clock::SystemClock,
    config::{Config, RawConfig},
    db::{create_scratch_postgres_database, drop_scratch_postgres_database},
    sessions::{COOKIE_NAME, DbSessionStore, SignedIn},
    store::{
        site,
        spaces::{self, Role},
        users::{self, NewStaff},
    },
};
use domain::protocol::{ClientFrame, ServerFrame};
use domain::{
    AgentId, Availability, Command, ConversationId, CustomerId, Effect, EventKind, Scope, SpaceId,
    Start, Timers,
};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::sync::{Mutex, Semaphore, mpsc};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

struct Args {
    connections: usize,
    rate: u64,
    seconds: u64,
    agents: usize,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut out = Args {
        connections: 10_000,
        rate: 500,
        seconds: 20,
        agents: 60,
        postgres: None,
    };
    let argv: Vec<String> = std::env::args().collect();
    for pair in argv.windows(2) {
        let number = pair[1].parse::<u64>().unwrap_or(0);
        match pair[0].as_str() {
            "--connections" if number >= 2 => out.connections = number as usize,
            "--rate" if number > 0 => out.rate = number,
            "--seconds" if number > 0 => out.seconds = number,
            "--agents" if number > 0 => out.agents = number as usize,
            "--postgres" => out.postgres = Some(pair[1].clone()),
            _ => {}
        }
    }
    out
}

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if let Some(i) = argv.iter().position(|a| a == "--serve") {
        serve(&argv[i + 1]).await;
        return;
    }
    if let Err(problem) = run(args()).await {
        eprintln!("ws-bench: {problem}");
        std::process::exit(1);
    }
}

/// The child process: a Baton server on an ephemeral loopback port until stdin closes.
async fn serve(database_url: &str) {
    let config = Config::load(
        None,
        RawConfig {
            database_url: Some(database_url.into()),
            addr: Some("127.0.0.1:0".into()),
            log_level: Some("error".into()),
            db_max_connections: Some(16),
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

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

struct Pair {
    conversation: ConversationId,
    customer_session: String,
    agent_session: String,
}

/// Seeds a site: one space, `agents` agents Available with room for everyone, and one Active
/// conversation per pair of connections, each with a minted session for both sides.
async fn seed(db: &Db, pairs: usize, agents: usize) -> Result<Vec<Pair>, String> {
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

/// What every socket's reader reports.
#[derive(Default)]
struct Tally {
    latencies_us: Mutex<Vec<u64>>,
    delivered: AtomicU64,
    acked: AtomicU64,
    errors: AtomicU64,
    synced: AtomicU64,
}

/// One socket: a writer fed by a channel and a reader that measures what the other side sent.
async fn open_socket(
    url: &str,
    session: &str,
    conversation: ConversationId,
    side: char,
    started: Instant,
    tally: Arc<Tally>,
) -> Result<mpsc::UnboundedSender<String>, String> {
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "cookie",
        HeaderValue::from_str(&format!("{COOKIE_NAME}={session}")).map_err(|e| e.to_string())?,
    );
    let (stream, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sink, mut source) = stream.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        while let Some(text) = rx.recv().await {
            if sink.send(Message::Text(text.into())).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let other = if side == 'c' { 'a' } else { 'c' };
    tokio::spawn(async move {
        while let Some(Ok(message)) = source.next().await {
            let Message::Text(text) = message else {
                continue;
            };
            let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) else {
                continue;
            };
            match frame {
                ServerFrame::Event { event, .. } => {
                    if let EventKind::Message { body, .. } = &event.kind {
                        let mut parts = body.split('|');
                        if parts.next().and_then(|s| s.chars().next()) == Some(other)
                            && let Some(sent) = parts.next().and_then(|s| s.parse::<u64>().ok())
                        {
                            let now = started.elapsed().as_micros() as u64;
                            tally
                                .latencies_us
                                .lock()
                                .await
                                .push(now.saturating_sub(sent));
                            tally.delivered.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                ServerFrame::Sent { .. } => {
                    tally.acked.fetch_add(1, Ordering::Relaxed);
                }
                ServerFrame::Synced { .. } => {
                    tally.synced.fetch_add(1, Ordering::Relaxed);
                }
                ServerFrame::Error { .. } => {
                    tally.errors.fetch_add(1, Ordering::Relaxed);
                }
                _ => {}
            }
        }
    });
    let resume = ClientFrame::Resume {
        conversation,
        last_seq: 0,
    };
    tx.send(serde_json::to_string(&resume).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    Ok(tx)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}

async fn run(args: Args) -> Result<(), String> {
    let pairs = args.connections / 2;
    let dir = std::env::temp_dir().join(format!("baton-ws-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let url = match &args.postgres {
        Some(base) => create_scratch_postgres_database(base)
            .await
            .map_err(|e| e.to_string())?,
        None => format!("sqlite://{}/bench.db", dir.display()),
    };
    let label = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "ws-bench: {} connections ({pairs} conversations), {} messages/s for {} s, {label}",
        pairs * 2,
        args.rate,
        args.seconds
    );

    let seeding = Instant::now();
    let db = Db::open(&url, 8).await.map_err(|e| e.to_string())?;
    let agents = args.agents.max(pairs.div_ceil(100));
    let seeded = seed(&db, pairs, agents).await?;
    db.close().await;
    println!("  seeded in {:.1} s", seeding.elapsed().as_secs_f64());

    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = tokio::process::Command::new(exe)
        .arg("--serve")
        .arg(&url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let pid = child.id().ok_or("server exited at once")?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let addr = loop {
        match lines.next_line().await.map_err(|e| e.to_string())? {
            Some(line) if line.starts_with("LISTENING ") => break line[10..].trim().to_string(),
            Some(_) => continue,
            None => return Err("the server stopped before listening".into()),
        }
    };
    let ws_url = format!("ws://{addr}/ws?v=1");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_idle = rss_kib(pid);

    // Connect everyone, at most 256 handshakes in flight.
    let started = Instant::now();
    let tally = Arc::new(Tally::default());
    let gate = Arc::new(Semaphore::new(256));
    let connecting = Instant::now();
    let mut handles = Vec::with_capacity(pairs);
    for pair in &seeded {
        let (gate, tally, ws_url) = (gate.clone(), tally.clone(), ws_url.clone());
        let (conversation, customer, agent) = (
            pair.conversation.clone(),
            pair.customer_session.clone(),
            pair.agent_session.clone(),
        );
        handles.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.ok()?;
            let c = open_socket(
                &ws_url,
                &customer,
                conversation.clone(),
                'c',
                started,
                tally.clone(),
            )
            .await
            .ok()?;
            let a = open_socket(&ws_url, &agent, conversation.clone(), 'a', started, tally)
                .await
                .ok()?;
            Some((conversation, c, a))
        }));
    }
    let mut sockets: Vec<(
        ConversationId,
        mpsc::UnboundedSender<String>,
        mpsc::UnboundedSender<String>,
    )> = Vec::with_capacity(pairs);
    for handle in handles {
        if let Ok(Some(trio)) = handle.await {
            sockets.push(trio);
        }
    }
    let connect_secs = connecting.elapsed().as_secs_f64();
    let open = sockets.len() * 2;
    // Wait until every socket has replayed its conversation (or 60 s).
    let deadline = Instant::now() + Duration::from_secs(60);
    while (tally.synced.load(Ordering::Relaxed) as usize) < open && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_connected = rss_kib(pid);
    println!(
        "  connected {open} sockets in {connect_secs:.1} s ({:.0} handshakes/s), {} synced",
        open as f64 / connect_secs,
        tally.synced.load(Ordering::Relaxed)
    );

    // Run conversations: one message every 1/rate s, alternating sides, round robin.
    let total = args.rate * args.seconds;
    let interval = Duration::from_secs_f64(1.0 / args.rate as f64);
    let running = Instant::now();
    let mut sent = 0u64;
    let mut next = Instant::now();
    let mut per_conversation: HashMap<usize, u64> = HashMap::new();
    while sent < total {
        let index = (sent as usize) % sockets.len().max(1);
        let (conversation, customer, agent) = &sockets[index];
        let turn = per_conversation.entry(index).or_default();
        let side = if (*turn).is_multiple_of(2) { 'c' } else { 'a' };
        *turn += 1;
        let now_us = started.elapsed().as_micros();
        let frame = ClientFrame::Send {
            conversation: conversation.clone(),
            client_id: format!("{side}-{index}-{turn}"),
            body: format!("{side}|{now_us}|{sent}"),
        };
        let text = serde_json::to_string(&frame).map_err(|e| e.to_string())?;
        let _ = if side == 'c' {
            customer.send(text)
        } else {
            agent.send(text)
        };
        sent += 1;
        next += interval;
        let now = Instant::now();
        if next > now {
            tokio::time::sleep(next - now).await;
        }
    }
    let sending_secs = running.elapsed().as_secs_f64();
    // Let the last messages land.
    let drain = Instant::now() + Duration::from_secs(10);
    while tally.delivered.load(Ordering::Relaxed) < sent && Instant::now() < drain {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivered_secs = running.elapsed().as_secs_f64();
    let rss_after = rss_kib(pid);

    let mut latencies = tally.latencies_us.lock().await.clone();
    latencies.sort_unstable();
    let delivered = tally.delivered.load(Ordering::Relaxed);
    println!();
    println!(
        "  messages sent         {sent} in {sending_secs:.1} s ({:.0}/s offered)",
        sent as f64 / sending_secs
    );
    println!(
        "  acknowledged (sent)   {}",
        tally.acked.load(Ordering::Relaxed)
    );
    println!(
        "  delivered to the other side {delivered} ({:.0}/s), lost {}",
        delivered as f64 / delivered_secs,
        sent.saturating_sub(delivered)
    );
    println!(
        "  error frames          {}",
        tally.errors.load(Ordering::Relaxed)
    );
    println!(
        "  send→receive latency  p50 {:.2} ms   p99 {:.2} ms   p99.9 {:.2} ms   max {:.2} ms",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        percentile(&latencies, 99.9),
        percentile(&latencies, 100.0)
    );
    println!(
        "  server memory         idle {:.1} MiB, {open} sockets {:.1} MiB → {:.1} KiB per connection; after the run {:.1} MiB",
        rss_idle as f64 / 1024.0,
        rss_connected as f64 / 1024.0,
        (rss_connected.saturating_sub(rss_idle)) as f64 / open.max(1) as f64,
        rss_after as f64 / 1024.0
    );

    drop(sockets);
    drop(child.stdin.take());
    let _ = tokio::time::timeout(Duration::from_secs(20), child.wait()).await;
    if let Some(base) = &args.postgres {
        drop_scratch_postgres_database(base, &url).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
