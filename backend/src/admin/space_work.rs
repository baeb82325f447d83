//! A space's work settings: the work types follow-up work may take, saved queues (a name and a
//! JQL-style filter, validated by the same grammar the queue page uses) and time-to-first-
//! response goals, narrowed by work type (SPEC R-VIEW-2, R-VIEW-4).

use domain::{queue::QueueFilter, roles::Setting};
use serde::{Deserialize, Serialize};

use super::{
    Actor,
    audit::{self, Change},
    spaces::name_of,
    taken,
};
use crate::{clock::now_ms, db::Db, error::BackendError};

/// The work type of every live chat; it is built in and cannot be added or removed.
pub use domain::conversation::WORK_TYPE as CONVERSATION;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedQueue {
    pub id: String,
    pub space: String,
    pub name: String,
    pub filter: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaGoal {
    /// Empty for "all work types".
    pub work_type: String,
    pub minutes: i64,
}

/// The work types follow-up work in this space may take (Conversation excluded).
pub async fn work_types(db: &Db, space: &str) -> Result<Vec<String>, BackendError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM work_types WHERE space_id = $1 ORDER BY name")
            .bind(space)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

pub async fn add_work_type(
    db: &Db,
    actor: &Actor,
    space: &str,
    name: &str,
) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let space_name = name_of(db, space).await?;
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
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO work_types (space_id, name) VALUES ($1, $2)")
        .bind(space)
        .bind(name)
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, || format!("The work type {name} already exists.")))?;
    audit::record(
        &mut tx,
        actor,
        &[Change::new(
            format!("Space {space_name}"),
            "Work type",
            "",
            name,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_work_type(
    db: &Db,
    actor: &Actor,
    space: &str,
    name: &str,
) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let space_name = name_of(db, space).await?;
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("DELETE FROM work_types WHERE space_id = $1 AND name = $2")
        .bind(space)
        .bind(name)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(BackendError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        &[Change::new(
            format!("Space {space_name}"),
            "Work type",
            name,
            "",
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn queues(db: &Db, space: &str) -> Result<Vec<SavedQueue>, BackendError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT q.id, s.name, q.name, q.filter FROM queues q JOIN spaces s ON s.id = q.space_id \
         WHERE q.space_id = $1 ORDER BY q.name",
    )
    .bind(space)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(saved_queue).collect())
}

/// The saved queues of every space the agent is a member of, for the queue page.
pub async fn queues_for_member(db: &Db, user: &str) -> Result<Vec<SavedQueue>, BackendError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT q.id, s.name, q.name, q.filter FROM queues q JOIN spaces s ON s.id = q.space_id \
         WHERE q.space_id IN (SELECT space_id FROM space_members WHERE user_id = $1) ORDER BY s.name, q.name",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(saved_queue).collect())
}

fn saved_queue((id, space, name, filter): (String, String, String, String)) -> SavedQueue {
    SavedQueue {
        id,
        space,
        name,
        filter,
    }
}

/// Saves a queue. The filter must parse; the refusal points at the mistake.
pub async fn add_queue(
    db: &Db,
    actor: &Actor,
    space: &str,
    name: &str,
    filter: &str,
) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let space_name = name_of(db, space).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(BackendError::Invalid(
            "A queue needs a name (at most 60 characters).".into(),
        ));
    }
    QueueFilter::parse(filter)
        .map_err(|e| BackendError::Invalid(format!("{e}\n{}", e.pointer())))?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO queues (id, space_id, name, filter, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(space)
    .bind(name)
    .bind(filter.trim())
    .bind(now_ms())
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        taken(e, || {
            format!("A queue called {name:?} already exists here.")
        })
    })?;
    audit::record(
        &mut tx,
        actor,
        &[Change::new(
            format!("Space {space_name}"),
            format!("Queue {name}"),
            "",
            filter.trim(),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_queue(db: &Db, actor: &Actor, queue: &str) -> Result<(), BackendError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT space_id, name, filter FROM queues WHERE id = $1")
            .bind(queue)
            .fetch_optional(&db.pool)
            .await?;
    let Some((space, name, filter)) = row else {
        return Err(BackendError::NotFound);
    };
    actor.require(Setting::Space(&space))?;
    let space_name = name_of(db, &space).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM queues WHERE id = $1")
        .bind(queue)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        actor,
        &[Change::new(
            format!("Space {space_name}"),
            format!("Queue {name}"),
            filter,
            "",
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn sla_goals(db: &Db, space: &str) -> Result<Vec<SlaGoal>, BackendError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT work_type, minutes FROM sla_goals WHERE space_id = $1 ORDER BY work_type",
    )
    .bind(space)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(work_type, minutes)| SlaGoal { work_type, minutes })
        .collect())
}

/// The goal that applies to a work type in a space: its own goal, else the space's goal for
/// all work types, else none (SPEC R-VIEW-4).
pub async fn sla_goal_for(
    db: &Db,
    space: &str,
    work_type: &str,
) -> Result<Option<i64>, BackendError> {
    let goals = sla_goals(db, space).await?;
    Ok(goals
        .iter()
        .find(|g| g.work_type == work_type)
        .or_else(|| goals.iter().find(|g| g.work_type.is_empty()))
        .map(|g| g.minutes))
}

/// Sets (or with `minutes` = None removes) the goal for a work type, "" meaning all types.
pub async fn set_sla_goal(
    db: &Db,
    actor: &Actor,
    space: &str,
    work_type: &str,
    minutes: Option<i64>,
) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let space_name = name_of(db, space).await?;
    let work_type = work_type.trim();
    if !work_type.is_empty()
        && work_type != CONVERSATION
        && !work_types(db, space).await?.iter().any(|t| t == work_type)
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
    let old = sla_goals(db, space)
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
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sla_goals WHERE space_id = $1 AND work_type = $2")
        .bind(space)
        .bind(work_type)
        .execute(&mut *tx)
        .await?;
    if let Some(m) = minutes {
        sqlx::query("INSERT INTO sla_goals (space_id, work_type, minutes) VALUES ($1, $2, $3)")
            .bind(space)
            .bind(work_type)
            .bind(m)
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut tx,
        actor,
        &[Change::new(
            format!("Space {space_name}"),
            format!("Time to first response · {label}"),
            old,
            minutes.map(|m| format!("{m} min")).unwrap_or_default(),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
