//! The timer loop: sleeps until the earliest stored deadline (or until a command re-arms it),
//! then ticks every due conversation. Deadlines live in the database, so a deadline that passed
//! while the server was down fires right after start, once.
//!
//! Failures back off instead of spinning: a conversation whose tick fails (a corrupt row, a
//! refused decision) has its deadline pushed back, 5 s after the first failure and doubling up
//! to a minute, so it neither blocks the other due conversations nor is retried in a tight
//! loop; a round that fails as a whole (the database is unreachable) waits the same way.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::{ConversationId, Timestamp};
use tokio::sync::{Notify, watch};

use super::Engine;
use crate::error::BackendError;

/// Longest sleep without looking at the database, so deadlines written by another node are
/// picked up even without a local re-arm.
const MAX_NAP: Duration = Duration::from_secs(5);

/// The wait after the first failure; each further failure doubles it.
pub const RETRY_FIRST: Duration = Duration::from_secs(5);
/// The longest wait between two attempts.
pub const RETRY_MAX: Duration = Duration::from_secs(60);

/// Conversations remembered with their failure count; beyond this, a failing conversation
/// waits the longest delay at once (the map cannot grow without bound).
const MAX_REMEMBERED: usize = 10_000;

/// How long to wait after the `failures`-th failure in a row (1-based): 5 s, 10 s, 20 s, 40 s,
/// then 60 s.
pub fn retry_delay(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    RETRY_FIRST.saturating_mul(1 << doublings).min(RETRY_MAX)
}

/// How a commit wakes the scheduler: only when it stored a deadline earlier than the moment the
/// scheduler will look again. Every message moves its conversation's inactivity deadline
/// later, so waking the scheduler for each (and its two queries) was pure waste.
#[derive(Clone)]
pub(crate) struct Alarm {
    notify: Arc<Notify>,
    /// When the sleeping scheduler looks next (unix ms); `i64::MAX` while it is awake, so a
    /// deadline committed while it reads the database still wakes it (the permit is kept).
    looks_at: Arc<AtomicI64>,
}

impl Default for Alarm {
    fn default() -> Alarm {
        Alarm {
            notify: Arc::new(Notify::new()),
            looks_at: Arc::new(AtomicI64::new(i64::MAX)),
        }
    }
}

impl Alarm {
    /// After commit: a conversation's earliest deadline is now `at`.
    pub(crate) fn deadline_stored(&self, at: Timestamp) {
        if at.as_millis() < self.looks_at.load(Ordering::SeqCst) {
            self.notify.notify_one();
        }
    }

    fn awake(&self) {
        self.looks_at.store(i64::MAX, Ordering::SeqCst);
    }

    async fn sleep_until_woken(&self, looks_at: Timestamp) {
        self.looks_at.store(looks_at.as_millis(), Ordering::SeqCst);
        self.notify.notified().await;
    }
}

/// Failed ticks per conversation on this node, for the backoff.
#[derive(Clone, Default)]
pub(crate) struct Retries {
    failures: Arc<Mutex<HashMap<ConversationId, u32>>>,
}

impl Retries {
    /// Counts one more failure and returns the count.
    fn failed(&self, conversation: &ConversationId) -> u32 {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = failures.get_mut(conversation) {
            *count = count.saturating_add(1);
            return *count;
        }
        if failures.len() >= MAX_REMEMBERED {
            return u32::MAX;
        }
        failures.insert(conversation.clone(), 1);
        1
    }

    pub(crate) fn succeeded(&self, conversation: &ConversationId) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(conversation);
    }
}

impl Engine {
    /// A conversation's tick failed: its deadline moves back by the backoff, so the other due
    /// conversations fire and this one is not retried at once. Only a deadline that is still
    /// due moves: one a command has just set is left alone.
    pub(super) async fn postpone(
        &self,
        conversation: &ConversationId,
        error: &BackendError,
    ) -> Result<(), BackendError> {
        let failures = self.retries.failed(conversation);
        let delay = retry_delay(failures);
        let now = self.clock().now();
        let retry_at = Timestamp(now.as_millis().saturating_add(delay.as_millis() as i64));
        tracing::warn!(%conversation, %error, failures, retry_in = ?delay, "timer tick failed; postponed");
        sqlx::query(
            "UPDATE conversations SET next_deadline = $1, claimed_until = NULL \
             WHERE id = $2 AND next_deadline <= $3",
        )
        .bind(retry_at.as_millis())
        .bind(conversation.as_str())
        .bind(now.as_millis())
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }
}

pub async fn run(engine: Engine, mut stop: watch::Receiver<bool>) {
    let mut failed_rounds: u32 = 0;
    loop {
        engine.alarm().awake();
        let backoff = match engine.tick_due().await {
            Ok(_) => {
                failed_rounds = 0;
                None
            }
            Err(error) => {
                failed_rounds = failed_rounds.saturating_add(1);
                let wait = retry_delay(failed_rounds);
                tracing::warn!(%error, retry_in = ?wait, "scheduler could not tick due conversations");
                Some(wait)
            }
        };
        if let Some(wait) = backoff {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        } else {
            let nap = match engine.next_deadline().await {
                Ok(Some(at)) => {
                    let wait = at.as_millis() - engine.now().as_millis();
                    Duration::from_millis(wait.clamp(0, MAX_NAP.as_millis() as i64) as u64)
                }
                Ok(None) => MAX_NAP,
                Err(error) => {
                    tracing::warn!(%error, "scheduler could not read deadlines; retrying");
                    MAX_NAP
                }
            };
            let looks_at = Timestamp(
                engine
                    .now()
                    .as_millis()
                    .saturating_add(nap.as_millis() as i64),
            );
            tokio::select! {
                () = tokio::time::sleep(nap) => {}
                () = engine.alarm().sleep_until_woken(looks_at) => {}
                _ = stop.changed() => return,
            }
        }
        if *stop.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_after_a_failure_doubles_from_five_seconds_up_to_a_minute() {
        let waits: Vec<u64> = (1..=7).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(waits, vec![5, 10, 20, 40, 60, 60, 60]);
        assert_eq!(retry_delay(u32::MAX), RETRY_MAX);
        assert_eq!(retry_delay(0), RETRY_FIRST);
    }

    #[test]
    fn a_conversation_that_ticks_again_starts_its_backoff_afresh() {
        let retries = Retries::default();
        let c = ConversationId::new("c1");
        assert_eq!(retries.failed(&c), 1);
        assert_eq!(retries.failed(&c), 2);
        retries.succeeded(&c);
        assert_eq!(retries.failed(&c), 1);
    }
}
