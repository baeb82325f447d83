//! The coordinator: starts the client processes, connects the sockets in two halves (the
//! memory between them is the marginal cost of a socket), runs each rate and prints the
//! figures, adding up what every client process measured.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::SETTLE;
use crate::client::{Connected, REPLY, RunReport};
use crate::seed::Pair;
use crate::target::Target;

struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    pairs: usize,
}

impl Worker {
    async fn ask<T: DeserializeOwned>(
        &mut self,
        command: &str,
        within: Duration,
    ) -> Result<T, String> {
        self.stdin
            .write_all(format!("{command}\n").as_bytes())
            .await
            .map_err(|e| format!("a client process is gone: {e}"))?;
        let line = tokio::time::timeout(within, async {
            loop {
                match self.lines.next_line().await {
                    Ok(Some(line)) if line.starts_with(REPLY) => return Ok(line),
                    Ok(Some(_)) => continue,
                    Ok(None) | Err(_) => return Err("a client process stopped".to_string()),
                }
            }
        })
        .await
        .map_err(|_| format!("a client process did not answer {command} within {within:?}"))??;
        serde_json::from_str(&line[REPLY.len()..]).map_err(|e| e.to_string())
    }
}

/// Sends `command` to every worker at once and collects their answers.
async fn ask_all<T: DeserializeOwned>(
    workers: &mut [Worker],
    mut command: impl FnMut(&Worker) -> String,
    within: Duration,
) -> Result<Vec<T>, String> {
    let commands: Vec<String> = workers.iter().map(&mut command).collect();
    let asks = workers
        .iter_mut()
        .zip(commands)
        .map(|(worker, command)| async move { worker.ask::<T>(&command, within).await });
    futures_util::future::join_all(asks)
        .await
        .into_iter()
        .collect()
}

/// Connects every pair's sockets to `urls` (one websocket URL per node, see `nodes.rs`), runs
/// each rate, prints the figures and returns one row per rate. `target`: the server whose
/// memory is read (with several nodes, the first).
#[allow(clippy::too_many_arguments)]
pub async fn drive(
    target: &Target,
    urls: &[String],
    seeded: &[Pair],
    processes: usize,
    sources: &[Ipv4Addr],
    rates: &[u64],
    seconds: u64,
    dir: &Path,
) -> Result<Vec<Row>, String> {
    let url = urls.join(",");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let sources = sources
        .iter()
        .map(Ipv4Addr::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut workers = Vec::with_capacity(processes);
    for (i, share) in seeded
        .chunks(seeded.len().div_ceil(processes).max(1))
        .enumerate()
    {
        let file = dir.join(format!("pairs-{i}.json"));
        std::fs::write(
            &file,
            serde_json::to_string(share).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        let mut child = Command::new(&exe)
            .args(["--worker", "--url", &url, "--sources", &sources, "--pairs"])
            .arg(&file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start a client process: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        workers.push(Worker {
            child,
            stdin,
            lines,
            pairs: share.len(),
        });
    }

    tokio::time::sleep(SETTLE).await;
    let rss_idle = target.rss_kib();
    // Two halves: the memory between them is the marginal cost of a socket.
    let mut connected = Vec::new();
    let mut rss = Vec::new();
    let mut connect_secs = 0.0;
    for half in [0, 1] {
        let answers: Vec<Connected> = ask_all(
            &mut workers,
            |w| format!("CONNECT {}", if half == 0 { w.pairs / 2 } else { w.pairs }),
            Duration::from_secs(600),
        )
        .await?;
        // The processes connect at the same time: the slowest one is the wall time.
        connect_secs += answers.iter().map(|a| a.handshake_secs).fold(0.0, f64::max);
        connected.extend(answers);
        tokio::time::sleep(SETTLE).await;
        rss.push(target.rss_kib());
    }
    let sockets: u64 = connected.iter().map(|c| c.sockets).sum();
    let half_sockets: u64 = connected
        .iter()
        .take(workers.len())
        .map(|c| c.sockets)
        .sum();
    let failed: u64 = connected.iter().map(|c| c.failed).sum();
    let synced: u64 = connected.iter().map(|c| c.synced).sum();
    let mut failures: BTreeMap<String, u64> = BTreeMap::new();
    for c in &connected {
        for (reason, n) in &c.failures {
            *failures.entry(reason.clone()).or_default() += n;
        }
    }
    let kib = |k: u64| k as f64 / 1024.0;
    let per_socket = rss[1].saturating_sub(rss_idle) as f64 / sockets.max(1) as f64;
    let marginal =
        rss[1].saturating_sub(rss[0]) as f64 / sockets.saturating_sub(half_sockets).max(1) as f64;
    println!(
        "  connected {sockets} sockets ({failed} pairs failed{}) in {connect_secs:.1} s: {:.0} handshakes/s; {synced} synced",
        if failures.is_empty() {
            String::new()
        } else {
            format!(": {failures:?}")
        },
        sockets as f64 / connect_secs.max(0.001)
    );
    println!(
        "  server memory: idle {:.1} MiB; {half_sockets} sockets {:.1} MiB; {sockets} sockets {:.1} MiB \
         → {per_socket:.1} KiB per socket, {marginal:.1} KiB marginal (second half)",
        kib(rss_idle),
        kib(rss[0]),
        kib(rss[1]),
    );

    let mut rows = Vec::new();
    for (run, &rate) in rates.iter().enumerate() {
        let shares = split(rate, workers.len());
        let mut index = 0;
        let answers: Vec<RunReport> = ask_all(
            &mut workers,
            |_| {
                let share = shares[index.min(shares.len() - 1)];
                index += 1;
                format!("RUN {} {share} {seconds}", run + 1)
            },
            Duration::from_secs(seconds + 120),
        )
        .await?;
        let row = Row::of(rate, answers, target.rss_kib());
        row.print();
        rows.push(row);
        tokio::time::sleep(SETTLE).await;
    }
    println!();
    println!(
        "  | rate msg/s | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms | ack p50 ms | ack p99 ms | lost | dup | errors |"
    );
    println!("  |---|---|---|---|---|---|---|---|---|---|---|");
    for row in &rows {
        println!(
            "  | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {} | {} |",
            row.rate,
            row.delivered as f64 / seconds as f64,
            row.p[0],
            row.p[1],
            row.p[2],
            row.p[3],
            row.ack[0],
            row.ack[1],
            row.lost,
            row.duplicates,
            row.errors_text()
        );
    }
    for mut worker in workers {
        drop(worker.stdin);
        if tokio::time::timeout(Duration::from_secs(10), worker.child.wait())
            .await
            .is_err()
        {
            let _ = worker.child.kill().await;
        }
    }
    Ok(rows)
}

/// `rate` split over `n` processes, adding up to it.
fn split(rate: u64, n: usize) -> Vec<u64> {
    let n = n.max(1) as u64;
    (0..n).map(|i| rate / n + u64::from(i < rate % n)).collect()
}

pub struct Row {
    pub rate: u64,
    delivered: u64,
    pub lost: u64,
    duplicates: u64,
    errors: BTreeMap<String, u64>,
    /// p50, p99, p99.9, max in ms.
    pub p: [f64; 4],
    ack: [f64; 2],
}

impl Row {
    fn of(rate: u64, answers: Vec<RunReport>, rss_kib: u64) -> Self {
        let mut latencies = Vec::new();
        let mut acks = Vec::new();
        let (mut sent, mut delivered, mut acked, mut duplicates, mut stale) = (0, 0, 0, 0, 0);
        let mut errors: BTreeMap<String, u64> = BTreeMap::new();
        for answer in answers {
            sent += answer.sent;
            delivered += answer.delivered;
            acked += answer.acked;
            duplicates += answer.duplicates;
            stale += answer.stale;
            latencies.extend(answer.latencies_us);
            acks.extend(answer.ack_us);
            for (code, n) in answer.errors {
                *errors.entry(code).or_default() += n;
            }
        }
        latencies.sort_unstable();
        acks.sort_unstable();
        let row = Row {
            rate,
            delivered,
            lost: sent.saturating_sub(delivered),
            duplicates,
            p: [
                percentile(&latencies, 50.0),
                percentile(&latencies, 99.0),
                percentile(&latencies, 99.9),
                percentile(&latencies, 100.0),
            ],
            ack: [percentile(&acks, 50.0), percentile(&acks, 99.0)],
            errors,
        };
        println!(
            "  rate {rate}: sent {sent}, acknowledged {acked}, delivered {delivered}, lost {}, duplicates {duplicates}, \
             late from the previous rate {stale}, server memory {:.1} MiB",
            row.lost,
            rss_kib as f64 / 1024.0
        );
        row
    }

    fn print(&self) {
        println!(
            "    send→receive p50 {:.2} ms  p99 {:.2} ms  p99.9 {:.2} ms  max {:.2} ms; send→ack p50 {:.2} ms  p99 {:.2} ms; error frames: {}",
            self.p[0],
            self.p[1],
            self.p[2],
            self.p[3],
            self.ack[0],
            self.ack[1],
            self.errors_text()
        );
    }

    pub fn errors_text(&self) -> String {
        if self.errors.is_empty() {
            return "none".into();
        }
        self.errors
            .iter()
            .map(|(code, n)| format!("{code} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}
