//! Finding the agents with no live tab on any node, and setting each away once.
//!
//! Every node sweeps at the heartbeat interval. An agent is gone when all their rows in
//! `presence_tabs` are older than the grace period: a live node keeps refreshing the rows it
//! holds tabs for, a closed tab's row keeps the moment it closed, a dead node's rows stop.
//!
//! "Once" comes from the claim: one `DELETE` of the agent's stale rows, guarded by "no fresh row
//! exists". On SQLite statements run one at a time. On PostgreSQL (READ COMMITTED) two nodes
//! may both see the agent as gone; the first delete locks and removes the rows, and the second
//! waits for those row locks, re-reads each row, finds it deleted, and removes nothing (should
//! the two lock in different orders, PostgreSQL aborts one as a deadlock, which claims
//! nothing). Only the node whose delete removed rows runs `AgentAway`. A row refreshed
//! meanwhile fails `seen_at < cutoff` on that re-read and stays. What the guard cannot see is a
//! tab committed by another node after the delete's snapshot: that tab opened at the very end
//! of the grace period, so the agent is set away as if it had opened a moment later. Nothing
//! is left inconsistent: the new tab's row stands (or the next heartbeat puts it back), and the
//! dashboard shows why the agent is Unavailable.

use domain::{AgentId, Command};
use std::sync::atomic::Ordering;
use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use super::{Presence, stopped};
use crate::error::BackendError;

/// The row that starts an agent's grace clock when no node has one for them: after a start,
/// or when an agent became Available with no tab open anywhere.
const NO_NODE: &str = "start";

pub(super) async fn sweep_every_interval(presence: Presence, mut stop: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(presence.interval());
    every.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            () = stopped(&mut stop) => return,
        }
        if let Err(error) = presence.sweep().await {
            tracing::warn!(%error, "presence sweep failed");
        }
    }
}

impl Presence {
    /// After a restart no dashboard is connected yet, and nobody saw the tabs that closed with
    /// the old process (or its rows are long stale after a downtime): every agent Available
    /// somewhere with no live tab on any node gets the grace period to reconnect from now, and
    /// otherwise becomes Unavailable. Call it before the server accepts connections. Returns
    /// how many agents are waited for.
    pub async fn expect_back_after_restart(&self) -> Result<usize, BackendError> {
        let now = self.engine().now().as_millis();
        let started = sqlx::query(
            "INSERT INTO presence_tabs (node_id, agent_id, tabs, seen_at) \
             SELECT DISTINCT $1, m.user_id, 0, $2 FROM space_members m \
             WHERE m.availability = 'Available' AND NOT EXISTS ( \
                 SELECT 1 FROM presence_tabs p WHERE p.agent_id = m.user_id AND p.seen_at >= $3) \
             ON CONFLICT (node_id, agent_id) DO UPDATE SET seen_at = excluded.seen_at",
        )
        .bind(NO_NODE)
        .bind(now)
        .bind(now.saturating_sub(self.grace_ms()))
        .execute(&self.engine().db().pool)
        .await?
        .rows_affected();
        Ok(usize::try_from(started).unwrap_or(usize::MAX))
    }

    /// One sweep: sets away every Available agent with no live tab on any node for the grace
    /// period whose claim this node wins. Returns them.
    pub async fn sweep(&self) -> Result<Vec<AgentId>, BackendError> {
        let pool = &self.engine().db().pool;
        let now = self.engine().now().as_millis();
        let cutoff = now.saturating_sub(self.grace_ms());
        // Available with no row at all (made Available without a dashboard, a fresh database,
        // a claim whose `AgentAway` failed): their grace starts now. First, so an agent this
        // sweep claims below does not get a new row before their `AgentAway` commits.
        sqlx::query(
            "INSERT INTO presence_tabs (node_id, agent_id, tabs, seen_at) \
             SELECT DISTINCT $1, m.user_id, 0, $2 FROM space_members m \
             WHERE m.availability = 'Available' AND NOT EXISTS ( \
                 SELECT 1 FROM presence_tabs p WHERE p.agent_id = m.user_id) \
             ON CONFLICT DO NOTHING",
        )
        .bind(NO_NODE)
        .bind(now)
        .execute(pool)
        .await?;
        let gone: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT p.agent_id FROM presence_tabs p \
             JOIN space_members m ON m.user_id = p.agent_id AND m.availability = 'Available' \
             WHERE NOT EXISTS ( \
                 SELECT 1 FROM presence_tabs q WHERE q.agent_id = p.agent_id AND q.seen_at >= $1)",
        )
        .bind(cutoff)
        .fetch_all(pool)
        .await?;
        let mut set_away = Vec::new();
        for (agent,) in gone {
            let agent = AgentId::new(agent);
            if self.claim(&agent, cutoff).await? {
                self.set_away(&agent).await;
                set_away.push(agent);
            }
        }
        self.forget_stale_rows(cutoff).await?;
        Ok(set_away)
    }

    /// Removes the agent's rows if every one is still older than `cutoff`; true when this call
    /// removed them (see the module comment for why only one node can).
    async fn claim(&self, agent: &AgentId, cutoff: i64) -> Result<bool, BackendError> {
        let removed = sqlx::query(
            "DELETE FROM presence_tabs WHERE agent_id = $1 AND seen_at < $2 AND NOT EXISTS ( \
                 SELECT 1 FROM presence_tabs q WHERE q.agent_id = $1 AND q.seen_at >= $2)",
        )
        .bind(agent.as_str())
        .bind(cutoff)
        .execute(&self.engine().db().pool)
        .await?
        .rows_affected();
        Ok(removed > 0)
    }

    /// Runs `AgentAway`. Should it fail, the agent is still Available with no row, so a later
    /// sweep starts a new grace period and tries again.
    async fn set_away(&self, agent: &AgentId) {
        let away = Command::AgentAway {
            agent: agent.clone(),
        };
        match self.engine().execute(away).await {
            Ok(_) => {
                self.shared.set_away.fetch_add(1, Ordering::SeqCst);
                tracing::info!(%agent, "no dashboard open on any node: agent set Unavailable");
            }
            Err(error) => tracing::warn!(%agent, %error, "could not set the agent away"),
        }
    }

    /// Stale rows that decide nothing: those of agents Available nowhere (nobody to set away),
    /// and those of agents who also have a fresh row (a dead node's leftovers). Removing them
    /// never changes whether all of an agent's rows are stale.
    async fn forget_stale_rows(&self, cutoff: i64) -> Result<(), BackendError> {
        sqlx::query(
            "DELETE FROM presence_tabs WHERE seen_at < $1 AND ( \
                 agent_id NOT IN (SELECT user_id FROM space_members WHERE availability = 'Available') \
                 OR agent_id IN (SELECT agent_id FROM presence_tabs WHERE seen_at >= $1))",
        )
        .bind(cutoff)
        .execute(&self.engine().db().pool)
        .await?;
        Ok(())
    }
}
