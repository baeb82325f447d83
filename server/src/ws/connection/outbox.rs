//! A socket's `send`s: stored one at a time, in the order they were read, each by a task of its
//! own, so the socket keeps reading frames and delivering events while a message is stored or
//! waits its turn under the message rate. A busy sender's deliveries never wait behind its own
//! acks, and its messages are still stored in the order sent (one in flight per socket).
//!
//! The queue is bounded ([`MAX_QUEUED`]): when it is full the socket stops reading until the
//! message in flight is stored, so a client that sends faster than Baton stores is slowed by
//! TCP, and its memory on the server stays bounded.

use std::collections::VecDeque;

use backend::{BackendError, Db, Engine, realtime::reads};
use domain::{
    Author, Command, ConversationEvent, ConversationId, EventKind,
    access::{Reader, may_read},
    protocol::{ErrorCode, ServerFrame},
};
use tokio::task::{JoinError, JoinHandle};

use super::{Connection, End};
use crate::ws::limits::{Limits, MessageShaper, Turn, TurnWaiter, Verdict};

/// Sends read but not yet stored, beyond which the socket stops reading. More than a person
/// could type before the flood rule refuses them (burst + `MAX_SHAPED_IN_A_ROW`).
pub(super) const MAX_QUEUED: usize = 64;

pub(super) struct Outbox {
    queue: VecDeque<Queued>,
    pub(super) in_flight: Option<JoinHandle<Posted>>,
    /// The conversation and client id of the send in flight.
    in_flight_id: (ConversationId, String),
    /// Sends queued or in flight that wait (or waited) for their turn under the rate.
    waiting: usize,
    /// Whether the send in flight is one of them.
    in_flight_waits: bool,
    shaper: MessageShaper,
}

struct Queued {
    conversation: ConversationId,
    client_id: String,
    body: String,
    /// The socket did not follow the conversation when the send was read: its access is read
    /// from the database first. A followed conversation was checked when it was resumed, and
    /// a customer's (or visitor's) right to their own conversation never ends, while an agent's
    /// message is refused by the engine unless they are the assignee (SPEC R-VIEW-3).
    check_access: bool,
    /// Over the rate when it was read: it waits for its turn before it is stored.
    wait: Option<TurnWaiter>,
}

/// A stored (or refused) send, answered to the client in the order sent.
pub(super) struct Posted {
    conversation: ConversationId,
    client_id: String,
    outcome: Outcome,
}

enum Outcome {
    Stored(i64),
    Forbidden,
    Refused(String),
    Failed(BackendError),
    /// Committed but without a seq: never expected.
    Unconfirmed,
}

impl Outbox {
    pub(super) fn new(limits: Limits) -> Self {
        Self {
            queue: VecDeque::new(),
            in_flight: None,
            in_flight_id: (ConversationId::new(""), String::new()),
            waiting: 0,
            in_flight_waits: false,
            shaper: MessageShaper::new(limits),
        }
    }

    /// Whether another `send` may be read now.
    pub(super) fn has_room(&self) -> bool {
        self.queue.len() < MAX_QUEUED
    }
}

/// The send in flight once it is stored; pending for ever while none is.
pub(super) async fn next_posted(
    slot: &mut Option<JoinHandle<Posted>>,
) -> Result<Posted, JoinError> {
    match slot {
        Some(handle) => {
            let posted = handle.await;
            *slot = None;
            posted
        }
        None => std::future::pending().await,
    }
}

impl Connection {
    /// Queues a `send`; it is stored after the ones read before it. Its turn under the message
    /// rate is decided now, as it is read: a flood (too many sends in a row over the rate) is
    /// refused at once, by name, without being stored.
    pub(super) async fn queue_send(
        &mut self,
        conversation: ConversationId,
        client_id: String,
        body: String,
    ) -> Result<(), End> {
        let wait = match self.outbox.shaper.turn(self.outbox.waiting > 0) {
            Turn::Now => None,
            Turn::Wait(_) => {
                self.outbox.waiting += 1;
                Some(self.outbox.shaper.waiter())
            }
            Turn::Refuse => {
                if self.limiter.strike() == Verdict::Close {
                    return Err(End::Close(
                        domain::protocol::close::POLICY,
                        "Too many frames; reconnect later.",
                    ));
                }
                return self
                    .error(
                        ErrorCode::RateLimited,
                        "Slow down: too many messages per second. Nothing was stored; send it again in a moment.",
                        Some(&conversation),
                        Some(&client_id),
                    )
                    .await;
            }
        };
        let check_access = !self.streams.is_following(&conversation);
        self.outbox.queue.push_back(Queued {
            conversation,
            client_id,
            body,
            check_access,
            wait,
        });
        self.send_next();
        Ok(())
    }

    /// Starts storing the next queued send unless one is in flight.
    fn send_next(&mut self) {
        if self.outbox.in_flight.is_some() {
            return;
        }
        if let Some(queued) = self.outbox.queue.pop_front() {
            let author = match &self.who.reader {
                Reader::Customer(_) | Reader::Visitor(_) => Author::Customer,
                Reader::Agent(agent) => Author::Agent(agent.clone()),
            };
            let check = queued
                .check_access
                .then(|| (self.state.app.db.clone(), self.who.reader.clone()));
            let engine = self.state.app.engine.clone();
            self.outbox.in_flight_id = (queued.conversation.clone(), queued.client_id.clone());
            self.outbox.in_flight_waits = queued.wait.is_some();
            self.outbox.in_flight = Some(tokio::spawn(store(engine, queued, author, check)));
        }
    }

    /// Starts the next send and answers the one just stored.
    pub(super) async fn on_posted(&mut self, joined: Result<Posted, JoinError>) -> Result<(), End> {
        if std::mem::take(&mut self.outbox.in_flight_waits) {
            self.outbox.waiting -= 1;
        }
        // The next one starts before this one is answered: the answer may wait on a slow
        // client, the database need not.
        self.send_next();
        self.answer(joined).await
    }

    /// A socket sees its own message come back on the bus a moment before the task that
    /// stored it ends. Its `sent` goes first, as it would have if the socket had waited for the
    /// engine: so when the event is the message in flight, the (finished) task is answered
    /// before the event is delivered.
    pub(super) async fn answer_first_if_own(
        &mut self,
        event: &ConversationEvent,
    ) -> Result<(), End> {
        let own = match &event.kind {
            EventKind::Message {
                client_id, author, ..
            } => {
                self.outbox.in_flight.is_some()
                    && event.conversation == self.outbox.in_flight_id.0
                    && *client_id == self.outbox.in_flight_id.1
                    && match (author, &self.who.reader) {
                        (Author::Agent(author), Reader::Agent(me)) => author == me,
                        (Author::Customer, Reader::Customer(_) | Reader::Visitor(_)) => true,
                        _ => false,
                    }
            }
            _ => false,
        };
        if !own {
            return Ok(());
        }
        let posted = next_posted(&mut self.outbox.in_flight).await;
        self.on_posted(posted).await
    }

    /// Before the socket closes: the send in flight is answered (it may be committed, and the
    /// client must not wait for an ack that never comes). Queued ones were not stored; the
    /// client resends them after it reconnects.
    pub(super) async fn finish_sending(&mut self) {
        if let Some(handle) = self.outbox.in_flight.take()
            && let Ok(joined) = tokio::time::timeout(FINISH_WAIT, handle).await
        {
            let _ = self.answer(joined).await;
        }
    }

    async fn answer(&mut self, joined: Result<Posted, JoinError>) -> Result<(), End> {
        let Posted {
            conversation,
            client_id,
            outcome,
        } = match joined {
            Ok(posted) => posted,
            Err(error) => {
                // The task panicked: its message is not known to be stored, and its client id
                // is gone with it; the client resends what has no ack.
                tracing::error!(%error, "storing a websocket message failed");
                return Ok(());
            }
        };
        match outcome {
            Outcome::Stored(seq) => {
                self.set_typing(&conversation, false);
                self.send(&ServerFrame::Sent {
                    conversation,
                    client_id,
                    seq,
                })
                .await
            }
            Outcome::Forbidden => {
                self.error(
                    ErrorCode::Forbidden,
                    "You cannot see this conversation.",
                    Some(&conversation),
                    None,
                )
                .await
            }
            Outcome::Refused(message) => {
                self.error(
                    ErrorCode::Refused,
                    message,
                    Some(&conversation),
                    Some(&client_id),
                )
                .await
            }
            Outcome::Failed(error) => {
                self.unavailable(&error, Some(&conversation), Some(&client_id))
                    .await
            }
            Outcome::Unconfirmed => {
                tracing::error!(%conversation, "a stored message has no seq");
                self.error(
                    ErrorCode::Unavailable,
                    "Your message could not be confirmed; send it again.",
                    Some(&conversation),
                    Some(&client_id),
                )
                .await
            }
        }
    }
}

/// How long a closing socket waits for its message in flight to be stored.
const FINISH_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Waits for the message's turn, checks access when asked to, and stores it through the engine
/// (ack after commit: the answer is built from the committed outcome).
async fn store(
    engine: Engine,
    queued: Queued,
    author: Author,
    check: Option<(Db, Reader)>,
) -> Posted {
    let Queued {
        conversation,
        client_id,
        body,
        wait,
        ..
    } = queued;
    if let Some(wait) = wait {
        wait.wait().await;
    }
    let outcome = match check {
        Some((db, reader)) => match reads::conversation(&db, &conversation).await {
            Ok(Some(conv)) if may_read(&conv, &reader) => None,
            Ok(_) => Some(Outcome::Forbidden),
            Err(error) => Some(Outcome::Failed(error)),
        },
        None => None,
    };
    let outcome = match outcome {
        Some(refused) => refused,
        // A customer writing to the AI agent gets its answer once the message is committed:
        // the engine announces it to the AI agent (see `Engine::with_follow_ups`).
        None => match engine
            .execute(Command::SendMessage {
                conversation: conversation.clone(),
                author,
                body,
                client_id: client_id.clone(),
                attachment: None,
            })
            .await
        {
            Ok(outcome) => match outcome.message_seq() {
                Some(seq) => Outcome::Stored(seq),
                None => Outcome::Unconfirmed,
            },
            Err(BackendError::Rule(rule)) => Outcome::Refused(rule.to_string()),
            Err(BackendError::Invalid(message)) => Outcome::Refused(message),
            Err(error) => Outcome::Failed(error),
        },
    };
    Posted {
        conversation,
        client_id,
        outcome,
    }
}
