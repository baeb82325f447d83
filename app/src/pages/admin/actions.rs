//! The settings pages' server functions. Each loads the signed-in staff member's roles and lets
//! `backend::admin` check them before anything is read or written: the pages hide what a person
//! may not change, but the server is what refuses.

// A server function's arguments are its form's fields, and the experience form has nine;
// `#[server]` copies them into the browser's function too, where an outer allow does not reach.
#![allow(clippy::too_many_arguments)]

use domain::views::settings::{
    AuditEntry, ExperiencePage, ExperienceSummary, SiteSettingsView, SpacePage, SpaceSummary,
};
use leptos::prelude::*;

use crate::AppError;

/// The signed-in staff member with the roles they hold now (the settings pages' server functions
/// start here).
#[cfg(feature = "ssr")]
pub(super) async fn actor() -> Result<(crate::state::AppState, backend::store::Actor), AppError> {
    let state = crate::state::AppState::from_context()?;
    let user = crate::auth::session::staff_id().await?;
    let actor = backend::store::Actor::load(&state.db, &user).await?;
    Ok((state, actor))
}

/// Lines of a textarea, trimmed, blanks dropped.
#[cfg(feature = "ssr")]
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[server(prefix = "/api", endpoint = "admin/site")]
pub async fn site_settings() -> Result<SiteSettingsView, AppError> {
    let (state, actor) = actor().await?;
    actor.require(domain::roles::Setting::Site)?;
    Ok(backend::store::site::load(&state.db).await?)
}

#[server(prefix = "/api", endpoint = "admin/site/save")]
pub async fn save_site_settings(
    name: String,
    plan: String,
    max_conversations: String,
    resolutions: String,
) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    // The role first: someone who may not change this learns nothing from its input checks.
    actor.require(domain::roles::Setting::Site)?;
    let plan = domain::experience::Plan::from_label(&plan).ok_or_else(|| {
        AppError::Invalid("Choose a plan: Standard, Premium or Enterprise.".into()).with_status()
    })?;
    let max = max_conversations.trim().parse::<u32>().map_err(|_| {
        AppError::Invalid("Maximum conversations must be a whole number from 1 to 100.".into())
            .with_status()
    })?;
    backend::admin::site::save(
        &state.engine,
        &actor,
        SiteSettingsView {
            name,
            plan,
            max_conversations: max,
            resolutions: lines(&resolutions),
        },
    )
    .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/spaces")]
pub async fn spaces() -> Result<Vec<SpaceSummary>, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::spaces::list(&state.db, &actor).await?)
}

#[server(prefix = "/api", endpoint = "admin/spaces/create")]
pub async fn create_space(name: String) -> Result<String, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::spaces::create(&state.db, &actor, &name).await?)
}

#[server(prefix = "/api", endpoint = "admin/space")]
pub async fn load_space_page(space: String) -> Result<SpacePage, AppError> {
    use backend::{
        admin::{space_members, spaces},
        store::space_work,
    };
    let (state, actor) = actor().await?;
    let db = &state.db;
    actor.require(domain::roles::Setting::Space(&space))?;
    let found = spaces::list(db, &actor)
        .await?
        .into_iter()
        .find(|s| s.id == space)
        .ok_or_else(|| AppError::NotFound.with_status())?;
    Ok(SpacePage {
        space: found,
        members: space_members::members(db, &actor, &space).await?,
        invitations: space_members::invitations(db, &actor, &space).await?,
        work_types: space_work::work_types(db, &space).await?,
        queues: space_work::queues(db, &space).await?,
        goals: space_work::sla_goals(db, &space).await?,
    })
}

#[server(prefix = "/api", endpoint = "admin/space/rename")]
pub async fn rename_space(space: String, name: String) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::spaces::rename(&state.db, &actor, &space, &name).await?)
}

#[server(prefix = "/api", endpoint = "admin/space/live-chat")]
pub async fn set_live_chat(space: String, on: bool) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::spaces::set_live_chat(&state.engine, &actor, &space, on).await?)
}

/// Returns the invitation link when the person has no account yet, else None (added at once).
#[server(prefix = "/api", endpoint = "admin/space/invite")]
pub async fn invite_member(
    space: String,
    email: String,
    role: String,
) -> Result<Option<String>, AppError> {
    use backend::admin::space_members::{Invited, invite};
    let (state, actor) = actor().await?;
    Ok(
        match invite(&state.db, &actor, &space, &email, &role).await? {
            Invited::Added { .. } => None,
            Invited::Link { link } => Some(link),
        },
    )
}

#[server(prefix = "/api", endpoint = "admin/space/role")]
pub async fn set_member_role(space: String, user: String, role: String) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::space_members::set_role(&state.db, &actor, &space, &user, &role).await?)
}

#[server(prefix = "/api", endpoint = "admin/space/remove-member")]
pub async fn remove_member(space: String, user: String) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::space_members::remove(&state.engine, &actor, &space, &user).await?)
}

#[server(prefix = "/api", endpoint = "admin/space/work-type")]
pub async fn change_work_type(space: String, name: String, add: bool) -> Result<(), AppError> {
    use backend::admin::space_work::{add_work_type, remove_work_type};
    let (state, actor) = actor().await?;
    if add {
        add_work_type(&state.db, &actor, &space, &name).await?;
    } else {
        remove_work_type(&state.db, &actor, &space, &name).await?;
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/space/queue")]
pub async fn add_queue(space: String, name: String, filter: String) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::space_work::add_queue(&state.db, &actor, &space, &name, &filter).await?)
}

#[server(prefix = "/api", endpoint = "admin/space/remove-queue")]
pub async fn remove_queue(queue: String) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::space_work::remove_queue(&state.db, &actor, &queue).await?)
}

/// Sets the goal in minutes for a work type ("" = all); an empty `minutes` removes it.
#[server(prefix = "/api", endpoint = "admin/space/sla")]
pub async fn set_sla_goal(
    space: String,
    work_type: String,
    minutes: String,
) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    actor.require(domain::roles::Setting::Space(&space))?;
    let minutes = match minutes.trim() {
        "" => None,
        text => Some(text.parse::<i64>().map_err(|_| {
            AppError::Invalid("The time to first response is a whole number of minutes.".into())
                .with_status()
        })?),
    };
    Ok(
        backend::admin::space_work::set_sla_goal(&state.db, &actor, &space, &work_type, minutes)
            .await?,
    )
}

#[server(prefix = "/api", endpoint = "admin/experiences")]
pub async fn experiences() -> Result<Vec<ExperienceSummary>, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::experiences::list(&state.db, &actor).await?)
}

#[server(prefix = "/api", endpoint = "admin/experiences/create")]
pub async fn create_experience(name: String) -> Result<String, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::experiences::create(&state.db, &actor, &name).await?)
}

#[server(prefix = "/api", endpoint = "admin/experience")]
pub async fn load_experience_page(experience: String) -> Result<ExperiencePage, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::experiences::view(&state.db, &actor, &experience).await?)
}

#[server(prefix = "/api", endpoint = "admin/experience/save")]
pub async fn save_experience(
    experience: String,
    name: String,
    mode: String,
    website: bool,
    embedded: bool,
    space: String,
    fallback_message: String,
    help_text: String,
    allowed_domains: String,
) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    actor.require(domain::roles::Setting::Experience(&experience))?;
    let mode = domain::experience::SupportMode::from_code(&mode).ok_or_else(|| {
        AppError::Invalid(
            "Choose a support mode: AI agent, Support team, or AI agent and support team.".into(),
        )
        .with_status()
    })?;
    backend::admin::experiences::save(
        &state.db,
        &actor,
        &experience,
        domain::experience::ChatSettings {
            name,
            mode,
            website,
            embedded,
            space: Some(space),
            fallback_message,
            help_text,
            allowed_domains: lines(&allowed_domains.replace(',', "\n")),
        },
    )
    .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/experience/rotate-secret")]
pub async fn rotate_secret(experience: String) -> Result<(), AppError> {
    let (state, actor) = actor().await?;
    backend::admin::experiences::rotate_secret(&state.db, &actor, &experience).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/experience/admin")]
pub async fn change_experience_admin(
    experience: String,
    email: String,
    user: String,
    add: bool,
) -> Result<(), AppError> {
    use backend::admin::experiences::{add_admin, remove_admin};
    let (state, actor) = actor().await?;
    if add {
        add_admin(&state.db, &actor, &experience, &email).await?;
    } else {
        remove_admin(&state.db, &actor, &experience, &user).await?;
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/audit")]
pub async fn audit_log() -> Result<Vec<AuditEntry>, AppError> {
    let (state, actor) = actor().await?;
    Ok(backend::admin::audit::list(&state.db, &actor, 500).await?)
}

pub use crate::components::time::format_time;
