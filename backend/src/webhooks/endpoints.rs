//! A site's webhook endpoints (site admins only, audited) and their delivery logs.

use domain::roles::Setting;
use domain::views::webhooks::{CreatedEndpoint, DeliveryRow, DeliveryState, WebhookEndpointView};
use domain::webhooks::{MAX_DESCRIPTION_CHARS, MAX_ENDPOINTS, check_endpoint_url, parse_events};

use crate::{
    clock::now_ms,
    db::Db,
    error::BackendError,
    secrets::Sealer,
    store::{
        Actor,
        audit::{Audited, Change, found},
    },
};

/// Rows of a delivery log the page shows (newest first).
pub const LOG_ROWS: i64 = 50;

/// Every endpoint of the site, oldest first, with its pending and failed counts.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<WebhookEndpointView>, BackendError> {
    actor.require(Setting::Site)?;
    type Row = (String, String, String, String, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.id, e.url, e.description, e.events, e.created_at, \
           (SELECT COUNT(*) FROM webhook_outbox o WHERE o.endpoint_id = e.id \
              AND o.next_attempt_at IS NOT NULL), \
           (SELECT COUNT(*) FROM webhook_outbox o WHERE o.endpoint_id = e.id \
              AND o.failed_at IS NOT NULL) \
         FROM webhook_endpoints e ORDER BY e.created_at, e.id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, url, description, events, created_at, pending, failed)| WebhookEndpointView {
                id,
                url,
                description,
                events: events.split(',').map(str::to_string).collect(),
                created_at,
                pending,
                failed,
            },
        )
        .collect())
}

/// Adds an endpoint. Its signing secret is returned this once and stored sealed.
pub async fn create(
    db: &Db,
    actor: &Actor,
    sealer: &Sealer,
    url: &str,
    description: &str,
    events: &[String],
) -> Result<CreatedEndpoint, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Site).await?;
    let url = check_endpoint_url(url).map_err(BackendError::Invalid)?;
    let description = description.trim();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(BackendError::Invalid(format!(
            "Keep the description under {MAX_DESCRIPTION_CHARS} characters."
        )));
    }
    let events = parse_events(events.iter().map(String::as_str)).map_err(BackendError::Invalid)?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_endpoints")
        .fetch_one(change.tx())
        .await?;
    if count >= MAX_ENDPOINTS {
        return Err(BackendError::Invalid(format!(
            "A site has at most {MAX_ENDPOINTS} webhook endpoints; delete one first."
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let secret = crate::secrets::random_secret("whsec_", 24);
    let codes: Vec<String> = events.iter().map(|e| e.code().to_string()).collect();
    let created_at = now_ms();
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, url, description, events, secret_sealed, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(&url)
    .bind(description)
    .bind(codes.join(","))
    .bind(sealer.seal(&secret, &id)?)
    .bind(created_at)
    .execute(change.tx())
    .await?;
    change.changed(Change::new(
        format!("Webhook {url}"),
        "Events",
        "",
        codes.join(", "),
    ));
    change.commit().await?;
    Ok(CreatedEndpoint {
        endpoint: WebhookEndpointView {
            id,
            url,
            description: description.to_string(),
            events: codes,
            created_at,
            pending: 0,
            failed: 0,
        },
        secret,
    })
}

/// Removes an endpoint with its undelivered rows and its log.
pub async fn delete(db: &Db, actor: &Actor, id: &str) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Site).await?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT url, events FROM webhook_endpoints WHERE id = $1")
            .bind(id)
            .fetch_optional(change.tx())
            .await?;
    let (url, events) = row.ok_or(BackendError::NotFound)?;
    // The attempts first: SQLite enforces the cascade only one level from the deleted row.
    sqlx::query(
        "DELETE FROM webhook_attempts WHERE outbox_seq IN \
         (SELECT seq FROM webhook_outbox WHERE endpoint_id = $1)",
    )
    .bind(id)
    .execute(change.tx())
    .await?;
    sqlx::query("DELETE FROM webhook_outbox WHERE endpoint_id = $1")
        .bind(id)
        .execute(change.tx())
        .await?;
    found(
        sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
            .bind(id)
            .execute(change.tx())
            .await?,
    )?;
    change.changed(Change::new(
        format!("Webhook {url}"),
        "Events",
        events.replace(',', ", "),
        "Deleted",
    ));
    change.commit().await
}

/// The endpoint's newest deliveries first.
pub async fn deliveries(
    db: &Db,
    actor: &Actor,
    endpoint: &str,
) -> Result<Vec<DeliveryRow>, BackendError> {
    actor.require(Setting::Site)?;
    type Row = (
        i64,
        String,
        String,
        String,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, id, event, conversation_id, created_at, attempts, next_attempt_at, \
         delivered_at, failed_at, last_status, last_error FROM webhook_outbox \
         WHERE endpoint_id = $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(endpoint)
    .bind(LOG_ROWS)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                seq,
                id,
                event,
                conversation,
                created_at,
                attempts,
                next,
                delivered,
                failed,
                status,
                error,
            )| {
                let state = if delivered.is_some() && next.is_none() {
                    DeliveryState::Delivered
                } else if failed.is_some() && next.is_none() {
                    DeliveryState::Failed
                } else if attempts == 0 {
                    DeliveryState::Queued
                } else {
                    DeliveryState::Retrying
                };
                DeliveryRow {
                    seq,
                    id,
                    event,
                    conversation,
                    created_at,
                    attempts,
                    state,
                    last_status: status,
                    last_error: error,
                    next_attempt_at: next,
                }
            },
        )
        .collect())
}

/// **Resend**: the delivery goes again now, with its original id and body (a receiver that
/// already has it deduplicates by the id). Past its 24 hours it is tried once.
pub async fn resend(db: &Db, actor: &Actor, endpoint: &str, seq: i64) -> Result<(), BackendError> {
    actor.require(Setting::Site)?;
    let done = sqlx::query(
        "UPDATE webhook_outbox SET next_attempt_at = $1, delivered_at = NULL, failed_at = NULL, \
         claimed_until = NULL WHERE seq = $2 AND endpoint_id = $3",
    )
    .bind(now_ms())
    .bind(seq)
    .bind(endpoint)
    .execute(&db.pool)
    .await?;
    found(done)
}
