//! The site: its settings row (name, plan, **Maximum conversations**, resolutions), created on
//! first start, and the counts the landing page shows.

use domain::experience::Plan;
use domain::views::settings::SiteSettingsView;

use crate::{db::Db, error::BackendError};

/// The site's settings as stored.
pub async fn load(db: &Db) -> Result<SiteSettingsView, BackendError> {
    let row = sqlx::query_as(SELECT_SETTINGS)
        .fetch_optional(&db.pool)
        .await?;
    decode(row)
}

/// The site's settings read in `conn`, locked for the change on PostgreSQL.
pub async fn load_in(conn: &mut sqlx::AnyConnection) -> Result<SiteSettingsView, BackendError> {
    let sql = format!("{SELECT_SETTINGS}{}", super::for_update(conn));
    let row = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_optional(&mut *conn)
        .await?;
    decode(row)
}

const SELECT_SETTINGS: &str =
    "SELECT name, plan, max_conversations, resolutions FROM site_settings WHERE id = 1";

fn decode(row: Option<(String, String, i64, String)>) -> Result<SiteSettingsView, BackendError> {
    let Some((name, plan, max, resolutions)) = row else {
        return Err(BackendError::NotFound);
    };
    Ok(SiteSettingsView {
        name,
        plan: Plan::from_label(&plan)
            .ok_or_else(|| BackendError::Corrupt(format!("unknown plan {plan:?}")))?,
        max_conversations: u32::try_from(max).unwrap_or(0),
        resolutions: serde_json::from_str(&resolutions)?,
    })
}

/// The plan decides whether live chat is possible at all (SPEC R-MODE-4).
pub async fn plan(db: &Db) -> Result<Plan, BackendError> {
    Ok(load(db).await?.plan)
}

/// Whether the site has been set up (by the demo, by `create-admin` or by the first admin).
pub async fn site_exists(db: &Db) -> Result<bool, BackendError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM site_settings WHERE id = 1")
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// Creates the site settings row if missing (first start of a production database).
pub async fn ensure_site(db: &Db, name: &str) -> Result<(), BackendError> {
    if !site_exists(db).await? {
        sqlx::query("INSERT INTO site_settings (id, name) VALUES (1, $1)")
            .bind(name)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// Counts shown on the landing page's status check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteOverview {
    pub site_name: Option<String>,
    pub spaces: i64,
    pub staff: i64,
    pub conversations: i64,
}

pub async fn overview(db: &Db) -> Result<SiteOverview, BackendError> {
    let site_name: Option<(String,)> =
        sqlx::query_as("SELECT name FROM site_settings WHERE id = 1")
            .fetch_optional(&db.pool)
            .await?;
    let (spaces,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM spaces")
        .fetch_one(&db.pool)
        .await?;
    let (staff,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    let (conversations,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM conversations")
        .fetch_one(&db.pool)
        .await?;
    Ok(SiteOverview {
        site_name: site_name.map(|(n,)| n),
        spaces,
        staff,
        conversations,
    })
}
