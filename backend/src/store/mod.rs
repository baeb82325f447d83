//! The stores: plain reads and writes of each aggregate, with no role checks, used by every
//! caller (the widget, the AI agent, work, the demo seed, the server's Origin check, the
//! settings in `admin`, the tests and the benchmarks; `backlog` pre-fills a long queue for the
//! last two). Role checks and audit entries are the callers' business: `admin` checks the
//! actor's role and records the change through [`audit::Audited`].

pub mod audit;
pub mod backlog;
pub mod experiences;
pub mod invitations;
pub mod site;
pub mod space_work;
pub mod spaces;
pub mod users;

pub use users::Actor;

use crate::error::BackendError;

/// A random token in lowercase hex, for widget keys, identity secrets and invitation links.
pub(crate) fn random_hex(bytes: usize) -> String {
    use rand_core::{OsRng, RngCore};
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a read of the row a change is about to write appends: `FOR UPDATE` on PostgreSQL,
/// where a plain read inside a transaction does not stop a concurrent change from committing
/// in between (and the audit would name a value the row no longer held); nothing on SQLite,
/// where a write transaction already holds the database's one write lock.
pub(crate) fn for_update(conn: &sqlx::AnyConnection) -> &'static str {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        " FOR UPDATE"
    } else {
        ""
    }
}

/// Maps a unique-constraint failure to a clear refusal.
pub(crate) fn taken(error: sqlx::Error, message: impl FnOnce() -> String) -> BackendError {
    match error {
        sqlx::Error::Database(d) if d.is_unique_violation() => BackendError::Invalid(message()),
        other => other.into(),
    }
}
