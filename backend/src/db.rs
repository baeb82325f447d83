//! The database handle: one sqlx `Any` pool whose URL scheme picks SQLite or PostgreSQL, with
//! each backend's migrations embedded and run at start.
//!
//! Queries are written once in the portable subset both accept (`$1` placeholders, BIGINT
//! milliseconds, 0/1 flags); the few places that differ (row locks, `BEGIN IMMEDIATE`) ask
//! [`Db::backend`].

use std::{str::FromStr, time::Duration};

use sqlx::{
    AnyPool, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::Migrator,
};

use crate::error::BackendError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, BackendError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(BackendError::Config(format!(
                "database URL must start with sqlite:// or postgres:// (got {})",
                crate::config::redact_url(url)
            )))
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// The row-lock suffix for `SELECT … FOR UPDATE`; SQLite has one writer, so it needs none.
    pub fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Connects (creating the SQLite file and its folder when missing) without migrating.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, BackendError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => sqlite_url_with_create(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let in_memory = url.contains(":memory:");
        let pool = AnyPoolOptions::new()
            // An in-memory SQLite database lives in one connection; more would each see an empty one.
            .max_connections(if in_memory { 1 } else { max_connections })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; NORMAL sync is durable in WAL
                        // mode except on power loss; the busy timeout queues writers instead of failing.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, backend })
    }

    /// Connects and brings the schema up to date; a failed migration is returned, not ignored.
    pub async fn open(url: &str, max_connections: u32) -> Result<Db, BackendError> {
        let db = Db::connect(url, max_connections).await?;
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> Result<(), BackendError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Readiness: the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), BackendError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`)
    /// so two writers queue on the busy timeout instead of deadlocking on a lock upgrade.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, BackendError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `sqlite://path` → creates the folder and adds `mode=rwc` so a missing file is created.
fn sqlite_url_with_create(url: &str) -> Result<String, BackendError> {
    if url.contains(":memory:") || url.contains("mode=") {
        return Ok(url.to_string());
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| {
            BackendError::Config(format!(
                "cannot create data directory {}: {e}",
                parent.display()
            ))
        })?;
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{separator}mode=rwc"))
}

/// Test support: a brand-new PostgreSQL database on the server of `base_url`, so test runs
/// never see each other's data. Returns the new database's URL.
pub async fn create_scratch_postgres_database(base_url: &str) -> Result<String, BackendError> {
    sqlx::any::install_default_drivers();
    let name = format!("baton_test_{}", uuid::Uuid::now_v7().simple());
    let admin = AnyPoolOptions::new()
        .max_connections(1)
        .connect(base_url)
        .await?;
    // The name is generated here from a UUID: nothing outside can inject into it.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await?;
    admin.close().await;
    let (prefix, _) = base_url.rsplit_once('/').ok_or_else(|| {
        BackendError::Config(format!("cannot find the database name in {base_url}"))
    })?;
    Ok(format!("{prefix}/{name}"))
}

/// Test support: drops a database made by [`create_scratch_postgres_database`].
pub async fn drop_scratch_postgres_database(base_url: &str, scratch_url: &str) {
    let Some((_, name)) = scratch_url.rsplit_once('/') else {
        return;
    };
    if !name.starts_with("baton_test_") {
        return;
    }
    if let Ok(admin) = AnyPoolOptions::new()
        .max_connections(1)
        .connect(base_url)
        .await
    {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await;
        admin.close().await;
    }
}
