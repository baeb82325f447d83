//! The backend's one error type. Each variant says when it happens and what a client gets to see;
//! database and internal details are logged by the caller, never shown to browsers.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum BackendError {
    /// The configuration is invalid. Shown to the operator at start, never to browsers.
    #[error("configuration: {0}")]
    Config(String),
    /// The database could not be reached or a query failed. Browsers see "temporarily unavailable".
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed at start. The server stops with this message.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Input that breaks a rule, with a message meant for the person who sent it.
    #[error("{0}")]
    Invalid(String),
    /// A product rule refused the command (stale offer, wrong status, at the limit…). The message
    /// is written for the person who tried, and is shown to them as it is.
    #[error("{0}")]
    Rule(#[from] domain::DomainError),
    /// The signed-in person holds no role that allows this (checked on the server, always).
    #[error("You are not allowed to change this setting.")]
    Forbidden,
    /// The thing asked for does not exist (or the caller may not know it does).
    #[error("not found")]
    NotFound,
    /// The attachment store (directory or bucket) could not be read or written: retried later.
    #[error("attachment store unavailable: {0}")]
    Storage(String),
    /// Stored data could not be decoded: a bug or a hand-edited database.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
}

impl BackendError {
    /// True when retrying later may succeed (database briefly gone).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, BackendError::Storage(_))
            || matches!(self, BackendError::Database(e) if matches!(e,
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed))
    }
}

impl From<serde_json::Error> for BackendError {
    fn from(e: serde_json::Error) -> Self {
        BackendError::Corrupt(e.to_string())
    }
}
