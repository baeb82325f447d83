//! What a tab knows about its realtime connection, as plain data: followed conversations with
//! their events, messages not yet confirmed, typing indicators, and the agent's offers. Every
//! server frame is applied here and every frame to send is produced here, so the delivery rules
//! (resume from the last seq, resend what is unconfirmed, drop duplicates) are tested without a
//! browser. `socket.rs` only moves frames.

use std::collections::BTreeMap;

use domain::protocol::{
    ClientFrame, ErrorCode, OfferView, Principal, ServerFrame, SpaceAvailability, Typist,
};
use domain::realtime::TypingIndicators;
use domain::{ConversationEvent, ConversationId, ConversationStatus, Timestamp, UnavailableReason};

/// An unconfirmed message is sent again after this long without `sent`.
pub const RESEND_AFTER_MS: i64 = 5_000;

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub client_id: String,
    pub body: String,
    /// When it last went out; `None` while offline (not sent yet).
    pub sent_at: Option<Timestamp>,
    /// Set when a rule refused it: it will not be sent again.
    pub refused: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Thread {
    pub events: Vec<Shown>,
    pub last_seq: i64,
    pub status: Option<ConversationStatus>,
    /// The replay after the latest resume is complete.
    pub synced: bool,
    pub pending: Vec<Pending>,
    pub typing: TypingIndicators<String>,
    pub notice: Option<String>,
    /// The server could not keep the stream complete: resume again from `last_seq`.
    pub resync: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentView {
    pub spaces: Vec<SpaceAvailability>,
    pub unavailable_reason: Option<UnavailableReason>,
    pub offers: Vec<OfferView>,
    /// Why the last offer disappeared, shown briefly.
    pub withdrawn_note: Option<String>,
}

#[derive(Clone, Debug)]
pub struct LiveState {
    pub connection: Connection,
    pub me: Option<Principal>,
    pub threads: BTreeMap<ConversationId, Thread>,
    pub agent: AgentView,
    /// The last problem the server reported that is not about one message.
    pub problem: Option<String>,
}

impl Default for LiveState {
    fn default() -> Self {
        Self {
            connection: Connection::Connecting,
            me: None,
            threads: BTreeMap::new(),
            agent: AgentView::default(),
            problem: None,
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

    /// The person wrote a message. It is kept until the server confirms it, whatever happens to
    /// the connection meanwhile. Returns the frame to send now, if online.
    pub fn compose(
        &mut self,
        conversation: &ConversationId,
        client_id: String,
        body: String,
        now: Timestamp,
    ) -> Option<ClientFrame> {
        let online = self.is_online();
        let thread = self.threads.entry(conversation.clone()).or_default();
        thread.pending.push(Pending {
            client_id: client_id.clone(),
            body: body.clone(),
            sent_at: online.then_some(now),
            refused: None,
        });
        online.then(|| ClientFrame::Send {
            conversation: conversation.clone(),
            client_id,
            body,
        })
    }

    /// The server said hello: resume every followed conversation from its last seq, then send
    /// every unconfirmed message again (resending is harmless: same client id, same seq).
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
        for (conversation, thread) in &mut self.threads {
            for pending in thread.pending.iter_mut().filter(|p| p.refused.is_none()) {
                pending.sent_at = Some(now);
                frames.push(ClientFrame::Send {
                    conversation: conversation.clone(),
                    client_id: pending.client_id.clone(),
                    body: pending.body.clone(),
                });
            }
        }
        frames
    }

    /// The socket dropped. Typing indicators go (nobody can refresh them now); everything else
    /// stays on screen.
    pub fn on_close(&mut self, attempt: u32) {
        self.connection = Connection::Reconnecting { attempt };
        for thread in self.threads.values_mut() {
            thread.typing = TypingIndicators::default();
            thread.synced = false;
            for pending in &mut thread.pending {
                pending.sent_at = None;
            }
        }
    }

    /// Unconfirmed messages whose last try is older than [`RESEND_AFTER_MS`] (an answer lost,
    /// or the server asked to retry).
    pub fn resend_due(&mut self, now: Timestamp) -> Vec<ClientFrame> {
        if !self.is_online() {
            return Vec::new();
        }
        let mut frames = Vec::new();
        for (conversation, thread) in &mut self.threads {
            for pending in thread.pending.iter_mut().filter(|p| p.refused.is_none()) {
                let due = pending
                    .sent_at
                    .is_none_or(|at| now.as_millis() - at.as_millis() >= RESEND_AFTER_MS);
                if due {
                    pending.sent_at = Some(now);
                    frames.push(ClientFrame::Send {
                        conversation: conversation.clone(),
                        client_id: pending.client_id.clone(),
                        body: pending.body.clone(),
                    });
                }
            }
        }
        frames
    }

    pub fn apply(&mut self, frame: ServerFrame, now: Timestamp) {
        match frame {
            ServerFrame::Hello { you, .. } => self.me = Some(you),
            ServerFrame::Event { event, author_name } => self.on_event(event, author_name),
            ServerFrame::Synced {
                conversation,
                status,
                last_seq,
            } => {
                let thread = self.threads.entry(conversation).or_default();
                thread.synced = true;
                thread.status = Some(status);
                thread.last_seq = thread.last_seq.max(last_seq);
            }
            ServerFrame::Sent {
                conversation,
                client_id,
                ..
            } => {
                if let Some(thread) = self.threads.get_mut(&conversation) {
                    thread.pending.retain(|p| p.client_id != client_id);
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
            ServerFrame::AgentState {
                spaces,
                unavailable_reason,
                offers,
            } => {
                self.agent.spaces = spaces;
                self.agent.unavailable_reason = unavailable_reason;
                self.agent.offers = offers;
            }
            ServerFrame::Offer { offer } => {
                self.agent
                    .offers
                    .retain(|o| o.conversation != offer.conversation);
                self.agent.offers.push(offer);
                self.agent.withdrawn_note = None;
            }
            ServerFrame::OfferWithdrawn {
                conversation,
                reason,
            } => {
                let had = self.agent.offers.len();
                self.agent.offers.retain(|o| o.conversation != conversation);
                if self.agent.offers.len() < had {
                    self.agent.withdrawn_note = withdrawn_note(reason);
                }
            }
            ServerFrame::Availability {
                space,
                availability,
                reason,
            } => {
                if let Some(entry) = self.agent.spaces.iter_mut().find(|s| s.space == space) {
                    entry.availability = availability;
                }
                if availability == domain::Availability::Unavailable {
                    self.agent.unavailable_reason = Some(reason);
                } else if self
                    .agent
                    .spaces
                    .iter()
                    .all(|s| s.availability == domain::Availability::Available)
                {
                    self.agent.unavailable_reason = None;
                }
            }
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
            } => self.on_error(code, message, client_id, conversation),
            ServerFrame::Pong => {}
        }
    }

    fn on_event(&mut self, event: ConversationEvent, author_name: Option<String>) {
        let thread = self.threads.entry(event.conversation.clone()).or_default();
        if event.seq <= thread.last_seq {
            return; // already shown
        }
        thread.last_seq = event.seq;
        let shown = Shown { event, author_name };
        if let domain::EventKind::Message { client_id, .. } = &shown.event.kind {
            thread.pending.retain(|p| &p.client_id != client_id);
            if let Some(author) = author_label(&shown) {
                thread.typing.message_from(&author);
            }
        }
        match &shown.event.kind {
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
    ) {
        let pending = conversation
            .as_ref()
            .zip(client_id.as_ref())
            .and_then(|(c, id)| {
                self.threads
                    .get_mut(c)?
                    .pending
                    .iter_mut()
                    .find(|p| &p.client_id == id)
            });
        match (code, pending) {
            // A rule said no: keep the text on screen, marked, and stop sending it.
            (ErrorCode::Refused | ErrorCode::Forbidden | ErrorCode::BadFrame, Some(p)) => {
                p.refused = Some(message);
            }
            // Try again later: the resend timer picks it up.
            (_, Some(_)) => {}
            (_, None) => match conversation.and_then(|c| self.threads.get_mut(&c)) {
                Some(thread) => thread.notice = Some(message),
                None => self.problem = Some(message),
            },
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

fn withdrawn_note(reason: domain::WithdrawReason) -> Option<String> {
    use domain::WithdrawReason as W;
    Some(
        match reason {
            W::Accepted => return None,
            W::Declined => "You declined the conversation; it was offered to the next agent.",
            W::Expired => "The offer ran out of time and went to the next agent.",
            W::Ended => "The customer left before the conversation was accepted.",
            W::NoAcceptInTime => {
                "Nobody accepted the conversation in time, so it closed and the customer saw the Fallback message."
            }
            W::AgentUnavailable => "You are Unavailable, so the offer went to the next agent.",
        }
        .to_string(),
    )
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
