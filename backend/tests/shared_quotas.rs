//! Request quotas live in the database, so every node sharing it counts the same requests: a
//! quota gives its burst then refuses with the wait, two nodes share one count, buckets refill,
//! concurrent checks never let more through than the quota, and refilled buckets are swept.

mod support;

use std::{sync::Arc, time::Duration};

use backend::{
    Db,
    clock::ManualClock,
    quotas::{Quota, Quotas, SWEEP_EVERY_CHECKS, Verdict},
    rates::Rate,
};

conformance!(
    a_quota_of_five_a_minute_gives_five_then_refuses_with_the_wait,
    two_nodes_on_one_database_share_one_count,
    a_used_up_bucket_refills_one_request_per_interval,
    fifty_concurrent_checks_from_two_nodes_never_get_more_than_the_quota,
    checks_stop_at_the_first_quota_used_up,
    buckets_full_again_are_swept_and_rows_hold_no_caller_text,
);

const START: i64 = 1_700_000_000_000;

fn five_a_minute(caller: &str) -> Quota<'_> {
    Quota {
        limiter: "sign_in",
        rate: Rate::parse("5/min").unwrap(),
        caller,
    }
}

/// A node's quotas on `db`, on a clock the test moves.
fn node(db: &Db, clock: &Arc<ManualClock>) -> Quotas {
    Quotas::with_clock(db.clone(), clock.clone())
}

async fn allowed(quotas: &Quotas, caller: &str) -> bool {
    quotas.take_one(five_a_minute(caller)).await.unwrap() == Verdict::Allowed
}

async fn a_quota_of_five_a_minute_gives_five_then_refuses_with_the_wait(db: &Db) {
    let clock = Arc::new(ManualClock::starting_at(START));
    let quotas = node(db, &clock);

    for n in 0..5 {
        assert!(allowed(&quotas, "ada").await, "request {n} is in the burst");
    }
    assert_eq!(
        quotas.take_one(five_a_minute("ada")).await.unwrap(),
        Verdict::Refused {
            quota: 0,
            retry_after: Duration::from_secs(12)
        }
    );
    clock.advance(5_000);
    assert_eq!(
        quotas.take_one(five_a_minute("ada")).await.unwrap(),
        Verdict::Refused {
            quota: 0,
            retry_after: Duration::from_secs(7)
        }
    );
    assert!(
        allowed(&quotas, "grace").await,
        "another caller has a bucket of their own"
    );
}

async fn two_nodes_on_one_database_share_one_count(db: &Db) {
    let clock = Arc::new(ManualClock::starting_at(START));
    let (one, two) = (node(db, &clock), node(db, &clock));

    let mut admitted = 0;
    for n in 0..10 {
        let node = if n % 2 == 0 { &one } else { &two };
        admitted += usize::from(allowed(node, "ada").await);
    }

    assert_eq!(admitted, 5, "five in total, not five per node");
}

async fn a_used_up_bucket_refills_one_request_per_interval(db: &Db) {
    let clock = Arc::new(ManualClock::starting_at(START));
    let quotas = node(db, &clock);
    while allowed(&quotas, "ada").await {}

    clock.advance(12_000);
    assert!(allowed(&quotas, "ada").await, "one back after 12 s");
    assert!(!allowed(&quotas, "ada").await);

    clock.advance(10 * 60_000);
    for n in 0..5 {
        assert!(allowed(&quotas, "ada").await, "full again: request {n}");
    }
    assert!(!allowed(&quotas, "ada").await, "never more than full");
}

async fn fifty_concurrent_checks_from_two_nodes_never_get_more_than_the_quota(db: &Db) {
    let clock = Arc::new(ManualClock::starting_at(START));
    let nodes = [node(db, &clock), node(db, &clock)];

    let checks = (0..50).map(|n| {
        let quotas = nodes[n % 2].clone();
        tokio::spawn(async move { allowed(&quotas, "ada").await })
    });
    let mut admitted = 0;
    for check in checks.collect::<Vec<_>>() {
        admitted += usize::from(check.await.unwrap());
    }

    assert_eq!(admitted, 5);
}

async fn checks_stop_at_the_first_quota_used_up(db: &Db) {
    let clock = Arc::new(ManualClock::starting_at(START));
    let quotas = node(db, &clock);
    let two_an_hour = |limiter, caller| Quota {
        limiter,
        rate: Rate::parse("2/h").unwrap(),
        caller,
    };
    let both = [two_an_hour("address", "10.0.0.1"), five_a_minute("ada")];

    assert_eq!(quotas.take(&both).await.unwrap(), Verdict::Allowed);
    assert_eq!(quotas.take(&both).await.unwrap(), Verdict::Allowed);
    assert!(matches!(
        quotas.take(&both).await.unwrap(),
        Verdict::Refused { quota: 0, .. }
    ));
    // The refused request never reached the second quota: three of its five are left.
    for _ in 0..3 {
        assert!(allowed(&quotas, "ada").await);
    }
    assert!(!allowed(&quotas, "ada").await);
}

async fn buckets_full_again_are_swept_and_rows_hold_no_caller_text(db: &Db) {
    let clock = Arc::new(ManualClock::starting_at(START));
    let quotas = node(db, &clock);
    for n in 0..3 {
        assert!(allowed(&quotas, &format!("person{n}@example.com")).await);
    }
    assert_eq!(quotas.buckets().await.unwrap(), 3);
    let keys: Vec<(String,)> = sqlx::query_as("SELECT key FROM quota_buckets")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert!(
        keys.iter().all(|(key,)| !key.contains("example")),
        "{keys:?}"
    );

    clock.advance(11_999);
    assert_eq!(quotas.sweep().await.unwrap(), 0, "not full again yet");
    clock.advance(1);
    assert_eq!(quotas.sweep().await.unwrap(), 3);
    assert_eq!(quotas.buckets().await.unwrap(), 0);

    // Checks sweep by themselves now and then.
    for n in 0..SWEEP_EVERY_CHECKS {
        clock.advance(12_000);
        allowed(&quotas, &format!("caller{n}")).await;
    }
    assert!(quotas.buckets().await.unwrap() < SWEEP_EVERY_CHECKS);
}
