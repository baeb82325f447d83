//! The stores: plain reads and writes of each aggregate, with no role checks, used by every
//! caller (the widget, the AI agent, work, the demo seed, the server's Origin check, the
//! settings in `admin`, the tests and the benchmarks). Role checks and audit entries are the
//! callers' business: `admin` checks the actor's role and records the change through
//! [`audit::Audited`].

pub mod audit;
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

/// Maps a unique-constraint failure to a clear refusal.
pub(crate) fn taken(error: sqlx::Error, message: impl FnOnce() -> String) -> BackendError {
    match error {
        sqlx::Error::Database(d) if d.is_unique_violation() => BackendError::Invalid(message()),
        other => other.into(),
    }
}
