//! Agent availability (SPEC R-AVAIL-*).

mod support;

use domain::{
    Availability, Command, DomainError, Effect, Scope, UnavailableReason, WithdrawReason,
    WorkStatus,
};
use support::*;

fn set(agent: &str, scope: Scope, availability: Availability) -> Command {
    Command::SetAvailability {
        agent: aid(agent),
        scope,
        availability,
    }
}

fn two_spaces() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob"])
        .space("s2", &["ann"])
}

// SPEC R-AVAIL-2
#[test]
fn an_agent_sets_availability_for_one_space() {
    let mut sim = two_spaces();

    let effects = sim.ok(set("ann", Scope::Space(sid("s2")), Availability::Available));

    assert_eq!(sim.availability("ann", "s1"), Availability::Unavailable);
    assert_eq!(sim.availability("ann", "s2"), Availability::Available);
    assert!(effects.contains(&Effect::AvailabilityChanged {
        agent: aid("ann"),
        space: sid("s2"),
        availability: Availability::Available,
        reason: UnavailableReason::SetByAgent,
    }));
}

// SPEC R-AVAIL-2
#[test]
fn an_agent_sets_availability_for_all_their_spaces() {
    let mut sim = two_spaces();

    sim.ok(set("ann", Scope::AllSpaces, Availability::Available));

    assert_eq!(sim.availability("ann", "s1"), Availability::Available);
    assert_eq!(sim.availability("ann", "s2"), Availability::Available);
}

// SPEC R-AVAIL-2
#[test]
fn only_members_of_a_space_can_be_available_in_it() {
    let mut sim = two_spaces();

    let err = sim.err(set("bob", Scope::Space(sid("s2")), Availability::Available));

    assert_eq!(
        err,
        DomainError::NotMember {
            agent: aid("bob"),
            space: sid("s2")
        }
    );
}

// SPEC R-AVAIL-1
#[test]
fn going_unavailable_keeps_assigned_conversations_active() {
    let mut sim = two_spaces().available("ann", "s1");
    sim.active("c1", "s1", "ann");

    sim.ok(set("ann", Scope::AllSpaces, Availability::Unavailable));

    assert_eq!(sim.status("c1"), work(WorkStatus::Active));
    assert_eq!(sim.agent("ann").active, 1);
    assert_eq!(
        sim.agent("ann").unavailable_reason,
        Some(UnavailableReason::SetByAgent)
    );
}

// SPEC R-AVAIL-1
#[test]
fn going_unavailable_skips_new_offers() {
    let mut sim = two_spaces().available("ann", "s1").available("bob", "s1");
    sim.ok(set(
        "ann",
        Scope::Space(sid("s1")),
        Availability::Unavailable,
    ));

    let effects = sim.start("c1", "s1");

    assert_eq!(offers(&effects), vec![pair("c1", "bob")]);
}

// SPEC R-AVAIL-1
#[test]
fn going_unavailable_withdraws_held_offers_and_moves_them_on() {
    let mut sim = two_spaces().available("ann", "s1").available("bob", "s1");
    sim.start("c1", "s1");

    let effects = sim.ok(set(
        "ann",
        Scope::Space(sid("s1")),
        Availability::Unavailable,
    ));

    assert_eq!(
        withdrawals(&effects),
        vec![("c1".into(), "ann".into(), WithdrawReason::AgentUnavailable)]
    );
    assert_eq!(offers(&effects), vec![pair("c1", "bob")]);
}

// SPEC R-AVAIL-1, R-ROUTE-2
#[test]
fn becoming_available_offers_the_oldest_waiting_conversation_at_once() {
    let mut sim = two_spaces().available("bob", "s1").max(1);
    sim.active("c0", "s1", "bob");
    sim.start("c1", "s1");
    sim.advance(1_000);
    sim.start("c2", "s1");

    let effects = sim.ok(set("ann", Scope::AllSpaces, Availability::Available));

    assert_eq!(offers(&effects), vec![pair("c1", "ann")]);
}

// SPEC R-ROUTE-5, R-AVAIL-1
#[test]
fn setting_available_after_a_missed_offer_clears_the_reason() {
    let mut sim = two_spaces().available("ann", "s1");
    sim.start("c1", "s1");
    sim.advance(120_000);
    sim.tick("c1");
    assert!(matches!(
        sim.agent("ann").unavailable_reason,
        Some(UnavailableReason::MissedOffer { .. })
    ));

    let effects = sim.ok(set("ann", Scope::AllSpaces, Availability::Available));

    assert_eq!(sim.agent("ann").unavailable_reason, None);
    assert_eq!(offers(&effects), vec![pair("c1", "ann")]);
}

#[test]
fn availability_labels_are_the_user_facing_terms() {
    assert_eq!(Availability::Available.label(), "Available");
    assert_eq!(Availability::Unavailable.label(), "Unavailable");
}

#[test]
fn every_changed_row_is_named_for_storage_after_the_events() {
    let mut sim = two_spaces().available("ann", "s1");

    let effects = sim.start("c1", "s1");

    let tail: Vec<_> = effects
        .iter()
        .skip_while(|e| !matches!(e, Effect::StoreSpace { .. }))
        .collect();
    assert_eq!(
        tail,
        vec![
            &Effect::StoreSpace { space: sid("s1") },
            &Effect::StoreConversation {
                conversation: cid("c1"),
                next_deadline: Some(sim.now.plus(120_000))
            },
        ]
    );
}

// SPEC R-AVAIL-1 (presence): no dashboard open means no offers nobody would see.
#[test]
fn an_agent_whose_dashboards_are_all_closed_becomes_unavailable_and_their_offer_moves_on() {
    let mut sim = Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1")
        .available("bob", "s1");
    sim.start("c1", "s1");
    assert_eq!(sim.offered_to("c1").as_deref(), Some("ann"));

    let effects = sim.ok(Command::AgentAway { agent: aid("ann") });

    assert_eq!(sim.availability("ann", "s1"), Availability::Unavailable);
    assert!(matches!(
        sim.agent("ann").unavailable_reason,
        Some(UnavailableReason::Disconnected { .. })
    ));
    assert_eq!(sim.offered_to("c1").as_deref(), Some("bob"));
    assert!(withdrawals(&effects).contains(&(
        "c1".to_string(),
        "ann".to_string(),
        WithdrawReason::AgentUnavailable
    )));
}

#[test]
fn going_away_keeps_the_earlier_reason_of_an_agent_already_unavailable() {
    let mut sim = Sim::new().space("s1", &["ann"]);
    sim.ok(set("ann", Scope::AllSpaces, Availability::Unavailable));

    let effects = sim.ok(Command::AgentAway { agent: aid("ann") });

    assert!(effects.is_empty());
    assert_eq!(
        sim.agent("ann").unavailable_reason,
        Some(UnavailableReason::SetByAgent)
    );
}
