//! Start-up: configuration, logs, database and migrations, demo data, then serving until
//! SIGINT/SIGTERM, letting in-flight requests finish.

use std::{net::SocketAddr, sync::Arc};

use app::state::AppState;
use backend::engine::presence::Presence;
use backend::sessions::DbSessionStore;
use backend::{
    Db, Engine,
    clock::SystemClock,
    config::{Config, redact_url},
    demo,
    engine::{scheduler, timers_from},
    store::{
        site,
        users::{self, NewStaff},
    },
};
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use crate::ws::{Limits, WsState};

use crate::cli::{Cli, Command};

/// Everything wrong is returned as one message for the operator; `main` prints it and exits 1.
pub async fn main(cli: Cli) -> Result<(), String> {
    let config = Config::load(cli.config.as_deref(), cli.settings.into_raw()).map_err(|e| {
        format!(
            "invalid settings:\n  {}",
            e.to_string().trim_start_matches("configuration: ")
        )
    })?;
    crate::telemetry::init(config.log_format, &config.log_level);

    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            open_database(&config).await?;
            println!(
                "database is up to date: {}",
                redact_url(&config.database_url)
            );
            Ok(())
        }
        Command::CreateAdmin {
            email,
            name,
            password,
        } => create_admin(config, email, name, password).await,
    }
}

async fn open_database(config: &Config) -> Result<Db, String> {
    Db::open(&config.database_url, config.db_max_connections)
        .await
        .map_err(|e| {
            format!(
                "cannot open the database {}: {e}",
                redact_url(&config.database_url)
            )
        })
}

async fn create_admin(
    config: Config,
    email: String,
    name: String,
    password: Option<String>,
) -> Result<(), String> {
    let db = open_database(&config).await?;
    let password = match password {
        Some(p) => p,
        None => {
            rpassword::prompt_password("Password for the new admin: ").map_err(|e| e.to_string())?
        }
    };
    site::ensure_site(&db, "Baton")
        .await
        .map_err(|e| e.to_string())?;
    users::create_staff(
        &db,
        NewStaff {
            email: email.clone(),
            display_name: name,
            password,
            site_admin: true,
        },
    )
    .await
    .map_err(|e| format!("cannot create the admin: {e}"))?;
    println!("Created site admin {email}. Start the server and sign in.");
    Ok(())
}

/// A server running in the background (used by `serve` and by the integration tests).
pub struct RunningServer {
    pub addr: SocketAddr,
    pub db: Db,
    pub engine: Engine,
    /// Rate limits of sign-in, sign-up and anonymous chats (tests read how many buckets they hold).
    pub request_limits: Arc<app::limits::Limits>,
    pub handle: tokio::task::JoinHandle<std::io::Result<()>>,
    stop: tokio::sync::oneshot::Sender<()>,
    scheduler: tokio::task::JoinHandle<()>,
    stop_scheduler: tokio::sync::watch::Sender<bool>,
    stop_sockets: tokio::sync::watch::Sender<bool>,
    session_sweeper: tokio::task::JoinHandle<()>,
    /// The AI agent answering what the engine announces.
    ai_listener: tokio::task::JoinHandle<()>,
    /// The webhook delivery worker (stops with the timers).
    webhooks: tokio::task::JoinHandle<()>,
    /// Where `/metrics` is served (`BATON_METRICS_ADDR`, port 0 resolved), if anywhere.
    pub metrics_addr: Option<SocketAddr>,
    metrics: Option<tokio::task::JoinHandle<()>>,
}

impl RunningServer {
    /// Stops accepting, lets in-flight requests finish, and waits for the server to end.
    pub async fn stop(self) {
        // Websockets never finish by themselves: tell them to close ("going away") first, so
        // graceful shutdown does not wait on them and clients know to reconnect elsewhere.
        let _ = self.stop_sockets.send(true);
        let _ = self.stop.send(());
        let _ = self.handle.await;
        let _ = self.stop_scheduler.send(true);
        let _ = self.scheduler.await;
        let _ = self.webhooks.await;
        self.session_sweeper.abort();
        // Its channel never closes (the AI agent holds an engine, which holds the sender), so
        // it is ended here, after every path that could announce something has stopped.
        self.ai_listener.abort();
        if let Some(metrics) = self.metrics {
            metrics.abort();
        }
    }
}

fn leptos_options(addr: SocketAddr) -> Result<LeptosOptions, String> {
    let mut options = leptos::config::get_configuration(None)
        .map_err(|e| format!("cannot read the Leptos settings: {e}"))?
        .leptos_options;
    options.site_addr = addr;
    Ok(options)
}

/// Opens the database, seeds demo data when asked, binds and serves in the background.
pub async fn start(config: Config) -> Result<RunningServer, String> {
    crate::open_files::raise_to_hard_limit();
    let db = open_database(&config).await?;
    if config.demo {
        match demo::seed_if_empty(&db).await {
            Ok(true) => tracing::info!("demo site created"),
            Ok(false) => tracing::info!("database already set up; demo data left as it is"),
            Err(e) => return Err(format!("cannot create the demo data: {e}")),
        }
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Customers' messages to the AI, announced by the engine after commit whichever path sent
    // them; the AI agent below answers them.
    let (follow_ups, announced) = tokio::sync::mpsc::unbounded_channel();
    let engine = Engine::new(
        db.clone(),
        timers_from(&config.timers),
        Arc::new(SystemClock),
    )
    .with_follow_ups(follow_ups);
    // Several nodes: what one node publishes reaches the others through PostgreSQL.
    let engine = if config.cluster {
        let bus = backend::realtime::PgBus::start(&config.database_url, db.clone())
            .await
            .map_err(|e| format!("cannot start the cluster's PostgreSQL bus: {e}"))?;
        tracing::info!(
            node = bus.node(),
            "cluster node: the bus is PostgreSQL LISTEN/NOTIFY"
        );
        engine.with_bus(bus)
    } else {
        engine
    };
    // Deadlines that passed while the server was down fire on the scheduler's first round.
    let (stop_scheduler, scheduler_stopped) = tokio::sync::watch::channel(false);
    let presence = Presence::new(engine.clone(), config.presence_grace);
    // Presence's heartbeat and sweep (shared with the other nodes) stop with the timers.
    let scheduler = tokio::spawn({
        let (timers, tabs) = (
            scheduler::run(engine.clone(), scheduler_stopped.clone()),
            presence.clone().run(scheduler_stopped),
        );
        async move {
            tokio::join!(timers, tabs);
        }
    });
    let limits = Limits {
        messages_per_second: config.message_rate,
        ..Limits::default()
    };
    // Links in AI answers: the configured public address, else where this server listens.
    let public_url = config.public_url.clone().unwrap_or_else(|| {
        if addr.ip().is_unspecified() {
            format!("http://127.0.0.1:{}", addr.port())
        } else {
            format!("http://{addr}")
        }
    });
    // Language models for AI agents set to an OpenAI-compatible backend; their API keys are
    // sealed under this server's secret key.
    let sealer = backend::secrets::Sealer::load(
        config.secret_key.as_ref().map(|k| k.0.as_str()),
        &config.data_dir,
    )
    .map_err(|e| e.to_string())?;
    let sealer_for_pages = sealer.clone();
    // Webhook deliveries from the outbox the engine writes; every node runs a worker.
    let webhooks = tokio::spawn(
        backend::webhooks::Deliverer::new(db.clone(), sealer.clone(), engine.clock().clone())
            .run(stop_scheduler.subscribe()),
    );
    let ai = backend::ai::AiAgent::new(engine.clone(), &public_url, config.ai_thinking)
        .with_models(backend::ai::written::Models {
            client: backend::ai::model::ModelClient::new(
                config.ai_model_timeout,
                config.ai_model_concurrency,
            ),
            sealer,
            token_budget: config.ai_token_budget,
        });
    let ai_listener = tokio::spawn(ai.clone().answer(announced));
    let (metrics_addr, metrics) = match config.metrics_addr {
        Some(at) => crate::http::metrics::serve(at, db.clone(), engine.clock().clone())
            .await?
            .unzip(),
        None => (None, None),
    };
    let request_limits = Arc::new(app::limits::Limits::new(
        backend::quotas::Quotas::new(db.clone()),
        &config.rates,
    ));
    // Attachments' bytes: under the data directory, or in a bucket when one is configured.
    let files = match &config.attachments_bucket {
        Some(bucket) => backend::attachments::Files::bucket(bucket),
        None => backend::attachments::Files::local(&config.data_dir.join("attachments")),
    }
    .map_err(|e| e.to_string())?;
    tracing::info!("attachments are kept in {}", files.described);
    let state = AppState {
        leptos_options: leptos_options(addr)?,
        files: files.clone(),
        db: db.clone(),
        config: Arc::new(config),
        engine: engine.clone(),
        ai,
        limits: request_limits.clone(),
        sealer: sealer_for_pages,
    };
    let (stop_sockets, sockets_stopped) = tokio::sync::watch::channel(false);
    let session_sweeper = tokio::spawn(sweep_hourly(
        DbSessionStore::new(db.clone()),
        db.clone(),
        files,
    ));
    let ws_state = WsState::new(state.clone(), presence, limits, sockets_stopped);
    let router = crate::router::build(state, ws_state);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        crate::http::serve::serve(listener, router, async move {
            let _ = stopped.await;
        })
        .await
    });
    Ok(RunningServer {
        addr,
        db,
        engine,
        request_limits,
        handle,
        stop,
        scheduler,
        stop_scheduler,
        stop_sockets,
        session_sweeper,
        ai_listener,
        webhooks,
        metrics_addr,
        metrics,
    })
}

/// Expired sessions are refused on load already; this only keeps the table small. Attachment
/// files no message names (left by a stop between a file and its message) are removed too.
async fn sweep_hourly(store: DbSessionStore, db: backend::Db, files: backend::attachments::Files) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match store.delete_expired().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
            Err(error) => tracing::warn!(%error, "could not remove expired sessions"),
        }
        match backend::attachments::sweep(&db, &files, backend::attachments::SWEEP_AGE).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "unreferenced attachment files removed"),
            Err(error) => tracing::warn!(%error, "could not sweep attachment files"),
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let demo_host = config.demo.then_some(config.demo_host_addr);
    let database = redact_url(&config.database_url);
    // Behind a load balancer the demo host page embeds the widget from the public address.
    let public_url = config.public_url.clone();
    let metrics = config.metrics_addr;
    let server = start(config).await?;
    let empty = users::count_staff(&server.db).await.unwrap_or(0) == 0;
    if let Some(host) = demo_host {
        let baton = public_url.unwrap_or_else(|| format!("http://{}", server.addr));
        tokio::spawn(crate::demo_host::serve(host, baton));
    }
    print_welcome(server.addr, &database, demo_host, empty);
    if let Some(metrics) = metrics {
        println!("  metrics (for Prometheus, not public): http://{metrics}/metrics\n");
    }
    shutdown_signal().await;
    tracing::info!("shutting down: finishing in-flight requests");
    let db = server.db.clone();
    server.stop().await;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

fn print_welcome(addr: SocketAddr, database: &str, demo_host: Option<SocketAddr>, empty: bool) {
    println!();
    println!("  Baton is running at http://{addr}/");
    println!("  database: {database}");
    println!("  health:   http://{addr}/healthz   readiness: http://{addr}/readyz");
    if let Some(host) = demo_host {
        // Named `localhost`, the shop is another *site* than Baton at 127.0.0.1: the chat runs
        // as a third-party frame, exactly as on a real customer's website.
        let shop = if host.ip().is_loopback() {
            format!("http://localhost:{}/", host.port())
        } else {
            format!("http://{host}/")
        };
        println!("  demo host page (a shop on another site, embedding the widget): {shop}");
        println!("  support website: http://{addr}/support   settings: http://{addr}/admin");
        println!(
            "  demo sign-ins (password for all: {}):",
            demo::DEMO_PASSWORD
        );
        for login in demo::DEMO_LOGINS {
            println!("    {:<11} {}", login.role, login.email);
        }
    } else if empty {
        println!(
            "  This database has no accounts yet. Create the first admin at http://{addr}/setup or with:"
        );
        println!("    server create-admin --email you@example.com --name \"Your Name\"");
    }
    println!();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
