//! The receiving half: one task LISTENs, and hands each other node's note to this node's
//! subscribers, in the order the notes arrive. Whatever may have been lost on the way (a
//! dropped LISTEN connection, a gap in a node's numbering) becomes `Lagged` for the subscribers
//! it could have concerned, so each socket rebuilds from storage.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;

use super::CHANNEL;
use super::wire::{Arrival, Body, Note, Sequences};
use crate::realtime::{Bus, BusMessage, InProcessBus, Topic, bus::FOREIGN_ORIGIN, reads};
use crate::{BackendError, Db, sessions::stored_id_of};

/// Longest wait between two attempts to listen again.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Sessions checked in one query after a loss.
const SESSION_CHUNK: usize = 100;

pub struct Listening {
    pub node: String,
    pub local: Arc<InProcessBus>,
    pub db: Db,
    pub pool: PgPool,
}

/// A listener that is LISTENing on [`CHANNEL`] when this returns.
pub async fn listen(pool: &PgPool) -> Result<PgListener, BackendError> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Runs until aborted (the bus is dropped).
pub async fn run(mut listener: PgListener, this: Listening) {
    let mut seen = Sequences::default();
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => this.on_payload(notification.payload(), &mut seen).await,
            // The connection was lost and is back (sqlx reconnects and LISTENs again before
            // saying so): everything sent meanwhile is lost.
            Ok(None) => {
                tracing::warn!("bus LISTEN connection was lost and is back; subscribers rebuild");
                seen.forget();
                this.lost().await;
            }
            Err(error) => {
                tracing::warn!(%error, "bus LISTEN failed; listening again");
                // Its connection goes back to the pool first: the pool holds only one.
                drop(listener);
                listener = this.listen_again().await;
                seen.forget();
                this.lost().await;
            }
        }
    }
}

impl Listening {
    async fn listen_again(&self) -> PgListener {
        let mut wait = Duration::from_millis(100);
        loop {
            match listen(&self.pool).await {
                Ok(listener) => return listener,
                Err(error) => {
                    tracing::warn!(%error, "cannot LISTEN for other nodes' messages yet");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    async fn on_payload(&self, payload: &str, seen: &mut Sequences) {
        let note: Note = match serde_json::from_str(payload) {
            Ok(note) => note,
            Err(error) => {
                // A newer node's format, or not ours: nothing to deliver, but maybe lost.
                tracing::warn!(%error, "unreadable bus notification; subscribers rebuild");
                return self.lost().await;
            }
        };
        if note.node == self.node {
            return; // delivered locally when it was published
        }
        match seen.arrive(&note.node, note.n) {
            Arrival::Duplicate => return,
            Arrival::AfterGap => {
                tracing::warn!(node = %note.node, "bus notifications from a node were lost; subscribers rebuild");
                self.lost().await;
            }
            Arrival::InOrder => {}
        }
        match note.body {
            Body::Event { conversation, seq } => self.on_event(conversation, seq).await,
            Body::Whole { topic, message } => self.local.publish(&topic, foreign(message)),
            Body::Gap => {}
        }
    }

    /// Reads a committed event another node published (it is in storage before it is
    /// notified), unless nobody here follows its conversation.
    async fn on_event(&self, conversation: domain::ConversationId, seq: i64) {
        let topic = Topic::Conversation(conversation.clone());
        if !self.local.has_subscribers(&topic) {
            return;
        }
        match reads::events_between(&self.db, &conversation, seq - 1, Some(seq)).await {
            Ok(events) => {
                for event in events {
                    self.local.publish(&topic, BusMessage::Event(event));
                }
            }
            Err(error) => {
                tracing::warn!(%error, %conversation, seq, "cannot read another node's event; its followers rebuild");
                self.local.mark_lagged(|t| t == &topic);
            }
        }
    }

    /// Something meant for this node may be lost: conversation and agent followers rebuild
    /// from storage. A session topic's `Lagged` would read as "signed out" (its only message),
    /// so sessions are looked up instead, and those that are gone are ended here.
    async fn lost(&self) {
        self.local
            .mark_lagged(|topic| !matches!(topic, Topic::Session(_)));
        if let Err(error) = self.end_gone_sessions().await {
            // Each socket re-checks its session within minutes anyway.
            tracing::warn!(%error, "cannot check sessions after lost bus messages");
        }
    }

    async fn end_gone_sessions(&self) -> Result<(), BackendError> {
        let sessions: Vec<String> = self
            .local
            .topics(|topic| matches!(topic, Topic::Session(_)))
            .into_iter()
            .filter_map(|topic| match topic {
                Topic::Session(id) => Some(id),
                _ => None,
            })
            .collect();
        for chunk in sessions.chunks(SESSION_CHUNK) {
            let hashes: Vec<String> = chunk.iter().map(|id| stored_id_of(id)).collect();
            let placeholders: Vec<String> =
                (2..hashes.len() + 2).map(|i| format!("${i}")).collect();
            // Only numbered placeholders are formatted in; the ids are bound.
            let sql = format!(
                "SELECT id FROM sessions WHERE expires_at > $1 AND id IN ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(crate::clock::now_ms());
            for hash in &hashes {
                query = query.bind(hash);
            }
            let alive: Vec<(String,)> = query.fetch_all(&self.db.pool).await?;
            for (id, hash) in chunk.iter().zip(&hashes) {
                if !alive.iter().any(|(live,)| live == hash) {
                    self.local
                        .publish(&Topic::Session(id.clone()), BusMessage::SessionEnded);
                }
            }
        }
        Ok(())
    }
}

/// Socket ids are per node: another node's socket 5 is not this node's socket 5.
fn foreign(message: BusMessage) -> BusMessage {
    match message {
        BusMessage::Typing {
            conversation,
            who,
            typing,
            origin: _,
        } => BusMessage::Typing {
            conversation,
            who,
            typing,
            origin: FOREIGN_ORIGIN,
        },
        other => other,
    }
}
