//! Work item lifecycle and AI handoff (SPEC R-LIFE-*, R-HAND-*, R-AGENT-2/3).

mod support;

use domain::{
    Command, ConversationStatus, DomainError, EndReason, Ender, EventKind, WithdrawReason,
    WorkStatus,
};
use support::*;

fn team() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1")
        .available("bob", "s1")
}

// SPEC R-LIFE-1
#[test]
fn a_direct_conversation_starts_waiting_for_agent() {
    let mut sim = team();

    let effects = sim.start("c1", "s1");

    assert_eq!(sim.status("c1"), work(WorkStatus::WaitingForAgent));
    assert_eq!(sim.conv("c1").waiting_since, Some(sim.now));
    assert_eq!(
        events(&effects),
        vec![EventKind::StatusChanged {
            from: None,
            to: WorkStatus::WaitingForAgent
        }]
    );
}

// SPEC R-LIFE-3, R-AGENT-2
#[test]
fn agent_ending_moves_the_item_to_wrapping_up() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    let effects = sim.end_by_agent("ann", "c1");

    assert_eq!(
        events(&effects),
        vec![
            EventKind::Ended {
                reason: EndReason::AgentEnded
            },
            EventKind::StatusChanged {
                from: Some(WorkStatus::Active),
                to: WorkStatus::WrappingUp
            },
        ]
    );
    assert_eq!(sim.agent("ann").active, 1);
}

// SPEC R-AGENT-2
#[test]
fn only_the_assignee_can_end_the_conversation() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    let err = sim.err(Command::EndConversation {
        conversation: cid("c1"),
        by: Ender::Agent(aid("bob")),
    });

    assert_eq!(err, DomainError::NotAssignee);
}

// SPEC R-LIFE-3
#[test]
fn customer_ending_an_active_conversation_moves_it_to_wrapping_up() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    sim.ok(Command::EndConversation {
        conversation: cid("c1"),
        by: Ender::Customer,
    });

    assert_eq!(sim.status("c1"), work(WorkStatus::WrappingUp));
    assert_eq!(sim.conv("c1").end_reason, Some(EndReason::CustomerEnded));
}

// SPEC R-LIFE-5
#[test]
fn customer_ending_before_any_accept_closes_straight_away_and_withdraws_the_offer() {
    let mut sim = team();
    sim.start("c1", "s1");

    let effects = sim.ok(Command::EndConversation {
        conversation: cid("c1"),
        by: Ender::Customer,
    });

    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
    assert_eq!(
        withdrawals(&effects),
        vec![("c1".into(), "ann".into(), WithdrawReason::Ended)]
    );
    assert_eq!(sim.agent("ann").active, 0);
}

// SPEC R-CUST-5
#[test]
fn customer_cannot_end_a_conversation_twice() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.ok(Command::EndConversation {
        conversation: cid("c1"),
        by: Ender::Customer,
    });

    let err = sim.err(Command::EndConversation {
        conversation: cid("c1"),
        by: Ender::Customer,
    });

    assert_eq!(err, DomainError::ConversationEnded);
}

// SPEC R-LIFE-4, R-AGENT-3
#[test]
fn resolving_closes_the_item_and_frees_the_slot() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.end_by_agent("ann", "c1");

    let effects = sim.ok(resolve_cmd("ann", "c1", "  Answered  "));

    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
    assert_eq!(sim.conv("c1").resolution.as_deref(), Some("Answered"));
    assert_eq!(sim.agent("ann").active, 0);
    assert_eq!(
        events(&effects),
        vec![
            EventKind::Resolved {
                resolution: "Answered".into(),
                agent: aid("ann")
            },
            EventKind::StatusChanged {
                from: Some(WorkStatus::WrappingUp),
                to: WorkStatus::Closed
            },
        ]
    );
}

// SPEC R-AGENT-3
#[test]
fn resolving_needs_a_resolution() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.end_by_agent("ann", "c1");

    let err = sim.err(resolve_cmd("ann", "c1", "   "));

    assert_eq!(err, DomainError::EmptyResolution);
}

// SPEC R-AGENT-3
#[test]
fn only_the_assignee_may_resolve() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.end_by_agent("ann", "c1");

    let err = sim.err(resolve_cmd("bob", "c1", "Done"));

    assert_eq!(err, DomainError::NotAssignee);
}

// SPEC R-LIFE-3, R-CUST-5 (decision: End conversation comes before Resolve)
#[test]
fn resolving_an_active_conversation_is_refused_until_it_is_ended() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");

    let err = sim.err(resolve_cmd("ann", "c1", "Done"));

    assert_eq!(
        err,
        DomainError::WrongStatus {
            expected: "Wrapping up".into(),
            actual: "Active".into()
        }
    );
}

// SPEC R-LIFE-4
#[test]
fn resolving_twice_is_refused() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.end_by_agent("ann", "c1");
    sim.resolve("ann", "c1");

    let err = sim.err(resolve_cmd("ann", "c1", "Again"));

    assert!(matches!(err, DomainError::WrongStatus { .. }));
    assert_eq!(sim.agent("ann").active, 0);
}

// SPEC R-LIFE-6
#[test]
fn an_ended_conversation_stays_for_the_agent_to_finish_and_resolve() {
    let mut sim = team();
    sim.active("c1", "s1", "ann");
    sim.ok(Command::EndConversation {
        conversation: cid("c1"),
        by: Ender::Customer,
    });

    sim.ok(note_cmd("ann", "c1", "follow-up created"));
    sim.resolve("ann", "c1");

    assert_eq!(sim.status("c1"), work(WorkStatus::Closed));
}

#[test]
fn status_labels_are_the_user_facing_terms() {
    assert_eq!(WorkStatus::WaitingForAgent.label(), "Waiting for agent");
    assert_eq!(WorkStatus::Active.label(), "Active");
    assert_eq!(WorkStatus::WrappingUp.label(), "Wrapping up");
    assert_eq!(WorkStatus::Closed.label(), "Closed");
    for status in [
        ConversationStatus::WithAi,
        ConversationStatus::EndedWithAi,
        work(WorkStatus::WaitingForAgent),
        work(WorkStatus::Active),
        work(WorkStatus::WrappingUp),
        work(WorkStatus::Closed),
    ] {
        assert_eq!(ConversationStatus::from_code(status.code()), Some(status));
    }
}

// SPEC R-LIFE-1..5
#[test]
fn only_the_lifecycle_moves_are_legal() {
    use WorkStatus::*;
    let legal = [
        (None, WaitingForAgent),
        (Some(WaitingForAgent), Active),
        (Some(WaitingForAgent), Closed),
        (Some(Active), WrappingUp),
        (Some(WrappingUp), Closed),
    ];
    for from in [
        None,
        Some(WaitingForAgent),
        Some(Active),
        Some(WrappingUp),
        Some(Closed),
    ] {
        for to in [WaitingForAgent, Active, WrappingUp, Closed] {
            assert_eq!(
                WorkStatus::is_legal_transition(from, to),
                legal.contains(&(from, to)),
                "{from:?} -> {to:?}"
            );
        }
    }
}
