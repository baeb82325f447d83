//! Round-robin offers (SPEC R-ROUTE-2..7, R-ROUTE-10).

use std::collections::BTreeMap;

use super::Ctx;
use crate::agent::Availability;
use crate::conversation::Offer;
use crate::effect::{Effect, WithdrawReason};
use crate::ids::{AgentId, ConversationId, SpaceId};
use crate::world::World;

/// Each agent's routing load (accepted conversations plus live offers, as [`World::load_of`]),
/// counted once per routing pass and kept up to date as the pass makes offers, so a pass costs
/// one look at each loaded conversation rather than one per candidate agent.
struct Loads(BTreeMap<AgentId, u32>);

impl Loads {
    fn count(world: &World) -> Self {
        let mut loads: BTreeMap<AgentId, u32> = world
            .agents
            .values()
            .map(|agent| (agent.id.clone(), agent.active))
            .collect();
        for conv in world.conversations.values() {
            if let Some(offer) = &conv.offer {
                let load = loads.entry(offer.agent.clone()).or_default();
                *load = load.saturating_add(1);
            }
        }
        Self(loads)
    }

    fn of(&self, agent: &AgentId) -> u32 {
        self.0.get(agent).copied().unwrap_or(0)
    }

    fn offered(&mut self, agent: &AgentId) {
        let load = self.0.entry(agent.clone()).or_default();
        *load = load.saturating_add(1);
    }
}

/// Can this agent take one more offer in this space right now?
fn is_eligible(world: &World, loads: &Loads, space: &SpaceId, agent: &AgentId) -> bool {
    let Some(space) = world.spaces.get(space) else {
        return false;
    };
    let Some(person) = world.agents.get(agent) else {
        return false;
    };
    space.is_member(agent)
        && person.is_available_in(&space.id)
        && loads.of(agent) < world.settings.max_conversations
}

/// Is any member Available in the space, whatever their load? Decides between the fallback
/// (nobody there) and queueing (everyone busy) (SPEC R-ROUTE-6).
pub(crate) fn anyone_available(world: &World, space: &SpaceId) -> bool {
    world.spaces.get(space).is_some_and(|space| {
        space.members.iter().any(|member| {
            world
                .agents
                .get(member)
                .is_some_and(|agent| agent.is_available_in(&space.id))
        })
    })
}

/// The next eligible member after the space's cursor, wrapping round. The decliner of the
/// previous offer is passed over unless nobody else is eligible (SPEC R-ROUTE-3, R-ROUTE-4).
fn pick_agent(
    world: &World,
    loads: &Loads,
    space_id: &SpaceId,
    decliner: Option<&AgentId>,
) -> Option<AgentId> {
    let space = world.spaces.get(space_id)?;
    let count = space.members.len();
    let start = space
        .cursor
        .as_ref()
        .and_then(|cursor| space.members.iter().position(|member| member == cursor))
        .map_or(0, |at| at + 1);
    let mut eligible = (0..count)
        .map(|step| &space.members[(start + step) % count])
        .filter(|member| is_eligible(world, loads, space_id, member));
    let first = eligible.next()?;
    if Some(first) != decliner {
        return Some(first.clone());
    }
    Some(eligible.next().unwrap_or(first).clone())
}

/// Offers every unoffered waiting conversation that can be offered, oldest first. One pass is
/// enough: an offer only adds load, so a conversation skipped here stays unofferable. (That is
/// also why storage need load only the head of each space's queue: see [`super::window`].)
pub(crate) fn offer_waiting(cx: &mut Ctx<'_>) {
    let mut queue: Vec<_> = cx
        .world
        .conversations
        .values()
        .filter(|conv| conv.is_waiting() && conv.offer.is_none())
        .map(|conv| {
            (
                conv.waiting_since.unwrap_or(conv.started_at),
                conv.id.clone(),
            )
        })
        .collect();
    queue.sort();
    let mut loads = Loads::count(cx.world);
    for (_, id) in queue {
        offer(cx, &mut loads, &id);
    }
}

fn offer(cx: &mut Ctx<'_>, loads: &mut Loads, id: &ConversationId) {
    let conv = &cx.world.conversations[id];
    let space = conv.space.clone();
    let Some(agent) = pick_agent(cx.world, loads, &space, conv.last_declined.as_ref()) else {
        return;
    };
    loads.offered(&agent);
    let expires_at = cx.now.plus(cx.world.settings.timers.offer_timeout);
    if let Some(space) = cx.world.spaces.get_mut(&space) {
        space.cursor = Some(agent.clone());
    }
    cx.conv_mut(id).offer = Some(Offer {
        agent: agent.clone(),
        offered_at: cx.now,
        expires_at,
    });
    cx.effects.push(Effect::OfferMade {
        conversation: id.clone(),
        agent,
        expires_at,
    });
}

/// Ends the conversation's live offer, if any, and says who had it.
pub(crate) fn withdraw(
    cx: &mut Ctx<'_>,
    id: &ConversationId,
    reason: WithdrawReason,
) -> Option<AgentId> {
    let conv = cx.conv_mut(id);
    let offer = conv.offer.take()?;
    conv.last_declined = (reason == WithdrawReason::Declined).then(|| offer.agent.clone());
    cx.effects.push(Effect::OfferWithdrawn {
        conversation: id.clone(),
        agent: offer.agent.clone(),
        reason,
    });
    Some(offer.agent)
}

/// Withdraws the agent's live offers in the given spaces (all spaces when `None`); the final
/// routing pass moves those conversations on.
pub(crate) fn withdraw_offers_to(cx: &mut Ctx<'_>, agent: &AgentId, spaces: Option<&[SpaceId]>) {
    let offered: Vec<ConversationId> = cx
        .world
        .conversations
        .values()
        .filter(|conv| {
            conv.offer
                .as_ref()
                .is_some_and(|offer| &offer.agent == agent)
        })
        .filter(|conv| spaces.is_none_or(|spaces| spaces.contains(&conv.space)))
        .map(|conv| conv.id.clone())
        .collect();
    for id in offered {
        withdraw(cx, &id, WithdrawReason::AgentUnavailable);
    }
}

/// Whether a member may be marked Available in a space (only members can, SPEC R-AVAIL-2).
pub(crate) fn may_be_available(world: &World, space: &SpaceId, agent: &AgentId) -> bool {
    world
        .spaces
        .get(space)
        .is_some_and(|space| space.is_member(agent))
}

/// The spaces the agent belongs to, in id order.
pub(crate) fn spaces_of(world: &World, agent: &AgentId) -> Vec<SpaceId> {
    world
        .spaces
        .values()
        .filter(|space| space.is_member(agent))
        .map(|space| space.id.clone())
        .collect()
}

/// Marks the agent Unavailable in each given space where they were Available, returning the
/// spaces that actually changed.
pub(crate) fn mark_unavailable(
    cx: &mut Ctx<'_>,
    agent: &AgentId,
    spaces: &[SpaceId],
) -> Vec<SpaceId> {
    let Some(person) = cx.world.agents.get_mut(agent) else {
        return Vec::new();
    };
    let mut changed = Vec::new();
    for space in spaces {
        if person.is_available_in(space) {
            person
                .availability
                .insert(space.clone(), Availability::Unavailable);
            changed.push(space.clone());
        }
    }
    changed
}
