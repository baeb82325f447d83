//! The Webhooks settings page: a site's endpoints and each one's delivery log.

use serde::{Deserialize, Serialize};

/// One endpoint as the page lists it (never its signing secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointView {
    pub id: String,
    pub url: String,
    pub description: String,
    /// Event codes (`message.created`).
    pub events: Vec<String>,
    pub created_at: i64,
    /// Deliveries waiting to be sent or retried.
    pub pending: i64,
    /// Deliveries given up on after 24 hours.
    pub failed: i64,
}

/// A new endpoint, with its signing secret: shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedEndpoint {
    pub endpoint: WebhookEndpointView,
    pub secret: String,
}

/// Where one delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryState {
    /// Not tried yet.
    Queued,
    /// Failed; tried again at `next_attempt_at`.
    Retrying,
    Delivered,
    /// Given up after 24 hours of failures (Resend tries again).
    Failed,
}

impl DeliveryState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Queued",
            Self::Retrying => "Retrying",
            Self::Delivered => "Delivered",
            Self::Failed => "Failed",
        }
    }
}

/// One row of an endpoint's delivery log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub seq: i64,
    /// The delivery's id, sent as `Baton-Webhook-Id`.
    pub id: String,
    pub event: String,
    pub conversation: String,
    pub created_at: i64,
    pub attempts: i64,
    pub state: DeliveryState,
    /// The receiver's last HTTP status, if it answered.
    pub last_status: Option<i64>,
    pub last_error: String,
    pub next_attempt_at: Option<i64>,
}
