//! Property tests: thousands of random command sequences on a virtual clock.
//!
//! The harness plays the storage layer: it keeps every conversation, but each command is decided
//! on only what storage would load (settings, spaces, agents, the waiting conversations and the
//! command's own conversation), and the result is merged back. So these tests also prove that
//! the rules never need rows the storage layer does not load.

mod checks;
mod harness;
mod ops;

use proptest::prelude::*;

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
