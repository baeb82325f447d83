//! Spaces (SPEC R-SPACE-1, R-SPACE-2) and their members: the one way a space is created (with
//! the name checks, in one transaction with its follow-up work types), members in round-robin
//! order, and pending invitations.

use super::taken;
use crate::{clock::now_ms, db::Db, error::BackendError};
use domain::views::settings::{Member, SpaceSummary};

/// Every space with its member count, by name.
pub async fn summaries(db: &Db) -> Result<Vec<SpaceSummary>, BackendError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.name, s.live_chat, (SELECT COUNT(*) FROM space_members m WHERE m.space_id = s.id) \
         FROM spaces s ORDER BY s.name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, live_chat, members)| SpaceSummary {
            id,
            name,
            live_chat: live_chat != 0,
            members,
        })
        .collect())
}

/// Every space with whether Live chat is on, for the routed-space choice of an experience
/// (SPEC R-MODE-3); member counts are not read (0).
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

/// The space's name, read in `conn` and locked for the change on PostgreSQL.
pub async fn name_of_in(
    conn: &mut sqlx::AnyConnection,
    space: &str,
) -> Result<String, BackendError> {
    let sql = format!(
        "SELECT name FROM spaces WHERE id = $1{}",
        super::for_update(conn)
    );
    let row: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(space)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(n,)| n).ok_or(BackendError::NotFound)
}

/// A space's name and whether Live chat is on, read in `tx`.
pub async fn live_chat_in(
    tx: &mut sqlx::AnyConnection,
    space: &str,
) -> Result<(String, bool), BackendError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT name, live_chat FROM spaces WHERE id = $1")
            .bind(space)
            .fetch_optional(&mut *tx)
            .await?;
    let (name, live_chat) = row.ok_or(BackendError::NotFound)?;
    Ok((name, live_chat != 0))
}

/// A space's name as typed: trimmed, 1 to 80 characters.
pub fn check_name(name: &str) -> Result<String, BackendError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(BackendError::Invalid(
            "A space needs a name (at most 80 characters).".into(),
        ));
    }
    Ok(name.to_string())
}

pub(crate) fn name_taken(name: &str) -> impl FnOnce() -> String + '_ {
    move || format!("A space called {name:?} already exists.")
}

/// Creates a space with **Live chat** on (SPEC R-SPACE-1) and the usual follow-up work types
/// in `tx`, and returns its id. `name` has passed [`check_name`].
pub async fn create_in(tx: &mut sqlx::AnyConnection, name: &str) -> Result<String, BackendError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO spaces (id, name, live_chat, created_at) VALUES ($1, $2, 1, $3)")
        .bind(&id)
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, name_taken(name)))?;
    for work_type in domain::views::FOLLOW_UP_TYPES {
        sqlx::query("INSERT INTO work_types (space_id, name) VALUES ($1, $2)")
            .bind(&id)
            .bind(work_type)
            .execute(&mut *tx)
            .await?;
    }
    Ok(id)
}

/// Creates a space without members (the demo seed, tests and benchmarks; the settings page
/// goes through `admin::spaces::create`, which adds the creator and audits).
pub async fn create(db: &Db, name: &str) -> Result<String, BackendError> {
    let name = check_name(name)?;
    let mut tx = db.begin_write().await?;
    let id = create_in(&mut tx, &name).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename_in(
    tx: &mut sqlx::AnyConnection,
    space: &str,
    name: &str,
) -> Result<(), BackendError> {
    sqlx::query("UPDATE spaces SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(space)
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, name_taken(name)))?;
    Ok(())
}

/// A member's role in a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    SpaceAdmin,
    Agent,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::SpaceAdmin => "space_admin",
            Role::Agent => "agent",
        }
    }

    pub fn parse(code: &str) -> Result<Role, BackendError> {
        match code {
            "space_admin" => Ok(Role::SpaceAdmin),
            "agent" => Ok(Role::Agent),
            _ => Err(BackendError::Invalid(
                "Choose a role: space admin or agent.".into(),
            )),
        }
    }
}

/// Adds a member at the end of the round-robin order, Unavailable until they say otherwise.
pub(crate) async fn add_member_in(
    tx: &mut sqlx::AnyConnection,
    space: &str,
    user: &str,
    role: Role,
) -> Result<(), sqlx::Error> {
    let (next,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM space_members WHERE space_id = $1",
    )
    .bind(space)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, position, availability) VALUES ($1, $2, $3, $4, 'Unavailable')",
    )
    .bind(space)
    .bind(user)
    .bind(role.code())
    .bind(next)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Adds a member at the end of the space's round-robin order, Unavailable until they say so.
pub async fn add_member(db: &Db, space: &str, user: &str, role: Role) -> Result<(), BackendError> {
    let mut tx = db.begin_write().await?;
    add_member_in(&mut tx, space, user, role).await?;
    tx.commit().await?;
    Ok(())
}

/// A space member's availability as stored.
pub async fn availability(db: &Db, space: &str, user: &str) -> Result<String, BackendError> {
    let (state,): (String,) = sqlx::query_as(
        "SELECT availability FROM space_members WHERE space_id = $1 AND user_id = $2",
    )
    .bind(space)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(BackendError::NotFound)?;
    Ok(state)
}

/// The space's members in round-robin order.
pub async fn members(db: &Db, space: &str) -> Result<Vec<Member>, BackendError> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, m.role, m.availability FROM space_members m \
         JOIN users u ON u.id = m.user_id WHERE m.space_id = $1 ORDER BY m.position",
    )
    .bind(space)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, role, availability)| Member {
            id,
            name,
            email,
            role,
            availability,
        })
        .collect())
}

/// A member's role code and email; `NotFound` when they are not a member.
pub async fn membership(
    db: &Db,
    space: &str,
    user: &str,
) -> Result<(String, String), BackendError> {
    membership_in(&mut *db.pool.acquire().await?, space, user).await
}

/// A member's role code and email, read in `tx` and locked for the change on PostgreSQL; `NotFound` when they are not a member.
pub async fn membership_in(
    tx: &mut sqlx::AnyConnection,
    space: &str,
    user: &str,
) -> Result<(String, String), BackendError> {
    let lock = if super::for_update(tx).is_empty() {
        ""
    } else {
        " FOR UPDATE OF m"
    };
    let sql = format!(
        "SELECT m.role, u.email FROM space_members m JOIN users u ON u.id = m.user_id \
         WHERE m.space_id = $1 AND m.user_id = $2{lock}"
    );
    let row: Option<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(space)
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
    row.ok_or(BackendError::NotFound)
}
