//! A space's work settings: the work types follow-up work may take, saved queues (a name and a
//! JQL-style filter, validated by the same grammar the queue page uses) and time-to-first-
//! response goals, narrowed by work type (SPEC R-VIEW-2, R-VIEW-4).

use domain::{queue::QueueFilter, roles::Setting};

use crate::{
    clock::now_ms,
    db::Db,
    error::BackendError,
    store::{
        Actor,
        audit::{Audited, Change, found},
        space_work::{CONVERSATION, queue_in, sla_goals_in, work_types_in},
        spaces::name_of_in,
        taken,
    },
};

pub async fn add_work_type(
    db: &Db,
    actor: &Actor,
    space: &str,
    name: &str,
) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let space_name = name_of_in(change.tx(), space).await?;
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > 40
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
    {
        return Err(BackendError::Invalid(
            "A work type is a short name of letters, digits, spaces and dashes (at most 40 characters).".into(),
        ));
    }
    if name.eq_ignore_ascii_case(CONVERSATION) {
        return Err(BackendError::Invalid(
            "Conversation is the work type of live chats; it is always there.".into(),
        ));
    }
    sqlx::query("INSERT INTO work_types (space_id, name) VALUES ($1, $2)")
        .bind(space)
        .bind(name)
        .execute(change.tx())
        .await
        .map_err(|e| taken(e, || format!("The work type {name} already exists.")))?;
    change.changed(Change::new(
        format!("Space {space_name}"),
        "Work type",
        "",
        name,
    ));
    change.commit().await
}

pub async fn remove_work_type(
    db: &Db,
    actor: &Actor,
    space: &str,
    name: &str,
) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let space_name = name_of_in(change.tx(), space).await?;
    let done = sqlx::query("DELETE FROM work_types WHERE space_id = $1 AND name = $2")
        .bind(space)
        .bind(name)
        .execute(change.tx())
        .await?;
    found(done)?;
    change.changed(Change::new(
        format!("Space {space_name}"),
        "Work type",
        name,
        "",
    ));
    change.commit().await
}

/// Saves a queue. The filter must parse; the refusal points at the mistake.
pub async fn add_queue(
    db: &Db,
    actor: &Actor,
    space: &str,
    name: &str,
    filter: &str,
) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let space_name = name_of_in(change.tx(), space).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(BackendError::Invalid(
            "A queue needs a name (at most 60 characters).".into(),
        ));
    }
    QueueFilter::parse(filter)
        .map_err(|e| BackendError::Invalid(format!("{e}\n{}", e.pointer())))?;
    sqlx::query(
        "INSERT INTO queues (id, space_id, name, filter, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(space)
    .bind(name)
    .bind(filter.trim())
    .bind(now_ms())
    .execute(change.tx())
    .await
    .map_err(|e| {
        taken(e, || {
            format!("A queue called {name:?} already exists here.")
        })
    })?;
    change.changed(Change::new(
        format!("Space {space_name}"),
        format!("Queue {name}"),
        "",
        filter.trim(),
    ));
    change.commit().await
}

pub async fn remove_queue(db: &Db, actor: &Actor, queue: &str) -> Result<(), BackendError> {
    // The role depends on the queue's space, so the space is looked up first; what the audit
    // names is read again inside the change.
    let space = {
        let mut conn = db.pool.acquire().await?;
        queue_in(&mut conn, queue).await?
    };
    let Some((space, ..)) = space else {
        return Err(BackendError::NotFound);
    };
    let mut change = Audited::begin(db, actor, Setting::Space(&space)).await?;
    let Some((space, name, filter)) = queue_in(change.tx(), queue).await? else {
        return Err(BackendError::NotFound);
    };
    let space_name = name_of_in(change.tx(), &space).await?;
    let done = sqlx::query("DELETE FROM queues WHERE id = $1")
        .bind(queue)
        .execute(change.tx())
        .await?;
    found(done)?;
    change.changed(Change::new(
        format!("Space {space_name}"),
        format!("Queue {name}"),
        filter,
        "",
    ));
    change.commit().await
}

/// Sets (or with `minutes` = None removes) the goal for a work type, "" meaning all types.
pub async fn set_sla_goal(
    db: &Db,
    actor: &Actor,
    space: &str,
    work_type: &str,
    minutes: Option<i64>,
) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let space_name = name_of_in(change.tx(), space).await?;
    let work_type = work_type.trim();
    if !work_type.is_empty()
        && work_type != CONVERSATION
        && !work_types_in(change.tx(), space)
            .await?
            .iter()
            .any(|t| t == work_type)
    {
        return Err(BackendError::Invalid(format!(
            "{work_type} is not a work type of this space."
        )));
    }
    if let Some(m) = minutes
        && !(1..=60 * 24 * 30).contains(&m)
    {
        return Err(BackendError::Invalid(
            "A time to first response is between 1 minute and 30 days (43200 minutes).".into(),
        ));
    }
    let old = sla_goals_in(change.tx(), space)
        .await?
        .into_iter()
        .find(|g| g.work_type == work_type)
        .map(|g| format!("{} min", g.minutes))
        .unwrap_or_default();
    let label = if work_type.is_empty() {
        "All work types"
    } else {
        work_type
    };
    sqlx::query("DELETE FROM sla_goals WHERE space_id = $1 AND work_type = $2")
        .bind(space)
        .bind(work_type)
        .execute(change.tx())
        .await?;
    if let Some(m) = minutes {
        sqlx::query("INSERT INTO sla_goals (space_id, work_type, minutes) VALUES ($1, $2, $3)")
            .bind(space)
            .bind(work_type)
            .bind(m)
            .execute(change.tx())
            .await?;
    }
    change.changed(Change::new(
        format!("Space {space_name}"),
        format!("Time to first response · {label}"),
        old,
        minutes.map(|m| format!("{m} min")).unwrap_or_default(),
    ));
    change.commit().await
}
