//! Writing deliveries into the outbox, inside the command's own transaction.
//!
//! Which endpoints want which events is read from `webhook_endpoints` at most once a second per
//! node ([`Subscriptions`]): a message must not pay a read for a table that changes a few times
//! a year. A change made on this node is seen at once ([`Subscriptions::forget`]); one made on
//! another node within a second. Most sites have no endpoint, and then a command writes nothing.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::webhooks::{Happened, WebhookEvent, delivery_body, happened};
use domain::{Command, Effect, Timestamp};

use crate::error::BackendError;

/// How long a node trusts its copy of the subscriptions.
const FRESH_FOR: Duration = Duration::from_secs(1);

/// One endpoint's subscription.
#[derive(Clone, Debug)]
struct Subscription {
    endpoint: String,
    events: Vec<WebhookEvent>,
}

/// The subscriptions as read, and when.
type ReadCopy = Option<(Instant, Arc<Vec<Subscription>>)>;

/// This node's copy of which endpoint wants which events.
#[derive(Clone, Default)]
pub struct Subscriptions(Arc<Mutex<ReadCopy>>);

impl Subscriptions {
    /// Reads the subscriptions afresh on next use (an endpoint was added or removed here).
    pub fn forget(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    async fn current(
        &self,
        tx: &mut sqlx::AnyConnection,
    ) -> Result<Arc<Vec<Subscription>>, BackendError> {
        if let Some((read_at, list)) = self.0.lock().unwrap_or_else(|p| p.into_inner()).as_ref()
            && read_at.elapsed() < FRESH_FOR
        {
            return Ok(list.clone());
        }
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, events FROM webhook_endpoints ORDER BY created_at, id")
                .fetch_all(&mut *tx)
                .await?;
        let list = Arc::new(
            rows.into_iter()
                .map(|(endpoint, events)| Subscription {
                    endpoint,
                    events: events
                        .split(',')
                        .filter_map(WebhookEvent::from_code)
                        .collect(),
                })
                .collect::<Vec<_>>(),
        );
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), list.clone()));
        Ok(list)
    }

    /// Writes one outbox row per subscribed endpoint for each event the command produced, in
    /// the order they happened. Returns how many rows it wrote.
    pub async fn enqueue(
        &self,
        tx: &mut sqlx::AnyConnection,
        command: &Command,
        effects: &[Effect],
        now: Timestamp,
    ) -> Result<usize, BackendError> {
        let told = happened(command, effects);
        if told.is_empty() {
            return Ok(0);
        }
        let subscriptions = self.current(tx).await?;
        let mut written = 0;
        for event in &told {
            for subscription in subscriptions.iter() {
                if subscription.events.contains(&event.event) {
                    insert(tx, &subscription.endpoint, event, now).await?;
                    written += 1;
                }
            }
        }
        Ok(written)
    }
}

async fn insert(
    tx: &mut sqlx::AnyConnection,
    endpoint: &str,
    event: &Happened,
    now: Timestamp,
) -> Result<(), BackendError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO webhook_outbox (id, endpoint_id, conversation_id, event, body, created_at, \
         next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(endpoint)
    .bind(event.conversation.as_str())
    .bind(event.event.code())
    .bind(delivery_body(&id, event, now))
    .bind(now.as_millis())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
