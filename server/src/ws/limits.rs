//! Per-socket limits: frames, messages and typing signals per second.
//!
//! Messages over the rate are *shaped*: a person typing fast waits their turn, in order, and
//! every message is stored (a refused message would be resent later and land after the ones
//! behind it). Only a flood — more than [`MAX_SHAPED_IN_A_ROW`] messages in a row that each had
//! to wait — is refused with `rate_limited`. The wait happens in the socket's send queue
//! ([`MessageShaper`], used by `connection::outbox`), never in its reading loop, so a sender
//! waiting its turn still receives and reads everything else. Other frames over the limit are
//! refused at once, and a socket that keeps hammering after being told is closed with 1008.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Messages in a row that may wait for their turn before the next one is refused: a person
/// pasting or typing quickly stays far below it (at 5/s, 50 is ten seconds of non-stop sending).
pub const MAX_SHAPED_IN_A_ROW: u32 = 50;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub frames_per_second: u32,
    pub messages_per_second: u32,
    pub typing_per_second: u32,
    /// Refusals within [`STRIKE_WINDOW`] after which the socket is closed.
    pub strikes_before_close: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            frames_per_second: 30,
            messages_per_second: 5,
            typing_per_second: 4,
            strikes_before_close: 50,
        }
    }
}

const STRIKE_WINDOW: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Frame,
    Typing,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Drop this frame and say so.
    Refuse,
    /// Enough: close the socket.
    Close,
}

/// The frame and typing budgets and the strike count of one socket. Messages (`send`) are not
/// counted here: they have their own budget ([`MessageShaper`]) and a bounded queue.
pub struct SocketLimiter {
    frames: DefaultDirectRateLimiter,
    typing: DefaultDirectRateLimiter,
    strikes: u32,
    window_start: Instant,
    strikes_before_close: u32,
}

fn quota(per_second: u32) -> Quota {
    let rate = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
    // A burst of twice the rate lets a person paste a few lines quickly.
    let burst = NonZeroU32::new(per_second.max(1) * 2).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(rate).allow_burst(burst)
}

impl SocketLimiter {
    pub fn new(limits: Limits) -> Self {
        Self {
            frames: RateLimiter::direct(quota(limits.frames_per_second)),
            typing: RateLimiter::direct(quota(limits.typing_per_second)),
            strikes: 0,
            window_start: Instant::now(),
            strikes_before_close: limits.strikes_before_close,
        }
    }

    pub fn check(&mut self, kind: Kind) -> Verdict {
        if self.frames.check().is_err() {
            return self.strike();
        }
        let ok = match kind {
            Kind::Frame => true,
            Kind::Typing => self.typing.check().is_ok(),
        };
        if ok { Verdict::Allow } else { self.strike() }
    }

    /// Counts a refusal of any kind (also bad frames and refused messages); too many in a
    /// window closes the socket.
    pub fn strike(&mut self) -> Verdict {
        if self.window_start.elapsed() > STRIKE_WINDOW {
            self.window_start = Instant::now();
            self.strikes = 0;
        }
        self.strikes += 1;
        if self.strikes >= self.strikes_before_close {
            Verdict::Close
        } else {
            Verdict::Refuse
        }
    }
}

/// When the next message in a socket's send queue may be stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Turn {
    /// Now (its token is taken).
    Now,
    /// Over the rate: it waits its turn ([`TurnWaiter`]), and the messages behind it wait too.
    Wait(Duration),
    /// A flood: refuse it with `rate_limited`.
    Refuse,
}

/// The message budget of one socket, asked once per message in the order they were sent.
pub struct MessageShaper {
    messages: Arc<DefaultDirectRateLimiter>,
    clock: DefaultClock,
    /// Messages in a row that had to wait; reset by one that did not.
    shaped_in_a_row: u32,
}

impl MessageShaper {
    pub fn new(limits: Limits) -> Self {
        let clock = DefaultClock::default();
        Self {
            messages: Arc::new(RateLimiter::direct_with_clock(
                quota(limits.messages_per_second),
                clock.clone(),
            )),
            clock,
            shaped_in_a_row: 0,
        }
    }

    /// The turn of the next message read. `behind_waiting`: messages read before it are still
    /// waiting for theirs, so it waits too (it could not be stored before them anyway), and
    /// the budget they wait for is not taken from them.
    pub fn turn(&mut self, behind_waiting: bool) -> Turn {
        let now = if behind_waiting {
            Err(None)
        } else {
            self.messages.check().map_err(Some)
        };
        match now {
            Ok(()) => {
                self.shaped_in_a_row = 0;
                Turn::Now
            }
            Err(_) if self.shaped_in_a_row >= MAX_SHAPED_IN_A_ROW => Turn::Refuse,
            Err(not_until) => {
                self.shaped_in_a_row += 1;
                Turn::Wait(not_until.map_or(Duration::ZERO, |n| n.wait_time_from(self.clock.now())))
            }
        }
    }

    /// What a message told to [`Turn::Wait`] waits on (it takes its token when its turn comes).
    pub fn waiter(&self) -> TurnWaiter {
        TurnWaiter {
            messages: self.messages.clone(),
            clock: self.clock.clone(),
        }
    }
}

pub struct TurnWaiter {
    messages: Arc<DefaultDirectRateLimiter>,
    clock: DefaultClock,
}

impl TurnWaiter {
    pub async fn wait(self) {
        while let Err(not_until) = self.messages.check() {
            tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shaper(messages_per_second: u32) -> MessageShaper {
        MessageShaper::new(Limits {
            messages_per_second,
            ..Limits::default()
        })
    }

    #[test]
    fn messages_beyond_the_burst_wait_their_turn_instead_of_being_refused() {
        let mut shaper = shaper(1);

        assert_eq!(shaper.turn(false), Turn::Now);
        assert_eq!(shaper.turn(false), Turn::Now);
        let Turn::Wait(wait) = shaper.turn(false) else {
            panic!("the third message in a second waits");
        };
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
    }

    #[tokio::test]
    async fn a_message_that_waited_takes_its_turn_once_the_rate_allows() {
        let mut shaper = shaper(20);
        while shaper.turn(false) == Turn::Now {}

        let started = Instant::now();
        shaper.waiter().wait().await;

        assert!(started.elapsed() <= Duration::from_millis(500));
        assert!(
            matches!(shaper.turn(false), Turn::Wait(_)),
            "the turn it took is spent"
        );
    }

    #[test]
    fn a_message_read_behind_waiting_ones_waits_too_even_when_the_rate_has_room() {
        let mut shaper = shaper(1000);

        assert!(matches!(shaper.turn(true), Turn::Wait(_)));
        assert_eq!(shaper.turn(false), Turn::Now, "its budget was left");
    }

    #[test]
    fn a_flood_of_messages_is_refused_once_too_many_in_a_row_had_to_wait() {
        let mut shaper = shaper(1);

        let burst = (0..2).filter(|_| shaper.turn(false) == Turn::Now).count();
        let waited = (0..MAX_SHAPED_IN_A_ROW)
            .filter(|_| matches!(shaper.turn(false), Turn::Wait(_)))
            .count();

        assert_eq!(burst, 2);
        assert_eq!(waited, MAX_SHAPED_IN_A_ROW as usize);
        assert_eq!(shaper.turn(false), Turn::Refuse);
        assert_eq!(shaper.turn(false), Turn::Refuse);
    }

    #[test]
    fn refusals_close_the_socket_once_there_are_too_many() {
        let mut limiter = SocketLimiter::new(Limits {
            strikes_before_close: 3,
            ..Limits::default()
        });

        assert_eq!(limiter.strike(), Verdict::Refuse);
        assert_eq!(limiter.strike(), Verdict::Refuse);
        assert_eq!(limiter.strike(), Verdict::Close);
    }

    #[test]
    fn messages_do_not_spend_the_frame_budget() {
        let limits = Limits {
            frames_per_second: 1,
            messages_per_second: 1000,
            ..Limits::default()
        };
        let mut shaper = MessageShaper::new(limits);
        let mut limiter = SocketLimiter::new(limits);

        let now = (0..200).filter(|_| shaper.turn(false) == Turn::Now).count();

        assert_eq!(now, 200);
        assert_eq!(limiter.check(Kind::Frame), Verdict::Allow);
    }

    #[test]
    fn typing_has_its_own_budget() {
        let mut limiter = SocketLimiter::new(Limits {
            typing_per_second: 1,
            ..Limits::default()
        });
        limiter.check(Kind::Typing);
        limiter.check(Kind::Typing);

        assert_eq!(limiter.check(Kind::Typing), Verdict::Refuse);
        assert_eq!(limiter.check(Kind::Frame), Verdict::Allow);
    }
}
