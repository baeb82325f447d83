//! A client process (`ws-bench --worker`): holds its share of the sockets and runs its share
//! of the message rate when the coordinator asks, answering each command with one JSON line.
//! A process holds at most a few thousand sockets fewer than the open-files hard limit, and
//! its sockets are spread over several loopback source addresses (127.0.0.2, 127.0.0.3, …),
//! each with its own ~28,000 ephemeral ports.
//!
//! Commands on stdin: `CONNECT <pairs>`, `RUN <run> <rate> <seconds>`; end of input ends it.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use backend::sessions::COOKIE_NAME;
use domain::ConversationId;
use domain::protocol::{ClientFrame, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpSocket;
use tokio::sync::{Semaphore, mpsc};
use tokio_tungstenite::tungstenite::{
    Message, client::IntoClientRequest, http::HeaderValue, protocol::WebSocketConfig,
};

use crate::nodes::Placement;
use crate::seed::Pair;

/// What `CONNECT` answers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Connected {
    pub sockets: u64,
    pub failed: u64,
    pub synced: u64,
    /// Until the last handshake completed.
    pub handshake_secs: f64,
    pub failures: BTreeMap<String, u64>,
}

/// What `RUN` answers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RunReport {
    pub sent: u64,
    pub acked: u64,
    pub delivered: u64,
    pub duplicates: u64,
    /// Deliveries of an earlier run's messages that came during this one.
    pub stale: u64,
    pub errors: BTreeMap<String, u64>,
    /// send → the other side's `event`, microseconds.
    pub latencies_us: Vec<u32>,
    /// send → the sender's `sent`, microseconds.
    pub ack_us: Vec<u32>,
}

pub const REPLY: &str = "WS-BENCH ";
/// Handshakes in flight at once per process.
const HANDSHAKES_IN_FLIGHT: usize = 256;

#[derive(Default)]
struct Tally {
    run: AtomicU64,
    synced: AtomicU64,
    report: Mutex<RunReport>,
}

impl Tally {
    fn with<T>(&self, f: impl FnOnce(&mut RunReport) -> T) -> T {
        f(&mut self.report.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

struct Conn {
    conversation: ConversationId,
    customer: mpsc::UnboundedSender<String>,
    agent: mpsc::UnboundedSender<String>,
    turn: u64,
}

/// `urls`: one websocket URL, or several (one per node, see [`Placement`]).
pub async fn worker(urls: String, pairs: Vec<Pair>, sources: Vec<Ipv4Addr>) {
    crate::raise_file_limit();
    let placement = match Placement::parse(&urls) {
        Ok(placement) => placement,
        Err(problem) => return eprintln!("ws-bench worker: {problem}"),
    };
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let mut conns: Vec<Conn> = Vec::new();
    let mut next_pair = 0usize;
    let mut cursor = 0usize;
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let words: Vec<&str> = line.split_whitespace().collect();
        let reply = match words.as_slice() {
            ["CONNECT", count] => {
                let count: usize = count.parse().unwrap_or(0);
                let end = (next_pair + count).min(pairs.len());
                let batch = &pairs[next_pair..end];
                let report = connect(
                    &placement, batch, next_pair, &sources, started, &tally, &mut conns,
                )
                .await;
                next_pair = end;
                serde_json::to_string(&report)
            }
            ["RUN", run, rate, seconds] => {
                let report = run_rate(
                    &mut conns,
                    &mut cursor,
                    started,
                    &tally,
                    run.parse().unwrap_or(0),
                    rate.parse().unwrap_or(0),
                    seconds.parse().unwrap_or(0),
                )
                .await;
                serde_json::to_string(&report)
            }
            _ => continue,
        };
        match reply {
            Ok(json) => println!("{REPLY}{json}"),
            Err(error) => eprintln!("ws-bench worker: {error}"),
        }
    }
}

async fn connect(
    placement: &Placement,
    batch: &[Pair],
    first_index: usize,
    sources: &[Ipv4Addr],
    started: Instant,
    tally: &Arc<Tally>,
    conns: &mut Vec<Conn>,
) -> Connected {
    let synced_before = tally.synced.load(Ordering::Relaxed);
    let gate = Arc::new(Semaphore::new(HANDSHAKES_IN_FLIGHT));
    let connecting = Instant::now();
    let handles: Vec<_> = batch
        .iter()
        .enumerate()
        .map(|(i, pair)| {
            let index = first_index + i;
            let (gate, tally, placement, pair) =
                (gate.clone(), tally.clone(), placement.clone(), pair.clone());
            // Both sockets of a pair on the same source, pairs round robin over the sources.
            let source = sources[index % sources.len()];
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.map_err(|e| e.to_string())?;
                let side = |session: String, side: char| {
                    let node = placement.node(index, side);
                    let socket = Socket {
                        url: node.url.clone(),
                        server: node.addr,
                        source,
                        session,
                        conversation: pair.conversation.clone(),
                        side,
                    };
                    socket.open(started, tally.clone())
                };
                let customer = side(pair.customer_session.clone(), 'c').await?;
                let agent = side(pair.agent_session.clone(), 'a').await?;
                Ok::<_, String>(Conn {
                    conversation: pair.conversation,
                    customer,
                    agent,
                    turn: 0,
                })
            })
        })
        .collect();
    let mut report = Connected::default();
    for handle in handles {
        match handle.await {
            Ok(Ok(conn)) => {
                conns.push(conn);
                report.sockets += 2;
            }
            Ok(Err(problem)) => {
                report.failed += 1;
                *report.failures.entry(problem).or_default() += 1;
            }
            Err(_) => report.failed += 1,
        }
    }
    report.handshake_secs = connecting.elapsed().as_secs_f64();
    // Every socket replays its conversation and says `synced` (or 60 s).
    let deadline = Instant::now() + Duration::from_secs(60);
    while tally.synced.load(Ordering::Relaxed) - synced_before < report.sockets
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    report.synced = tally.synced.load(Ordering::Relaxed) - synced_before;
    report
}

struct Socket {
    url: String,
    server: SocketAddr,
    source: Ipv4Addr,
    session: String,
    conversation: ConversationId,
    side: char,
}

impl Socket {
    /// Opens the socket from its source address, resumes its conversation, and returns the
    /// channel its writer sends from; its reader tallies what arrives.
    async fn open(
        self,
        started: Instant,
        tally: Arc<Tally>,
    ) -> Result<mpsc::UnboundedSender<String>, String> {
        let tcp = TcpSocket::new_v4().map_err(|e| format!("socket: {e}"))?;
        tcp.bind(SocketAddr::new(self.source.into(), 0))
            .map_err(|e| format!("bind {}: {e}", self.source))?;
        let stream = tcp
            .connect(self.server)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let _ = stream.set_nodelay(true);
        let mut request = self
            .url
            .as_str()
            .into_client_request()
            .map_err(|e| e.to_string())?;
        request.headers_mut().insert(
            "cookie",
            HeaderValue::from_str(&format!("{COOKIE_NAME}={}", self.session))
                .map_err(|e| e.to_string())?,
        );
        // Small buffers: thousands of sockets in one process.
        let config = WebSocketConfig::default()
            .read_buffer_size(4096)
            .write_buffer_size(0);
        let (ws, _) = tokio_tungstenite::client_async_with_config(request, stream, Some(config))
            .await
            .map_err(|e| format!("handshake: {e}"))?;
        let (mut sink, mut source) = ws.split();
        let (tx, mut rx) = mpsc::unbounded_channel::<String>();
        tokio::spawn(async move {
            while let Some(text) = rx.recv().await {
                if sink.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
            let _ = sink.close().await;
        });
        let (mine, other) = if self.side == 'c' {
            ('c', 'a')
        } else {
            ('a', 'c')
        };
        tokio::spawn(async move {
            let mut last_seq = 0;
            while let Some(Ok(message)) = source.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
                let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) else {
                    continue;
                };
                on_frame(frame, mine, other, &mut last_seq, started, &tally);
            }
        });
        let resume = ClientFrame::Resume {
            conversation: self.conversation,
            last_seq: 0,
        };
        tx.send(serde_json::to_string(&resume).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        Ok(tx)
    }
}

/// Body `side|run|sent_us|n`, client id `side-pair-turn-run-sent_us`.
fn on_frame(
    frame: ServerFrame,
    mine: char,
    other: char,
    last_seq: &mut i64,
    started: Instant,
    tally: &Tally,
) {
    let now = started.elapsed().as_micros() as u64;
    let run = tally.run.load(Ordering::Relaxed);
    match frame {
        ServerFrame::Event { event, .. } => {
            let duplicate = event.seq <= *last_seq;
            *last_seq = (*last_seq).max(event.seq);
            let domain::EventKind::Message { body, .. } = &event.kind else {
                return;
            };
            let parts: Vec<&str> = body.split('|').collect();
            if parts.len() < 3 || !parts[0].starts_with(other) {
                return;
            }
            let (Ok(of_run), Ok(sent)) = (parts[1].parse::<u64>(), parts[2].parse::<u64>()) else {
                return;
            };
            tally.with(|report| {
                if duplicate {
                    report.duplicates += 1;
                } else if of_run != run {
                    report.stale += 1;
                } else {
                    report.delivered += 1;
                    report.latencies_us.push(micros(now, sent));
                }
            });
        }
        ServerFrame::Sent { client_id, .. } => {
            let parts: Vec<&str> = client_id.split('-').collect();
            if parts.len() == 5
                && parts[0].starts_with(mine)
                && parts[3].parse::<u64>() == Ok(run)
                && let Ok(sent) = parts[4].parse::<u64>()
            {
                tally.with(|report| {
                    report.acked += 1;
                    report.ack_us.push(micros(now, sent));
                });
            }
        }
        ServerFrame::Synced { .. } => {
            tally.synced.fetch_add(1, Ordering::Relaxed);
        }
        ServerFrame::Error { code, .. } => {
            let code = serde_json::to_value(code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "unknown".into());
            tally.with(|report| *report.errors.entry(code).or_default() += 1);
        }
        _ => {}
    }
}

fn micros(now: u64, sent: u64) -> u32 {
    now.saturating_sub(sent).min(u32::MAX as u64) as u32
}

/// Sends `rate` messages a second for `seconds` round robin over the conversations, each
/// alternating sides, then waits (at most 10 s) for every one to be delivered and acknowledged.
async fn run_rate(
    conns: &mut [Conn],
    cursor: &mut usize,
    started: Instant,
    tally: &Tally,
    run: u64,
    rate: u64,
    seconds: u64,
) -> RunReport {
    tally.run.store(run, Ordering::Relaxed);
    tally.with(std::mem::take);
    let total = rate * seconds;
    let mut sent = 0u64;
    let running = Instant::now();
    while sent < total && !conns.is_empty() {
        let due = ((running.elapsed().as_secs_f64() * rate as f64) as u64 + 1).min(total);
        while sent < due {
            let conn = &mut conns[*cursor % conns.len()];
            *cursor += 1;
            let side = if conn.turn.is_multiple_of(2) {
                'c'
            } else {
                'a'
            };
            let now_us = started.elapsed().as_micros();
            let frame = ClientFrame::Send {
                conversation: conn.conversation.clone(),
                client_id: format!("{side}-{}-{}-{run}-{now_us}", *cursor, conn.turn),
                body: format!("{side}|{run}|{now_us}|{sent}"),
            };
            conn.turn += 1;
            let Ok(text) = serde_json::to_string(&frame) else {
                break;
            };
            let socket = if side == 'c' {
                &conn.customer
            } else {
                &conn.agent
            };
            let _ = socket.send(text);
            sent += 1;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let drain = Instant::now() + Duration::from_secs(10);
    while Instant::now() < drain && tally.with(|r| r.delivered < sent || r.acked < sent) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Leave time for nothing else: what has not arrived by now counts as lost.
    let mut report = tally.with(std::mem::take);
    report.sent = sent;
    report
}
