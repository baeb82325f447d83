//! The server under test: started by the benchmark (this program's own `--serve` child, or a
//! Baton server binary given with `--server-bin`), or one already running (`--addr`), and its
//! resident memory read from `/proc/<pid>/status`.
//!
//! Limits: the benchmark's sessions are minted in the database, so no sign-in (and none of the
//! per-address sign-in limits) is involved; websockets have no per-address limit. The one limit
//! on its path is the per-socket message rate, set to [`BENCH_MESSAGE_RATE`] so the server never
//! shapes the measured sends (at 10,000 sockets and 5,000 msg/s a socket sends 1 a second).

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// `BATON_MESSAGE_RATE` of a server the benchmark starts.
pub const BENCH_MESSAGE_RATE: u32 = 1000;

pub struct Target {
    pub addr: String,
    pub pid: u32,
    child: Option<Child>,
}

impl Target {
    /// This program as a Baton server (`--serve`), built from this checkout's `server` crate.
    pub async fn in_process(database_url: &str) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .arg("--serve")
            .arg(database_url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let pid = child.id().ok_or("server exited at once")?;
        let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        let addr = tokio::time::timeout(Duration::from_secs(120), async {
            loop {
                match lines.next_line().await.map_err(|e| e.to_string())? {
                    Some(line) if line.starts_with("LISTENING ") => {
                        return Ok::<_, String>(line[10..].trim().to_string());
                    }
                    Some(_) => continue,
                    None => return Err("the server stopped before listening".into()),
                }
            }
        })
        .await
        .map_err(|_| "the server did not listen within 120 s")??;
        Ok(Self {
            addr,
            pid,
            child: Some(child),
        })
    }

    /// A Baton server binary (`target/release/server`, or an older build to compare with),
    /// configured through its `BATON_*` variables on a free loopback port.
    pub async fn binary(bin: &str, database_url: &str) -> Result<Self, String> {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
            probe.local_addr().map_err(|e| e.to_string())?.port()
        };
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(bin)
            .env("BATON_DATABASE_URL", database_url)
            .env("BATON_ADDR", &addr)
            .env("BATON_LOG_LEVEL", "error")
            .env("BATON_DB_MAX_CONNECTIONS", "16")
            .env("BATON_MESSAGE_RATE", BENCH_MESSAGE_RATE.to_string())
            .env_remove("BATON_DEMO")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e}"))?;
        let pid = child.id().ok_or("server exited at once")?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
        while tokio::net::TcpStream::connect(&addr).await.is_err() {
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{bin} did not listen on {addr} within 120 s"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(Self {
            addr,
            pid,
            child: Some(child),
        })
    }

    /// A server someone else started; its pid is found from the port when not given.
    pub fn running(addr: &str, pid: Option<u32>) -> Result<Self, String> {
        let port = addr
            .rsplit(':')
            .next()
            .and_then(|p| p.parse::<u16>().ok())
            .ok_or_else(|| format!("--addr {addr} has no port"))?;
        let pid = match pid {
            Some(pid) => pid,
            None => pid_listening_on(port).ok_or_else(|| {
                format!("no process of this user listens on port {port}: pass --server-pid")
            })?,
        };
        Ok(Self {
            addr: addr.to_string(),
            pid,
            child: None,
        })
    }

    pub fn rss_kib(&self) -> u64 {
        rss_kib(self.pid)
    }

    /// Stops a server this program started (closing the `--serve` child's stdin stops it
    /// gracefully; a binary is killed: its database is a scratch one).
    pub async fn stop(mut self) {
        if let Some(mut child) = self.child.take() {
            let graceful = child.stdin.take().is_some();
            let waited = graceful
                && tokio::time::timeout(Duration::from_secs(20), child.wait())
                    .await
                    .is_ok();
            if !waited {
                let _ = child.kill().await;
            }
        }
    }
}

pub fn rss_kib(pid: u32) -> u64 {
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

/// The process with a listening TCP socket on `port`: the socket's inode from
/// `/proc/net/tcp{,6}`, then the process holding it among `/proc/*/fd`.
fn pid_listening_on(port: u16) -> Option<u32> {
    let wanted = format!(":{port:04X}");
    let inode = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .flat_map(|table| {
            table
                .lines()
                .skip(1)
                .filter_map(|line| {
                    let fields: Vec<&str> = line.split_whitespace().collect();
                    // local address, state 0A = LISTEN, inode
                    (fields.len() > 9 && fields[1].ends_with(&wanted) && fields[3] == "0A")
                        .then(|| fields[9].to_string())
                })
                .collect::<Vec<_>>()
        })
        .next()?;
    let link = format!("socket:[{inode}]");
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let fds = std::fs::read_dir(entry.path().join("fd")).ok()?;
            fds.flatten()
                .any(|fd| {
                    std::fs::read_link(fd.path())
                        .is_ok_and(|target| target.to_str() == Some(link.as_str()))
                })
                .then_some(pid)
        })
}
