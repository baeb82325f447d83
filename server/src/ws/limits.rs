//! Per-socket limits: frames, messages and typing signals per second. A frame over a limit is
//! answered with a `rate_limited` error and dropped (the client resends it); a socket that
//! keeps hammering after being told is closed with 1008.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

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
        Self {
            frames: RateLimiter::direct(quota(frames)),
            messages: RateLimiter::direct(quota(limits.messages_per_second)),
            typing: RateLimiter::direct(quota(limits.typing_per_second)),
            strikes: 0,
            window_start: Instant::now(),
            strikes_before_close: limits.strikes_before_close,
        }
    }

    pub fn check(&mut self, kind: Kind) -> Verdict {
        let ok = self.frames.check().is_ok()
            && match kind {
                Kind::Frame => true,
                Kind::Message => self.messages.check().is_ok(),
                Kind::Typing => self.typing.check().is_ok(),
            };
        if ok {
            return Verdict::Allow;
        }
        self.strike()
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
    fn messages_beyond_the_burst_are_refused_then_the_socket_is_closed() {
        let mut limiter = SocketLimiter::new(Limits {
            messages_per_second: 1,
            strikes_before_close: 3,
            ..Limits::default()
        });

        assert_eq!(limiter.check(Kind::Message), Verdict::Allow);
        assert_eq!(limiter.check(Kind::Message), Verdict::Allow);
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
