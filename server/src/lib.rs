//! Baton's HTTP server: the axum router around the Leptos app, health checks, the stylesheet,
//! security middleware and graceful shutdown. `main.rs` only parses the command line.
// Leptos views nest deep types; the release build (no erased components) needs more room.
#![recursion_limit = "256"]

pub mod api;
pub mod cli;
pub mod demo_host;
pub mod http;
pub mod open_files;
pub mod router;
pub mod run;
pub mod telemetry;
pub mod ws;
