//! A governor keyed limiter whose number of keys stays bounded (see the parent module).

use std::{
    hash::{BuildHasher, Hash, RandomState},
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use backend::rates::Rate;
use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock, Reference},
    middleware::NoOpMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

/// Stale keys are swept at least this often.
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// ... and this often while a limiter is half full.
const SWEEP_WHEN_FULL_EVERY: Duration = Duration::from_secs(1);

/// A keyed limiter that holds at most `cap` keys, whatever it is asked about.
pub struct Bounded<C: Clock = DefaultClock> {
    limiter: RateLimiter<u64, DefaultKeyedStateStore<u64>, C, NoOpMiddleware<C::Instant>>,
    keys: RandomState,
    cap: usize,
    clock: C,
    start: C::Instant,
    /// When the last sweep ran, in nanoseconds since `start`.
    last_sweep: AtomicU64,
}

impl Bounded<DefaultClock> {
    pub fn new(rate: Rate, cap: usize) -> Self {
        Bounded::with_clock(rate, cap, DefaultClock::default())
    }
}

impl<C: Clock + Clone> Bounded<C> {
    pub fn with_clock(rate: Rate, cap: usize, clock: C) -> Self {
        Bounded {
            limiter: RateLimiter::new(
                quota(rate),
                DefaultKeyedStateStore::default(),
                clock.clone(),
            ),
            keys: RandomState::new(),
            cap: cap.max(2),
            start: clock.now(),
            clock,
            last_sweep: AtomicU64::new(0),
        }
    }

    /// Counts one request for `key`; `Err(wait)` when over the quota.
    pub fn check(&self, key: impl Hash) -> Result<(), Duration> {
        let now = self.clock.now();
        self.sweep_if_due(now);
        let half = self.cap / 2;
        let mut key = self.keys.hash_one(key);
        if self.limiter.len() >= half {
            key %= half as u64;
        }
        self.limiter
            .check_key(&key)
            .map(|_| ())
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// The keys held now.
    pub fn len(&self) -> usize {
        self.limiter.len()
    }

    pub fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }

    fn sweep_if_due(&self, now: C::Instant) {
        let elapsed: Duration = now.duration_since(self.start).into();
        let at = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let last = self.last_sweep.load(Ordering::Relaxed);
        let since = Duration::from_nanos(at.saturating_sub(last));
        let due = since >= SWEEP_EVERY
            || (since >= SWEEP_WHEN_FULL_EVERY && self.limiter.len() >= self.cap / 2);
        // One caller sweeps; the others go on.
        if due
            && self
                .last_sweep
                .compare_exchange(last, at, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
    }
}

fn quota(rate: Rate) -> Quota {
    let burst = NonZeroU32::new(rate.count).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(rate.refill_every())
        .expect("a refill period is never zero")
        .allow_burst(burst)
}

#[cfg(test)]
mod tests {
    use governor::clock::FakeRelativeClock;

    use super::*;

    fn rate(text: &str) -> Rate {
        Rate::parse(text).unwrap()
    }

    #[test]
    fn a_key_gets_its_burst_then_waits_for_the_refill() {
        let clock = FakeRelativeClock::default();
        let limiter = Bounded::with_clock(rate("5/min"), 100, clock.clone());
        for _ in 0..5 {
            assert!(limiter.check("ada").is_ok());
        }
        let wait = limiter.check("ada").unwrap_err();
        assert!(
            wait > Duration::from_secs(11) && wait <= Duration::from_secs(12),
            "{wait:?}"
        );
        assert!(
            limiter.check("grace").is_ok(),
            "other keys are not affected"
        );
        clock.advance(Duration::from_secs(12));
        assert!(limiter.check("ada").is_ok());
    }

    #[test]
    fn keys_that_are_refilled_again_are_swept_away() {
        let clock = FakeRelativeClock::default();
        let limiter = Bounded::with_clock(rate("5/min"), 1_000, clock.clone());
        for n in 0..100 {
            limiter.check(n).unwrap();
        }
        assert_eq!(limiter.len(), 100);
        clock.advance(Duration::from_secs(61));
        limiter.check("one more").unwrap();
        assert_eq!(
            limiter.len(),
            1,
            "stale keys are forgotten on the minute's sweep"
        );
    }

    #[test]
    fn ten_thousand_distinct_keys_never_hold_more_than_the_cap() {
        let limiter = Bounded::new(rate("5/min"), 1_000);
        for n in 0..10_000 {
            let _ = limiter.check(format!("{n}-{}@example.com", "x".repeat(200)));
            assert!(limiter.len() <= 1_000, "after {n} keys: {}", limiter.len());
        }
    }

    #[test]
    fn a_huge_key_costs_no_more_than_a_small_one() {
        // Keys are 64-bit hashes: nothing of the input is kept.
        let limiter = Bounded::new(rate("5/min"), 100);
        limiter.check("a".repeat(1_500_000)).unwrap();
        assert_eq!(limiter.len(), 1);
    }
}
