//! Time to first response (SPEC R-VIEW-4).

use domain::sla::{FirstResponse, first_response};
use domain::{MINUTE, SECOND, Timestamp};

const START: Timestamp = Timestamp(1_700_000_000_000);
const GOAL: i64 = 5 * MINUTE;

// SPEC R-VIEW-4
#[test]
fn before_any_reply_the_clock_runs_toward_the_goal() {
    let state = first_response(START, None, None, GOAL, START.plus(2 * MINUTE));

    assert_eq!(
        state,
        FirstResponse::Running {
            remaining: 3 * MINUTE
        }
    );
    assert_eq!(state.label(), "First response due in 3 min");
}

// SPEC R-VIEW-4: the timer stops at the agent's first reply.
#[test]
fn a_reply_within_the_goal_meets_it_and_the_clock_stops() {
    let replied = Some(START.plus(40 * SECOND));

    let later = first_response(START, replied, None, GOAL, START.plus(3 * 60 * MINUTE));

    assert_eq!(later, FirstResponse::Met { took: 40 * SECOND });
}

// SPEC R-VIEW-4
#[test]
fn no_reply_past_the_goal_is_breached_and_keeps_counting() {
    let state = first_response(START, None, None, GOAL, START.plus(7 * MINUTE));

    assert_eq!(state, FirstResponse::Breached { over: 2 * MINUTE });
}

#[test]
fn a_late_reply_stays_breached_by_how_late_it_was() {
    let state = first_response(
        START,
        Some(START.plus(6 * MINUTE)),
        None,
        GOAL,
        START.plus(60 * MINUTE),
    );

    assert_eq!(state, FirstResponse::Breached { over: MINUTE });
}

// SPEC R-VIEW-4: a conversation that ended unanswered has nothing due any more.
#[test]
fn a_conversation_that_ended_unanswered_within_the_goal_is_no_longer_due() {
    let ended = Some(START.plus(MINUTE));

    let later = first_response(START, None, ended, GOAL, START.plus(3 * 60 * MINUTE));

    assert_eq!(later, FirstResponse::EndedUnanswered);
    assert_eq!(later.label(), "Ended before a first response");
}

#[test]
fn a_conversation_that_ended_unanswered_past_the_goal_stays_breached_by_the_time_it_ended() {
    let ended = Some(START.plus(8 * MINUTE));

    let later = first_response(START, None, ended, GOAL, START.plus(3 * 60 * MINUTE));

    assert_eq!(later, FirstResponse::Breached { over: 3 * MINUTE });
}

mod support;

// SPEC R-VIEW-4: the conversation records the first agent reply, and only the first.
#[test]
fn the_conversation_remembers_when_an_agent_first_replied() {
    use domain::Author;
    use support::*;
    let mut sim = Sim::new().space("s1", &["ann"]).available("ann", "s1");
    sim.active("c1", "s1", "ann");
    sim.say("c1", Author::Customer, "hi");
    assert_eq!(sim.conv("c1").first_agent_reply_at, None);

    sim.advance(30 * SECOND);
    sim.say("c1", Author::Agent(aid("ann")), "hello");
    let first = sim.conv("c1").first_agent_reply_at;
    sim.advance(30 * SECOND);
    sim.say("c1", Author::Agent(aid("ann")), "still here");

    assert!(first.is_some());
    assert_eq!(sim.conv("c1").first_agent_reply_at, first);
}
