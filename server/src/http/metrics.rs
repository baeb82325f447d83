//! `/metrics` in the Prometheus text format, on a listen address of its own
//! (`BATON_METRICS_ADDR`, loopback by default), never on the public port: how busy the site is
//! is for operators, not customers.
//!
//! The figures are recorded by `backend::metrics` through the `metrics` facade; this module
//! installs the Prometheus recorder once per process and serves what it renders, after reading
//! the state gauges (queue, conversations by status, pool) from the database.

use std::{net::SocketAddr, sync::OnceLock};

use axum::{Router, extract::State, http::header, response::IntoResponse, routing::get};
use backend::{Db, clock::Clock, config::DEFAULT_METRICS_ADDR, metrics::names};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's recorder, installed on first use. `None` when another recorder was installed
/// first (then this server's figures go there).
pub fn recorder() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let buckets = |builder: PrometheusBuilder, name: &str| {
                builder
                    .set_buckets_for_metric(
                        Matcher::Full(name.to_string()),
                        backend::metrics::LATENCY_BUCKETS,
                    )
                    .expect("the bucket list is not empty")
            };
            let builder = buckets(PrometheusBuilder::new(), names::COMMAND_DURATION);
            let builder = buckets(builder, names::SCHEDULER_LAG);
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            match metrics::set_global_recorder(recorder) {
                Ok(()) => {
                    backend::metrics::describe();
                    Some(handle)
                }
                Err(_) => {
                    tracing::warn!("another metrics recorder is installed; /metrics is empty");
                    None
                }
            }
        })
        .clone()
}

#[derive(Clone)]
struct Scrape {
    handle: PrometheusHandle,
    db: Db,
    clock: std::sync::Arc<dyn Clock>,
}

/// Binds `addr` and serves `/metrics` until the task is aborted; returns the bound address. A busy default address only
/// warns (a second server on one machine still starts); a busy address the operator chose
/// is an error.
pub async fn serve(
    addr: SocketAddr,
    db: Db,
    clock: std::sync::Arc<dyn Clock>,
) -> Result<Option<(SocketAddr, tokio::task::JoinHandle<()>)>, String> {
    let Some(handle) = recorder() else {
        return Ok(None);
    };
    let listener = match TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) if addr.to_string() == DEFAULT_METRICS_ADDR => {
            tracing::warn!(%addr, %error, "metrics not served: the default address is taken; set BATON_METRICS_ADDR");
            return Ok(None);
        }
        Err(error) => return Err(format!("cannot serve metrics on {addr}: {error}")),
    };
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(addr = %local, "metrics at /metrics");
    let router = Router::new()
        .route("/metrics", get(render))
        .with_state(Scrape { handle, db, clock });
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::warn!(%error, "the metrics listener stopped");
        }
    });
    Ok(Some((local, task)))
}

async fn render(State(scrape): State<Scrape>) -> impl IntoResponse {
    // A database that cannot be read leaves the state gauges at their last values; the
    // counters are still worth serving (and the pool figures tell why).
    if let Err(error) = backend::metrics::observe_state(&scrape.db, scrape.clock.now()).await {
        tracing::warn!(%error, "metrics: the database could not be read");
    }
    scrape.handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        scrape.handle.render(),
    )
}
