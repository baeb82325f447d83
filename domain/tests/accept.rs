//! Accepting offers and the conversation limit (SPEC R-ROUTE-8, R-ROUTE-10, R-MODE-3).

mod support;

use domain::{Command, DomainError, EventKind, Start, WithdrawReason, WorkStatus};
use support::*;

fn team_of_three() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob", "cat"])
        .available("ann", "s1")
        .available("bob", "s1")
        .available("cat", "s1")
}

// SPEC R-ROUTE-8
#[test]
fn accepting_makes_the_agent_assignee_and_the_item_active() {
    let mut sim = team_of_three();
    sim.start("c1", "s1");

    let effects = sim.accept("ann", "c1");

    let conv = sim.conv("c1");
    assert_eq!(conv.assignee, Some(aid("ann")));
    assert!(conv.participants.contains(&aid("ann")));
    assert_eq!(conv.status, work(WorkStatus::Active));
    assert_eq!(conv.offer, None);
    assert_eq!(sim.agent("ann").active, 1);
    assert_eq!(
        events(&effects),
        vec![
            EventKind::Assigned { agent: aid("ann") },
            EventKind::StatusChanged {
                from: Some(WorkStatus::WaitingForAgent),
                to: WorkStatus::Active
            },
        ]
    );
    assert_eq!(
        withdrawals(&effects),
        vec![("c1".into(), "ann".into(), WithdrawReason::Accepted)]
    );
}

// SPEC R-ROUTE-8
#[test]
fn accept_by_another_agent_is_refused_as_not_offered() {
    let mut sim = team_of_three();
    sim.start("c1", "s1");

    let err = sim.err(Command::Accept {
        agent: aid("bob"),
        conversation: cid("c1"),
    });

    assert_eq!(err, DomainError::NotOffered);
}

// SPEC R-ROUTE-8
#[test]
fn accepting_twice_is_refused_as_not_offered() {
    let mut sim = team_of_three();
    sim.start("c1", "s1");
    sim.accept("ann", "c1");

    let err = sim.err(Command::Accept {
        agent: aid("ann"),
        conversation: cid("c1"),
    });

    assert_eq!(err, DomainError::NotOffered);
    assert_eq!(sim.agent("ann").active, 1);
}

// SPEC R-ROUTE-8, R-ROUTE-5
#[test]
fn accept_after_the_offer_expired_is_refused() {
    let mut sim = team_of_three();
    sim.start("c1", "s1");
    sim.advance(120_000);
    sim.tick("c1");

    let err = sim.err(Command::Accept {
        agent: aid("ann"),
        conversation: cid("c1"),
    });

    assert_eq!(err, DomainError::NotOffered);
}

// SPEC R-ROUTE-10
#[test]
fn accept_is_refused_when_the_limit_was_lowered_below_the_agents_load() {
    let mut sim = Sim::new()
        .max(2)
        .space("s1", &["ann"])
        .available("ann", "s1");
    sim.active("c1", "s1", "ann");
    sim.start("c2", "s1");
    sim.ok(Command::SetMaxConversations { max: 1 });

    let err = sim.err(Command::Accept {
        agent: aid("ann"),
        conversation: cid("c2"),
    });

    assert_eq!(err, DomainError::AtLimit { max: 1 });
}

// SPEC R-ROUTE-10, R-LIFE-4
#[test]
fn agent_at_limit_gets_no_offer_until_a_conversation_is_resolved() {
    let mut sim = Sim::new()
        .max(1)
        .space("s1", &["ann"])
        .available("ann", "s1");
    sim.active("c1", "s1", "ann");
    sim.start("c2", "s1");
    sim.end_by_agent("ann", "c1");
    assert_eq!(
        sim.offered_to("c2"),
        None,
        "Wrapping up still holds the slot"
    );

    let effects = sim.resolve("ann", "c1");

    assert_eq!(offers(&effects), vec![pair("c2", "ann")]);
}

// SPEC R-MODE-3
#[test]
fn starting_into_a_space_with_live_chat_off_is_refused() {
    let mut sim = team_of_three().live_chat_off("s1");

    let err = sim.err(start_cmd("c1", "s1", Start::Direct));

    assert_eq!(err, DomainError::LiveChatOff { space: sid("s1") });
}

// SPEC R-CUST-2
#[test]
fn starting_a_chat_with_a_person_requires_a_signed_in_customer() {
    let mut sim = team_of_three();

    let err = sim.err(Command::StartConversation {
        id: cid("c1"),
        space: sid("s1"),
        customer: None,
        via: Start::Direct,
    });

    assert_eq!(err, DomainError::SignInRequired);
}

// SPEC R-LIFE-1
#[test]
fn starting_twice_with_the_same_id_is_refused() {
    let mut sim = team_of_three();
    sim.start("c1", "s1");

    let err = sim.err(start_cmd("c1", "s1", Start::Direct));

    assert_eq!(
        err,
        DomainError::ConversationExists {
            conversation: cid("c1")
        }
    );
}

// SPEC R-ROUTE-2, R-AVAIL-1
#[test]
fn waiting_conversation_is_offered_when_the_limit_is_raised() {
    let mut sim = Sim::new()
        .max(1)
        .space("s1", &["ann"])
        .available("ann", "s1");
    sim.active("c1", "s1", "ann");
    sim.start("c2", "s1");

    let effects = sim.ok(Command::SetMaxConversations { max: 2 });

    assert_eq!(offers(&effects), vec![pair("c2", "ann")]);
}

#[test]
fn maximum_conversations_outside_one_to_a_hundred_is_refused() {
    let mut sim = team_of_three();

    for max in [0, 101] {
        let err = sim.err(Command::SetMaxConversations { max });
        assert_eq!(err, DomainError::InvalidMaxConversations { value: max });
    }
}
