//! Spaces (SPEC R-SPACE-1, R-SPACE-2): create, rename and the **Live chat** switch. Members,
//! work types, queues and SLA goals are in the sibling modules.

use domain::{Command, SpaceId, roles::Setting};
use serde::{Deserialize, Serialize};

use super::{
    Actor,
    audit::{self, Change},
    taken,
};
use crate::{clock::now_ms, db::Db, engine::Alongside, engine::Engine, error::BackendError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceSummary {
    pub id: String,
    pub name: String,
    pub live_chat: bool,
    pub members: i64,
}

/// The spaces whose settings this person may open: all for site admins, else their own.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<SpaceSummary>, BackendError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.name, s.live_chat, (SELECT COUNT(*) FROM space_members m WHERE m.space_id = s.id) \
         FROM spaces s ORDER BY s.name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(id, ..)| actor.roles.may_change(Setting::Space(id)))
        .map(|(id, name, live_chat, members)| SpaceSummary {
            id,
            name,
            live_chat: live_chat != 0,
            members,
        })
        .collect())
}

/// Every space with Live chat on, for the routed-space choice of an experience (SPEC R-MODE-3).
pub async fn all(db: &Db) -> Result<Vec<SpaceSummary>, BackendError> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT id, name, live_chat FROM spaces ORDER BY name")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, live_chat)| SpaceSummary {
            id,
            name,
            live_chat: live_chat != 0,
            members: 0,
        })
        .collect())
}

pub async fn name_of(db: &Db, space: &str) -> Result<String, BackendError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM spaces WHERE id = $1")
        .bind(space)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|(n,)| n).ok_or(BackendError::NotFound)
}

fn check_name(name: &str) -> Result<String, BackendError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(BackendError::Invalid(
            "A space needs a name (at most 80 characters).".into(),
        ));
    }
    Ok(name.to_string())
}

/// Creates a space with **Live chat** on (SPEC R-SPACE-1) and the usual follow-up work types.
/// The creator becomes its space admin. Site admins only.
pub async fn create(db: &Db, actor: &Actor, name: &str) -> Result<String, BackendError> {
    actor.require(Setting::CreateSpace)?;
    let name = check_name(name)?;
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO spaces (id, name, live_chat, created_at) VALUES ($1, $2, 1, $3)")
        .bind(&id)
        .bind(&name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, || format!("A space called {name:?} already exists.")))?;
    for work_type in domain::views::FOLLOW_UP_TYPES {
        sqlx::query("INSERT INTO work_types (space_id, name) VALUES ($1, $2)")
            .bind(&id)
            .bind(work_type)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, position, availability) VALUES ($1, $2, 'space_admin', 0, 'Unavailable')",
    )
    .bind(&id)
    .bind(&actor.id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        &[Change::new(format!("Space {name}"), "Space", "", "created")],
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename(db: &Db, actor: &Actor, space: &str, name: &str) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let old = name_of(db, space).await?;
    let name = check_name(name)?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE spaces SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(space)
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, || format!("A space called {name:?} already exists.")))?;
    audit::record(
        &mut tx,
        actor,
        &[Change::new(format!("Space {name}"), "Name", &old, &name)],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The **Live chat** switch. Turning it off while an experience routes live chat here is
/// refused by the engine with the experiences named (SPEC R-MODE-3).
pub async fn set_live_chat(
    engine: &Engine,
    actor: &Actor,
    space: &str,
    on: bool,
) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT name, live_chat FROM spaces WHERE id = $1")
            .bind(space)
            .fetch_optional(&engine.db().pool)
            .await?;
    let (name, was) = row.ok_or(BackendError::NotFound)?;
    let label = |v: bool| if v { "On" } else { "Off" };
    let change = [Change::new(
        format!("Space {name}"),
        "Live chat",
        label(was != 0),
        label(on),
    )];
    engine
        .execute_with(
            Command::SetLiveChat {
                space: SpaceId::new(space),
                on,
            },
            Alongside {
                audit: Some((actor, &change)),
                ..Alongside::default()
            },
        )
        .await?;
    Ok(())
}
