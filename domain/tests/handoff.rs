//! Starting with the AI agent and handing off to the team (SPEC R-HAND-*, R-CUST-2).

mod support;

use domain::ai::HandoffReason;
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

fn start_anonymously(sim: &mut Sim, conv: &str) {
    sim.ok(Command::StartConversation {
        id: cid(conv),
        space: sid("s1"),
        customer: None,
        via: Start::Ai {
            visitor: Some(domain::VisitorId::new("v1")),
        },
    });
}

fn hand_off(conv: &str, reason: HandoffReason, farewell: &str) -> Command {
    Command::HandOff {
        conversation: cid(conv),
        reason,
        farewell: Some(farewell.into()),
    }
}

// SPEC R-CUST-2, R-MODE-1
#[test]
fn an_anonymous_ai_conversation_is_allowed_but_not_a_nobody_one() {
    let mut sim = team();
    start_anonymously(&mut sim, "c1");

    let err = sim.err(Command::StartConversation {
        id: cid("c2"),
        space: sid("s1"),
        customer: None,
        via: Start::Ai { visitor: None },
    });

    assert_eq!(sim.status("c1"), ConversationStatus::WithAi);
    assert_eq!(err, DomainError::SignInRequired);
}

// SPEC R-CUST-2, R-HAND-2
#[test]
fn a_handoff_before_sign_in_waits_for_it_and_the_ai_stays_silent() {
    let mut sim = team();
    start_anonymously(&mut sim, "c1");

    let effects = sim.ok(hand_off(
        "c1",
        HandoffReason::AskedForPerson,
        "Passing you on.",
    ));
    sim.say("c1", Author::Customer, "hello? are you there?");
    let err = sim.err(message_cmd("c1", Author::Ai, "still me"));

    assert_eq!(
        events(&effects),
        vec![
            EventKind::Message {
                author: Author::Ai,
                body: "Passing you on.".into(),
                client_id: "ai-handoff:c1".into(),
                attachment: None,
            },
            EventKind::HandoffRequested {
                reason: HandoffReason::AskedForPerson
            },
        ]
    );
    assert!(offers(&effects).is_empty());
    assert_eq!(sim.status("c1"), ConversationStatus::WithAi);
    assert_eq!(err, DomainError::AiHasEnded);
}

// SPEC R-CUST-2, R-HAND-3
#[test]
fn signing_in_completes_a_waiting_handoff_in_the_same_thread() {
    let mut sim = team();
    start_anonymously(&mut sim, "c1");
    sim.say("c1", Author::Customer, "Where is my parcel?");
    sim.ok(hand_off("c1", HandoffReason::CannotHelp, "Passing you on."));

    let effects = sim.ok(Command::IdentifyCustomer {
        conversation: cid("c1"),
        customer: CustomerId::new("u1"),
    });

    assert_eq!(
        events(&effects),
        vec![
            EventKind::HandedOff {
                reason: Some(HandoffReason::CannotHelp)
            },
            EventKind::StatusChanged {
                from: None,
                to: WorkStatus::WaitingForAgent
            },
        ]
    );
    assert_eq!(offers(&effects), vec![pair("c1", "ann")]);
    assert_eq!(sim.conv("c1").customer, Some(CustomerId::new("u1")));
}

// SPEC R-HAND-2
#[test]
fn the_farewell_is_the_ais_last_word_before_routing() {
    let mut sim = team();
    sim.start_with_ai("c1", "s1");

    let effects = sim.ok(hand_off(
        "c1",
        HandoffReason::Rule {
            phrase: "refund".into(),
        },
        "Passing you on.",
    ));

    let kinds = events(&effects);
    assert!(matches!(
        kinds[0],
        EventKind::Message {
            author: Author::Ai,
            ..
        }
    ));
    assert_eq!(
        kinds[1],
        EventKind::HandedOff {
            reason: Some(HandoffReason::Rule {
                phrase: "refund".into()
            })
        }
    );
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
        reason: HandoffReason::Button,
        farewell: None,
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
            EventKind::HandedOff {
                reason: Some(HandoffReason::Button)
            },
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
        reason: HandoffReason::Button,
        farewell: None,
    });

    let err = sim.err(message_cmd("c1", Author::Ai, "one more thing"));

    assert_eq!(err, DomainError::AiHasEnded);
}

// SPEC R-HAND-2
#[test]
fn handing_off_twice_changes_nothing() {
    let mut sim = team();
    sim.start_with_ai("c1", "s1");
    sim.ok(hand_off("c1", HandoffReason::Button, "Passing you on."));

    let again = sim.ok(hand_off("c1", HandoffReason::Button, "Passing you on."));

    assert!(events(&again).is_empty());
    assert_eq!(sim.status("c1"), work(WorkStatus::WaitingForAgent));
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
        reason: HandoffReason::Button,
        farewell: None,
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
        reason: HandoffReason::Button,
        farewell: None,
    });

    assert!(events(&effects).contains(&EventKind::FallbackShown));
    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
}
