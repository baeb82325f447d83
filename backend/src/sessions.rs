//! Server-side sessions in the database, for staff and customers alike.
//!
//! tower-sessions does the cookie work (HttpOnly, SameSite=Lax, id rotation on sign-in, expiry
//! on inactivity); this module is its store on Baton's own pool, so sessions live in SQLite or
//! PostgreSQL beside everything else and survive restarts and cross nodes. The browser holds
//! only a random 128-bit id; who it belongs to stays on the server. The table stores the id's
//! SHA-256, never the id itself, so a copy of the database (a backup, a read replica, an SQL
//! injection elsewhere) hands out no live sessions.

use serde::{Deserialize, Serialize};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::{clock::now_ms, db::Db};

/// The session cookie's name.
pub const COOKIE_NAME: &str = "baton_session";

/// The session key that holds who signed in.
pub const SIGNED_IN_KEY: &str = "signed_in";

/// The session key that holds an anonymous visitor's id: who started a chat with the AI agent
/// before signing in (SPEC R-CUST-2). It survives sign-in, so the conversation can be claimed.
pub const VISITOR_KEY: &str = "visitor";

/// Who a session belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum SignedIn {
    /// An agent or admin (a row of `users`).
    Staff(String),
    /// A customer (a row of `customers`).
    Customer(String),
}

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Removes expired sessions; the server runs it now and then.
    pub async fn delete_expired(&self) -> Result<u64, crate::BackendError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now_ms())
            .execute(&self.db.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Creates a signed-in session directly and returns the cookie value. For the benchmark and
    /// tests, which need thousands of signed-in sockets without hashing thousands of passwords.
    pub async fn mint(
        &self,
        who: &SignedIn,
        lifetime: time::Duration,
    ) -> Result<String, session_store::Error> {
        let mut record = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: time::OffsetDateTime::now_utc() + lifetime,
        };
        record.data.insert(
            SIGNED_IN_KEY.to_string(),
            serde_json::to_value(who).map_err(|e| session_store::Error::Encode(e.to_string()))?,
        );
        self.create(&mut record).await?;
        Ok(record.id.to_string())
    }
}

/// What the `sessions.id` column holds for a session id: its SHA-256, in hex. The id is 128
/// random bits, so a fast unsalted hash is enough: there is nothing to guess or precompute.
pub fn stored_id(id: &Id) -> String {
    stored_id_of(&id.to_string())
}

/// [`stored_id`] of a session id in its text form (as a bus topic names it).
pub fn stored_id_of(id: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(id.as_bytes()))
}

fn backend_error(error: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn expires_ms(record: &Record) -> i64 {
    i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        // A fresh random id colliding is astronomically unlikely; retry rather than overwrite.
        loop {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(stored_id(&record.id))
            .bind(&data)
            .bind(expires_ms(record))
            .execute(&self.db.pool)
            .await
            .map_err(backend_error)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(stored_id(&record.id))
        .bind(data)
        .bind(expires_ms(record))
        .execute(&self.db.pool)
        .await
        .map_err(backend_error)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(stored_id(id))
        .bind(now_ms())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(backend_error)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires_at) * 1_000_000)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(stored_id(id))
            .execute(&self.db.pool)
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}
