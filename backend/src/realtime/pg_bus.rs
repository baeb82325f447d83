//! The bus for several nodes on one PostgreSQL database: LISTEN/NOTIFY carries each message
//! to the other nodes, so a customer whose socket is on one node and an agent on another see
//! each other's events, typing, offers, availability and sign-outs.
//!
//! A publication reaches this node's subscribers at once (an [`InProcessBus`] inside) and is
//! queued as a note for the others ([`notify`]: one task sends the queue in order). A note names
//! its node, which ignores its own, and carries the node's next number, so a receiver sees a
//! lost note as a gap. Notes stay under PostgreSQL's 8,000-byte payload limit: a committed
//! event travels by reference (conversation and seq) and a node that has followers of that
//! conversation reads it from storage; everything else travels whole. Whatever a node may have
//! missed (its LISTEN connection dropped, a gap in a sender's numbers, a note the sender could
//! not queue or send) turns into `Lagged` for its conversation and agent subscribers, which
//! rebuild from storage; only typing signals are lost for good, and they are ephemeral.

mod listen;
mod notify;
mod wire;

use std::str::FromStr;
use std::sync::Arc;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::task::JoinHandle;

use super::{Bus, BusMessage, InProcessBus, Subscription, Topic};
use crate::{BackendError, Db};

/// The notification channel; notifications never cross databases, so one name is enough.
const CHANNEL: &str = "baton";

pub struct PgBus {
    local: Arc<InProcessBus>,
    outgoing: Arc<notify::Outgoing>,
    node: String,
    listener: JoinHandle<()>,
}

impl PgBus {
    /// Connects (one connection to LISTEN, one to NOTIFY, apart from `db`'s pool) and is
    /// listening when it returns, so nothing another node publishes afterwards is missed.
    /// Events of other nodes are read through `db`. Must run inside a tokio runtime; the tasks
    /// stop when the bus is dropped (queued notes are sent first).
    pub async fn start(database_url: &str, db: Db) -> Result<Arc<PgBus>, BackendError> {
        let node = uuid::Uuid::now_v7().simple().to_string();
        let options = PgConnectOptions::from_str(database_url)?;
        // A LISTEN connection lives as long as the node: no idle or lifetime limit.
        let listen_pool = PgPoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(
                options
                    .clone()
                    .application_name(&Self::listener_name_of(&node)),
            )
            .await?;
        let notify_pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect_with(options.application_name("baton-bus-notify"))
            .await?;
        let listener = listen::listen(&listen_pool).await?;
        let local = Arc::new(InProcessBus::new());
        let (outgoing, queue) = notify::Outgoing::new(node.clone());
        let outgoing = Arc::new(outgoing);
        tokio::spawn(notify::run(notify_pool, queue, Arc::downgrade(&outgoing)));
        let listener = tokio::spawn(listen::run(
            listener,
            listen::Listening {
                node: node.clone(),
                local: local.clone(),
                db,
                pool: listen_pool,
            },
        ));
        Ok(Arc::new(PgBus {
            local,
            outgoing,
            node,
            listener,
        }))
    }

    /// This node's id in its notes (random per start).
    pub fn node(&self) -> &str {
        &self.node
    }

    /// The `application_name` of this node's LISTEN connection (operators and tests find it in
    /// `pg_stat_activity`).
    pub fn listener_name(&self) -> String {
        Self::listener_name_of(&self.node)
    }

    fn listener_name_of(node: &str) -> String {
        format!("baton-listen-{node}")
    }

    /// This node's own subscribers.
    pub fn local(&self) -> &InProcessBus {
        &self.local
    }
}

impl Bus for PgBus {
    fn publish(&self, topic: &Topic, message: BusMessage) {
        let body = wire::Body::of(topic, &message);
        self.local.publish(topic, message);
        self.outgoing.push(body);
    }

    fn subscribe(&self, topic: &Topic) -> Subscription {
        self.local.subscribe(topic)
    }
}

impl Drop for PgBus {
    fn drop(&mut self) {
        self.listener.abort();
    }
}
