//! Inactivity and maximum duration (SPEC R-TIME-3, R-TIME-4).

mod support;

use domain::{Author, EndReason, EventKind, Timers, WorkStatus, next_deadline};
use support::*;

const MIN: i64 = 60_000;

fn pair_of_agents() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1")
        .available("bob", "s1")
}

// SPEC R-TIME-3
#[test]
fn silence_in_an_active_conversation_warns_both_sides_once() {
    let mut sim = pair_of_agents();
    sim.active("c1", "s1", "ann");
    sim.advance(20 * MIN);

    let effects = sim.tick("c1");
    let again = sim.tick("c1");

    assert_eq!(events(&effects), vec![EventKind::InactivityWarning]);
    assert!(EventKind::InactivityWarning.visible_to_customer());
    assert!(again.is_empty());
    assert_eq!(sim.status("c1"), work(WorkStatus::Active));
}

// SPEC R-TIME-3
#[test]
fn a_message_after_the_warning_resets_inactivity() {
    let mut sim = pair_of_agents();
    sim.active("c1", "s1", "ann");
    sim.advance(20 * MIN);
    sim.tick("c1");
    sim.advance(5 * MIN);

    sim.say("c1", Author::Customer, "still here");
    sim.advance(10 * MIN);
    let effects = sim.tick("c1");

    assert!(
        effects.is_empty(),
        "10 min after the message nothing is due"
    );
    assert_eq!(sim.status("c1"), work(WorkStatus::Active));
    assert_eq!(
        next_deadline(sim.conv("c1"), &sim.world.settings.timers),
        Some(sim.now.plus(10 * MIN))
    );
}

// SPEC R-TIME-3, R-LIFE-3
#[test]
fn still_silent_ten_minutes_after_the_warning_ends_into_wrapping_up() {
    let mut sim = pair_of_agents();
    sim.active("c1", "s1", "ann");
    sim.advance(20 * MIN);
    sim.tick("c1");
    sim.advance(10 * MIN);

    let effects = sim.tick("c1");

    assert_eq!(
        events(&effects),
        vec![
            EventKind::Ended {
                reason: EndReason::Inactivity
            },
            EventKind::StatusChanged {
                from: Some(WorkStatus::Active),
                to: WorkStatus::WrappingUp
            },
        ]
    );
    assert_eq!(
        sim.agent("ann").active,
        1,
        "the slot is held until resolved"
    );
}

// SPEC R-TIME-3
#[test]
fn a_late_tick_still_warns_before_ending() {
    let mut sim = pair_of_agents();
    sim.active("c1", "s1", "ann");
    sim.advance(45 * MIN);

    let effects = sim.tick("c1");

    assert_eq!(events(&effects), vec![EventKind::InactivityWarning]);
}

// SPEC R-TIME-3
#[test]
fn internal_notes_do_not_count_as_activity() {
    let mut sim = pair_of_agents();
    sim.active("c1", "s1", "ann");
    sim.advance(19 * MIN);
    sim.ok(note_cmd("ann", "c1", "customer went quiet"));
    sim.advance(MIN);

    let effects = sim.tick("c1");

    assert_eq!(events(&effects), vec![EventKind::InactivityWarning]);
}

// SPEC R-TIME-4, R-LIFE-3
#[test]
fn conversation_ends_after_maximum_duration_even_if_active() {
    let mut sim = pair_of_agents();
    sim.active("c1", "s1", "ann");
    for _ in 0..(24 * 6) {
        sim.advance(10 * MIN);
        sim.say("c1", Author::Customer, "hello");
    }

    let effects = sim.tick("c1");

    assert_eq!(
        events(&effects),
        vec![
            EventKind::Ended {
                reason: EndReason::MaxDuration
            },
            EventKind::StatusChanged {
                from: Some(WorkStatus::Active),
                to: WorkStatus::WrappingUp
            },
        ]
    );
}

// SPEC R-TIME-4, R-LIFE-5
#[test]
fn never_accepted_conversation_at_maximum_duration_closes() {
    let timers = Timers {
        accept_deadline: 48 * 60 * MIN,
        ..Timers::default()
    };
    let mut sim = Sim::new()
        .timers(timers)
        .space("s1", &["ann"])
        .available("ann", "s1")
        .max(1);
    sim.active("c0", "s1", "ann");
    sim.start("c1", "s1");
    sim.advance(24 * 60 * MIN);

    let effects = sim.tick("c1");

    assert_eq!(
        events(&effects)[0],
        EventKind::Ended {
            reason: EndReason::MaxDuration
        }
    );
    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
}

// SPEC R-TIME-4
#[test]
fn conversation_left_with_the_ai_ends_after_maximum_duration() {
    let mut sim = pair_of_agents();
    sim.start_with_ai("c1", "s1");
    sim.advance(24 * 60 * MIN);

    let effects = sim.tick("c1");

    assert_eq!(
        events(&effects),
        vec![EventKind::Ended {
            reason: EndReason::MaxDuration
        }]
    );
    assert_eq!(sim.status("c1"), domain::ConversationStatus::EndedWithAi);
}
