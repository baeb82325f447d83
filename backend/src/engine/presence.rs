//! Which agents have a dashboard open on this node.
//!
//! An Available agent whose browser is closed would still be offered conversations: each offer
//! would sit unanswered for the full offer timeout before moving on, and the customer would
//! wait for nothing. So when an agent's last dashboard tab has been gone for the grace period
//! (long enough to survive a reload or a short network drop), Baton runs `AgentAway`: the agent
//! becomes Unavailable everywhere with the reason "Disconnected" and their offers move on.
//! Opening the dashboard again does not make them Available by itself: availability is a
//! choice the agent makes (SPEC R-AVAIL-2), and the dashboard shows why it changed.
//!
//! Counting tabs in memory is exact for one node. Several nodes must share the count (a
//! presence table with a heartbeat per node), which belongs to scale-out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::{AgentId, Command};

use super::Engine;
use crate::error::BackendError;

#[derive(Clone)]
pub struct Presence {
    inner: Arc<Mutex<HashMap<AgentId, Tabs>>>,
    grace: Duration,
    engine: Engine,
}

#[derive(Default)]
struct Tabs {
    open: usize,
    /// Bumped on every change, so a grace timer knows whether the agent came back meanwhile.
    generation: u64,
}

/// Keeps one tab counted while alive; dropping it (the socket closed) counts the tab out.
pub struct TabGuard {
    presence: Presence,
    agent: AgentId,
}

impl Presence {
    pub fn new(engine: Engine, grace: Duration) -> Self {
        Self {
            inner: Arc::new(Mutex::new(HashMap::new())),
            grace,
            engine,
        }
    }

    /// A dashboard tab of this agent connected.
    pub fn tab_opened(&self, agent: &AgentId) -> TabGuard {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let tabs = map.entry(agent.clone()).or_default();
        tabs.open += 1;
        tabs.generation += 1;
        TabGuard {
            presence: self.clone(),
            agent: agent.clone(),
        }
    }

    /// How many tabs this agent has open on this node.
    pub fn tabs(&self, agent: &AgentId) -> usize {
        let map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        map.get(agent).map_or(0, |t| t.open)
    }

    fn tab_closed(&self, agent: &AgentId) {
        let generation = {
            let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            let Some(tabs) = map.get_mut(agent) else {
                return;
            };
            tabs.open = tabs.open.saturating_sub(1);
            tabs.generation += 1;
            if tabs.open > 0 {
                return;
            }
            tabs.generation
        };
        self.away_after_grace(agent.clone(), generation);
    }

    /// After a restart no dashboard is connected yet, and nobody saw the tabs that closed with
    /// the old process: every agent Available somewhere gets the grace period to reconnect and
    /// otherwise becomes Unavailable, exactly as if their last tab had just closed. Call it
    /// before the server accepts connections. Returns how many agents are waited for.
    pub async fn expect_back_after_restart(&self) -> Result<usize, BackendError> {
        let available: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT user_id FROM space_members WHERE availability = 'Available'",
        )
        .fetch_all(&self.engine.db().pool)
        .await?;
        let mut waiting = 0;
        for (id,) in available {
            let agent = AgentId::new(id);
            let generation = {
                let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
                let tabs = map.entry(agent.clone()).or_default();
                if tabs.open > 0 {
                    continue;
                }
                tabs.generation += 1;
                tabs.generation
            };
            self.away_after_grace(agent, generation);
            waiting += 1;
        }
        Ok(waiting)
    }

    /// Sets the agent away once the grace period has passed, unless a tab opened meanwhile.
    fn away_after_grace(&self, agent: AgentId, generation: u64) {
        let presence = self.clone();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            tokio::time::sleep(presence.grace).await;
            if !presence.still_gone(&agent, generation) {
                return;
            }
            match presence
                .engine
                .execute(Command::AgentAway {
                    agent: agent.clone(),
                })
                .await
            {
                Ok(_) => tracing::info!(%agent, "no dashboard open: agent set Unavailable"),
                Err(error) => tracing::warn!(%agent, %error, "could not set the agent away"),
            }
        });
    }

    fn still_gone(&self, agent: &AgentId, generation: u64) -> bool {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let gone = map
            .get(agent)
            .is_some_and(|t| t.open == 0 && t.generation == generation);
        if gone {
            map.remove(agent);
        }
        gone
    }
}

impl Drop for TabGuard {
    fn drop(&mut self) {
        self.presence.tab_closed(&self.agent);
    }
}
