//! Baton's pure domain: the conversation engine as sans-IO functions on a virtual clock.
//!
//! The storage layer loads a [`World`] snapshot, calls [`decide`] with a [`Command`] and `now`,
//! writes what the returned [`Effect`]s name, commits, and only then publishes. Timers are plain
//! deadlines ([`next_deadline`], [`World::poll_timeout`]) fired by a [`Command::Tick`].
//! No I/O, no clock, no randomness: this crate compiles to wasm and replays exactly.

pub mod access;
pub mod agent;
pub mod ai;
pub mod attachments;
pub mod command;
pub mod conversation;
pub mod deadlines;
pub mod effect;
pub mod engine;
pub mod error;
pub mod event;
pub mod experience;
pub mod identity_token;
pub mod ids;
pub mod paging;
pub mod protocol;
pub mod queue;
pub mod ratings;
pub mod realtime;
pub mod roles;
pub mod saved_replies;
pub mod settings;
pub mod sla;
pub mod space;
pub mod time;
pub mod transcript;
pub mod views;
pub mod webhooks;
pub mod world;

pub use agent::{Agent, Availability, UnavailableReason};
pub use command::{Command, Ender, Scope, Start};
pub use conversation::{Conversation, ConversationStatus, EndReason, Offer, WorkStatus};
pub use deadlines::next_deadline;
pub use effect::{Effect, WithdrawReason};
pub use engine::{decide, routing_window};
pub use error::DomainError;
pub use event::{Author, ConversationEvent, EventKind, MAX_MESSAGE_CHARS};
pub use ids::{AgentId, ConversationId, CustomerId, SpaceId, VisitorId};
pub use settings::SiteSettings;
pub use space::Space;
pub use time::{HOUR, MINUTE, Millis, SECOND, Timers, Timestamp, parse_duration};
pub use world::World;
