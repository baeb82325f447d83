//! A space's members and their roles. Baton sends no mail yet, so inviting someone who has no
//! account makes an invitation link for the space admin to pass on.

use domain::{Availability, Command, Scope, SpaceId, roles::Setting};
use serde::{Deserialize, Serialize};

use super::{
    Actor,
    audit::{self, Change},
    random_hex,
    spaces::name_of,
};
use crate::{
    accounts::parse_email, clock::now_ms, db::Db, directory::Role, engine::Engine,
    error::BackendError,
};

/// Invitations are good for a week.
pub const INVITATION_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub availability: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub email: String,
    pub role: String,
    /// The path of the link to pass on: `/invite/<token>`.
    pub link: String,
    pub expires_at: i64,
}

/// What inviting did: an existing staff account joins at once; anyone else gets a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invited {
    Added { name: String },
    Link { link: String },
}

pub fn parse_role(role: &str) -> Result<Role, BackendError> {
    match role {
        "space_admin" => Ok(Role::SpaceAdmin),
        "agent" => Ok(Role::Agent),
        _ => Err(BackendError::Invalid(
            "Choose a role: space admin or agent.".into(),
        )),
    }
}

fn role_label(code: &str) -> &'static str {
    if code == "space_admin" {
        "Space admin"
    } else {
        "Agent"
    }
}

pub async fn members(db: &Db, actor: &Actor, space: &str) -> Result<Vec<Member>, BackendError> {
    actor.require(Setting::Space(space))?;
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

pub async fn invitations(
    db: &Db,
    actor: &Actor,
    space: &str,
) -> Result<Vec<PendingInvitation>, BackendError> {
    actor.require(Setting::Space(space))?;
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT token, email, role, expires_at FROM invitations \
         WHERE space_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at",
    )
    .bind(space)
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(token, email, role, expires_at)| PendingInvitation {
            email,
            role,
            link: format!("/invite/{token}"),
            expires_at,
        })
        .collect())
}

/// Adds a staff member by email, or makes an invitation link when they have no account yet.
pub async fn invite(
    db: &Db,
    actor: &Actor,
    space: &str,
    email: &str,
    role: &str,
) -> Result<Invited, BackendError> {
    actor.require(Setting::Space(space))?;
    let space_name = name_of(db, space).await?;
    let email = parse_email(email)?;
    let role = parse_role(role)?;
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT id, display_name FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&db.pool)
            .await?;
    let subject = format!("Space {space_name}");
    let mut tx = db.begin_write().await?;
    let invited = match existing {
        Some((user, name)) => {
            add_member_in(&mut tx, space, &user, role)
                .await
                .map_err(|e| {
                    super::taken(e, || format!("{name} is already a member of this space."))
                })?;
            audit::record(
                &mut tx,
                actor,
                &[Change::new(
                    &subject,
                    format!("Member {email}"),
                    "",
                    role_label(role_code(role)),
                )],
            )
            .await?;
            Invited::Added { name }
        }
        None => {
            let token = random_hex(24);
            let now = now_ms();
            sqlx::query(
                "INSERT INTO invitations (token, space_id, email, role, invited_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&token)
            .bind(space)
            .bind(&email)
            .bind(role_code(role))
            .bind(&actor.id)
            .bind(now)
            .bind(now + INVITATION_DAYS * 24 * 3_600_000)
            .execute(&mut *tx)
            .await?;
            audit::record(
                &mut tx,
                actor,
                &[Change::new(
                    &subject,
                    format!("Invitation {email}"),
                    "",
                    role_label(role_code(role)),
                )],
            )
            .await?;
            Invited::Link {
                link: format!("/invite/{token}"),
            }
        }
    };
    tx.commit().await?;
    Ok(invited)
}

fn role_code(role: Role) -> &'static str {
    match role {
        Role::SpaceAdmin => "space_admin",
        Role::Agent => "agent",
    }
}

/// Adds a member at the end of the round-robin order, Unavailable until they say otherwise.
pub(crate) async fn add_member_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    space: &str,
    user: &str,
    role: Role,
) -> Result<(), sqlx::Error> {
    let (next,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM space_members WHERE space_id = $1",
    )
    .bind(space)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, position, availability) VALUES ($1, $2, $3, $4, 'Unavailable')",
    )
    .bind(space)
    .bind(user)
    .bind(role_code(role))
    .bind(next)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_role(
    db: &Db,
    actor: &Actor,
    space: &str,
    user: &str,
    role: &str,
) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let new = role_code(parse_role(role)?);
    let space_name = name_of(db, space).await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT m.role, u.email FROM space_members m JOIN users u ON u.id = m.user_id \
         WHERE m.space_id = $1 AND m.user_id = $2",
    )
    .bind(space)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    let Some((old, email)) = row else {
        return Err(BackendError::NotFound);
    };
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE space_members SET role = $1 WHERE space_id = $2 AND user_id = $3")
        .bind(new)
        .bind(space)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        actor,
        &[Change::new(
            format!("Space {space_name}"),
            format!("Member {email}"),
            role_label(&old),
            role_label(new),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a member. They are first made Unavailable in the space through the engine, so any
/// offer they hold moves on to the next agent; conversations they accepted stay theirs.
pub async fn remove(
    engine: &Engine,
    actor: &Actor,
    space: &str,
    user: &str,
) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let db = engine.db();
    let space_name = name_of(db, space).await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT m.role, u.email FROM space_members m JOIN users u ON u.id = m.user_id \
         WHERE m.space_id = $1 AND m.user_id = $2",
    )
    .bind(space)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    let Some((role, email)) = row else {
        return Err(BackendError::NotFound);
    };
    engine
        .execute(Command::SetAvailability {
            agent: domain::AgentId::new(user),
            scope: Scope::Space(SpaceId::new(space)),
            availability: Availability::Unavailable,
        })
        .await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE spaces SET rr_cursor = NULL WHERE id = $1 AND rr_cursor = $2")
        .bind(space)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
        .bind(space)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        actor,
        &[Change::new(
            format!("Space {space_name}"),
            format!("Member {email}"),
            role_label(&role),
            "removed",
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
