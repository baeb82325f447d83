//! HTTP-level tests against a real server on a loopback port with a fresh SQLite database.

mod ai;
mod foundation;
mod helpers;
mod realtime;
mod scheduler;
mod settings;
mod sign_in;
mod visibility;
mod ws_client;
