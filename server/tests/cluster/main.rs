//! Scale-out: three Baton processes on one PostgreSQL database, as a cluster runs them. A
//! customer and an agent on different nodes see each other's offers, messages, typing and end;
//! round robin spans the nodes; a node killed with SIGKILL loses nothing: its agent's offer
//! still expires and moves on, its agent is set away once, and its customers reconnect
//! elsewhere and get every message once, in order.
//!
//! Each test starts its own nodes (the `server` binary this crate builds) on a scratch
//! database; without TEST_DATABASE_URL they say NOT RUN, and fail under CI.

mod cross_node;
mod front;
mod node_death;
mod nodes;
mod people;
// The API tests' websocket client; this suite uses only part of it.
#[allow(dead_code)]
#[path = "../api/ws_client.rs"]
mod ws_client;
