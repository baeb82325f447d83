//! Customer experiences as stored (SPEC R-MODE-*, R-ROUTE-1, R-SPACE-4): their chat settings,
//! widget key, identity secret, whether the AI agent is published, and their admins. Read by
//! the widget, the AI agent, the websocket's Origin check and the settings pages.

use domain::experience::{ChatSettings, SupportMode};
use domain::views::settings::{ExperienceAdmin, ExperienceSummary};

use super::random_hex;
use crate::{db::Db, error::BackendError};

type Row = (
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
);

const COLUMNS: &str = "id, name, support_mode, website, embedded, space_id, fallback_message, \
                       help_text, widget_key, allowed_domains, identity_secret, ai_published, language";

/// A stored experience, decoded.
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: String,
    pub settings: ChatSettings,
    pub widget_key: String,
    pub identity_secret: String,
    pub ai_published: bool,
    /// The language the chat speaks whatever the browser asks for; `None` follows the browser.
    pub language: Option<String>,
}

fn decode(row: Row) -> Result<Stored, BackendError> {
    let (
        id,
        name,
        mode,
        website,
        embedded,
        space,
        fallback,
        help,
        key,
        domains,
        secret,
        ai,
        language,
    ) = row;
    Ok(Stored {
        settings: ChatSettings {
            name,
            mode: SupportMode::from_code(&mode)
                .ok_or_else(|| BackendError::Corrupt(format!("unknown support mode {mode:?}")))?,
            website: website != 0,
            embedded: embedded != 0,
            space,
            fallback_message: fallback,
            help_text: help,
            allowed_domains: serde_json::from_str(&domains)?,
        },
        id,
        widget_key: key,
        identity_secret: secret,
        ai_published: ai != 0,
        language,
    })
}

pub async fn stored(db: &Db, id: &str) -> Result<Stored, BackendError> {
    let sql = format!("SELECT {COLUMNS} FROM experiences WHERE id = $1");
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    decode(row.ok_or(BackendError::NotFound)?)
}

/// The experience as stored, read in `tx` and locked for the change on PostgreSQL (a change
/// reads the old values it audits there).
pub async fn stored_in(tx: &mut sqlx::AnyConnection, id: &str) -> Result<Stored, BackendError> {
    let lock = super::for_update(tx);
    let sql = format!("SELECT {COLUMNS} FROM experiences WHERE id = $1{lock}");
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    decode(row.ok_or(BackendError::NotFound)?)
}

/// The experience behind a widget key (the embed script and the widget route use the key).
pub async fn by_key(db: &Db, key: &str) -> Result<Stored, BackendError> {
    let sql = format!("SELECT {COLUMNS} FROM experiences WHERE widget_key = $1");
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
    decode(row.ok_or(BackendError::NotFound)?)
}

/// Every experience, by name.
pub async fn all(db: &Db) -> Result<Vec<Stored>, BackendError> {
    let sql = format!("SELECT {COLUMNS} FROM experiences ORDER BY name");
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&db.pool)
        .await?;
    rows.into_iter().map(decode).collect()
}

pub fn summary(s: Stored) -> ExperienceSummary {
    ExperienceSummary {
        id: s.id,
        name: s.settings.name,
        mode: s.settings.mode,
        space: s.settings.space,
        website: s.settings.website,
        embedded: s.settings.embedded,
        widget_key: s.widget_key,
    }
}

/// Experiences that show the built-in support website, for its index page (public).
pub async fn with_website(db: &Db) -> Result<Vec<ExperienceSummary>, BackendError> {
    Ok(all(db)
        .await?
        .into_iter()
        .filter(|e| e.settings.website)
        .map(summary)
        .collect())
}

/// The names of the experiences whose support mode includes live chat, by name.
pub async fn using_live_chat_in(
    conn: &mut sqlx::AnyConnection,
) -> Result<Vec<String>, BackendError> {
    let live: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM experiences WHERE support_mode <> 'ai_agent' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(live.into_iter().map(|(n,)| n).collect())
}

/// The experience's admins by name.
pub async fn admins(db: &Db, id: &str) -> Result<Vec<ExperienceAdmin>, BackendError> {
    let admins: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email FROM experience_admins a JOIN users u ON u.id = a.user_id \
         WHERE a.experience_id = $1 ORDER BY u.display_name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(admins
        .into_iter()
        .map(|(id, name, email)| ExperienceAdmin { id, name, email })
        .collect())
}

pub fn new_widget_key() -> String {
    format!("wk_{}", random_hex(12))
}

pub fn new_identity_secret() -> String {
    random_hex(32)
}
