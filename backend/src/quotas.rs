//! Request quotas every node shares (sign-in, sign-up, anonymous chats; the settings are in
//! [`crate::rates`], the limiters that name them in `app::limits`).
//!
//! Each quota is a GCRA bucket kept in the database, one `quota_buckets` row per limiter and
//! caller, so several Baton nodes on one database count the same attempts: three nodes do not
//! give a guesser three times the sign-in tries. A row holds the bucket's *theoretical arrival
//! time* (`tat`, unix ms): the moment the bucket is full again. A check reads and moves it in one
//! write transaction, the row locked by an UPSERT on PostgreSQL and the database's one writer
//! on SQLite, so concurrent checks never let more through than the quota.
//!
//! **No caller's text is stored.** A row's key is the limiter's name and a SHA-256 of a secret
//! (made once per database, in `quota_secret`), the limiter and the caller, cut to 128 bits: the
//! same on every node, but not an email or address anyone can read or look up in a table.
//!
//! **Rows do not pile up.** A caller's row is not needed once its bucket is full again; one check
//! in [`SWEEP_EVERY_CHECKS`] deletes every such row.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use crate::{
    Db,
    clock::{Clock, SystemClock},
    error::BackendError,
    rates::Rate,
};

/// One check in this many also deletes the rows whose bucket is full again.
pub const SWEEP_EVERY_CHECKS: u64 = 100;

/// One quota to count a request against: a limiter, its rate, and who is asking (any text that
/// tells callers apart; only its keyed hash is kept).
#[derive(Debug, Clone, Copy)]
pub struct Quota<'a> {
    pub limiter: &'static str,
    pub rate: Rate,
    pub caller: &'a str,
}

/// What a check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every quota had room; the request was counted against each.
    Allowed,
    /// The quota at this index (of those checked) is used up: try again after `retry_after`.
    /// The quotas before it counted the request; those after it were not checked.
    Refused { quota: usize, retry_after: Duration },
}

/// The shared quotas: cheap to clone, one per server (or per test node).
#[derive(Clone)]
pub struct Quotas {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    clock: Arc<dyn Clock>,
    secret: OnceCell<String>,
    checks: AtomicU64,
}

impl Quotas {
    pub fn new(db: Db) -> Quotas {
        Quotas::with_clock(db, Arc::new(SystemClock))
    }

    /// With a clock tests move by hand, to see buckets refill without waiting.
    pub fn with_clock(db: Db, clock: Arc<dyn Clock>) -> Quotas {
        Quotas {
            inner: Arc::new(Inner {
                db,
                clock,
                secret: OnceCell::new(),
                checks: AtomicU64::new(0),
            }),
        }
    }

    /// Counts one request against one quota.
    pub async fn take_one(&self, quota: Quota<'_>) -> Result<Verdict, BackendError> {
        self.take(&[quota]).await
    }

    /// Counts one request against each quota in order, and stops at the first one used up
    /// (as separate checks one after the other would, but in one transaction). Every
    /// transaction locks the rows in the order given, so callers that always list their
    /// limiters in the same order cannot deadlock each other.
    pub async fn take(&self, quotas: &[Quota<'_>]) -> Result<Verdict, BackendError> {
        let secret = self.secret().await?;
        let keys: Vec<String> = quotas.iter().map(|q| bucket_key(secret, q)).collect();
        let now = self.inner.clock.now().0;
        let mut tx = self.inner.db.begin_write().await?;
        let mut verdict = Verdict::Allowed;
        for (index, (quota, key)) in quotas.iter().zip(&keys).enumerate() {
            // A new caller's bucket starts full (`tat` = now). On a known one the no-op update
            // locks the row until commit, so no other node reads it in between.
            let (tat,): (i64,) = sqlx::query_as(
                "INSERT INTO quota_buckets (key, tat) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET tat = quota_buckets.tat RETURNING tat",
            )
            .bind(key)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            match gcra(tat, now, quota.rate) {
                Ok(next) => {
                    sqlx::query("UPDATE quota_buckets SET tat = $1 WHERE key = $2")
                        .bind(next)
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
                Err(retry_after) => {
                    verdict = Verdict::Refused {
                        quota: index,
                        retry_after,
                    };
                    break;
                }
            }
        }
        tx.commit().await?;
        if self.inner.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY_CHECKS
            == SWEEP_EVERY_CHECKS - 1
            && let Err(error) = self.sweep().await
        {
            tracing::warn!(%error, "could not delete refilled quota buckets");
        }
        Ok(verdict)
    }

    /// Deletes the rows whose bucket is full again (they would start full anyway); returns how
    /// many.
    pub async fn sweep(&self) -> Result<u64, BackendError> {
        let now = self.inner.clock.now().0;
        let done = sqlx::query("DELETE FROM quota_buckets WHERE tat <= $1")
            .bind(now)
            .execute(&self.inner.db.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The buckets stored now, all limiters together.
    pub async fn buckets(&self) -> Result<u64, BackendError> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM quota_buckets")
            .fetch_one(&self.inner.db.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The database's hashing secret: made by the first node that needs it, then read by all.
    async fn secret(&self) -> Result<&str, BackendError> {
        let db = &self.inner.db;
        let secret = self
            .inner
            .secret
            .get_or_try_init(|| async {
                sqlx::query(
                    "INSERT INTO quota_secret (id, secret) VALUES (1, $1) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(crate::store::random_hex(32))
                .execute(&db.pool)
                .await?;
                let (secret,): (String,) =
                    sqlx::query_as("SELECT secret FROM quota_secret WHERE id = 1")
                        .fetch_one(&db.pool)
                        .await?;
                Ok::<_, BackendError>(secret)
            })
            .await?;
        Ok(secret)
    }
}

/// `limiter:` and 128 bits of SHA-256(secret, limiter, caller), in hex.
fn bucket_key(secret: &str, quota: &Quota<'_>) -> String {
    let mut hash = Sha256::new();
    for part in [secret, quota.limiter, quota.caller] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    format!("{}:{}", quota.limiter, hex::encode(&hash.finalize()[..16]))
}

/// GCRA: a bucket holds `rate.count` requests and gives one back every `rate.refill_every()`.
/// `tat` is when the bucket is full again (at or before `now`: it is full). Returns the new
/// `tat` when one more request fits, else how long until one does.
pub fn gcra(tat: i64, now: i64, rate: Rate) -> Result<i64, Duration> {
    let interval = i64::try_from(rate.refill_every().as_millis())
        .unwrap_or(i64::MAX)
        .max(1);
    let window = interval.saturating_mul(i64::from(rate.count));
    let next = tat.max(now).saturating_add(interval);
    let ahead = next.saturating_sub(now);
    if ahead <= window {
        Ok(next)
    } else {
        Err(Duration::from_millis(
            u64::try_from(ahead - window).unwrap_or(0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(text: &str) -> Rate {
        Rate::parse(text).unwrap()
    }

    #[test]
    fn a_full_bucket_gives_its_count_at_once_then_one_per_interval() {
        let five_a_minute = rate("5/min");
        let mut tat = 0;
        for _ in 0..5 {
            tat = gcra(tat, 1_000, five_a_minute).unwrap();
        }
        assert_eq!(tat, 61_000, "full again a minute from now");
        assert_eq!(
            gcra(tat, 1_000, five_a_minute),
            Err(Duration::from_secs(12))
        );
        assert_eq!(gcra(tat, 5_000, five_a_minute), Err(Duration::from_secs(8)));
        assert_eq!(gcra(tat, 13_000, five_a_minute), Ok(73_000));
    }

    #[test]
    fn a_bucket_long_unused_is_full_and_never_more_than_full() {
        let five_a_minute = rate("5/min");
        let mut tat = 0;
        let now = 10 * 60_000;
        for _ in 0..5 {
            tat = gcra(tat, now, five_a_minute).unwrap();
        }
        assert!(gcra(tat, now, five_a_minute).is_err());
    }

    #[test]
    fn keys_differ_by_limiter_and_caller_and_hold_neither_in_clear() {
        let quota = |limiter, caller| Quota {
            limiter,
            rate: rate("5/min"),
            caller,
        };
        let ada = bucket_key("s", &quota("sign_in", "ada@example.com"));
        assert_eq!(ada, bucket_key("s", &quota("sign_in", "ada@example.com")));
        assert_ne!(ada, bucket_key("s", &quota("sign_up", "ada@example.com")));
        assert_ne!(ada, bucket_key("s", &quota("sign_in", "eve@example.com")));
        assert_ne!(ada, bucket_key("t", &quota("sign_in", "ada@example.com")));
        assert!(ada.starts_with("sign_in:") && !ada.contains("ada"));
        // A caller's text cannot shift into the limiter's name or the secret.
        assert_ne!(
            bucket_key("s", &quota("a", "bc")),
            bucket_key("sa", &quota("", "bc"))
        );
    }
}
