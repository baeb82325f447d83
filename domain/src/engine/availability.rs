//! Availability and the admin switches that affect routing (SPEC R-AVAIL-*, R-SPACE-*).

use super::{Ctx, routing};
use crate::agent::{Availability, UnavailableReason};
use crate::command::Scope;
use crate::effect::Effect;
use crate::error::DomainError;
use crate::ids::{AgentId, SpaceId};
use crate::settings::SiteSettings;

pub(super) fn set_availability(
    cx: &mut Ctx<'_>,
    agent: &AgentId,
    scope: &Scope,
    availability: Availability,
    reason: UnavailableReason,
) -> Result<(), DomainError> {
    cx.require_agent(agent)?;
    let spaces = match scope {
        Scope::Space(space) => {
            if !cx.world.spaces.contains_key(space) {
                return Err(DomainError::UnknownSpace {
                    space: space.clone(),
                });
            }
            if !routing::may_be_available(cx.world, space, agent) {
                return Err(DomainError::NotMember {
                    agent: agent.clone(),
                    space: space.clone(),
                });
            }
            vec![space.clone()]
        }
        Scope::AllSpaces => routing::spaces_of(cx.world, agent),
    };
    let changed = match availability {
        Availability::Available => mark_available(cx, agent, &spaces),
        Availability::Unavailable => {
            let changed = routing::mark_unavailable(cx, agent, &spaces);
            // Going Unavailable says "I am not taking work": offers they still hold move on
            // instead of making customers wait out the offer timeout (SPEC R-AVAIL-1).
            routing::withdraw_offers_to(cx, agent, Some(&spaces));
            changed
        }
    };
    let person = cx.world.agents.get_mut(agent).expect("agent checked above");
    person.unavailable_reason = match availability {
        Availability::Available => None,
        Availability::Unavailable => Some(reason.clone()),
    };
    for space in changed {
        cx.effects.push(Effect::AvailabilityChanged {
            agent: agent.clone(),
            space,
            availability,
            reason: match availability {
                Availability::Available => UnavailableReason::SetByAgent,
                Availability::Unavailable => reason.clone(),
            },
        });
    }
    Ok(())
}

/// No dashboard is open: stop offering this agent anything (presence). An agent who is already
/// Unavailable everywhere keeps their earlier reason, so "you missed an offer" is not overwritten.
pub(super) fn away(cx: &mut Ctx<'_>, agent: &AgentId) -> Result<(), DomainError> {
    cx.require_agent(agent)?;
    let available_somewhere = routing::spaces_of(cx.world, agent)
        .iter()
        .any(|space| cx.world.agents[agent].is_available_in(space));
    if !available_somewhere {
        return Ok(());
    }
    let at = cx.now;
    set_availability(
        cx,
        agent,
        &Scope::AllSpaces,
        Availability::Unavailable,
        UnavailableReason::Disconnected { at },
    )
}

fn mark_available(cx: &mut Ctx<'_>, agent: &AgentId, spaces: &[SpaceId]) -> Vec<SpaceId> {
    let person = cx.world.agents.get_mut(agent).expect("agent checked above");
    let mut changed = Vec::new();
    for space in spaces {
        if !person.is_available_in(space) {
            person
                .availability
                .insert(space.clone(), Availability::Available);
            changed.push(space.clone());
        }
    }
    changed
}

/// Switching Live chat off stops new starts and handoffs (SPEC R-MODE-3); conversations already
/// waiting keep their place, since their customers were promised a person.
pub(super) fn set_live_chat(
    cx: &mut Ctx<'_>,
    space: &SpaceId,
    on: bool,
) -> Result<(), DomainError> {
    let Some(found) = cx.world.spaces.get_mut(space) else {
        return Err(DomainError::UnknownSpace {
            space: space.clone(),
        });
    };
    found.live_chat = on;
    Ok(())
}

/// Lowering the limit takes no conversation away; it only holds back offers until agents drop
/// below it. Raising it lets the final routing pass offer waiting conversations at once.
pub(super) fn set_max_conversations(cx: &mut Ctx<'_>, max: u32) -> Result<(), DomainError> {
    cx.world.settings.max_conversations = SiteSettings::check_max_conversations(max)?;
    Ok(())
}
