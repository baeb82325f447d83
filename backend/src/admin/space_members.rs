//! A space's members and their roles. Baton sends no mail yet, so inviting someone who has no
//! account makes an invitation link for the space admin to pass on.

use domain::{
    Availability, Command, Scope, SpaceId,
    roles::Setting,
    views::settings::{Member, PendingInvitation},
};
use serde::{Deserialize, Serialize};

use crate::{
    accounts::parse_email,
    db::Db,
    engine::Engine,
    error::BackendError,
    store::{
        Actor,
        audit::{Audited, Change, found},
        invitations,
        spaces::{self, Role, add_member_in, membership_in, name_of, name_of_in},
        taken,
        users::staff_by_email_in,
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
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let subject = format!("Space {}", name_of_in(change.tx(), space).await?);
    let email = parse_email(email)?;
    let role = Role::parse(role)?;
    let invited = match staff_by_email_in(change.tx(), &email).await? {
        Some((user, name)) => {
            add_member_in(change.tx(), space, &user, role)
                .await
                .map_err(|e| taken(e, || format!("{name} is already a member of this space.")))?;
            change.changed(Change::new(
                &subject,
                format!("Member {email}"),
                "",
                role_label(role.code()),
            ));
            Invited::Added { name }
        }
        None => {
            let link = invitations::create_in(change.tx(), space, &email, role, &actor.id).await?;
            change.changed(Change::new(
                &subject,
                format!("Invitation {email}"),
                "",
                role_label(role.code()),
            ));
            Invited::Link { link }
        }
    };
    change.commit().await?;
    Ok(invited)
}

pub async fn set_role(
    db: &Db,
    actor: &Actor,
    space: &str,
    user: &str,
    role: &str,
) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let new = Role::parse(role)?.code();
    let space_name = name_of_in(change.tx(), space).await?;
    let (old, email) = membership_in(change.tx(), space, user).await?;
    sqlx::query("UPDATE space_members SET role = $1 WHERE space_id = $2 AND user_id = $3")
        .bind(new)
        .bind(space)
        .bind(user)
        .execute(change.tx())
        .await?;
    change.changed(Change::new(
        format!("Space {space_name}"),
        format!("Member {email}"),
        role_label(&old),
        role_label(new),
    ));
    change.commit().await
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
    // Someone who is not a member is refused before the engine changes anything.
    name_of(db, space).await?;
    spaces::membership(db, space, user).await?;
    engine
        .execute(Command::SetAvailability {
            agent: domain::AgentId::new(user),
            scope: Scope::Space(SpaceId::new(space)),
            availability: Availability::Unavailable,
        })
        .await?;
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let space_name = name_of_in(change.tx(), space).await?;
    let (role, email) = membership_in(change.tx(), space, user).await?;
    sqlx::query("UPDATE spaces SET rr_cursor = NULL WHERE id = $1 AND rr_cursor = $2")
        .bind(space)
        .bind(user)
        .execute(change.tx())
        .await?;
    let done = sqlx::query("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
        .bind(space)
        .bind(user)
        .execute(change.tx())
        .await?;
    found(done)?;
    change.changed(Change::new(
        format!("Space {space_name}"),
        format!("Member {email}"),
        role_label(&role),
        "removed",
    ));
    change.commit().await
}
