//! Starting with the AI agent and handing off to the team (SPEC R-HAND-*, R-CUST-2).

mod support;

use domain::{
    Author, Command, ConversationStatus, CustomerId, DomainError, EventKind, Start, WorkStatus,
};
use support::*;

fn team() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1")
        .available("bob", "s1")
}

// SPEC R-HAND-1, R-MODE-1
#[test]
fn an_ai_conversation_has_no_work_item_and_is_not_routed() {
    let mut sim = team();

    let effects = sim.start_with_ai("c1", "s1");

    assert_eq!(sim.status("c1"), ConversationStatus::WithAi);
    assert!(offers(&effects).is_empty());
    assert!(events(&effects).is_empty());
}

// SPEC R-CUST-2, R-MODE-1
#[test]
fn an_ai_conversation_needs_no_sign_in_but_a_handoff_does() {
    let mut sim = team();
    sim.ok(Command::StartConversation {
        id: cid("c1"),
        space: sid("s1"),
        customer: None,
        via: Start::Ai,
    });

    let err = sim.err(Command::HandOff {
        conversation: cid("c1"),
    });
    sim.ok(Command::IdentifyCustomer {
        conversation: cid("c1"),
        customer: CustomerId::new("u1"),
    });
    sim.ok(Command::HandOff {
        conversation: cid("c1"),
    });

    assert_eq!(err, DomainError::SignInRequired);
    assert_eq!(sim.status("c1"), work(WorkStatus::WaitingForAgent));
}

#[test]
fn an_identified_conversation_cannot_be_claimed_by_another_customer() {
    let mut sim = team();
    sim.start_with_ai("c1", "s1");

    let err = sim.err(Command::IdentifyCustomer {
        conversation: cid("c1"),
        customer: CustomerId::new("someone-else"),
    });

    assert_eq!(err, DomainError::CustomerMismatch);
}

// SPEC R-HAND-2, R-HAND-3
#[test]
fn handoff_routes_in_the_same_conversation_and_seq_continues() {
    let mut sim = team();
    sim.start_with_ai("c1", "s1");
    sim.say("c1", Author::Customer, "I need a person");
    sim.say("c1", Author::Ai, "Connecting you");

    let effects = sim.ok(Command::HandOff {
        conversation: cid("c1"),
    });

    let seqs: Vec<i64> = effects
        .iter()
        .filter_map(|e| match e {
            domain::Effect::Event(event) => Some(event.seq),
            _ => None,
        })
        .collect();
    assert_eq!(seqs, vec![3, 4]);
    assert_eq!(
        events(&effects),
        vec![
            EventKind::HandedOff,
            EventKind::StatusChanged {
                from: None,
                to: WorkStatus::WaitingForAgent
            },
        ]
    );
    assert_eq!(offers(&effects), vec![pair("c1", "ann")]);
}

// SPEC R-HAND-2
#[test]
fn the_ai_may_not_speak_after_handoff() {
    let mut sim = team();
    sim.start_with_ai("c1", "s1");
    sim.ok(Command::HandOff {
        conversation: cid("c1"),
    });

    let err = sim.err(message_cmd("c1", Author::Ai, "one more thing"));

    assert_eq!(err, DomainError::AiHasEnded);
}

// SPEC R-HAND-2
#[test]
fn handing_off_twice_is_refused() {
    let mut sim = team();
    sim.start_with_ai("c1", "s1");
    sim.ok(Command::HandOff {
        conversation: cid("c1"),
    });

    let err = sim.err(Command::HandOff {
        conversation: cid("c1"),
    });

    assert!(matches!(err, DomainError::WrongStatus { .. }), "{err:?}");
}

// SPEC R-MODE-3
#[test]
fn handoff_into_a_space_with_live_chat_off_is_refused() {
    let mut sim = team();
    sim.start_with_ai("c1", "s1");
    sim.ok(Command::SetLiveChat {
        space: sid("s1"),
        on: false,
    });

    let err = sim.err(Command::HandOff {
        conversation: cid("c1"),
    });

    assert_eq!(err, DomainError::LiveChatOff { space: sid("s1") });
}

// SPEC R-ROUTE-6, R-HAND-3
#[test]
fn handoff_with_nobody_available_shows_the_fallback() {
    let mut sim = Sim::new().space("s1", &["ann"]);
    sim.start_with_ai("c1", "s1");

    let effects = sim.ok(Command::HandOff {
        conversation: cid("c1"),
    });

    assert!(events(&effects).contains(&EventKind::FallbackShown));
    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
}
