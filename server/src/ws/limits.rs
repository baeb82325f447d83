//! Per-socket limits: frames, messages and typing signals per second.
//!
//! Messages over the rate are *shaped*: a person typing fast waits their turn, in order, and
//! every message is stored (a refused message would be resent later and land after the ones
//! behind it). Only a flood — more than [`MAX_SHAPED_IN_A_ROW`] messages in a row that each had
//! to wait — is refused with `rate_limited`. Other frames over the limit are refused at once,
//! and a socket that keeps hammering after being told is closed with 1008.

use std::num::NonZeroU32;
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
    Message,
    Typing,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// A message over the rate: handle it after this long (then ask [`SocketLimiter::message_turn`]).
    Wait(Duration),
    /// Drop this frame and say so.
    Refuse,
    /// Enough: close the socket.
    Close,
}

pub struct SocketLimiter {
    frames: DefaultDirectRateLimiter,
    messages: DefaultDirectRateLimiter,
    typing: DefaultDirectRateLimiter,
    strikes: u32,
    window_start: Instant,
    strikes_before_close: u32,
    /// Messages in a row that had to wait; reset by one that did not.
    shaped_in_a_row: u32,
    clock: DefaultClock,
}

fn quota(per_second: u32) -> Quota {
    let rate = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
    // A burst of twice the rate lets a person paste a few lines quickly.
    let burst = NonZeroU32::new(per_second.max(1) * 2).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(rate).allow_burst(burst)
}

impl SocketLimiter {
    pub fn new(limits: Limits) -> Self {
        // Every message is a frame too: a message rate configured above the frame rate must not
        // be capped by it (BATON_MESSAGE_RATE would otherwise promise more than a socket gets).
        let frames = limits.frames_per_second.max(limits.messages_per_second);
        let clock = DefaultClock::default();
        let limiter = |per_second| RateLimiter::direct_with_clock(quota(per_second), clock.clone());
        Self {
            frames: limiter(frames),
            messages: limiter(limits.messages_per_second),
            typing: limiter(limits.typing_per_second),
            strikes: 0,
            window_start: Instant::now(),
            strikes_before_close: limits.strikes_before_close,
            shaped_in_a_row: 0,
            clock,
        }
    }

    /// Whether a message that waited may go now: `Allow`, or how much longer to wait.
    pub fn message_turn(&mut self) -> Verdict {
        match self.messages.check() {
            Ok(()) => Verdict::Allow,
            Err(not_until) => Verdict::Wait(not_until.wait_time_from(self.clock.now())),
        }
    }

    pub fn check(&mut self, kind: Kind) -> Verdict {
        if self.frames.check().is_err() {
            return self.strike();
        }
        let ok = match kind {
            Kind::Frame => true,
            Kind::Typing => self.typing.check().is_ok(),
            Kind::Message => match self.message_turn() {
                Verdict::Allow => {
                    self.shaped_in_a_row = 0;
                    true
                }
                wait if self.shaped_in_a_row < MAX_SHAPED_IN_A_ROW => {
                    self.shaped_in_a_row += 1;
                    return wait;
                }
                _ => false,
            },
        };
        if ok { Verdict::Allow } else { self.strike() }
    }

    /// Counts a refusal of any kind (also bad frames); too many in a window closes the socket.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_beyond_the_burst_wait_their_turn_instead_of_being_refused() {
        let mut limiter = SocketLimiter::new(Limits {
            messages_per_second: 1,
            ..Limits::default()
        });

        assert_eq!(limiter.check(Kind::Message), Verdict::Allow);
        assert_eq!(limiter.check(Kind::Message), Verdict::Allow);
        let Verdict::Wait(wait) = limiter.check(Kind::Message) else {
            panic!("the third message in a second waits");
        };
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        assert!(matches!(limiter.message_turn(), Verdict::Wait(_)));
    }

    #[test]
    fn a_flood_of_messages_is_refused_once_too_many_in_a_row_had_to_wait_then_closed() {
        let mut limiter = SocketLimiter::new(Limits {
            frames_per_second: 10_000,
            messages_per_second: 1,
            strikes_before_close: 3,
            ..Limits::default()
        });

        let burst = (0..2)
            .filter(|_| limiter.check(Kind::Message) == Verdict::Allow)
            .count();
        let waited = (0..MAX_SHAPED_IN_A_ROW)
            .filter(|_| matches!(limiter.check(Kind::Message), Verdict::Wait(_)))
            .count();

        assert_eq!(burst, 2);
        assert_eq!(waited, MAX_SHAPED_IN_A_ROW as usize);
        assert_eq!(limiter.check(Kind::Message), Verdict::Refuse);
        assert_eq!(limiter.check(Kind::Message), Verdict::Refuse);
        assert_eq!(limiter.check(Kind::Message), Verdict::Close);
    }

    #[test]
    fn a_message_rate_set_above_the_frame_rate_is_not_capped_by_the_frame_limit() {
        let mut limiter = SocketLimiter::new(Limits {
            frames_per_second: 30,
            messages_per_second: 1000,
            ..Limits::default()
        });

        let allowed = (0..200)
            .filter(|_| limiter.check(Kind::Message) == Verdict::Allow)
            .count();

        assert_eq!(allowed, 200);
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
        assert_eq!(limiter.check(Kind::Message), Verdict::Allow);
    }
}
