//! Messages, internal notes and durable event numbering (SPEC R-AGENT-1, R-CUST-*).

mod support;

use domain::{
    Author, ConversationEvent, DomainError, Effect, Ender, EventKind, MAX_MESSAGE_CHARS, Timestamp,
    WorkStatus,
};
use support::*;

fn team() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1")
        .available("bob", "s1")
}

// SPEC R-AGENT-1
#[test]
fn the_assignee_can_message_the_customer_while_active() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    let effects = sim.say("c1", Author::Agent(aid("ann")), " Hi, how can I help? \n");

    assert_eq!(
        events(&effects),
        vec![EventKind::Message {
            author: Author::Agent(aid("ann")),
            body: "Hi, how can I help?".into(),
            client_id: "client- Hi, how can I help? \n".into(),
            attachment: None,
        }]
    );
}

// SPEC R-AGENT-1, R-ROUTE-9
#[test]
fn other_agents_cannot_message_the_customer() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    let err = sim.err(message_cmd("c1", Author::Agent(aid("bob")), "hello"));

    assert_eq!(err, DomainError::NotAssignee);
}

// SPEC R-LIFE-3
#[test]
fn the_agent_cannot_message_the_customer_once_wrapping_up() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.end_by_agent("ann", "c1");

    let err = sim.err(message_cmd("c1", Author::Agent(aid("ann")), "one more"));

    assert_eq!(
        err,
        DomainError::WrongStatus {
            expected: "Active".into(),
            actual: "Wrapping up".into()
        }
    );
}

// SPEC R-CUST-4, R-HAND-3
#[test]
fn the_customer_can_write_while_with_the_ai_waiting_and_active() {
    let mut sim = team();
    sim.start_with_ai("c1", "s1");
    sim.say("c1", Author::Customer, "to the ai");
    sim.ok(domain::Command::HandOff {
        conversation: cid("c1"),
        reason: domain::ai::HandoffReason::Button,
        farewell: None,
    });
    sim.say("c1", Author::Customer, "while waiting");
    sim.accept("ann", "c1");

    let effects = sim.say("c1", Author::Customer, "to ann");

    assert_eq!(events(&effects).len(), 1);
    assert_eq!(sim.conv("c1").next_seq, 8);
}

// SPEC R-CUST-5
#[test]
fn the_customer_cannot_write_after_the_conversation_ended() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.ok(domain::Command::EndConversation {
        conversation: cid("c1"),
        by: Ender::Customer,
    });

    let err = sim.err(message_cmd("c1", Author::Customer, "wait"));

    assert_eq!(err, DomainError::ConversationEnded);
}

// SPEC R-AGENT-1
#[test]
fn internal_notes_are_never_visible_to_the_customer() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    let effects = sim.ok(note_cmd("ann", "c1", "VIP customer"));

    let [Effect::Event(event)] = &effects[..1] else {
        panic!("{effects:?}")
    };
    assert!(matches!(event.kind, EventKind::Note { .. }));
    assert!(!event.visible_to_customer());
    assert!(
        EventKind::Message {
            author: Author::Ai,
            body: "x".into(),
            client_id: "y".into(),
            attachment: None,
        }
        .visible_to_customer()
    );
}

// SPEC R-LIFE-3
#[test]
fn internal_notes_are_allowed_while_wrapping_up_but_not_after_closing() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.end_by_agent("ann", "c1");
    sim.ok(note_cmd("ann", "c1", "wrap-up note"));
    sim.resolve("ann", "c1");

    let err = sim.err(note_cmd("ann", "c1", "too late"));

    assert!(matches!(err, DomainError::WrongStatus { .. }));
}

// SPEC R-VIEW-3
#[test]
fn agents_outside_the_conversation_cannot_add_notes() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    let err = sim.err(note_cmd("bob", "c1", "peek"));

    assert_eq!(err, DomainError::NotParticipant);
}

// SPEC R-AGENT-1
#[test]
fn empty_and_oversized_messages_are_refused() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    let empty = sim.err(message_cmd("c1", Author::Customer, " \n\t "));
    let long = sim.err(message_cmd(
        "c1",
        Author::Customer,
        &"é".repeat(MAX_MESSAGE_CHARS + 1),
    ));
    sim.say("c1", Author::Customer, &"é".repeat(MAX_MESSAGE_CHARS));

    assert_eq!(empty, DomainError::EmptyMessage);
    assert_eq!(
        long,
        DomainError::MessageTooLong {
            max: MAX_MESSAGE_CHARS
        }
    );
}

// SPEC R-CUST-4 (replay by seq)
#[test]
fn every_durable_event_gets_the_next_seq_without_gaps() {
    let mut sim = team();
    let mut all = sim.start("c1", "s1");
    all.extend(sim.say("c1", Author::Customer, "hi"));
    all.extend(sim.accept("ann", "c1"));
    all.extend(sim.ok(note_cmd("ann", "c1", "note")));
    all.extend(sim.end_by_agent("ann", "c1"));
    all.extend(sim.resolve("ann", "c1"));

    let seqs: Vec<i64> = all
        .iter()
        .filter_map(|e| {
            if let Effect::Event(ev) = e {
                Some(ev.seq)
            } else {
                None
            }
        })
        .collect();

    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    assert_eq!(sim.conv("c1").next_seq, seqs.len() as i64 + 1);
}

#[test]
fn events_serialise_with_a_type_tag_and_read_back() {
    let event = ConversationEvent {
        conversation: cid("c1"),
        seq: 4,
        at: Timestamp(T0),
        kind: EventKind::StatusChanged {
            from: Some(WorkStatus::Active),
            to: WorkStatus::WrappingUp,
        },
    };

    let json = serde_json::to_value(&event).unwrap();

    assert_eq!(json["type"], "status_changed");
    assert_eq!(json["to"], "wrapping_up");
    assert_eq!(
        serde_json::from_value::<ConversationEvent>(json).unwrap(),
        event
    );
}

#[test]
fn refused_commands_leave_the_world_unchanged_and_produce_no_effects() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    let before = sim.world.clone();

    let result = sim.run(message_cmd("c1", Author::Agent(aid("bob")), "sneaky"));

    assert!(result.is_err());
    assert_eq!(sim.world, before);
}
