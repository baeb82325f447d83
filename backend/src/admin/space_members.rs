//! A space's members and their roles. Baton sends no mail yet, so inviting someone who has no
//! account makes an invitation link for the space admin to pass on.

use domain::{Availability, Command, Scope, SpaceId, roles::Setting};
use serde::{Deserialize, Serialize};

use crate::{
    accounts::parse_email,
    db::Db,
    engine::Engine,
    error::BackendError,
    store::{
        Actor,
        audit::{self, Change},
        invitations::{self, PendingInvitation},
        spaces::{self, Member, Role, add_member_in, name_of},
        taken,
        users::staff_by_email,
    },
};

/// What inviting did: an existing staff account joins at once; anyone else gets a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invited {
    Added { name: String },
    Link { link: String },
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
    spaces::members(db, space).await
}

pub async fn invitations(
    db: &Db,
    actor: &Actor,
    space: &str,
) -> Result<Vec<PendingInvitation>, BackendError> {
    actor.require(Setting::Space(space))?;
    invitations::pending(db, space).await
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
    let role = Role::parse(role)?;
    let existing = staff_by_email(db, &email).await?;
    let subject = format!("Space {space_name}");
    let mut tx = db.begin_write().await?;
    let invited = match existing {
        Some((user, name)) => {
            add_member_in(&mut tx, space, &user, role)
                .await
                .map_err(|e| taken(e, || format!("{name} is already a member of this space.")))?;
            audit::record(
                &mut tx,
                actor,
                &[Change::new(
                    &subject,
                    format!("Member {email}"),
                    "",
                    role_label(role.code()),
                )],
            )
            .await?;
            Invited::Added { name }
        }
        None => {
            let link = invitations::create_in(&mut tx, space, &email, role, &actor.id).await?;
            audit::record(
                &mut tx,
                actor,
                &[Change::new(
                    &subject,
                    format!("Invitation {email}"),
                    "",
                    role_label(role.code()),
                )],
            )
            .await?;
            Invited::Link { link }
        }
    };
    tx.commit().await?;
    Ok(invited)
}

pub async fn set_role(
    db: &Db,
    actor: &Actor,
    space: &str,
    user: &str,
    role: &str,
) -> Result<(), BackendError> {
    actor.require(Setting::Space(space))?;
    let new = Role::parse(role)?.code();
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
