//! The delivery worker: sends the outbox's rows, in order per endpoint and conversation, at
//! least once, and retries failures with a growing delay for 24 hours.
//!
//! Every node runs one. A round picks the **head of each line** (the oldest undelivered row of
//! an endpoint and conversation) that is due and unclaimed, claims it for a minute with a
//! guarded update (so two nodes never send the same row at once), and sends each in a task of
//! its own: a slow receiver holds only its own line, never the chat (which only wrote a row)
//! nor the other endpoints. A row is marked delivered only after a 2xx answer; a node that dies
//! mid-delivery leaves the claim to expire and the row is sent again (receivers deduplicate by
//! the `Baton-Webhook-Id` header).

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::Timestamp;
use domain::webhooks::{DELIVERY_LEASE, next_attempt};
use tokio::sync::{Semaphore, watch};

use super::signing::{EVENT_HEADER, ID_HEADER, SIGNATURE_HEADER, sign};
use crate::{clock::Clock, db::Db, error::BackendError, metrics, secrets::Sealer};

/// How long a receiver may take to answer.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// Rows one round picks; deliveries in flight per node.
const ROUND: i64 = 64;
const IN_FLIGHT: usize = 32;
/// How often the worker looks for due rows.
const LOOK_EVERY: Duration = Duration::from_millis(250);

#[derive(Clone)]
pub struct Deliverer {
    db: Db,
    sealer: Sealer,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
    slots: Arc<Semaphore>,
}

/// One claimed row, with where and how to send it.
struct Due {
    seq: i64,
    id: String,
    endpoint: String,
    event: String,
    body: String,
    created_at: i64,
    attempts: i64,
    url: String,
    secret_sealed: String,
}

impl Deliverer {
    pub fn new(db: Db, sealer: Sealer, clock: Arc<dyn Clock>) -> Deliverer {
        let client = reqwest::Client::builder()
            .timeout(DELIVERY_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            // A receiver that redirects is misconfigured; following it could send the signed
            // body somewhere the admin never named.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Baton-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client builds");
        Deliverer {
            db,
            sealer,
            clock,
            client,
            slots: Arc::new(Semaphore::new(IN_FLIGHT)),
        }
    }

    /// Delivers until `stop` says so.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.start_due().await {
                tracing::warn!(%error, "webhooks: could not read the outbox");
            }
            tokio::select! {
                _ = tokio::time::sleep(LOOK_EVERY) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// One round: claims the due heads of lines and starts their deliveries. Returns how many
    /// it started.
    pub async fn start_due(&self) -> Result<usize, BackendError> {
        let mut started = 0;
        for due in self.claim().await? {
            let Ok(slot) = self.slots.clone().acquire_owned().await else {
                break;
            };
            let this = self.clone();
            tokio::spawn(async move {
                if let Err(error) = this.deliver(due).await {
                    tracing::warn!(%error, "webhooks: a delivery's result could not be stored");
                }
                drop(slot);
            });
            started += 1;
        }
        Ok(started)
    }

    async fn claim(&self) -> Result<Vec<Due>, BackendError> {
        let now = self.clock.now().as_millis();
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            i64,
            i64,
            String,
            String,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT o.seq, o.id, o.endpoint_id, o.event, o.body, o.created_at, o.attempts, \
             e.url, e.secret_sealed FROM webhook_outbox o \
             JOIN webhook_endpoints e ON e.id = o.endpoint_id \
             WHERE o.next_attempt_at IS NOT NULL AND o.next_attempt_at <= $1 \
               AND (o.claimed_until IS NULL OR o.claimed_until <= $1) \
               AND NOT EXISTS (SELECT 1 FROM webhook_outbox p \
                 WHERE p.endpoint_id = o.endpoint_id AND p.conversation_id = o.conversation_id \
                   AND p.next_attempt_at IS NOT NULL AND p.seq < o.seq) \
             ORDER BY o.seq LIMIT $2",
        )
        .bind(now)
        .bind(ROUND)
        .fetch_all(&self.db.pool)
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for (seq, id, endpoint, event, body, created_at, attempts, url, secret_sealed) in rows {
            let done = sqlx::query(
                "UPDATE webhook_outbox SET claimed_until = $1 WHERE seq = $2 \
                 AND next_attempt_at IS NOT NULL AND (claimed_until IS NULL OR claimed_until <= $3)",
            )
            .bind(now + DELIVERY_LEASE)
            .bind(seq)
            .bind(now)
            .execute(&self.db.pool)
            .await?;
            // Another node claimed it between the read and the update.
            if done.rows_affected() == 1 {
                claimed.push(Due {
                    seq,
                    id,
                    endpoint,
                    event,
                    body,
                    created_at,
                    attempts,
                    url,
                    secret_sealed,
                });
            }
        }
        Ok(claimed)
    }

    /// Sends one row and stores what happened.
    async fn deliver(&self, due: Due) -> Result<(), BackendError> {
        let started = Instant::now();
        let (status, error) = match self.sealer.open(&due.secret_sealed, &due.endpoint) {
            Ok(secret) => self.post(&due, &secret).await,
            Err(_) => (
                None,
                "the signing secret cannot be opened with this server's secret key".to_string(),
            ),
        };
        let took_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let delivered = status.is_some_and(|s| (200..300).contains(&s));
        metrics::webhook_delivery(delivered);
        self.record(&due, status, &error, took_ms, delivered).await
    }

    async fn post(&self, due: &Due, secret: &str) -> (Option<i64>, String) {
        let now_seconds = self.clock.now().as_millis().div_euclid(1000);
        let sent = self
            .client
            .post(&due.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, sign(secret, now_seconds, &due.body))
            .header(ID_HEADER, &due.id)
            .header(EVENT_HEADER, &due.event)
            .body(due.body.clone())
            .send()
            .await;
        match sent {
            Ok(response) => {
                let status = response.status();
                let error = if status.is_success() {
                    String::new()
                } else {
                    format!("The receiver answered {status}")
                };
                (Some(i64::from(status.as_u16())), error)
            }
            Err(error) if error.is_timeout() => (
                None,
                format!("No answer within {} s", DELIVERY_TIMEOUT.as_secs()),
            ),
            Err(error) if error.is_connect() => (None, "Could not connect to the receiver".into()),
            Err(error) => (None, error.without_url().to_string()),
        }
    }

    async fn record(
        &self,
        due: &Due,
        status: Option<i64>,
        error: &str,
        took_ms: i64,
        delivered: bool,
    ) -> Result<(), BackendError> {
        let now = self.clock.now();
        let attempts = due.attempts + 1;
        let next = if delivered {
            None
        } else {
            next_attempt(
                Timestamp(due.created_at),
                u32::try_from(attempts).unwrap_or(u32::MAX),
                now,
            )
        };
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO webhook_attempts (outbox_seq, at, status, error, took_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(due.seq)
        .bind(now.as_millis())
        .bind(status)
        .bind(error)
        .bind(took_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE webhook_outbox SET attempts = $1, last_status = $2, last_error = $3, \
             claimed_until = NULL, next_attempt_at = $4, delivered_at = $5, failed_at = $6 \
             WHERE seq = $7",
        )
        .bind(attempts)
        .bind(status)
        .bind(error)
        .bind(next.map(|t| t.as_millis()))
        .bind(delivered.then_some(now.as_millis()))
        .bind((!delivered && next.is_none()).then_some(now.as_millis()))
        .bind(due.seq)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if !delivered && next.is_none() {
            tracing::warn!(delivery = %due.id, "webhooks: gave up after 24 hours of failures");
        }
        Ok(())
    }
}
