//! Who may read a conversation (SPEC R-VIEW-3).

mod support;

use domain::access::{Reader, may_read};
use domain::{Author, CustomerId};
use support::*;

fn site() -> Sim {
    Sim::new()
        .space("s1", &["ann", "bob", "cat"])
        .available("ann", "s1")
}

fn agent(id: &str) -> Reader {
    Reader::Agent(aid(id))
}

// SPEC R-VIEW-3
#[test]
fn the_assignee_reads_the_conversation_and_other_members_do_not() {
    let mut sim = site();
    sim.active("c1", "s1", "ann");

    assert!(may_read(sim.conv("c1"), &agent("ann")));
    assert!(!may_read(sim.conv("c1"), &agent("bob")));
}

// SPEC R-VIEW-3
#[test]
fn the_agent_a_conversation_is_offered_to_reads_it_to_decide() {
    let mut sim = site();
    sim.start("c1", "s1");

    assert!(may_read(sim.conv("c1"), &agent("ann")));
    assert!(!may_read(sim.conv("c1"), &agent("cat")));
}

// SPEC R-CUST-4
#[test]
fn the_customer_reads_their_own_conversation_only() {
    let mut sim = site();
    sim.start("c1", "s1");
    sim.say("c1", Author::Customer, "hello");
    let owner = sim
        .conv("c1")
        .customer
        .clone()
        .expect("a live chat has a customer");

    assert!(may_read(sim.conv("c1"), &Reader::Customer(owner)));
    assert!(!may_read(
        sim.conv("c1"),
        &Reader::Customer(CustomerId::new("someone-else"))
    ));
}
