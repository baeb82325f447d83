//! The conversations one socket follows, and the rule that keeps each stream complete and in
//! order: a live event is placed against the last seq sent (`domain::realtime::place`);
//! duplicates are dropped and gaps are read from the database before the event goes out.

use std::collections::HashMap;
use std::sync::Arc;

use backend::realtime::{Bus, BusMessage, Lagged, Subscription, Topic};
use domain::ConversationId;
use tokio_stream::{StreamExt, StreamMap};

/// Most conversations one socket may follow at once.
pub const MAX_FOLLOWED: usize = 50;

pub type Item = Result<Arc<BusMessage>, Lagged>;

#[derive(Default)]
pub struct Streams {
    map: StreamMap<ConversationId, Subscription>,
    /// The last seq sent on each followed conversation.
    last_sent: HashMap<ConversationId, i64>,
}

impl Streams {
    pub fn is_following(&self, conversation: &ConversationId) -> bool {
        self.last_sent.contains_key(conversation)
    }

    pub fn len(&self) -> usize {
        self.last_sent.len()
    }

    /// Subscribes before anything is read, so nothing committed after the replay's read can
    /// slip between the replay and the live stream.
    /// Resuming a conversation already followed keeps its stream: replacing it would drop
    /// what it had queued (typing signals are not in storage to replay).
    pub fn follow(&mut self, bus: &dyn Bus, conversation: &ConversationId, last_seq: i64) {
        if !self.map.contains_key(conversation) {
            let subscription = bus.subscribe(&Topic::Conversation(conversation.clone()));
            self.map.insert(conversation.clone(), subscription);
        }
        self.last_sent.insert(conversation.clone(), last_seq.max(0));
    }

    pub fn unfollow(&mut self, conversation: &ConversationId) {
        self.map.remove(conversation);
        self.last_sent.remove(conversation);
    }

    pub fn last_sent(&self, conversation: &ConversationId) -> i64 {
        self.last_sent.get(conversation).copied().unwrap_or(0)
    }

    pub fn mark_sent(&mut self, conversation: &ConversationId, seq: i64) {
        if let Some(last) = self.last_sent.get_mut(conversation) {
            *last = (*last).max(seq);
        }
    }

    /// The next bus message of any followed conversation. Pending forever when none is followed.
    pub async fn next(&mut self) -> (ConversationId, Item) {
        if self.map.is_empty() {
            return std::future::pending().await;
        }
        match self.map.next().await {
            Some(item) => item,
            None => std::future::pending().await,
        }
    }
}
