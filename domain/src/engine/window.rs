//! How far into each space's queue a routing decision can reach, so that storage loads only
//! that much of it (SPEC R-ROUTE-2, R-ROUTE-10).
//!
//! Why a bound exists: the final routing pass ([`super::routing::offer_waiting`]) goes through
//! the waiting conversations oldest first, and an offer only adds load. So in each space the
//! conversations that get an offer are the oldest ones of that space's line, up to the first
//! one nobody there can take; after it, nobody in that space can take any. Every offer goes to
//! a member who is Available there below **Maximum conversations**, and raises their load by
//! one; so a space gets at most as many offers as its members have room.
//!
//! Before that pass the command itself can make room, but only for the agents it names: its
//! own agent (Available again; offers withdrawn on Unavailable, Decline or Away; a slot freed by
//! Resolve) and whoever holds its conversation's offer (withdrawn by an end or a tick, which
//! may also withdraw all their other offers). Raising **Maximum conversations** gives every
//! member more room. Nothing else lowers a load or makes anyone Available.

use std::collections::{BTreeMap, BTreeSet};

use crate::agent::Availability;
use crate::command::{Command, Ender};
use crate::event::Author;
use crate::ids::{AgentId, SpaceId};
use crate::settings::SiteSettings;
use crate::world::World;

/// For each space, at most how many of its oldest waiting conversations *without* a live offer
/// deciding `command` can offer: load that many (in `waiting_since`, id order) and the
/// decision is the same as with every waiting conversation loaded.
///
/// `world` must already hold what the window is computed from: the settings, every space with
/// its members, their agents with their `active` counts, every conversation that holds a live
/// offer (so each agent's load is complete) and the command's own conversation.
pub fn routing_window(world: &World, command: &Command) -> BTreeMap<SpaceId, u32> {
    let current = world.settings.max_conversations;
    let limit = match command {
        Command::SetMaxConversations { max } => SiteSettings::check_max_conversations(*max)
            .map_or(current, |raised| raised.max(current)),
        _ => current,
    };
    let mut offers: BTreeMap<&AgentId, u32> = BTreeMap::new();
    for conv in world.conversations.values() {
        if let Some(offer) = &conv.offer {
            *offers.entry(&offer.agent).or_default() += 1;
        }
    }
    let named = named_agents(world, command);
    let comes_in = match command {
        Command::SetAvailability {
            agent,
            availability: Availability::Available,
            ..
        } => Some(agent),
        _ => None,
    };
    // The command's own conversation may be in its space's line and leave it (ended by the
    // customer or by a timer), so the head read from storage needs one more row there.
    let own = command
        .conversation()
        .and_then(|id| world.conversations.get(id))
        .filter(|conv| conv.is_waiting() && conv.offer.is_none());
    let leaves_line =
        |space: &crate::space::Space| u32::from(own.is_some_and(|c| c.space == space.id));
    world
        .spaces
        .values()
        .map(|space| {
            let room = space
                .members
                .iter()
                .filter_map(|member| {
                    let agent = world.agents.get(member)?;
                    let available = agent.is_available_in(&space.id) || comes_in == Some(member);
                    let lowest_load = if named.contains(member) {
                        // Every offer withdrawn and one slot freed: more room than any one
                        // command can make.
                        agent.active.saturating_sub(1)
                    } else {
                        agent
                            .active
                            .saturating_add(offers.get(member).copied().unwrap_or(0))
                    };
                    available.then(|| limit.saturating_sub(lowest_load))
                })
                .fold(0u32, u32::saturating_add);
            // With no room there is nothing to offer, whoever leaves the line.
            let head = if room == 0 {
                0
            } else {
                room.saturating_add(leaves_line(space))
            };
            (space.id.clone(), head)
        })
        .collect()
}

/// The agents whose load or availability the command itself may change.
fn named_agents<'w>(world: &'w World, command: &'w Command) -> BTreeSet<&'w AgentId> {
    let mut named = BTreeSet::new();
    match command {
        Command::SetAvailability { agent, .. }
        | Command::AgentAway { agent }
        | Command::Accept { agent, .. }
        | Command::Decline { agent, .. }
        | Command::Resolve { agent, .. }
        | Command::AddNote { agent, .. }
        | Command::SendMessage {
            author: Author::Agent(agent),
            ..
        }
        | Command::EndConversation {
            by: Ender::Agent(agent),
            ..
        } => {
            named.insert(agent);
        }
        _ => {}
    }
    if let Some(holder) = command
        .conversation()
        .and_then(|id| world.conversations.get(id))
        .and_then(|conv| conv.offer.as_ref())
    {
        named.insert(&holder.agent);
    }
    named
}
