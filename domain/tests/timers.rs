//! Offer timeout, no-accept deadline, inactivity and maximum duration (SPEC R-TIME-*).

mod support;

use domain::{
    Availability, Command, EndReason, EventKind, Timers, Timestamp, UnavailableReason,
    WithdrawReason, WorkStatus, next_deadline,
};
use support::*;

const OFFER: i64 = 120_000;
const MIN: i64 = 60_000;

fn pair_of_agents() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1")
        .available("bob", "s1")
}

// SPEC R-ROUTE-5, R-TIME-1
#[test]
fn unanswered_offer_makes_the_agent_unavailable_everywhere_and_moves_on() {
    let mut sim = Sim::new()
        .space("s1", &["ann", "bob"])
        .space("s2", &["ann"])
        .available("ann", "s1")
        .available("bob", "s1")
        .available("ann", "s2");
    sim.start("c1", "s1");
    sim.advance(OFFER);

    let effects = sim.tick("c1");

    assert_eq!(
        withdrawals(&effects),
        vec![("c1".into(), "ann".into(), WithdrawReason::Expired)]
    );
    assert_eq!(offers(&effects), vec![pair("c1", "bob")]);
    assert_eq!(sim.availability("ann", "s1"), Availability::Unavailable);
    assert_eq!(sim.availability("ann", "s2"), Availability::Unavailable);
    assert_eq!(
        sim.agent("ann").unavailable_reason,
        Some(UnavailableReason::MissedOffer {
            conversation: cid("c1"),
            at: sim.now
        })
    );
}

// SPEC R-TIME-1
#[test]
fn offer_is_still_open_one_millisecond_before_the_timeout() {
    let mut sim = pair_of_agents();
    sim.start("c1", "s1");
    sim.advance(OFFER - 1);

    let effects = sim.tick("c1");

    assert!(effects.is_empty());
    assert_eq!(sim.offered_to("c1").as_deref(), Some("ann"));
}

// SPEC R-ROUTE-5
#[test]
fn unanswered_offer_also_withdraws_the_agents_other_offers_and_moves_them_on() {
    let mut sim = Sim::new()
        .space("s1", &["ann"])
        .space("s2", &["ann", "bob"])
        .available("ann", "s1")
        .available("ann", "s2")
        .available("bob", "s2");
    sim.start("c1", "s1");
    sim.advance(1_000);
    sim.start("c2", "s2");
    assert_eq!(sim.offered_to("c2").as_deref(), Some("ann"));
    sim.advance(OFFER - 1_000);

    let effects = sim.tick("c1");

    assert_eq!(
        withdrawals(&effects),
        vec![
            ("c1".into(), "ann".into(), WithdrawReason::Expired),
            ("c2".into(), "ann".into(), WithdrawReason::AgentUnavailable),
        ]
    );
    assert_eq!(offers(&effects), vec![pair("c2", "bob")]);
    assert_eq!(sim.offered_to("c1"), None, "c1 waits: nobody else in s1");
    assert_eq!(sim.status("c1"), work(WorkStatus::WaitingForAgent));
}

// SPEC R-ROUTE-5, R-TIME-5
#[test]
fn tick_before_anything_is_due_does_nothing() {
    let mut sim = pair_of_agents();
    sim.start("c1", "s1");
    let before = sim.world.clone();

    let effects = sim.tick("c1");

    assert!(effects.is_empty());
    assert_eq!(sim.world, before);
}

// SPEC R-TIME-1..4
#[test]
fn ticking_twice_fires_each_timer_once() {
    let mut sim = pair_of_agents();
    sim.start("c1", "s1");
    sim.advance(OFFER);
    let first = sim.tick("c1");
    let after_first = sim.world.clone();

    let second = sim.tick("c1");

    assert!(!first.is_empty());
    assert!(second.is_empty());
    assert_eq!(sim.world, after_first);
}

// SPEC R-ROUTE-7, R-TIME-2, R-LIFE-5
#[test]
fn no_accept_within_twenty_minutes_shows_fallback_and_closes() {
    let mut sim = pair_of_agents();
    sim.start("c1", "s1");
    for _ in 0..10 {
        sim.advance(119_000);
        sim.decline("ann", "c1");
        sim.decline("bob", "c1");
    }
    sim.advance(10_000);
    assert!(
        sim.conv("c1")
            .offer
            .as_ref()
            .is_some_and(|o| o.expires_at > sim.now)
    );

    let effects = sim.tick("c1");

    assert_eq!(
        events(&effects),
        vec![
            EventKind::FallbackShown,
            EventKind::Ended {
                reason: EndReason::NoAcceptInTime
            },
            EventKind::StatusChanged {
                from: Some(WorkStatus::WaitingForAgent),
                to: WorkStatus::Closed
            },
        ]
    );
    assert_eq!(
        withdrawals(&effects),
        vec![("c1".into(), "ann".into(), WithdrawReason::NoAcceptInTime)]
    );
    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
    assert_eq!(
        next_deadline(sim.conv("c1"), &sim.world.settings.timers),
        None
    );
}

// SPEC R-TIME-2: the offered agent learns the deadline ran out, not that the customer left.
#[test]
fn the_accept_deadline_withdraws_the_offer_as_not_accepted_in_time() {
    let timers = Timers {
        accept_deadline: 60_000,
        ..Timers::default()
    };
    let mut sim = pair_of_agents().timers(timers);
    sim.start("c1", "s1");
    sim.advance(60_000);

    let effects = sim.tick("c1");

    assert_eq!(
        withdrawals(&effects),
        vec![("c1".into(), "ann".into(), WithdrawReason::NoAcceptInTime)]
    );
    assert_eq!(sim.conv("c1").end_reason, Some(EndReason::NoAcceptInTime));
}

// SPEC R-ROUTE-5, R-ROUTE-7
#[test]
fn a_tick_long_after_both_deadlines_fires_the_missed_offer_then_the_fallback() {
    let mut sim = pair_of_agents();
    sim.start("c1", "s1");
    sim.advance(25 * MIN);

    let effects = sim.tick("c1");

    assert_eq!(sim.availability("ann", "s1"), Availability::Unavailable);
    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
    assert_eq!(
        withdrawals(&effects),
        vec![("c1".into(), "ann".into(), WithdrawReason::Expired)],
        "the fallback comes before any re-offer"
    );
    assert!(offers(&effects).is_empty());
    assert!(events(&effects).contains(&EventKind::FallbackShown));
}

// SPEC R-ROUTE-5, R-ROUTE-8
#[test]
fn accept_at_the_moment_the_offer_expires_is_refused_even_before_the_tick() {
    let mut sim = pair_of_agents();
    sim.start("c1", "s1");
    sim.advance(OFFER);

    let err = sim.err(Command::Accept {
        agent: aid("ann"),
        conversation: cid("c1"),
    });

    assert_eq!(err, domain::DomainError::NotOffered);
}

// SPEC R-TIME-1..4
#[test]
fn next_deadline_is_the_earliest_pending_timer() {
    let mut sim = pair_of_agents();
    sim.start("c1", "s1");
    let timers = sim.world.settings.timers.clone();
    assert_eq!(
        next_deadline(sim.conv("c1"), &timers),
        Some(sim.now.plus(OFFER))
    );

    sim.accept("ann", "c1");

    assert_eq!(
        next_deadline(sim.conv("c1"), &timers),
        Some(sim.now.plus(20 * MIN))
    );
}

// SPEC R-LIFE-6
#[test]
fn wrapping_up_and_closed_conversations_have_no_deadline() {
    let mut sim = pair_of_agents();
    sim.active("c1", "s1", "ann");
    sim.end_by_agent("ann", "c1");
    let timers = sim.world.settings.timers.clone();
    assert_eq!(next_deadline(sim.conv("c1"), &timers), None);

    sim.resolve("ann", "c1");

    assert_eq!(next_deadline(sim.conv("c1"), &timers), None);
}

// SPEC R-TIME-1
#[test]
fn poll_timeout_is_the_earliest_deadline_in_the_world_and_due_lists_what_to_tick() {
    let mut sim = pair_of_agents();
    sim.start("c1", "s1");
    sim.advance(1_000);
    sim.start("c2", "s1");

    assert_eq!(sim.world.poll_timeout(), Some(Timestamp(T0 + OFFER)));
    assert_eq!(sim.world.due(Timestamp(T0 + OFFER)), vec![cid("c1")]);
}

// SPEC R-TIME-5
#[test]
fn shortened_timers_from_configuration_are_honoured() {
    let timers = Timers {
        offer_timeout: 5_000,
        ..Timers::default()
    };
    let mut sim = pair_of_agents().timers(timers);
    sim.start("c1", "s1");
    sim.advance(5_000);

    let effects = sim.tick("c1");

    assert_eq!(offers(&effects), vec![pair("c1", "bob")]);
}

#[test]
fn tick_for_an_unknown_conversation_is_refused() {
    let mut sim = pair_of_agents();

    let err = sim.err(Command::Tick {
        conversation: cid("nope"),
    });

    assert_eq!(
        err,
        domain::DomainError::UnknownConversation {
            conversation: cid("nope")
        }
    );
}
