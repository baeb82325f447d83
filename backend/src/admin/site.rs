//! Site settings (site admins): name, plan, **Maximum conversations** and the resolutions.

use domain::{Command, experience::Plan, roles::Setting};
use serde::{Deserialize, Serialize};

use super::{
    Actor,
    audit::{self, Change},
};
use crate::{db::Db, engine::Alongside, engine::Engine, error::BackendError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettingsView {
    pub name: String,
    pub plan: Plan,
    pub max_conversations: u32,
    pub resolutions: Vec<String>,
}

pub const MAX_RESOLUTIONS: usize = 20;

/// The site's settings as stored.
pub async fn load(db: &Db) -> Result<SiteSettingsView, BackendError> {
    let row: Option<(String, String, i64, String)> = sqlx::query_as(
        "SELECT name, plan, max_conversations, resolutions FROM site_settings WHERE id = 1",
    )
    .fetch_optional(&db.pool)
    .await?;
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

/// Saves the site settings; every changed value is recorded in the audit log.
pub async fn save(
    engine: &Engine,
    actor: &Actor,
    wanted: SiteSettingsView,
) -> Result<SiteSettingsView, BackendError> {
    actor.require(Setting::Site)?;
    let db = engine.db();
    let current = load(db).await?;
    let name = wanted.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(BackendError::Invalid(
            "The site needs a name (at most 80 characters).".into(),
        ));
    }
    let resolutions = tidy_resolutions(&wanted.resolutions)?;
    domain::SiteSettings::check_max_conversations(wanted.max_conversations)?;
    if !wanted.plan.allows_live_chat() {
        let live: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM experiences WHERE support_mode <> 'ai_agent' ORDER BY name",
        )
        .fetch_all(&db.pool)
        .await?;
        if !live.is_empty() {
            let names: Vec<String> = live.into_iter().map(|(n,)| n).collect();
            return Err(BackendError::Invalid(format!(
                "The Standard plan has no live chat, and these customer experiences use it: {}. Switch them to the AI agent support mode first.",
                names.join(", ")
            )));
        }
    }
    let changes = [
        Change::new("Site", "Site name", &current.name, &name),
        Change::new("Site", "Plan", current.plan.label(), wanted.plan.label()),
        Change::new(
            "Site",
            "Maximum conversations",
            current.max_conversations,
            wanted.max_conversations,
        ),
        Change::new(
            "Site",
            "Resolutions",
            current.resolutions.join(", "),
            resolutions.join(", "),
        ),
    ];
    // Name, plan and resolutions commit with their audit entries. A changed limit is then a
    // second command through the engine (with its own audit entry in its transaction), because
    // raising it may route waiting conversations at once. Validated above, so it cannot fail
    // for a rule after the first part has committed.
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE site_settings SET name = $1, plan = $2, resolutions = $3 WHERE id = 1")
        .bind(&name)
        .bind(wanted.plan.label())
        .bind(serde_json::to_string(&resolutions)?)
        .execute(&mut *tx)
        .await?;
    if current.max_conversations == wanted.max_conversations {
        audit::record(&mut tx, actor, &changes).await?;
        tx.commit().await?;
    } else {
        audit::record(
            &mut tx,
            actor,
            &[changes[0].clone(), changes[1].clone(), changes[3].clone()],
        )
        .await?;
        tx.commit().await?;
        engine
            .execute_with(
                Command::SetMaxConversations {
                    max: wanted.max_conversations,
                },
                Alongside {
                    audit: Some((actor, &changes[2..3])),
                    ..Alongside::default()
                },
            )
            .await?;
    }
    load(db).await
}

fn tidy_resolutions(wanted: &[String]) -> Result<Vec<String>, BackendError> {
    let mut out: Vec<String> = Vec::new();
    for r in wanted.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        if r.chars().count() > 40 {
            return Err(BackendError::Invalid(format!(
                "The resolution {r:?} is too long: at most 40 characters."
            )));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(r)) {
            out.push(r.to_string());
        }
    }
    if out.is_empty() {
        return Err(BackendError::Invalid(
            "Keep at least one resolution: agents choose one to close a conversation.".into(),
        ));
    }
    if out.len() > MAX_RESOLUTIONS {
        return Err(BackendError::Invalid(format!(
            "At most {MAX_RESOLUTIONS} resolutions."
        )));
    }
    Ok(out)
}
