//! Loads the [`World`] a command is decided on, inside the command's transaction.
//!
//! Routing commands load everything routing can touch: the settings (row-locked on PostgreSQL:
//! the site row is the routing lock), every space with its members in round-robin order, every
//! agent with their `active` count (by COUNT, so it can never drift), every conversation Waiting
//! for agent (row-locked) and the command's own conversation (row-locked). Chat commands
//! (messages, notes) load their own, smaller snapshot (`chat_snapshot`).

use std::collections::BTreeMap;

use domain::{
    Agent, AgentId, Availability, Conversation, ConversationId, SiteSettings, Space, SpaceId,
    Timers, UnavailableReason, World,
};
use sqlx::{Any, Transaction};

use crate::{db::Backend, error::BackendError};

pub(super) type Tx = Transaction<'static, Any>;

pub(super) enum Scope<'a> {
    /// Everything routing may change.
    Routing { target: Option<&'a ConversationId> },
}

pub(super) async fn load(
    tx: &mut Tx,
    backend: Backend,
    timers: Timers,
    scope: Scope<'_>,
) -> Result<World, BackendError> {
    let lock = backend.for_update();
    let routing = matches!(scope, Scope::Routing { .. });
    let settings_sql = if routing {
        format!("SELECT max_conversations FROM site_settings WHERE id = 1{lock}")
    } else {
        "SELECT max_conversations FROM site_settings WHERE id = 1".to_string()
    };
    let (max,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(settings_sql))
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| {
            BackendError::Invalid("The site is not set up yet: create the first admin.".into())
        })?;
    let mut world = World::new(SiteSettings {
        max_conversations: u32::try_from(max).unwrap_or(SiteSettings::DEFAULT_MAX_CONVERSATIONS),
        timers,
    });

    match scope {
        Scope::Routing { target } => {
            load_agents(tx, &mut world).await?;
            load_spaces(tx, &mut world).await?;
            let waiting: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT state FROM conversations WHERE status = 'waiting_for_agent' ORDER BY waiting_since, id{lock}"
            )))
            .fetch_all(&mut **tx)
            .await?;
            for (state,) in waiting {
                world.add_conversation(serde_json::from_str::<Conversation>(&state)?);
            }
            if let Some(id) = target
                && !world.conversations.contains_key(id)
            {
                load_one(tx, backend, &mut world, id).await?;
            }
        }
    }
    Ok(world)
}

async fn load_one(
    tx: &mut Tx,
    backend: Backend,
    world: &mut World,
    id: &ConversationId,
) -> Result<(), BackendError> {
    let row: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT state FROM conversations WHERE id = $1{}",
        backend.for_update()
    )))
    .bind(id.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((state,)) = row {
        world.add_conversation(serde_json::from_str::<Conversation>(&state)?);
    }
    Ok(())
}

async fn load_agents(tx: &mut Tx, world: &mut World) -> Result<(), BackendError> {
    let agents: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT id, unavailable_reason FROM users WHERE id IN (SELECT user_id FROM space_members)",
    )
    .fetch_all(&mut **tx)
    .await?;
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT assignee_id, COUNT(*) FROM conversations \
         WHERE assignee_id IS NOT NULL AND status IN ('active', 'wrapping_up') GROUP BY assignee_id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let counts: BTreeMap<String, i64> = counts.into_iter().collect();
    let availability: Vec<(String, String, String)> =
        sqlx::query_as("SELECT user_id, space_id, availability FROM space_members")
            .fetch_all(&mut **tx)
            .await?;
    for (id, reason) in agents {
        let mut agent = Agent::new(AgentId::new(id.clone()));
        agent.active = counts.get(&id).copied().unwrap_or(0) as u32;
        agent.unavailable_reason = match reason {
            Some(json) => Some(serde_json::from_str::<UnavailableReason>(&json)?),
            None => None,
        };
        world.add_agent(agent);
    }
    for (user, space, state) in availability {
        if let Some(agent) = world.agents.get_mut(&AgentId::new(user)) {
            agent
                .availability
                .insert(SpaceId::new(space), parse_availability(&state)?);
        }
    }
    Ok(())
}

async fn load_spaces(tx: &mut Tx, world: &mut World) -> Result<(), BackendError> {
    let spaces: Vec<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT id, live_chat, rr_cursor FROM spaces")
            .fetch_all(&mut **tx)
            .await?;
    let members: Vec<(String, String)> = sqlx::query_as(
        "SELECT space_id, user_id FROM space_members ORDER BY space_id, position, user_id",
    )
    .fetch_all(&mut **tx)
    .await?;
    for (id, live_chat, cursor) in spaces {
        let mut space = Space::new(SpaceId::new(id));
        space.live_chat = live_chat != 0;
        space.cursor = cursor.map(AgentId::new);
        world.add_space(space);
    }
    for (space, user) in members {
        if let Some(space) = world.spaces.get_mut(&SpaceId::new(space)) {
            space.members.push(AgentId::new(user));
        }
    }
    Ok(())
}

pub(super) fn parse_availability(text: &str) -> Result<Availability, BackendError> {
    match text {
        "Available" => Ok(Availability::Available),
        "Unavailable" => Ok(Availability::Unavailable),
        other => Err(BackendError::Corrupt(format!(
            "unknown availability {other:?}"
        ))),
    }
}
