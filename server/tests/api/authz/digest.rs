//! "No effect", checked: a fingerprint of every table (but the session store and the request
//! quotas, which every request may touch) taken before and after each refusal must be the same.

use std::collections::BTreeMap;

use backend::{Backend, Db};

/// Table → its rows as text, sorted.
pub type Digest = BTreeMap<String, String>;

/// The statements that read each table as text, made once per database.
pub struct Fingerprint {
    statements: Vec<(String, String)>,
}

/// Tables that change on requests that do nothing (session expiry, session ids, and the request
/// quotas, which count every attempt, refused or not), and tables background tasks write
/// whenever they like: presence's heartbeat (`presence_tabs`, refreshed every few seconds while
/// an agent's socket is open) and the webhook worker (the outbox and its attempts). Skipping
/// those hides nothing: no request writes presence rows, and an outbox row is only ever written
/// in the transaction of a change the digest sees (the event, the conversation).
const SKIPPED: [&str; 7] = [
    "sessions",
    "_sqlx_migrations",
    "quota_buckets",
    "quota_secret",
    "presence_tabs",
    "webhook_outbox",
    "webhook_attempts",
];

impl Fingerprint {
    pub async fn new(db: &Db) -> Fingerprint {
        let tables: Vec<(String,)> = match db.backend {
            Backend::Sqlite => sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            ),
            Backend::Postgres => sqlx::query_as(
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
            ),
        }
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let mut statements = Vec::new();
        for (table,) in tables {
            if SKIPPED.contains(&table.as_str()) {
                continue;
            }
            let columns: Vec<(String,)> = match db.backend {
                Backend::Sqlite => sqlx::query_as("SELECT name FROM pragma_table_info($1) ORDER BY cid"),
                Backend::Postgres => sqlx::query_as(
                    "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                ),
            }
            .bind(&table)
            .fetch_all(&db.pool)
            .await
            .unwrap();
            let row = columns
                .iter()
                .map(|(c,)| format!("COALESCE(CAST(\"{c}\" AS TEXT), '~')"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            statements.push((table.clone(), format!("SELECT {row} FROM \"{table}\"")));
        }
        Fingerprint { statements }
    }

    pub async fn take(&self, db: &Db) -> Digest {
        let mut digest = Digest::new();
        for (table, sql) in &self.statements {
            let mut rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .fetch_all(&db.pool)
                .await
                .unwrap();
            rows.sort();
            let text: Vec<String> = rows.into_iter().map(|(r,)| r).collect();
            digest.insert(table.clone(), text.join("\n"));
        }
        digest
    }
}

/// The tables whose rows differ.
pub fn changed(before: &Digest, after: &Digest) -> Vec<String> {
    after
        .iter()
        .filter(|(table, rows)| before.get(*table) != Some(rows))
        .map(|(table, _)| table.clone())
        .collect()
}
