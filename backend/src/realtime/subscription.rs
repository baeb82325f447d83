//! One subscriber's bounded queue of bus messages.
//!
//! Why not a tokio broadcast channel per topic: a broadcast channel allocates all its slots when
//! the topic is created (256 slots cost ≈10 KiB per followed conversation, most of them never
//! used), while a live chat's topic holds a message or two at a time. Here each subscriber has
//! its own queue that starts empty, grows only as far as it falls behind, shrinks again once
//! read, and is bounded: a subscriber more than its capacity behind loses its queue and is told
//! it [`Lagged`], so it refills from the database (events are durable; typing is ephemeral).

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::{Context, Poll, Waker};

use super::bus::{BusMessage, Topic};

/// The subscriber fell behind and this many messages were dropped: rebuild from storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lagged(pub u64);

impl std::fmt::Display for Lagged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "fell behind by {} messages", self.0)
    }
}

impl std::error::Error for Lagged {}

/// A queue read back to empty keeps at most this much room; a larger one is freed, so a burst
/// does not leave an idle socket holding its peak.
const KEEP_WHEN_EMPTY: usize = 8;

/// The queue a publisher pushes into and its subscriber reads.
pub(crate) struct Inbox {
    state: Mutex<InboxState>,
    capacity: usize,
}

#[derive(Default)]
struct InboxState {
    queue: VecDeque<Arc<BusMessage>>,
    /// Messages dropped since the subscriber last read, reported before anything newer.
    lagged: u64,
    waker: Option<Waker>,
}

impl Inbox {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            state: Mutex::new(InboxState::default()),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, InboxState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `message`; a full queue is dropped first (the subscriber is told it lagged).
    pub(crate) fn push(&self, message: Arc<BusMessage>) {
        let waker = {
            let mut state = self.lock();
            if state.queue.len() >= self.capacity {
                state.lagged += state.queue.len() as u64;
                state.queue = VecDeque::new();
            }
            state.queue.push_back(message);
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Tells the subscriber it lagged although nothing overflowed here: messages meant for it
    /// were lost on the way (another node's notification). What it had queued is dropped too,
    /// since its rebuild from storage covers it, and a stale queued message delivered after the
    /// rebuild could undo it (an old offer's withdrawal hiding a newer offer).
    pub(crate) fn mark_lagged(&self) {
        let waker = {
            let mut state = self.lock();
            state.lagged += (state.queue.len() as u64).max(1);
            state.queue = VecDeque::new();
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn take(&self, cx: Option<&mut Context<'_>>) -> Option<Result<Arc<BusMessage>, Lagged>> {
        let mut state = self.lock();
        if state.lagged > 0 {
            let lagged = std::mem::take(&mut state.lagged);
            return Some(Err(Lagged(lagged)));
        }
        if let Some(message) = state.queue.pop_front() {
            if state.queue.is_empty() && state.queue.capacity() > KEEP_WHEN_EMPTY {
                state.queue = VecDeque::new();
            }
            return Some(Ok(message));
        }
        if let Some(cx) = cx {
            match &mut state.waker {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                slot => *slot = Some(cx.waker().clone()),
            }
        }
        None
    }
}

/// Where a subscription is registered, so dropping it leaves the topic.
pub(crate) trait Registry: Send + Sync {
    fn leave(&self, topic: &Topic, inbox: &Arc<Inbox>);
}

/// A subscriber of one topic. Dropping it unsubscribes; the topic is forgotten with its last
/// subscriber.
pub struct Subscription {
    inbox: Arc<Inbox>,
    topic: Topic,
    registry: Weak<dyn Registry>,
}

impl Subscription {
    pub(crate) fn new(inbox: Arc<Inbox>, topic: Topic, registry: Weak<dyn Registry>) -> Self {
        Self {
            inbox,
            topic,
            registry,
        }
    }

    /// The next message, or [`Lagged`] when some were dropped since the last one read.
    pub async fn recv(&mut self) -> Result<Arc<BusMessage>, Lagged> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<Arc<BusMessage>, Lagged>> {
        match self.inbox.take(Some(cx)) {
            Some(item) => Poll::Ready(item),
            None => Poll::Pending,
        }
    }

    /// The next message if one is waiting.
    pub fn try_recv(&mut self) -> Option<Result<Arc<BusMessage>, Lagged>> {
        self.inbox.take(None)
    }
}

/// A subscription never ends by itself: the stream is endless.
impl futures_core::Stream for Subscription {
    type Item = Result<Arc<BusMessage>, Lagged>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx).map(Some)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(registry) = self.registry.upgrade() {
            registry.leave(&self.topic, &self.inbox);
        }
    }
}
