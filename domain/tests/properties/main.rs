//! Property tests: thousands of random command sequences on a virtual clock.
//!
//! The harness plays the storage layer: it keeps every conversation, but each command is decided
//! on only what storage would load (settings, spaces, agents, the waiting conversations and the
//! command's own conversation), and the result is merged back. So these tests also prove that
//! the rules never need rows the storage layer does not load.

mod checks;
mod harness;
mod ops;
mod window;

use proptest::prelude::*;

use domain::Command;
use harness::Harness;
use ops::op;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn random_sessions_keep_every_routing_and_lifecycle_invariant(
        max in 1u32..=3,
        available in prop::collection::vec(prop::bool::weighted(0.8), 6),
        ops in prop::collection::vec(op(), 1..80),
    ) {
        let mut harness = Harness::new(max, &available);
        for op in &ops {
            harness.apply(op);
            harness.check_world();
        }
    }
}

proptest! {
    // Each case decides every command twice (on the head of each queue and on all of it).
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// SPEC R-ROUTE-2, R-ROUTE-10: a routing decision made on what storage loads (offered
    /// conversations, the command's own and the head of each space's queue) is the decision
    /// made on the whole queue, whatever happened before, raised limits included.
    #[test]
    fn routing_on_the_head_of_each_queue_decides_as_routing_on_the_whole_queue(
        max in 1u32..=3,
        available in prop::collection::vec(prop::bool::weighted(0.8), 6),
        ops in prop::collection::vec((op(), prop::option::weighted(0.05, 1u32..=2)), 1..120),
    ) {
        let mut harness = Harness::new(max, &available);
        harness.windowed = true;
        for (op, raise) in &ops {
            if let Some(by) = raise {
                let max = (harness.db.settings.max_conversations + by).min(100);
                harness
                    .exec(Command::SetMaxConversations { max })
                    .expect("a limit within 1..=100 is accepted");
            }
            harness.apply(op);
            harness.check_world();
        }
    }
}
