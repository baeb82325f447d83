//! `/healthz`: the process answers. `/readyz`: it can also reach its database (load balancers
//! stop sending traffic while the database is gone, without killing the process).

use app::state::AppState;
use axum::{extract::State, http::StatusCode, response::IntoResponse};

pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            format!("ready: {} reachable\n", state.db.backend.label()),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: database unreachable\n".to_string(),
            )
        }
    }
}
