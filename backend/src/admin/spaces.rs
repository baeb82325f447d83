//! Spaces (SPEC R-SPACE-1, R-SPACE-2): create, rename and the **Live chat** switch. Members,
//! work types, queues and SLA goals are in the sibling modules.

use domain::{Command, SpaceId, World, roles::Setting, views::settings::SpaceSummary};

use crate::{
    db::Db,
    engine::Engine,
    error::BackendError,
    store::{
        Actor,
        audit::{Audited, Change},
        spaces::{self, Role, check_name, name_of_in},
    },
};

/// The spaces whose settings this person may open: all for site admins, else their own.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<SpaceSummary>, BackendError> {
    Ok(spaces::summaries(db)
        .await?
        .into_iter()
        .filter(|s| actor.roles.may_change(Setting::Space(&s.id)))
        .collect())
}

/// Creates a space with **Live chat** on (SPEC R-SPACE-1) and the usual follow-up work types.
/// The creator becomes its space admin. Site admins only.
pub async fn create(db: &Db, actor: &Actor, name: &str) -> Result<String, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::CreateSpace).await?;
    let name = check_name(name)?;
    let id = spaces::create_in(change.tx(), &name).await?;
    spaces::add_member_in(change.tx(), &id, &actor.id, Role::SpaceAdmin).await?;
    change.changed(Change::new(format!("Space {name}"), "Space", "", "created"));
    change.commit().await?;
    Ok(id)
}

pub async fn rename(db: &Db, actor: &Actor, space: &str, name: &str) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let old = name_of_in(change.tx(), space).await?;
    let name = check_name(name)?;
    spaces::rename_in(change.tx(), space, &name).await?;
    change.changed(Change::new(format!("Space {name}"), "Name", &old, &name));
    change.commit().await
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
    // The name only labels the entry; the old value comes from the engine's own transaction.
    let name = spaces::name_of(engine.db(), space).await?;
    let id = SpaceId::new(space);
    let label = |v: bool| if v { "On" } else { "Off" };
    let changes = move |world: &World| {
        let was = world.spaces.get(&id).map(|s| s.live_chat);
        vec![Change::new(
            format!("Space {name}"),
            "Live chat",
            was.map(label).unwrap_or_default(),
            label(on),
        )]
    };
    engine
        .execute_audited(
            Command::SetLiveChat {
                space: SpaceId::new(space),
                on,
            },
            actor,
            changes,
        )
        .await?;
    Ok(())
}
