//! Loads the [`World`] a command is decided on, inside the command's transaction.
//!
//! Routing commands load what routing can touch, each read through an index so that its cost
//! follows what it returns and never the number of waiting or closed conversations: the
//! settings (row-locked on PostgreSQL: the site row is the routing lock), every space with its
//! members in round-robin order, every agent with their `active` count (by COUNT over their open
//! conversations only, so it can never drift), every conversation holding a live offer (at
//! most agents × Maximum conversations), the command's own conversation, and then per space only
//! the head of its queue: the oldest waiting conversations without an offer, as many as the
//! decision could possibly offer ([`domain::routing_window`], computed from what was loaded
//! before). Every conversation row is locked on PostgreSQL. Chat commands (messages, notes)
//! load their own, smaller snapshot (`chat_snapshot`).

use std::collections::BTreeMap;

use domain::{
    Agent, AgentId, Availability, Command, Conversation, ConversationId, SiteSettings, Space,
    SpaceId, Timers, UnavailableReason, World,
};
use sqlx::{Any, Transaction};

use crate::{db::Backend, error::BackendError};

pub(super) type Tx = Transaction<'static, Any>;

pub(super) async fn load(
    tx: &mut Tx,
    backend: Backend,
    timers: Timers,
    command: &Command,
) -> Result<World, BackendError> {
    let lock = backend.for_update();
    let settings_sql = format!("SELECT max_conversations FROM site_settings WHERE id = 1{lock}");
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

    load_agents(tx, &mut world).await?;
    load_spaces(tx, &mut world).await?;
    // Complete, so every agent's load and every withdrawal sees all their offers. No
    // ORDER BY: sorting by id made SQLite walk the whole table in key order instead of
    // reading `conversations_offered` (the world keeps them in id order anyway).
    let offered: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT state FROM conversations WHERE offer_agent_id IS NOT NULL{lock}"
    )))
    .fetch_all(&mut **tx)
    .await?;
    add_states(&mut world, offered)?;
    if let Some(id) = command.conversation()
        && !world.conversations.contains_key(id)
    {
        load_one(tx, backend, &mut world, id).await?;
    }
    load_queue_heads(tx, backend, &mut world, command).await?;
    Ok(world)
}

/// Per space, the oldest waiting conversations without an offer that this decision could
/// offer; the rest of the line cannot change it (see `domain::routing_window`). A space where
/// nobody can take an offer costs no query at all.
async fn load_queue_heads(
    tx: &mut Tx,
    backend: Backend,
    world: &mut World,
    command: &Command,
) -> Result<(), BackendError> {
    let sql = format!(
        "SELECT state FROM conversations \
         WHERE space_id = $1 AND status = 'waiting_for_agent' AND offer_agent_id IS NULL \
         ORDER BY waiting_since, id LIMIT $2{}",
        backend.for_update()
    );
    for (space, window) in domain::routing_window(world, command) {
        if window == 0 {
            continue;
        }
        let head: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(space.as_str())
            .bind(i64::from(window))
            .fetch_all(&mut **tx)
            .await?;
        add_states(world, head)?;
    }
    Ok(())
}

/// Adds conversations from their stored state, keeping any already loaded (the command's own
/// may also be at the head of its queue).
fn add_states(world: &mut World, rows: Vec<(String,)>) -> Result<(), BackendError> {
    for (state,) in rows {
        let conv = serde_json::from_str::<Conversation>(&state)?;
        if !world.conversations.contains_key(&conv.id) {
            world.add_conversation(conv);
        }
    }
    Ok(())
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
    // Through `conversations_open_by_assignee`, whose condition this repeats word for word
    // (SQLite uses a partial index only then): closed conversations are never read.
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT assignee_id, COUNT(*) FROM conversations \
         WHERE status IN ('active', 'wrapping_up') AND assignee_id IS NOT NULL GROUP BY assignee_id",
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
