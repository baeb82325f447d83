//! Offers, round robin, accept and decline (SPEC R-ROUTE-*).

mod support;

use domain::{Command, DomainError, EventKind, WithdrawReason, WorkStatus};
use support::*;

fn team_of_three() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob", "cat"])
        .available("ann", "s1")
        .available("bob", "s1")
        .available("cat", "s1")
}

// SPEC R-ROUTE-2
#[test]
fn new_conversation_is_offered_to_one_available_member_at_a_time() {
    let mut sim = team_of_three();

    let effects = sim.start("c1", "s1");

    assert_eq!(offers(&effects), vec![pair("c1", "ann")]);
    assert_eq!(sim.status("c1"), work(WorkStatus::WaitingForAgent));
    assert_eq!(sim.world.spaces[&sid("s1")].cursor, Some(aid("ann")));
}

// SPEC R-ROUTE-2
#[test]
fn offers_rotate_round_robin_through_the_members() {
    let mut sim = team_of_three();

    let offered: Vec<_> = ["c1", "c2", "c3", "c4"]
        .iter()
        .flat_map(|c| offers(&sim.start(c, "s1")))
        .collect();

    assert_eq!(
        offered,
        vec![
            pair("c1", "ann"),
            pair("c2", "bob"),
            pair("c3", "cat"),
            pair("c4", "ann")
        ]
    );
}

// SPEC R-ROUTE-2
#[test]
fn round_robin_skips_unavailable_members() {
    let mut sim = Sim::new()
        .space("s1", &["ann", "bob", "cat"])
        .available("ann", "s1")
        .available("cat", "s1");

    let offered: Vec<_> = ["c1", "c2", "c3"]
        .iter()
        .flat_map(|c| offers(&sim.start(c, "s1")))
        .collect();

    assert_eq!(
        offered,
        vec![pair("c1", "ann"), pair("c2", "cat"), pair("c3", "ann")]
    );
}

// SPEC R-ROUTE-2, R-ROUTE-10
#[test]
fn round_robin_skips_agents_at_maximum_conversations() {
    let mut sim = team_of_three().max(1);
    sim.active("c1", "s1", "ann");

    let offered: Vec<_> = ["c2", "c3"]
        .iter()
        .flat_map(|c| offers(&sim.start(c, "s1")))
        .collect();

    assert_eq!(offered, vec![pair("c2", "bob"), pair("c3", "cat")]);
}

// SPEC R-ROUTE-2
#[test]
fn outstanding_offers_count_toward_the_limit_so_nobody_is_offered_more_than_they_can_take() {
    let mut sim = Sim::new()
        .max(2)
        .space("s1", &["ann"])
        .available("ann", "s1");
    sim.start("c1", "s1");
    sim.start("c2", "s1");

    let effects = sim.start("c3", "s1");

    assert!(offers(&effects).is_empty());
    assert_eq!(sim.offered_to("c3"), None);
    assert_eq!(sim.status("c3"), work(WorkStatus::WaitingForAgent));
}

// SPEC R-ROUTE-2
#[test]
fn load_spreads_evenly_across_the_team() {
    let mut sim = team_of_three();

    for conv in ["c1", "c2", "c3", "c4", "c5", "c6"] {
        sim.start(conv, "s1");
        let agent = sim.offered_to(conv).expect("offered");
        sim.accept(&agent, conv);
    }

    for agent in ["ann", "bob", "cat"] {
        assert_eq!(sim.agent(agent).active, 2, "{agent}");
    }
}

// SPEC R-ROUTE-3
#[test]
fn offer_moves_to_next_agent_after_decline() {
    let mut sim = team_of_three();
    sim.start("c1", "s1");

    let effects = sim.decline("ann", "c1");

    assert_eq!(
        withdrawals(&effects),
        vec![("c1".into(), "ann".into(), WithdrawReason::Declined)]
    );
    assert_eq!(offers(&effects), vec![pair("c1", "bob")]);
}

// SPEC R-ROUTE-3
#[test]
fn decline_passes_over_the_decliner_even_when_the_cursor_points_at_them() {
    let mut sim = Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1")
        .available("bob", "s1");
    sim.start("c1", "s1"); // ann
    sim.start("c2", "s1"); // bob, cursor now bob

    let effects = sim.decline("ann", "c1");

    assert_eq!(offers(&effects), vec![pair("c1", "bob")]);
}

// SPEC R-ROUTE-4
#[test]
fn only_available_agent_who_declines_is_offered_it_again() {
    let mut sim = Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1");
    sim.start("c1", "s1");

    let effects = sim.decline("ann", "c1");

    assert_eq!(offers(&effects), vec![pair("c1", "ann")]);
}

// SPEC R-ROUTE-3
#[test]
fn decline_by_someone_the_conversation_is_not_offered_to_is_refused() {
    let mut sim = team_of_three();
    sim.start("c1", "s1");

    let err = sim.err(Command::Decline {
        agent: aid("bob"),
        conversation: cid("c1"),
    });

    assert_eq!(err, DomainError::NotOffered);
    assert_eq!(
        err.to_string(),
        "This conversation is no longer offered to you."
    );
}

// SPEC R-ROUTE-6, R-LIFE-5, R-CUST-5
#[test]
fn conversation_starting_with_nobody_available_shows_fallback_and_closes() {
    let mut sim = Sim::new().space("s1", &["ann"]);

    let effects = sim.start("c1", "s1");

    assert_eq!(
        events(&effects),
        vec![
            EventKind::StatusChanged {
                from: None,
                to: WorkStatus::WaitingForAgent
            },
            EventKind::FallbackShown,
            EventKind::Ended {
                reason: domain::EndReason::NoAgentAvailable
            },
            EventKind::StatusChanged {
                from: Some(WorkStatus::WaitingForAgent),
                to: WorkStatus::Closed
            },
        ]
    );
    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
    assert!(offers(&effects).is_empty());
}

// SPEC R-ROUTE-6
#[test]
fn conversation_waits_in_queue_when_everyone_available_is_at_the_limit() {
    let mut sim = Sim::new()
        .max(1)
        .space("s1", &["ann"])
        .available("ann", "s1");
    sim.active("c1", "s1", "ann");

    let effects = sim.start("c2", "s1");

    assert!(!events(&effects).contains(&EventKind::FallbackShown));
    assert_eq!(sim.status("c2"), work(WorkStatus::WaitingForAgent));
    assert_eq!(sim.offered_to("c2"), None);
}

// SPEC R-ROUTE-2, R-ROUTE-10
#[test]
fn oldest_waiting_conversation_is_offered_first_when_a_slot_frees() {
    let mut sim = Sim::new()
        .max(1)
        .space("s1", &["ann"])
        .available("ann", "s1");
    sim.active("c0", "s1", "ann");
    sim.start("c2-newer-id-but-older", "s1");
    sim.advance(1_000);
    sim.start("c1", "s1");
    sim.end_by_agent("ann", "c0");

    let effects = sim.resolve("ann", "c0");

    assert_eq!(offers(&effects), vec![pair("c2-newer-id-but-older", "ann")]);
}

// SPEC R-ROUTE-1, R-ROUTE-2
#[test]
fn offers_go_only_to_members_of_the_routed_space() {
    let mut sim = Sim::new()
        .space("s1", &["ann"])
        .space("s2", &["bob"])
        .available("ann", "s1")
        .available("bob", "s2");

    let effects = sim.start("c1", "s2");

    assert_eq!(offers(&effects), vec![pair("c1", "bob")]);
}
