//! Timers claimed once across nodes (scale-out): three schedulers on one database share a burst
//! of due timers, and each fires exactly once. On PostgreSQL the nodes claim with
//! `FOR UPDATE SKIP LOCKED`; on SQLite (one node in production) the same code must hold too.

mod support;

use std::sync::Arc;

use backend::{
    Db, Engine,
    clock::ManualClock,
    store::backlog::{self, Queued},
};
use domain::{ConversationId, Timers, Timestamp};
use support::people::{customer, site_with_space};

const T0: i64 = 1_800_000_000_000;
const DUE: usize = 500;

conformance!(five_hundred_timers_due_at_once_on_three_nodes_fire_exactly_once_each,);

/// 500 conversations Waiting for agent since T0: their 20-minute deadline (SPEC R-TIME-2) is
/// due for all of them at the same moment.
async fn five_hundred_waiting(db: &Db) -> Vec<ConversationId> {
    let space = site_with_space(db, "Support").await;
    let customer = customer(db, "Casey").await;
    let queue: Vec<Queued> = (0..DUE)
        .map(|i| Queued {
            id: ConversationId::new(format!("due-{i:04}")),
            customer: customer.clone(),
            waiting_since: Timestamp(T0),
        })
        .collect();
    backlog::fill(db, &space, &Timers::default(), &queue)
        .await
        .unwrap();
    queue.into_iter().map(|q| q.id).collect()
}

// SPEC R-TIME-2: the no-accept deadline ends each conversation with the Fallback message once.
async fn five_hundred_timers_due_at_once_on_three_nodes_fire_exactly_once_each(db: &Db) {
    let due = five_hundred_waiting(db).await;
    let twenty_minutes = 20 * 60_000;
    let clock = Arc::new(ManualClock::starting_at(T0 + twenty_minutes + 1));
    let nodes: Vec<Engine> = (0..3)
        .map(|_| Engine::new(db.clone(), Timers::default(), clock.clone()))
        .collect();

    let (a, b, c) = tokio::join!(
        nodes[0].tick_due(),
        nodes[1].tick_due(),
        nodes[2].tick_due()
    );
    let ticked: Vec<usize> = [a, b, c]
        .into_iter()
        .map(|r| r.expect("a scheduler round succeeds"))
        .collect();

    assert_eq!(
        ticked.iter().sum::<usize>(),
        DUE,
        "ticks per node: {ticked:?}"
    );
    let fired: Vec<(String, i64)> = sqlx::query_as(
        "SELECT conversation_id, COUNT(*) FROM conversation_events \
         WHERE kind = 'fallback_shown' GROUP BY conversation_id ORDER BY conversation_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(fired.len(), DUE, "every conversation's deadline fired");
    assert!(
        fired.iter().all(|(_, count)| *count == 1),
        "no deadline fired twice"
    );
    let ids: Vec<&str> = fired.iter().map(|(id, _)| id.as_str()).collect();
    let expected: Vec<&str> = due.iter().map(ConversationId::as_str).collect();
    assert_eq!(ids, expected);
    let (open,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM conversations WHERE status <> 'closed'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(open, 0, "every conversation ended");
    let (claimed,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM conversations WHERE claimed_until IS NOT NULL")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(claimed, 0, "each tick's write released its claim");
    if db.backend == backend::db::Backend::Postgres {
        let helped = ticked.iter().filter(|n| **n > 0).count();
        assert!(helped >= 2, "the nodes shared the burst: {ticked:?}");
    }
}
