//! Three (or N) real Baton processes on one scratch PostgreSQL database, as `scripts/cluster.sh`
//! runs them: the test binary of this crate's `server`, `BATON_CLUSTER=true`, each on its own
//! loopback port. A node can be killed with SIGKILL (`kill -9`), so the tests see what a dead
//! node leaves behind, not what a polite shutdown does.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backend::Db;
use backend::db::{create_scratch_postgres_database, drop_scratch_postgres_database};

pub struct Node {
    pub port: u16,
    child: Option<Child>,
}

impl Node {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/ws?v=1", self.port)
    }
}

pub struct Cluster {
    pub nodes: Vec<Node>,
    /// The test's own connection to the cluster's database, for people and sessions.
    pub db: Db,
    scratch: (String, String),
    dir: std::path::PathBuf,
    /// nginx, once [`Cluster::front`] started it.
    front: Option<Child>,
}

/// Settings every node of a test cluster gets: short timers so the tests can watch them fire.
pub const OFFER_TIMEOUT_SECS: u64 = 4;
pub const PRESENCE_GRACE_SECS: u64 = 3;

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The PostgreSQL server the tests use; `None` (and a NOT RUN line, a failure under CI) without.
fn base_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !ci,
                "cluster tests NOT RUN under CI: TEST_DATABASE_URL is not set"
            );
            eprintln!("NOT RUN: cluster test (set TEST_DATABASE_URL to a PostgreSQL server)");
            None
        }
    }
}

impl Cluster {
    /// Starts `n` nodes on a fresh database; node 0 seeds the demo site first, so the seed
    /// runs once, then the others join. `None` when no PostgreSQL is configured (see above).
    pub async fn start(n: usize) -> Option<Cluster> {
        Cluster::start_with(n, &[]).await
    }

    /// Like [`Cluster::start`], with some `BATON_*` settings of every node changed.
    pub async fn start_with(n: usize, settings: &[(&str, &str)]) -> Option<Cluster> {
        let base = base_url()?;
        let scratch = create_scratch_postgres_database(&base)
            .await
            .expect("a scratch PostgreSQL database");
        let dir = std::env::temp_dir().join(format!("baton-cluster-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut cluster = Cluster {
            nodes: Vec::new(),
            db: Db::open(&scratch, 4)
                .await
                .expect("the cluster database opens"),
            scratch: (base, scratch),
            dir,
            front: None,
        };
        for i in 0..n {
            let node = cluster.spawn(i == 0, settings);
            wait_ready(&node).await;
            cluster.nodes.push(node);
        }
        Some(cluster)
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    pub fn set_front(&mut self, nginx: Child) {
        self.front = Some(nginx);
    }

    fn spawn(&self, demo: bool, settings: &[(&str, &str)]) -> Node {
        let port = free_port();
        let data = self.dir.join(format!("node-{port}"));
        let log = std::fs::File::create(self.dir.join(format!("node-{port}.log"))).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("BATON_CLUSTER", "true")
            // One key for the whole cluster: each node opens the API keys the others sealed.
            .env("BATON_SECRET_KEY", "5a".repeat(32))
            .env("BATON_DATABASE_URL", &self.scratch.1)
            .env("BATON_ADDR", format!("127.0.0.1:{port}"))
            .env("BATON_METRICS_ADDR", "off")
            .env("BATON_DATA_DIR", &data)
            .env("BATON_DEMO", if demo { "true" } else { "false" })
            .env("BATON_DEMO_HOST_ADDR", format!("127.0.0.1:{}", free_port()))
            .env("BATON_LOG_LEVEL", "warn")
            .env("BATON_OFFER_TIMEOUT", format!("{OFFER_TIMEOUT_SECS}s"))
            .env("BATON_PRESENCE_GRACE", format!("{PRESENCE_GRACE_SECS}s"))
            .env("BATON_AI_THINKING", "20ms")
            .envs(settings.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("a node starts");
        Node {
            port,
            child: Some(child),
        }
    }

    /// `kill -9` of node `i`: no shutdown, no close frames, no cleanup.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            child.kill().expect("SIGKILL delivered");
            let _ = child.wait();
        }
    }

    /// Stops every node and drops the database.
    pub async fn stop(mut self) {
        for i in 0..self.nodes.len() {
            self.kill(i);
        }
        if let Some(nginx) = self.front.take() {
            stop_nginx(nginx);
        }
        self.db.close().await;
        drop_scratch_postgres_database(&self.scratch.0, &self.scratch.1).await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // A failed test must not leave nodes or nginx running.
        if let Some(nginx) = self.front.take() {
            stop_nginx(nginx);
        }
        for node in &mut self.nodes {
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

async fn wait_ready(node: &Node) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = client.get(format!("{}/readyz", node.url())).send().await
            && response.status().is_success()
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "node {} never became ready",
            node.port
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// nginx's master must stop its workers itself: SIGKILL would leave them listening. SIGTERM is
/// its fast shutdown; SIGKILL only if it is still there after 5 s.
fn stop_nginx(mut nginx: Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(nginx.id().to_string())
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = nginx.try_wait() {
            return;
        }
        // Called from `Drop` too, which cannot await: a short blocking poll of nginx's exit.
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = nginx.kill();
    let _ = nginx.wait();
}
