//! Realtime fan-out: the [`Bus`] that carries committed effects and ephemeral typing signals to
//! the websockets that follow them, and the reads a socket needs (replay, access checks, offer
//! details). Agents' presence drives the engine, so it lives there (`engine::presence`).

pub mod bus;
pub mod pg_bus;
pub mod publish;
pub mod read_marks;
pub mod reads;
mod subscription;

pub use bus::{Bus, BusMessage, InProcessBus, Lagged, Subscription, Topic};
pub use pg_bus::PgBus;
