//! This node's rows in `presence_tabs`: each agent's tab count when it changes, and a heartbeat
//! that keeps the rows with open tabs fresh.
//!
//! One task does both, in order: it writes the count an agent has *when the write runs* (not
//! the one the notice was sent with), so the last write for an agent always follows its last
//! change, and a heartbeat that has to put rows back never races a newer count.

use std::collections::HashSet;

use domain::AgentId;
use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;

use super::{Presence, stopped};
use crate::error::BackendError;

pub(super) async fn keep(
    presence: Presence,
    mut inbox: mpsc::UnboundedReceiver<AgentId>,
    mut stop: watch::Receiver<bool>,
) {
    let mut beat = tokio::time::interval(presence.interval());
    beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    // Agents whose last write failed (the database was unreachable): written again at the next
    // beat, or a closed tab would stay counted and keep the agent present for good.
    let mut failed: HashSet<AgentId> = HashSet::new();
    loop {
        tokio::select! {
            Some(agent) = inbox.recv() => {
                let mut agents = HashSet::from([agent]);
                drain(&mut inbox, &mut agents);
                presence.write(agents, &mut failed).await;
            }
            _ = beat.tick() => {
                let again = std::mem::take(&mut failed);
                presence.write(again, &mut failed).await;
                if let Err(error) = presence.heartbeat().await {
                    tracing::warn!(%error, "presence heartbeat failed");
                }
            }
            () = stopped(&mut stop) => {
                // Tabs closed by the shutdown itself: their agents' grace starts now.
                let mut agents = HashSet::new();
                drain(&mut inbox, &mut agents);
                presence.write(agents, &mut failed).await;
                return;
            }
        }
    }
}

/// Everything already queued, each agent once (a reload is a close and an open).
fn drain(inbox: &mut mpsc::UnboundedReceiver<AgentId>, into: &mut HashSet<AgentId>) {
    while let Ok(agent) = inbox.try_recv() {
        into.insert(agent);
    }
}

impl Presence {
    async fn write(&self, agents: HashSet<AgentId>, failed: &mut HashSet<AgentId>) {
        for agent in agents {
            if let Err(error) = self.write_row(&agent).await {
                tracing::warn!(%agent, %error, "could not record the agent's open tabs");
                failed.insert(agent);
            }
        }
    }

    /// This node's row for the agent: how many tabs are open now. A row whose count drops to
    /// zero stays, its `seen_at` the moment the last tab closed, where the grace period starts.
    async fn write_row(&self, agent: &AgentId) -> Result<(), BackendError> {
        let tabs = i64::try_from(self.tabs(agent)).unwrap_or(i64::MAX);
        sqlx::query(
            "INSERT INTO presence_tabs (node_id, agent_id, tabs, seen_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (node_id, agent_id) \
             DO UPDATE SET tabs = excluded.tabs, seen_at = excluded.seen_at",
        )
        .bind(self.node())
        .bind(agent.as_str())
        .bind(tabs)
        .bind(self.engine().now().as_millis())
        .execute(&self.engine().db().pool)
        .await?;
        Ok(())
    }

    /// Vouches for every agent with a tab open on this node, in one statement. Fewer rows than
    /// agents means some were removed (a sweep took them while this node stalled past the
    /// grace period): they are written again from memory.
    async fn heartbeat(&self) -> Result<(), BackendError> {
        let refreshed =
            sqlx::query("UPDATE presence_tabs SET seen_at = $1 WHERE node_id = $2 AND tabs > 0")
                .bind(self.engine().now().as_millis())
                .bind(self.node())
                .execute(&self.engine().db().pool)
                .await?
                .rows_affected();
        let held: Vec<AgentId> = self.open().keys().cloned().collect();
        if usize::try_from(refreshed).unwrap_or(usize::MAX) < held.len() {
            for agent in held {
                self.write_row(&agent).await?;
            }
        }
        Ok(())
    }
}
