//! Presence shared by several nodes on one database, on SQLite and PostgreSQL: an agent is set
//! away only when no node holds a tab of theirs for the grace period, by one node, once; a
//! node that dies takes its tabs with it when its heartbeat stops.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use backend::{
    Db, Engine,
    clock::SystemClock,
    engine::presence::Presence,
    realtime::{Bus, BusMessage, InProcessBus, Subscription, Topic},
};
use domain::{AgentId, Availability, SpaceId, Timers, UnavailableReason};
use support::{
    chat::available,
    people::{agent_in, site_with_space},
};
use tokio::sync::watch;
use tokio::task::JoinHandle;

const GRACE: Duration = Duration::from_millis(600);

conformance!(
    an_agent_whose_tab_is_on_another_node_is_not_set_away,
    when_the_node_holding_the_tab_dies_the_agent_is_set_away_once_after_the_grace,
    a_tab_closing_on_one_node_while_another_node_holds_one_keeps_the_agent_available,
    an_agent_who_reconnects_on_another_node_within_the_grace_stays_available,
    after_start_an_available_agent_with_no_tab_anywhere_is_set_away_once_after_the_grace,
    nodes_sweeping_at_the_same_moment_set_each_gone_agent_away_once,
);

/// One Baton process: its own engine and presence on the shared database and bus.
struct Node {
    presence: Presence,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Node {
    /// Stops the heartbeat and sweep without closing its tabs, as `kill -9` would.
    async fn dies(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

struct Cluster {
    db: Db,
    bus: Arc<InProcessBus>,
    space: SpaceId,
    agent: AgentId,
}

impl Cluster {
    async fn new(db: &Db) -> Cluster {
        let space = site_with_space(db, "Support").await;
        let agent = agent_in(db, &space, "Ada").await;
        Cluster {
            db: db.clone(),
            bus: Arc::new(InProcessBus::new()),
            space,
            agent,
        }
    }

    /// An engine of a node of this cluster: on the shared database and bus.
    fn engine(&self) -> Engine {
        Engine::new(self.db.clone(), Timers::default(), Arc::new(SystemClock))
            .with_bus(self.bus.clone())
    }

    fn presence(&self) -> Presence {
        Presence::new(self.engine(), GRACE)
    }

    fn node(&self) -> Node {
        let presence = self.presence();
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(presence.clone().run(stopped));
        Node {
            presence,
            stop,
            task,
        }
    }

    async fn make_available(&self, agent: &AgentId) {
        available(&self.engine(), agent).await;
    }

    async fn availability(&self, agent: &AgentId) -> String {
        let (state,): (String,) =
            sqlx::query_as("SELECT availability FROM space_members WHERE user_id = $1")
                .bind(agent.as_str())
                .fetch_one(&self.db.pool)
                .await
                .unwrap();
        state
    }

    async fn reason(&self, agent: &AgentId) -> Option<UnavailableReason> {
        let (reason,): (Option<String>,) =
            sqlx::query_as("SELECT unavailable_reason FROM users WHERE id = $1")
                .bind(agent.as_str())
                .fetch_one(&self.db.pool)
                .await
                .unwrap();
        reason.map(|r| serde_json::from_str(&r).unwrap())
    }

    /// Waits for the agent to become Unavailable; returns how long it took.
    async fn until_unavailable(&self, agent: &AgentId) -> Duration {
        let started = Instant::now();
        while self.availability(agent).await != "Unavailable" {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the agent is still Available long after the grace period"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        started.elapsed()
    }

    fn watch_agent(&self) -> Subscription {
        self.bus.subscribe(&Topic::Agent(self.agent.clone()))
    }
}

/// How many times the agent was told they became Unavailable.
fn times_set_unavailable(subscription: &mut Subscription) -> usize {
    let mut times = 0;
    while let Some(Ok(message)) = subscription.try_recv() {
        if let BusMessage::Availability {
            availability: Availability::Unavailable,
            ..
        } = *message
        {
            times += 1;
        }
    }
    times
}

async fn an_agent_whose_tab_is_on_another_node_is_not_set_away(db: &Db) {
    let cluster = Cluster::new(db).await;
    let (a, b) = (cluster.node(), cluster.node());
    let _tab = b.presence.tab_opened(&cluster.agent);
    cluster.make_available(&cluster.agent).await;

    tokio::time::sleep(GRACE * 3).await;

    assert_eq!(cluster.availability(&cluster.agent).await, "Available");
    assert_eq!(
        a.presence.agents_set_away() + b.presence.agents_set_away(),
        0
    );
    a.dies().await;
    b.dies().await;
}

async fn when_the_node_holding_the_tab_dies_the_agent_is_set_away_once_after_the_grace(db: &Db) {
    let cluster = Cluster::new(db).await;
    let (a, b, c) = (cluster.node(), cluster.node(), cluster.node());
    let tab = b.presence.tab_opened(&cluster.agent);
    cluster.make_available(&cluster.agent).await;
    let mut told = cluster.watch_agent();
    tokio::time::sleep(GRACE * 2).await;
    assert_eq!(cluster.availability(&cluster.agent).await, "Available");

    b.dies().await;
    let took = cluster.until_unavailable(&cluster.agent).await;
    tokio::time::sleep(GRACE * 2).await;

    // Its last heartbeat was at most one interval before it died.
    assert!(
        took >= GRACE - a.presence.interval(),
        "set away {took:?} after the node died, before the grace period"
    );
    assert!(matches!(
        cluster.reason(&cluster.agent).await,
        Some(UnavailableReason::Disconnected { .. })
    ));
    assert_eq!(times_set_unavailable(&mut told), 1);
    assert_eq!(
        a.presence.agents_set_away() + c.presence.agents_set_away(),
        1
    );
    drop(tab);
    a.dies().await;
    c.dies().await;
}

async fn a_tab_closing_on_one_node_while_another_node_holds_one_keeps_the_agent_available(db: &Db) {
    let cluster = Cluster::new(db).await;
    let (a, b) = (cluster.node(), cluster.node());
    let on_a = a.presence.tab_opened(&cluster.agent);
    let _on_b = b.presence.tab_opened(&cluster.agent);
    cluster.make_available(&cluster.agent).await;

    drop(on_a);
    tokio::time::sleep(GRACE * 3).await;

    assert_eq!(a.presence.tabs(&cluster.agent), 0);
    assert_eq!(cluster.availability(&cluster.agent).await, "Available");
    a.dies().await;
    b.dies().await;
}

async fn an_agent_who_reconnects_on_another_node_within_the_grace_stays_available(db: &Db) {
    let cluster = Cluster::new(db).await;
    let (a, b) = (cluster.node(), cluster.node());
    let on_a = a.presence.tab_opened(&cluster.agent);
    cluster.make_available(&cluster.agent).await;
    tokio::time::sleep(GRACE / 2).await;

    drop(on_a);
    tokio::time::sleep(GRACE / 2).await;
    let on_b = b.presence.tab_opened(&cluster.agent);
    tokio::time::sleep(GRACE * 3).await;
    assert_eq!(cluster.availability(&cluster.agent).await, "Available");

    // And when that tab closes too, the grace period starts again.
    drop(on_b);
    let took = cluster.until_unavailable(&cluster.agent).await;
    assert!(took >= GRACE, "set away {took:?} after the last tab closed");
    a.dies().await;
    b.dies().await;
}

async fn after_start_an_available_agent_with_no_tab_anywhere_is_set_away_once_after_the_grace(
    db: &Db,
) {
    let cluster = Cluster::new(db).await;
    cluster.make_available(&cluster.agent).await;
    let mut told = cluster.watch_agent();

    let (a, b) = (cluster.node(), cluster.node());
    let took = cluster.until_unavailable(&cluster.agent).await;
    tokio::time::sleep(GRACE * 2).await;

    assert!(took >= GRACE, "set away {took:?} after start");
    assert_eq!(times_set_unavailable(&mut told), 1);
    assert_eq!(
        a.presence.agents_set_away() + b.presence.agents_set_away(),
        1
    );
    a.dies().await;
    b.dies().await;
}

async fn nodes_sweeping_at_the_same_moment_set_each_gone_agent_away_once(db: &Db) {
    let cluster = Cluster::new(db).await;
    let mut agents = vec![cluster.agent.clone()];
    for n in 0..11 {
        agents.push(agent_in(db, &cluster.space, &format!("Agent {n}")).await);
    }
    // Every agent Available, with tabs last vouched for by a node that died long ago.
    let long_ago = backend::clock::now_ms() - 10 * GRACE.as_millis() as i64;
    for agent in &agents {
        cluster.make_available(agent).await;
        sqlx::query(
            "INSERT INTO presence_tabs (node_id, agent_id, tabs, seen_at) VALUES ('dead', $1, 1, $2)",
        )
        .bind(agent.as_str())
        .bind(long_ago)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    // Never run, so only the two sweeps below act.
    let (a, b) = (cluster.presence(), cluster.presence());

    let (by_a, by_b) = tokio::join!(a.sweep(), b.sweep());
    let (by_a, by_b) = (by_a.unwrap(), by_b.unwrap());
    let (again_a, again_b) = tokio::join!(a.sweep(), b.sweep());

    let mut claimed: Vec<AgentId> = by_a.iter().chain(&by_b).cloned().collect();
    claimed.sort();
    agents.sort();
    assert_eq!(
        claimed, agents,
        "each agent exactly once: {by_a:?} {by_b:?}"
    );
    assert!(again_a.unwrap().is_empty() && again_b.unwrap().is_empty());
    for agent in &agents {
        assert_eq!(cluster.availability(agent).await, "Unavailable");
    }
}
