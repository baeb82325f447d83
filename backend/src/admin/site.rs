//! Site settings (site admins): name, plan, **Maximum conversations** and the resolutions.

use domain::{Command, World, roles::Setting, views::settings::SiteSettingsView};

use crate::{
    engine::Engine,
    error::BackendError,
    store::{
        Actor,
        audit::{Audited, Change},
        experiences,
        site::{load, load_in},
    },
};

pub const MAX_RESOLUTIONS: usize = 20;

/// Saves the site settings; every changed value is recorded in the audit log.
pub async fn save(
    engine: &Engine,
    actor: &Actor,
    wanted: SiteSettingsView,
) -> Result<SiteSettingsView, BackendError> {
    let db = engine.db();
    let mut change = Audited::begin(db, actor, Setting::Site).await?;
    let current = load_in(change.tx()).await?;
    let name = wanted.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(BackendError::Invalid(
            "The site needs a name (at most 80 characters).".into(),
        ));
    }
    let resolutions = tidy_resolutions(&wanted.resolutions)?;
    domain::SiteSettings::check_max_conversations(wanted.max_conversations)?;
    if !wanted.plan.allows_live_chat() {
        let names = experiences::using_live_chat_in(change.tx()).await?;
        if !names.is_empty() {
            return Err(BackendError::Invalid(format!(
                "The Standard plan has no live chat, and these customer experiences use it: {}. Switch them to the AI agent support mode first.",
                names.join(", ")
            )));
        }
    }
    // Name, plan and resolutions commit with their audit entries. A changed limit is then a
    // second command through the engine (with its own audit entry in its transaction), because
    // raising it may route waiting conversations at once. Validated above, so it cannot fail
    // for a rule after the first part has committed.
    sqlx::query("UPDATE site_settings SET name = $1, plan = $2, resolutions = $3 WHERE id = 1")
        .bind(&name)
        .bind(wanted.plan.label())
        .bind(serde_json::to_string(&resolutions)?)
        .execute(change.tx())
        .await?;
    change.changed(Change::new("Site", "Site name", &current.name, &name));
    change.changed(Change::new(
        "Site",
        "Plan",
        current.plan.label(),
        wanted.plan.label(),
    ));
    change.changed(Change::new(
        "Site",
        "Resolutions",
        current.resolutions.join(", "),
        resolutions.join(", "),
    ));
    change.commit().await?;
    if current.max_conversations != wanted.max_conversations {
        let wanted_max = wanted.max_conversations;
        let changes = move |world: &World| {
            vec![Change::new(
                "Site",
                "Maximum conversations",
                world.settings.max_conversations,
                wanted_max,
            )]
        };
        engine
            .execute_audited(
                Command::SetMaxConversations {
                    max: wanted.max_conversations,
                },
                actor,
                changes,
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
