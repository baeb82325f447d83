//! The sending half: `publish` is synchronous (it runs right after a commit), so it numbers
//! and queues a note, and one task sends the queue in order with `pg_notify`, in batches.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Weak};
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::mpsc;

use super::CHANNEL;
use super::wire::{Body, Note, encode};

/// Notes waiting to be sent. A node that cannot send this many is overloaded or cut off from
/// the database; beyond it notes are dropped (and the receivers told, see [`Body::Gap`]), so
/// memory stays bounded.
pub const QUEUE: usize = 4_096;
/// Notes sent in one statement (one round trip, one transaction).
const BATCH: usize = 256;
/// Tries per batch before it is given up; the waits between them double from the first.
const TRIES: u32 = 5;
const FIRST_RETRY: Duration = Duration::from_millis(100);

/// The numbering and the queue, shared by `publish` and the sending task.
pub struct Outgoing {
    node: String,
    /// The last number given out; held while queueing so queue order is number order.
    numbered: Mutex<(u64, mpsc::Sender<String>)>,
    /// A note was dropped since the last [`Body::Gap`] went out.
    dropped: AtomicBool,
}

impl Outgoing {
    pub fn new(node: String) -> (Outgoing, mpsc::Receiver<String>) {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let outgoing = Outgoing {
            node,
            numbered: Mutex::new((0, sender)),
            dropped: AtomicBool::new(false),
        };
        (outgoing, receiver)
    }

    /// Numbers and queues `body`. A note that cannot be queued still uses its number, so the
    /// other nodes see the gap and rebuild from storage.
    pub fn push(&self, body: Body) {
        let mut numbered = self.numbered.lock().unwrap_or_else(|p| p.into_inner());
        numbered.0 += 1;
        let note = Note {
            node: self.node.clone(),
            n: numbered.0,
            body,
        };
        let Some(payload) = encode(&note) else {
            tracing::warn!(
                n = note.n,
                "bus message too large to notify other nodes; dropped"
            );
            self.dropped.store(true, Ordering::Relaxed);
            return;
        };
        if let Err(error) = numbered.1.try_send(payload) {
            tracing::warn!(%error, "bus notify queue full or closed; other nodes will rebuild");
            self.dropped.store(true, Ordering::Relaxed);
        }
    }

    /// After a drop, queues a [`Body::Gap`] so receivers learn of it now, not at this node's
    /// next publication (which may be long after: an offer lost must not wait for it).
    fn announce_gap(&self) {
        if self.dropped.swap(false, Ordering::Relaxed) {
            self.push(Body::Gap);
        }
    }
}

/// Sends queued notes in order until the queue is closed (the bus was dropped) and drained.
pub async fn run(pool: PgPool, mut queue: mpsc::Receiver<String>, outgoing: Weak<Outgoing>) {
    let mut batch = Vec::with_capacity(BATCH);
    while queue.recv_many(&mut batch, BATCH).await > 0 {
        if !send(&pool, &batch).await
            && let Some(outgoing) = outgoing.upgrade()
        {
            outgoing.dropped.store(true, Ordering::Relaxed);
        }
        batch.clear();
        if let Some(outgoing) = outgoing.upgrade() {
            outgoing.announce_gap();
        }
    }
    pool.close().await;
}

/// Sends one batch, retrying with growing waits; false when it was given up.
async fn send(pool: &PgPool, batch: &[String]) -> bool {
    let mut wait = FIRST_RETRY;
    for attempt in 1..=TRIES {
        // `unnest` yields the array in order, and notifications of one transaction are
        // delivered in the order they were sent.
        let sent = sqlx::query("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p")
            .bind(CHANNEL)
            .bind(batch)
            .execute(pool)
            .await;
        match sent {
            Ok(_) => return true,
            Err(error) if attempt == TRIES => {
                tracing::error!(%error, notes = batch.len(), "cannot notify other nodes; notes dropped");
            }
            Err(error) => {
                tracing::warn!(%error, attempt, "cannot notify other nodes; retrying");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
    }
    false
}
