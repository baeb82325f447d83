//! What a tab knows about its realtime connection, as plain data: followed conversations with
//! their events, their outboxes of messages not yet confirmed, typing indicators, and the
//! agent's offers. Every server frame is applied here and every frame to send is produced here,
//! so the delivery rules (resume from the last seq, send one conversation's messages in order,
//! drop duplicates) are tested without a browser. `socket.rs` only moves frames.

use std::collections::BTreeMap;

use domain::protocol::{ClientFrame, ErrorCode, Principal, ServerFrame, Typist};
use domain::realtime::{DraftView, TypingIndicators};
use domain::{ConversationEvent, ConversationId, ConversationStatus, Timestamp};

pub use super::agent_view::AgentView;
use super::outbox::Outbox;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    /// The socket dropped; `attempt` counts the tries since.
    Reconnecting {
        attempt: u32,
    },
}

impl Connection {
    /// What the page shows about the connection; empty when all is well.
    pub fn label(&self) -> &'static str {
        match self {
            Connection::Connecting => "Connecting…",
            Connection::Online => "",
            Connection::Reconnecting { .. } => "Reconnecting…",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub event: ConversationEvent,
    pub author_name: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Thread {
    pub events: Vec<Shown>,
    pub last_seq: i64,
    pub status: Option<ConversationStatus>,
    /// The replay after the latest resume is complete.
    pub synced: bool,
    /// This tab's messages not yet confirmed, in the order they will be stored.
    pub outbox: Outbox,
    pub typing: TypingIndicators<String>,
    /// The AI agent's answer while a language model writes it.
    pub draft: DraftView,
    pub notice: Option<String>,
    /// The server could not keep the stream complete: resume again from `last_seq`.
    pub resync: bool,
}

#[derive(Clone, Debug)]
pub struct LiveState {
    pub connection: Connection,
    pub me: Option<Principal>,
    pub threads: BTreeMap<ConversationId, Thread>,
    pub agent: AgentView,
    /// The last problem the server reported that is not about one message.
    pub problem: Option<String>,
    /// The live operations view is open: ask for `operations_changed` on every connection.
    pub watching_operations: bool,
    /// Counts `operations_changed` (and reconnections while watching, which may have missed
    /// some): the view reads itself again whenever this moves.
    pub operations_changes: u64,
}

impl Default for LiveState {
    fn default() -> Self {
        Self {
            connection: Connection::Connecting,
            me: None,
            threads: BTreeMap::new(),
            agent: AgentView::default(),
            problem: None,
            watching_operations: false,
            operations_changes: 0,
        }
    }
}

/// How a typing person is named to the other side.
pub fn typist_label(who: &Typist) -> String {
    match who {
        Typist::Customer => "The customer".into(),
        Typist::Agent { name, .. } => name.clone(),
        Typist::Ai => "The AI agent".into(),
    }
}

fn author_label(shown: &Shown) -> Option<String> {
    match &shown.event.kind {
        domain::EventKind::Message { author, .. } => Some(match author {
            domain::Author::Customer => "The customer".into(),
            domain::Author::Agent(_) => shown.author_name.clone().unwrap_or_default(),
            domain::Author::Ai => "The AI agent".into(),
        }),
        _ => None,
    }
}

/// Whether a message's author is the person signed in on this tab.
fn written_by(me: Option<&Principal>, author: &domain::Author) -> bool {
    match (me, author) {
        (Some(Principal::Customer { .. }), domain::Author::Customer) => true,
        (Some(Principal::Agent { id, .. }), domain::Author::Agent(agent)) => agent.as_str() == id,
        _ => false,
    }
}

impl LiveState {
    pub fn is_online(&self) -> bool {
        self.connection == Connection::Online
    }

    /// Start following a conversation. Returns the frame to send now, if online and the
    /// conversation is not already followed.
    pub fn follow(&mut self, conversation: &ConversationId) -> Option<ClientFrame> {
        let online = self.is_online();
        let known = self.threads.contains_key(conversation);
        let thread = self.threads.entry(conversation.clone()).or_default();
        (online && !(known && thread.synced)).then(|| ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq: thread.last_seq,
        })
    }

    pub fn unfollow(&mut self, conversation: &ConversationId) -> Option<ClientFrame> {
        self.threads.remove(conversation);
        self.is_online().then(|| ClientFrame::Unsubscribe {
            conversation: conversation.clone(),
        })
    }

    /// The person wrote a message: it joins the conversation's outbox, where it stays until the
    /// server confirms it, whatever happens to the connection meanwhile. Returns the frames to
    /// send now (none while offline, or while an earlier message awaits its confirmation).
    pub fn compose(
        &mut self,
        conversation: &ConversationId,
        client_id: String,
        body: String,
        now: Timestamp,
    ) -> Vec<ClientFrame> {
        let thread = self.threads.entry(conversation.clone()).or_default();
        thread.outbox.push(client_id, body, now);
        self.sends_due(now)
    }

    /// The person asked to send a "Not sent" message again. Returns the frames to send now.
    pub fn retry(
        &mut self,
        conversation: &ConversationId,
        client_id: &str,
        now: Timestamp,
    ) -> Vec<ClientFrame> {
        let retried = self
            .threads
            .get_mut(conversation)
            .is_some_and(|thread| thread.outbox.retry(client_id, now));
        if retried {
            self.sends_due(now)
        } else {
            Vec::new()
        }
    }

    /// The server said hello: resume every followed conversation from its last seq, then start
    /// each outbox again from its first message (resending is harmless: same client id, same
    /// seq).
    pub fn on_open(&mut self, me: Principal, now: Timestamp) -> Vec<ClientFrame> {
        self.connection = Connection::Online;
        self.me = Some(me);
        self.problem = None;
        let mut frames = Vec::new();
        for (conversation, thread) in &mut self.threads {
            thread.synced = false;
            thread.resync = false;
            frames.push(ClientFrame::Resume {
                conversation: conversation.clone(),
                last_seq: thread.last_seq,
            });
        }
        if self.watching_operations {
            frames.push(ClientFrame::WatchOperations);
            self.operations_changes += 1;
        }
        frames.extend(self.sends_due(now));
        frames
    }

    /// The live operations view opened. Returns the frame to send now, if online.
    pub fn watch_operations(&mut self) -> Option<ClientFrame> {
        self.watching_operations = true;
        self.is_online().then_some(ClientFrame::WatchOperations)
    }

    /// The socket dropped. Typing indicators go (nobody can refresh them now); everything else
    /// stays on screen.
    pub fn on_close(&mut self, attempt: u32) {
        self.connection = Connection::Reconnecting { attempt };
        for thread in self.threads.values_mut() {
            thread.typing = TypingIndicators::default();
            thread.synced = false;
            thread.outbox.disconnected();
        }
    }

    /// The messages to put on the wire now: at most one per conversation, the first in its
    /// outbox, when its turn has come or its confirmation is overdue. None while offline.
    pub fn sends_due(&mut self, now: Timestamp) -> Vec<ClientFrame> {
        if !self.is_online() {
            return Vec::new();
        }
        self.threads
            .iter_mut()
            .filter_map(|(conversation, thread)| {
                let (client_id, body) = thread.outbox.due(now)?;
                Some(ClientFrame::Send {
                    conversation: conversation.clone(),
                    client_id,
                    body,
                })
            })
            .collect()
    }

    /// Outboxes that made no progress for too long show their messages as "Not sent". True if
    /// anything changed (the page re-renders only then).
    pub fn give_up_stuck(&mut self, now: Timestamp) -> bool {
        let online = self.is_online();
        let mut changed = false;
        for thread in self.threads.values_mut() {
            changed |= thread.outbox.give_up_if_stuck(online, now);
        }
        changed
    }

    pub fn apply(&mut self, frame: ServerFrame, now: Timestamp) {
        match frame {
            ServerFrame::Hello { you, .. } => self.me = Some(you),
            ServerFrame::Event { event, author_name } => self.on_event(event, author_name, now),
            ServerFrame::Synced {
                conversation,
                status,
                last_seq,
            } => {
                let thread = self.threads.entry(conversation).or_default();
                thread.synced = true;
                thread.status = Some(status);
                thread.last_seq = thread.last_seq.max(last_seq);
                thread.outbox.shown_up_to(thread.last_seq);
            }
            ServerFrame::Sent {
                conversation,
                client_id,
                seq,
            } => {
                if let Some(thread) = self.threads.get_mut(&conversation) {
                    thread.outbox.stored(&client_id, seq, now);
                    thread.outbox.shown_up_to(thread.last_seq);
                }
            }
            ServerFrame::Typing {
                conversation,
                who,
                typing,
            } => {
                if let Some(thread) = self.threads.get_mut(&conversation) {
                    thread.typing.signal(typist_label(&who), typing, now);
                }
            }
            ServerFrame::Draft {
                conversation,
                offset,
                text,
            } => {
                if let Some(thread) = self.threads.get_mut(&conversation) {
                    thread.draft.piece(offset, &text);
                }
            }
            ServerFrame::AgentState { .. }
            | ServerFrame::Offer { .. }
            | ServerFrame::OfferWithdrawn { .. }
            | ServerFrame::Availability { .. } => self.agent.apply(frame),
            ServerFrame::Resync { conversation } => {
                // Nothing is lost: the next resume replays from the last seq shown. Marking the
                // thread unsynced makes the socket send that resume.
                if let Some(thread) = self.threads.get_mut(&conversation) {
                    thread.synced = false;
                    thread.resync = true;
                }
            }
            ServerFrame::Error {
                code,
                message,
                client_id,
                conversation,
            } => self.on_error(code, message, client_id, conversation, now),
            ServerFrame::Pong => {}
            ServerFrame::OperationsChanged => self.operations_changes += 1,
        }
    }

    fn on_event(&mut self, event: ConversationEvent, author_name: Option<String>, now: Timestamp) {
        let me = self.me.clone();
        let thread = self.threads.entry(event.conversation.clone()).or_default();
        if event.seq <= thread.last_seq {
            return; // already shown
        }
        thread.last_seq = event.seq;
        let shown = Shown { event, author_name };
        if let domain::EventKind::Message {
            client_id, author, ..
        } = &shown.event.kind
        {
            // Our own message, stored: also when its `sent` was lost, or when it was shown as
            // not sent but a first try had been stored after all.
            if written_by(me.as_ref(), author) {
                thread.outbox.shown(client_id, now);
            }
            if let Some(author) = author_label(&shown) {
                thread.typing.message_from(&author);
            }
            // The answer being written has arrived whole.
            if matches!(author, domain::Author::Ai) {
                thread.draft.clear();
            }
        }
        match &shown.event.kind {
            domain::EventKind::HandedOff { .. } | domain::EventKind::HandoffRequested { .. } => {
                thread.draft.clear();
            }
            domain::EventKind::StatusChanged { to, .. } => {
                thread.status = Some(ConversationStatus::Work(*to));
            }
            // Customers never see status changes; an agent joining is their news that the
            // conversation is Active.
            domain::EventKind::Assigned { .. } => {
                thread.status = Some(ConversationStatus::Work(domain::WorkStatus::Active));
            }
            _ => {}
        }
        if let domain::EventKind::Ended { .. } = &shown.event.kind {
            thread.typing = TypingIndicators::default();
        }
        thread.events.push(shown);
    }

    fn on_error(
        &mut self,
        code: ErrorCode,
        message: String,
        client_id: Option<String>,
        conversation: Option<ConversationId>,
        now: Timestamp,
    ) {
        let thread = conversation.as_ref().and_then(|c| self.threads.get_mut(c));
        match (thread, client_id) {
            (Some(thread), Some(client_id)) => match code {
                // Nothing was stored and trying again will work: the message stays first in
                // line and goes again after a pause, so nothing overtakes it.
                ErrorCode::RateLimited | ErrorCode::Unavailable => {
                    thread.outbox.try_later(&client_id, now);
                }
                // A rule said no: keep the text on screen, marked, and stop sending it.
                ErrorCode::Refused
                | ErrorCode::Forbidden
                | ErrorCode::BadFrame
                | ErrorCode::FrameTooLarge => {
                    thread.outbox.refused(&client_id, message, now);
                }
            },
            (Some(thread), None) => thread.notice = Some(message),
            (None, _) => self.problem = Some(message),
        }
    }

    /// Threads whose stream must be resumed again (the server asked for a resync).
    pub fn resumes_needed(&mut self) -> Vec<ClientFrame> {
        if !self.is_online() {
            return Vec::new();
        }
        self.threads
            .iter_mut()
            .filter(|(_, t)| t.resync)
            .map(|(conversation, thread)| {
                thread.resync = false;
                ClientFrame::Resume {
                    conversation: conversation.clone(),
                    last_seq: thread.last_seq,
                }
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
