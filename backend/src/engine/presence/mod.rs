//! Which agents have a dashboard open, on any node.
//!
//! An Available agent whose browser is closed would still be offered conversations: each offer
//! would sit unanswered for the full offer timeout before moving on, and the customer would
//! wait for nothing. So when an agent has had no dashboard tab open on any node for the grace
//! period (long enough to survive a reload or a short network drop), Baton runs `AgentAway`:
//! the agent becomes Unavailable everywhere with the reason "Disconnected" and their offers
//! move on. Opening the dashboard again does not make them Available by itself: availability
//! is a choice the agent makes (SPEC R-AVAIL-2), and the dashboard shows why it changed.
//!
//! Several nodes share one database, and an agent's tab may be on any of them, so each node
//! keeps its own count in memory (exact, and what the sockets touch) and publishes it in the
//! `presence_tabs` table, one row per node and agent ([`keeper`]): written when a tab opens or
//! closes, and vouched for by a heartbeat while tabs are open. A node that dies stops its
//! heartbeat, so its rows age out with it. Every node sweeps the table ([`sweep`]): an
//! Available agent whose rows are all older than the grace period is gone, and the one node
//! whose delete of those rows succeeds sets them away, so it happens once.

mod keeper;
mod sweep;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use domain::AgentId;
use tokio::sync::{mpsc, watch};

use super::Engine;

/// The most time between two heartbeats, however long the grace period: a long wait only
/// delays noticing that a node died.
const MAX_INTERVAL: Duration = Duration::from_secs(10);
/// The least, so a tiny grace period cannot make a node hammer the database.
const MIN_INTERVAL: Duration = Duration::from_millis(50);

/// How often a node vouches for its tabs and sweeps: a quarter of the grace period, so a live
/// node refreshes its rows three times before any could look stale to another node (a heartbeat
/// may run late on a busy node), and capped at [`MAX_INTERVAL`].
pub fn interval_for(grace: Duration) -> Duration {
    (grace / 4).clamp(MIN_INTERVAL, MAX_INTERVAL)
}

#[derive(Clone)]
pub struct Presence {
    shared: Arc<Shared>,
}

struct Shared {
    /// This process's name in `presence_tabs`, new at every start: a restarted node does not
    /// vouch for the tabs its previous life held.
    node: String,
    grace: Duration,
    engine: Engine,
    /// Open tabs per agent on this node; an agent without any is not in the map.
    open: Mutex<HashMap<AgentId, usize>>,
    /// Agents whose count changed, for the keeper to write (the socket never waits on the
    /// database).
    changed: mpsc::UnboundedSender<AgentId>,
    /// The keeper's end of `changed`, until [`Presence::run`] takes it.
    inbox: Mutex<Option<mpsc::UnboundedReceiver<AgentId>>>,
    /// Agents this node has set away since it started.
    set_away: AtomicU64,
}

/// Keeps one tab counted while alive; dropping it (the socket closed) counts the tab out.
pub struct TabGuard {
    presence: Presence,
    agent: AgentId,
}

impl Presence {
    pub fn new(engine: Engine, grace: Duration) -> Self {
        let (changed, inbox) = mpsc::unbounded_channel();
        Self {
            shared: Arc::new(Shared {
                node: uuid::Uuid::now_v7().to_string(),
                grace,
                engine,
                open: Mutex::new(HashMap::new()),
                changed,
                inbox: Mutex::new(Some(inbox)),
                set_away: AtomicU64::new(0),
            }),
        }
    }

    /// This node's id in `presence_tabs`.
    pub fn node(&self) -> &str {
        &self.shared.node
    }

    /// How often this node writes its heartbeat and sweeps.
    pub fn interval(&self) -> Duration {
        interval_for(self.shared.grace)
    }

    /// How many agents this node has set away since it started.
    pub fn agents_set_away(&self) -> u64 {
        self.shared.set_away.load(Ordering::SeqCst)
    }

    /// A dashboard tab of this agent connected.
    pub fn tab_opened(&self, agent: &AgentId) -> TabGuard {
        *self.open().entry(agent.clone()).or_default() += 1;
        let _ = self.shared.changed.send(agent.clone());
        TabGuard {
            presence: self.clone(),
            agent: agent.clone(),
        }
    }

    /// How many tabs this agent has open on this node.
    pub fn tabs(&self, agent: &AgentId) -> usize {
        self.open().get(agent).copied().unwrap_or(0)
    }

    /// Gives every Available agent with no live tab the grace period from now
    /// ([`Presence::expect_back_after_restart`]), then writes this node's tabs and heartbeat
    /// and sweeps for agents gone from every node, until `stop` turns true (or its sender is
    /// dropped). Call it once per [`Presence`], at start; a node whose `run` has ended (or
    /// never started) is, to the others, a node that died.
    pub async fn run(self, stop: watch::Receiver<bool>) {
        let inbox = self
            .shared
            .inbox
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let Some(inbox) = inbox else {
            tracing::warn!("presence is already running on this node");
            return;
        };
        // Before the first sweep, which would otherwise set away at once everyone whose rows
        // went stale while the service was down.
        if let Err(error) = self.expect_back_after_restart().await {
            tracing::warn!(%error, "cannot give Available agents their grace period to reconnect");
        }
        tokio::join!(
            keeper::keep(self.clone(), inbox, stop.clone()),
            sweep::sweep_every_interval(self, stop),
        );
    }

    fn tab_closed(&self, agent: &AgentId) {
        {
            let mut open = self.open();
            let Some(count) = open.get_mut(agent) else {
                return;
            };
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(agent);
            }
        }
        let _ = self.shared.changed.send(agent.clone());
    }

    fn open(&self) -> MutexGuard<'_, HashMap<AgentId, usize>> {
        self.shared.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn engine(&self) -> &Engine {
        &self.shared.engine
    }

    fn grace_ms(&self) -> i64 {
        i64::try_from(self.shared.grace.as_millis()).unwrap_or(i64::MAX)
    }
}

impl Drop for TabGuard {
    fn drop(&mut self) {
        self.presence.tab_closed(&self.agent);
    }
}

/// Resolves when `stop` turns true or its sender is gone.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_beats_four_times_per_grace_period_within_bounds() {
        assert_eq!(
            interval_for(Duration::from_secs(60)),
            Duration::from_secs(10)
        );
        assert_eq!(
            interval_for(Duration::from_secs(20)),
            Duration::from_secs(5)
        );
        assert_eq!(
            interval_for(Duration::from_millis(600)),
            Duration::from_millis(150)
        );
        assert_eq!(interval_for(Duration::ZERO), MIN_INTERVAL);
    }
}
