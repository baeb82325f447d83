//! A space's work settings as stored: the work types follow-up work may take, saved queues and
//! time-to-first-response goals (SPEC R-VIEW-2, R-VIEW-4).

use crate::{db::Db, error::BackendError};
use domain::views::settings::{SavedQueue, SlaGoal};

/// The work type of every live chat; it is built in and cannot be added or removed.
pub use domain::conversation::WORK_TYPE as CONVERSATION;

/// The work types follow-up work in this space may take (Conversation excluded).
pub async fn work_types(db: &Db, space: &str) -> Result<Vec<String>, BackendError> {
    work_types_in(&mut *db.pool.acquire().await?, space).await
}

pub async fn work_types_in(
    conn: &mut sqlx::AnyConnection,
    space: &str,
) -> Result<Vec<String>, BackendError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM work_types WHERE space_id = $1 ORDER BY name")
            .bind(space)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
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

/// A saved queue's space id, name and filter, read in `conn`.
pub async fn queue_in(
    conn: &mut sqlx::AnyConnection,
    queue: &str,
) -> Result<Option<(String, String, String)>, BackendError> {
    Ok(
        sqlx::query_as("SELECT space_id, name, filter FROM queues WHERE id = $1")
            .bind(queue)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

fn saved_queue((id, space, name, filter): (String, String, String, String)) -> SavedQueue {
    SavedQueue {
        id,
        space,
        name,
        filter,
    }
}

pub async fn sla_goals(db: &Db, space: &str) -> Result<Vec<SlaGoal>, BackendError> {
    sla_goals_in(&mut *db.pool.acquire().await?, space).await
}

pub async fn sla_goals_in(
    conn: &mut sqlx::AnyConnection,
    space: &str,
) -> Result<Vec<SlaGoal>, BackendError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT work_type, minutes FROM sla_goals WHERE space_id = $1 ORDER BY work_type",
    )
    .bind(space)
    .fetch_all(&mut *conn)
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
