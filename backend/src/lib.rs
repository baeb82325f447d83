//! Server-side services of Baton: configuration, the database store, accounts and demo data.
//! Compiled only for the server (the `app` crate enables it through its `ssr` feature).

pub mod accounts;
pub mod admin;
pub mod ai;
pub mod api;
pub mod api_tokens;
pub mod attachments;
pub mod clock;
pub mod config;
pub mod conversations;
pub mod customers;
pub mod db;
pub mod demo;
pub mod demo_kb;
pub mod engine;
pub mod error;
pub mod i18n;
pub mod metrics;
pub mod operations;
pub mod proxies;
pub mod quotas;
pub mod rates;
pub mod ratings;
pub mod realtime;
pub mod saved_replies;
pub mod secrets;
pub mod sessions;
pub mod store;
pub mod transcripts;
pub mod webhooks;
pub mod widget;
pub mod work;

pub use config::Config;
pub use db::{Backend, Db};
pub use engine::{Alongside, Engine, FollowUp, Outcome};
pub use error::BackendError;
