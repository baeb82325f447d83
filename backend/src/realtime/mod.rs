//! Realtime fan-out: the [`Bus`] that carries committed effects and ephemeral typing signals to
//! the websockets that follow them, agents' presence, and the reads a socket needs (replay,
//! access checks, offer details).

pub mod bus;
pub mod presence;
pub mod read_marks;
pub mod reads;

pub use bus::{Bus, BusMessage, InProcessBus, Topic};
pub use presence::Presence;
