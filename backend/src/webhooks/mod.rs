//! Signed webhooks (DESIGN "Webhooks" in ARCHITECTURE.md): endpoints a site admin subscribes
//! to events, an outbox written in each command's own transaction ([`outbox`]), and a worker on
//! every node that delivers it, signed, in order per conversation, with retries for 24 hours
//! ([`delivery`]).

pub mod delivery;
pub mod endpoints;
pub mod outbox;
pub mod signing;

pub use delivery::Deliverer;
pub use outbox::Subscriptions;
