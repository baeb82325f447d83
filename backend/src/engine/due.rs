//! Due timers, claimed once across nodes.
//!
//! Every node's scheduler looks for due conversations. Before ticking them it **claims** them:
//! one statement marks up to [`CLAIM_BATCH`] due, unclaimed conversations as its own for
//! [`CLAIM_LEASE`]; on PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`, so two nodes
//! claiming at the same moment take different rows instead of waiting on each other. The
//! tick's own write of the conversation clears the claim. So the nodes share a burst of due
//! timers, and none ticks what another is ticking. Even without the claim a tick could not fire
//! twice (it decides under the conversation's locks, and a second tick finds nothing due); the
//! claim keeps the nodes from queueing the same work behind the routing lock.
//!
//! A node that dies holding a claim delays those timers by at most the lease: afterwards they
//! are due and unclaimed again for every other node.

use std::time::Duration;

use domain::{Command, ConversationId, Timestamp};

use super::{Alongside, Engine};
use crate::db::Backend;
use crate::error::BackendError;

/// Due conversations one node claims at a time: small enough that a burst is shared between
/// nodes, large enough that one node alone clears it in few rounds (SQLite ticks a batch in one
/// commit).
pub const CLAIM_BATCH: i64 = 64;

/// How long a claim keeps other nodes away. A tick takes milliseconds; the lease only matters
/// when the claiming node dies before ticking.
pub const CLAIM_LEASE: Duration = Duration::from_secs(15);

impl Engine {
    /// Claims and fires due conversations until none is left unclaimed. Returns how many this
    /// node ticked. Safe to run on several nodes and after a restart. A conversation whose tick
    /// fails is postponed with a growing delay (see `scheduler`), so it cannot hold back the
    /// others; `Err` only when claiming or postponing fails.
    pub async fn tick_due(&self) -> Result<usize, BackendError> {
        let mut ticked = 0;
        loop {
            let due = self.claim_due().await?;
            if due.is_empty() {
                return Ok(ticked);
            }
            ticked += self.tick(due).await?;
        }
    }

    /// Marks up to [`CLAIM_BATCH`] due, unclaimed conversations as this node's, earliest first.
    async fn claim_due(&self) -> Result<Vec<ConversationId>, BackendError> {
        let now = self.now().as_millis();
        let lease_end = now.saturating_add(CLAIM_LEASE.as_millis() as i64);
        let skip_locked = match self.db.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE conversations SET claimed_until = $1 WHERE id IN ( \
               SELECT id FROM conversations \
               WHERE next_deadline IS NOT NULL AND next_deadline <= $2 \
                 AND (claimed_until IS NULL OR claimed_until <= $2) \
               ORDER BY next_deadline, id LIMIT $3 {skip_locked}) \
             RETURNING id, next_deadline"
        );
        let mut claimed: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(lease_end)
            .bind(now)
            .bind(CLAIM_BATCH)
            .fetch_all(&self.db.pool)
            .await?;
        claimed.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        for (_, due) in &claimed {
            crate::metrics::timer_fired(Timestamp(*due), Timestamp(now));
        }
        Ok(claimed
            .into_iter()
            .map(|(id, _)| ConversationId::new(id))
            .collect())
    }

    /// Ticks claimed conversations as one batch (on SQLite they share a commit).
    async fn tick(&self, due: Vec<ConversationId>) -> Result<usize, BackendError> {
        let ticks = due
            .iter()
            .map(|conversation| {
                let tick = Command::Tick {
                    conversation: conversation.clone(),
                };
                (tick, Alongside::default())
            })
            .collect();
        let results = self.execute_batch(ticks).await;
        let mut ticked = 0;
        for (conversation, result) in due.into_iter().zip(results) {
            match result {
                Ok(_) => {
                    ticked += 1;
                    self.retries.succeeded(&conversation);
                }
                Err(error) => self.postpone(&conversation, &error).await?,
            }
        }
        Ok(ticked)
    }

    /// The earliest deadline no node is working on, if any: what the scheduler sleeps until.
    /// A claimed one is left to its node; should that node die, the scheduler's longest nap
    /// finds it once the lease is over.
    pub async fn next_deadline(&self) -> Result<Option<Timestamp>, BackendError> {
        let (next,): (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(next_deadline) FROM conversations WHERE next_deadline IS NOT NULL \
             AND (claimed_until IS NULL OR claimed_until <= $1)",
        )
        .bind(self.now().as_millis())
        .fetch_one(&self.db.pool)
        .await?;
        Ok(next.map(Timestamp))
    }
}
