//! The Webhooks settings page's server functions (site admins; `backend::webhooks::endpoints`
//! checks the role again before anything is read or written).

use domain::views::webhooks::{CreatedEndpoint, DeliveryRow, WebhookEndpointView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::actions::actor;
use crate::AppError;

#[server(prefix = "/api", endpoint = "admin/webhooks")]
pub async fn webhook_endpoints() -> Result<Vec<WebhookEndpointView>, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::webhooks::endpoints::list(&state.db, &actor).await?)
}

/// Adds an endpoint; `events` are event codes separated by commas. The answer carries the
/// signing secret, shown this once.
#[server(prefix = "/api", endpoint = "admin/webhooks/create")]
pub async fn create_webhook(
    url: String,
    description: String,
    events: String,
) -> Result<CreatedEndpoint, AppError> {
    let (state, actor) = actor().await?;
    let events: Vec<String> = events
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(String::from)
        .collect();
    let created = backend::webhooks::endpoints::create(
        &state.db,
        &actor,
        &state.sealer,
        &url,
        &description,
        &events,
    )
    .await?;
    state.engine.webhook_subscriptions().forget();
    Ok(created)
}

#[server(prefix = "/api", endpoint = "admin/webhooks/delete")]
pub async fn delete_webhook(endpoint: String) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    backend::webhooks::endpoints::delete(&state.db, &actor, &endpoint).await?;
    state.engine.webhook_subscriptions().forget();
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/webhooks/deliveries")]
pub async fn webhook_deliveries(endpoint: String) -> Result<Vec<DeliveryRow>, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::webhooks::endpoints::deliveries(&state.db, &actor, &endpoint).await?)
}

/// **Resend**: the delivery goes again now, with its original id.
#[server(prefix = "/api", endpoint = "admin/webhooks/resend")]
pub async fn resend_webhook(endpoint: String, seq: i64) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::webhooks::endpoints::resend(&state.db, &actor, &endpoint, seq).await?)
}
