//! How often each end of a socket speaks, and how long a silence means the other end is gone.
//!
//! The server announces its heartbeat in `hello`; the client pings by it and gives up on a
//! socket that stays silent too long. Both ends read these numbers from here, so a change to
//! one cannot leave the other waiting for pings that never come.

use crate::time::Millis;

/// The heartbeat a server announces in `hello`: a client pings at least this often.
pub const HEARTBEAT_MS: u64 = 25_000;

/// The server takes a client that sent nothing at all for this long for gone: almost three
/// heartbeats, so one ping lost to a slow network does not drop the socket.
pub const SERVER_SILENCE_LIMIT_MS: u64 = 70_000;

/// The shortest heartbeat a client follows: a smaller announcement (a misconfigured server)
/// would have every tab ping in a tight loop.
pub const MIN_HEARTBEAT_MS: u64 = 5_000;

/// The longest heartbeat a client follows: beyond it, a dead socket would go unnoticed for
/// minutes, and the server would drop a client pinging that rarely anyway.
pub const MAX_HEARTBEAT_MS: u64 = 60_000;

/// When a client pings and when it gives up on a silent socket, from the server's heartbeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientTiming {
    /// Send `ping` this often. Four fifths of the heartbeat, so a ping that waits for the
    /// client's next tick, or crosses a slow network, still arrives within the heartbeat.
    pub ping_every: Millis,
    /// Take the socket for dead after this long without any frame from the server. Every ping
    /// is answered with `pong`, so two heartbeats of silence mean the answers stopped coming.
    pub silence_limit: Millis,
}

impl ClientTiming {
    /// The timing for the heartbeat a server announced, held between [`MIN_HEARTBEAT_MS`] and
    /// [`MAX_HEARTBEAT_MS`].
    pub fn for_heartbeat(announced_ms: u64) -> ClientTiming {
        let heartbeat = announced_ms.clamp(MIN_HEARTBEAT_MS, MAX_HEARTBEAT_MS);
        // Within the clamp, so it always fits.
        let heartbeat = Millis::try_from(heartbeat).unwrap_or(MAX_HEARTBEAT_MS as Millis);
        ClientTiming {
            ping_every: heartbeat * 4 / 5,
            silence_limit: heartbeat * 2,
        }
    }
}

/// Before the server's `hello`, the client goes by the heartbeat a server of this build
/// announces.
impl Default for ClientTiming {
    fn default() -> ClientTiming {
        ClientTiming::for_heartbeat(HEARTBEAT_MS)
    }
}
