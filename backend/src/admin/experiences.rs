//! Customer experiences (SPEC R-MODE-*, R-ROUTE-1, R-SPACE-4): support mode, widgets, the routed
//! space, the **Fallback message**, and for embedded widgets the widget key, allowed domains,
//! identity secret and embed snippet. Edited by the experience's admins (and site admins).

use domain::{
    experience::{ChatSettings, RoutedSpace, check_chat_settings},
    roles::Setting,
    views::settings::{ExperiencePage, ExperienceSummary},
};

use crate::{
    accounts::parse_email,
    clock::now_ms,
    db::{Backend, Db},
    error::BackendError,
    store::{
        Actor,
        audit::{Audited, Change, found},
        experiences::{
            admins, all, new_identity_secret, new_widget_key, stored, stored_in, summary,
        },
        spaces, taken,
        users::{email_of_in, staff_by_email_in},
    },
};

/// The experiences this person may change.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<ExperienceSummary>, BackendError> {
    Ok(all(db)
        .await?
        .into_iter()
        .filter(|e| actor.roles.may_change(Setting::Experience(&e.id)))
        .map(summary)
        .collect())
}

/// Everything the experience's settings page shows, with the spaces it may route to.
pub async fn view(db: &Db, actor: &Actor, id: &str) -> Result<ExperiencePage, BackendError> {
    actor.require(Setting::Experience(id))?;
    let s = stored(db, id).await?;
    Ok(ExperiencePage {
        id: s.id,
        settings: s.settings,
        widget_key: s.widget_key,
        identity_secret: s.identity_secret,
        ai_published: s.ai_published,
        admins: admins(db, id).await?,
        spaces: spaces::all(db).await?,
        language: s.language,
        languages: crate::i18n::LANGUAGES
            .iter()
            .map(|l| (l.code.to_string(), l.name.to_string()))
            .collect(),
    })
}

/// Creates an experience in the AI agent support mode with the support website (no live chat
/// needs no space yet); the admin chooses the rest on its settings page. Site admins only.
pub async fn create(db: &Db, actor: &Actor, name: &str) -> Result<String, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::CreateExperience).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > domain::experience::MAX_NAME_CHARS {
        return Err(BackendError::Invalid(
            "A customer experience needs a name (at most 80 characters).".into(),
        ));
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO experiences (id, name, support_mode, website, embedded, widget_key, identity_secret, created_at) \
         VALUES ($1, $2, 'ai_agent', 1, 0, $3, $4, $5)",
    )
    .bind(&id)
    .bind(name)
    .bind(new_widget_key())
    .bind(new_identity_secret())
    .bind(now_ms())
    .execute(change.tx())
    .await
    .map_err(|e| taken(e, || format!("A customer experience called {name:?} already exists.")))?;
    change.changed(Change::new(
        format!("Customer experience {name}"),
        "Customer experience",
        "",
        "created",
    ));
    change.commit().await?;
    Ok(id)
}

/// Saves the chat settings after the checks of SPEC R-MODE-3/4. The current settings (what the
/// audit calls old) and the routed space are read in the save's own transaction (the space
/// locked on PostgreSQL), so Live chat cannot be switched off between the check and the
/// commit, and a concurrent save cannot leave the audit naming a value the row no longer held.
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: &str,
    wanted: ChatSettings,
) -> Result<ChatSettings, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(id)).await?;
    let current = stored_in(change.tx(), id).await?.settings;
    let wanted_space = wanted.space.as_deref().filter(|s| !s.trim().is_empty());
    if !actor
        .roles
        .may_route(current.space.as_deref(), wanted_space)
    {
        return Err(BackendError::Invalid(
            "You can route live chat only into a space you administer. Ask a site admin, or an \
             admin of that space, to choose it."
                .into(),
        ));
    }
    let plan = crate::store::site::load_in(change.tx()).await?.plan;
    let space = match wanted_space {
        Some(space) => {
            let lock = if db.backend == Backend::Postgres {
                " FOR UPDATE"
            } else {
                ""
            };
            let sql = format!("SELECT name, live_chat FROM spaces WHERE id = $1{lock}");
            let row: Option<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(space)
                .fetch_optional(change.tx())
                .await?;
            row.map(|(name, live_chat)| RoutedSpace {
                name,
                live_chat: live_chat != 0,
            })
        }
        None => None,
    };
    let checked = check_chat_settings(wanted, plan, space.as_ref())
        .map_err(|refusal| BackendError::Invalid(refusal.to_string()))?;
    sqlx::query(
        "UPDATE experiences SET name = $1, support_mode = $2, website = $3, embedded = $4, space_id = $5, \
         fallback_message = $6, help_text = $7, allowed_domains = $8 WHERE id = $9",
    )
    .bind(&checked.name)
    .bind(checked.mode.code())
    .bind(i64::from(checked.website))
    .bind(i64::from(checked.embedded))
    .bind(checked.space.clone())
    .bind(&checked.fallback_message)
    .bind(&checked.help_text)
    .bind(serde_json::to_string(&checked.allowed_domains)?)
    .bind(id)
    .execute(change.tx())
    .await
    .map_err(|e| {
        taken(e, || {
            format!("A customer experience called {:?} already exists.", checked.name)
        })
    })?;
    let subject = format!("Customer experience {}", checked.name);
    let space_name = |s: &Option<String>, found: Option<&RoutedSpace>| match (s, found) {
        (None, _) => String::new(),
        (Some(_), Some(f)) => f.name.clone(),
        (Some(id), None) => id.clone(),
    };
    let yes_no = |v: bool| if v { "On" } else { "Off" };
    for audited in [
        Change::new(&subject, "Name", &current.name, &checked.name),
        Change::new(
            &subject,
            "Support mode",
            current.mode.label(),
            checked.mode.label(),
        ),
        Change::new(
            &subject,
            "Support website",
            yes_no(current.website),
            yes_no(checked.website),
        ),
        Change::new(
            &subject,
            "Embedded widget",
            yes_no(current.embedded),
            yes_no(checked.embedded),
        ),
        Change::new(
            &subject,
            "Routed space",
            if current.space == checked.space {
                space_name(&checked.space, space.as_ref())
            } else {
                space_name(&current.space, None)
            },
            space_name(&checked.space, space.as_ref()),
        ),
        Change::new(
            &subject,
            "Fallback message",
            &current.fallback_message,
            &checked.fallback_message,
        ),
        Change::new(
            &subject,
            "Help content",
            &current.help_text,
            &checked.help_text,
        ),
        Change::new(
            &subject,
            "Allowed domains",
            current.allowed_domains.join(", "),
            checked.allowed_domains.join(", "),
        ),
    ] {
        change.changed(audited);
    }
    change.commit().await?;
    Ok(checked)
}

/// The language the experience's chat speaks: one of `crate::i18n::LANGUAGES`, or empty to
/// follow each customer's browser.
pub async fn set_language(
    db: &Db,
    actor: &Actor,
    id: &str,
    language: &str,
) -> Result<(), BackendError> {
    // The role first: someone without it learns nothing, not even what a language may be.
    let mut change = Audited::begin(db, actor, Setting::Experience(id)).await?;
    let language = language.trim();
    if !language.is_empty() && !crate::i18n::is_language(language) {
        return Err(BackendError::Invalid(format!(
            "The chat speaks {}; choose one of them or the customer's browser language.",
            crate::i18n::LANGUAGES
                .iter()
                .map(|l| l.name)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let current = stored_in(change.tx(), id).await?;
    sqlx::query("UPDATE experiences SET language = $1 WHERE id = $2")
        .bind((!language.is_empty()).then(|| language.to_string()))
        .bind(id)
        .execute(change.tx())
        .await?;
    let shown = |code: Option<&str>| code.unwrap_or("browser").to_string();
    change.changed(Change::new(
        format!("Customer experience {}", current.settings.name),
        "Language",
        shown(current.language.as_deref()),
        shown((!language.is_empty()).then_some(language)),
    ));
    change.commit().await
}

/// A new identity secret: tokens signed with the old one are refused from now on.
pub async fn rotate_secret(db: &Db, actor: &Actor, id: &str) -> Result<String, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(id)).await?;
    let name = stored_in(change.tx(), id).await?.settings.name;
    let secret = new_identity_secret();
    sqlx::query("UPDATE experiences SET identity_secret = $1 WHERE id = $2")
        .bind(&secret)
        .bind(id)
        .execute(change.tx())
        .await?;
    // The secret itself never goes into the log.
    change.changed(Change::new(
        format!("Customer experience {name}"),
        "Identity secret",
        "old",
        "rotated",
    ));
    change.commit().await?;
    Ok(secret)
}

/// Makes a staff member (by email) an admin of this experience.
pub async fn add_admin(db: &Db, actor: &Actor, id: &str, email: &str) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(id)).await?;
    let name = stored_in(change.tx(), id).await?.settings.name;
    let email = parse_email(email)?;
    let Some((user, _)) = staff_by_email_in(change.tx(), &email).await? else {
        return Err(BackendError::Invalid(format!(
            "No team member has the email {email}. Invite them to a space first."
        )));
    };
    sqlx::query("INSERT INTO experience_admins (experience_id, user_id) VALUES ($1, $2)")
        .bind(id)
        .bind(&user)
        .execute(change.tx())
        .await
        .map_err(|e| {
            taken(e, || {
                format!("{email} is already an admin of this experience.")
            })
        })?;
    change.changed(Change::new(
        format!("Customer experience {name}"),
        "Admin",
        "",
        &email,
    ));
    change.commit().await
}

pub async fn remove_admin(
    db: &Db,
    actor: &Actor,
    id: &str,
    user: &str,
) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(id)).await?;
    let name = stored_in(change.tx(), id).await?.settings.name;
    let email = email_of_in(change.tx(), user).await?;
    let done =
        sqlx::query("DELETE FROM experience_admins WHERE experience_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .execute(change.tx())
            .await?;
    found(done)?;
    change.changed(Change::new(
        format!("Customer experience {name}"),
        "Admin",
        &email,
        "",
    ));
    change.commit().await
}
