//! Reading the server's frames in the browser, without serde's buffering of tagged enums.
//!
//! The frames are tagged JSON objects (`{"type": "event", …}`), and several of their parts are
//! too (`Author`, `Typist`, `Principal`, `EventKind`, `HandoffReason`, `UnavailableReason`).
//! serde's derived `Deserialize` for such an enum first buffers the whole object into its
//! generic `Content` tree and then reads the variant out of that tree: correct, but that
//! machinery, instantiated for every tagged type, made up about a fifth of the customer
//! widget's WASM. Here each object is read once into a plain struct whose fields are the union
//! of its variants' fields, and the variant is chosen from the tag afterwards. The wire format
//! is exactly the one `ServerFrame`'s `Serialize` writes (the tests round-trip every variant);
//! the server keeps using the derived implementations.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{ErrorCode, OfferView, Principal, ServerFrame, SpaceAvailability, Typist};
use crate::agent::{Availability, UnavailableReason};
use crate::conversation::{ConversationStatus, EndReason, HandoffReason, WorkStatus};
use crate::effect::WithdrawReason;
use crate::event::{Author, ConversationEvent, EventKind};
use crate::ids::{AgentId, ConversationId, SpaceId};
use crate::time::Timestamp;

/// Why a frame could not be read.
pub type DecodeError = String;

/// Reads one text frame from the server.
pub fn server_frame(text: &str) -> Result<ServerFrame, DecodeError> {
    let wire: FrameWire = serde_json::from_str(text).map_err(|e| e.to_string())?;
    wire.into_frame()
}

/// Every field any frame has; which ones must be present depends on `type`.
#[derive(Deserialize)]
struct FrameWire<'a> {
    #[serde(rename = "type")]
    kind: String,
    version: Option<u32>,
    you: Option<PartyWire>,
    heartbeat_ms: Option<u64>,
    #[serde(borrow)]
    event: Option<EventWire<'a>>,
    author_name: Option<String>,
    conversation: Option<ConversationId>,
    status: Option<ConversationStatus>,
    last_seq: Option<i64>,
    client_id: Option<String>,
    seq: Option<i64>,
    who: Option<PartyWire>,
    typing: Option<bool>,
    offset: Option<u32>,
    text: Option<String>,
    spaces: Option<Vec<SpaceAvailability>>,
    unavailable_reason: Option<ReasonWire>,
    offers: Option<Vec<OfferView>>,
    offer: Option<OfferView>,
    /// A `WithdrawReason` (a string) or an `UnavailableReason` (an object), by `type`.
    #[serde(borrow)]
    reason: Option<&'a RawValue>,
    space: Option<SpaceId>,
    availability: Option<Availability>,
    code: Option<ErrorCode>,
    message: Option<String>,
}

/// `Principal` and `Typist`: `{"kind": …, "id": …, "name": …}`.
#[derive(Deserialize)]
struct PartyWire {
    kind: String,
    id: Option<String>,
    name: Option<String>,
}

/// A conversation event: its envelope and the fields of every `EventKind`.
#[derive(Deserialize)]
struct EventWire<'a> {
    conversation: ConversationId,
    seq: i64,
    at: Timestamp,
    #[serde(rename = "type")]
    kind: String,
    author: Option<AuthorWire>,
    body: Option<String>,
    client_id: Option<String>,
    agent: Option<AgentId>,
    from: Option<WorkStatus>,
    to: Option<WorkStatus>,
    /// An `EndReason` (a string) or a `HandoffReason` (an object), by `type`.
    #[serde(borrow)]
    reason: Option<&'a RawValue>,
    resolution: Option<String>,
    /// A plain struct: serde's derive reads it without buffering.
    attachment: Option<crate::attachments::Attachment>,
}

/// `Author`: `{"kind": "agent", "agent": …}` or `{"kind": "customer"}`.
#[derive(Deserialize)]
struct AuthorWire {
    kind: String,
    agent: Option<AgentId>,
}

/// `HandoffReason` and `UnavailableReason`: `{"type": …}` and their fields.
#[derive(Deserialize)]
struct ReasonWire {
    #[serde(rename = "type")]
    kind: String,
    phrase: Option<String>,
    conversation: Option<ConversationId>,
    at: Option<Timestamp>,
}

fn need<T>(value: Option<T>, what: &str, field: &str) -> Result<T, DecodeError> {
    value.ok_or_else(|| format!("{what} lacks `{field}`"))
}

fn unknown(what: &str, tag: &str) -> DecodeError {
    format!("unknown {what} `{tag}`")
}

impl FrameWire<'_> {
    fn into_frame(self) -> Result<ServerFrame, DecodeError> {
        let what = "frame";
        let conversation = self.conversation;
        Ok(match self.kind.as_str() {
            "hello" => ServerFrame::Hello {
                version: need(self.version, what, "version")?,
                you: need(self.you, what, "you")?.principal()?,
                heartbeat_ms: need(self.heartbeat_ms, what, "heartbeat_ms")?,
            },
            "event" => ServerFrame::Event {
                event: need(self.event, what, "event")?.into_event()?,
                author_name: self.author_name,
            },
            "synced" => ServerFrame::Synced {
                conversation: need(conversation, what, "conversation")?,
                status: need(self.status, what, "status")?,
                last_seq: need(self.last_seq, what, "last_seq")?,
            },
            "sent" => ServerFrame::Sent {
                conversation: need(conversation, what, "conversation")?,
                client_id: need(self.client_id, what, "client_id")?,
                seq: need(self.seq, what, "seq")?,
            },
            "typing" => ServerFrame::Typing {
                conversation: need(conversation, what, "conversation")?,
                who: need(self.who, what, "who")?.typist()?,
                typing: need(self.typing, what, "typing")?,
            },
            "draft" => ServerFrame::Draft {
                conversation: need(conversation, what, "conversation")?,
                offset: need(self.offset, what, "offset")?,
                text: need(self.text, what, "text")?,
            },
            "agent_state" => ServerFrame::AgentState {
                spaces: need(self.spaces, what, "spaces")?,
                unavailable_reason: self
                    .unavailable_reason
                    .map(ReasonWire::unavailable)
                    .transpose()?,
                offers: need(self.offers, what, "offers")?,
            },
            "offer" => ServerFrame::Offer {
                offer: need(self.offer, what, "offer")?,
            },
            "offer_withdrawn" => ServerFrame::OfferWithdrawn {
                conversation: need(conversation, what, "conversation")?,
                reason: read::<WithdrawReason>(need(self.reason, what, "reason")?)?,
            },
            "availability" => ServerFrame::Availability {
                space: need(self.space, what, "space")?,
                availability: need(self.availability, what, "availability")?,
                reason: read::<ReasonWire>(need(self.reason, what, "reason")?)?.unavailable()?,
            },
            "resync" => ServerFrame::Resync {
                conversation: need(conversation, what, "conversation")?,
            },
            "error" => ServerFrame::Error {
                code: need(self.code, what, "code")?,
                message: need(self.message, what, "message")?,
                client_id: self.client_id,
                conversation,
            },
            "pong" => ServerFrame::Pong,
            "operations_changed" => ServerFrame::OperationsChanged,
            other => return Err(unknown(what, other)),
        })
    }
}

/// A part whose type depends on its parent's tag, read from the text it was kept as.
fn read<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, DecodeError> {
    serde_json::from_str(raw.get()).map_err(|e| e.to_string())
}

impl PartyWire {
    fn principal(self) -> Result<Principal, DecodeError> {
        let what = "principal";
        let (id, name) = (need(self.id, what, "id")?, need(self.name, what, "name")?);
        match self.kind.as_str() {
            "agent" => Ok(Principal::Agent { id, name }),
            "customer" => Ok(Principal::Customer { id, name }),
            other => Err(unknown(what, other)),
        }
    }

    fn typist(self) -> Result<Typist, DecodeError> {
        let what = "typist";
        match self.kind.as_str() {
            "customer" => Ok(Typist::Customer),
            "ai" => Ok(Typist::Ai),
            "agent" => Ok(Typist::Agent {
                id: need(self.id, what, "id")?,
                name: need(self.name, what, "name")?,
            }),
            other => Err(unknown(what, other)),
        }
    }
}

impl EventWire<'_> {
    fn into_event(self) -> Result<ConversationEvent, DecodeError> {
        let what = "event";
        let kind = match self.kind.as_str() {
            "message" => EventKind::Message {
                author: need(self.author, what, "author")?.into_author()?,
                body: need(self.body, what, "body")?,
                client_id: need(self.client_id, what, "client_id")?,
                attachment: self.attachment,
            },
            "note" => EventKind::Note {
                agent: need(self.agent, what, "agent")?,
                body: need(self.body, what, "body")?,
            },
            "status_changed" => EventKind::StatusChanged {
                from: self.from,
                to: need(self.to, what, "to")?,
            },
            "assigned" => EventKind::Assigned {
                agent: need(self.agent, what, "agent")?,
            },
            "fallback_shown" => EventKind::FallbackShown,
            "inactivity_warning" => EventKind::InactivityWarning,
            "ended" => EventKind::Ended {
                reason: read::<EndReason>(need(self.reason, what, "reason")?)?,
            },
            "resolved" => EventKind::Resolved {
                resolution: need(self.resolution, what, "resolution")?,
                agent: need(self.agent, what, "agent")?,
            },
            // Absent or null on conversations handed off before reasons were recorded.
            "handed_off" => EventKind::HandedOff {
                reason: match self.reason {
                    Some(raw) => read::<Option<ReasonWire>>(raw)?
                        .map(ReasonWire::handoff)
                        .transpose()?,
                    None => None,
                },
            },
            "handoff_requested" => EventKind::HandoffRequested {
                reason: read::<ReasonWire>(need(self.reason, what, "reason")?)?.handoff()?,
            },
            other => return Err(unknown(what, other)),
        };
        Ok(ConversationEvent {
            conversation: self.conversation,
            seq: self.seq,
            at: self.at,
            kind,
        })
    }
}

impl AuthorWire {
    fn into_author(self) -> Result<Author, DecodeError> {
        match self.kind.as_str() {
            "customer" => Ok(Author::Customer),
            "ai" => Ok(Author::Ai),
            "agent" => Ok(Author::Agent(need(self.agent, "author", "agent")?)),
            other => Err(unknown("author", other)),
        }
    }
}

impl ReasonWire {
    fn handoff(self) -> Result<HandoffReason, DecodeError> {
        match self.kind.as_str() {
            "asked_for_person" => Ok(HandoffReason::AskedForPerson),
            "button" => Ok(HandoffReason::Button),
            "cannot_help" => Ok(HandoffReason::CannotHelp),
            "rule" => Ok(HandoffReason::Rule {
                phrase: need(self.phrase, "handoff reason", "phrase")?,
            }),
            other => Err(unknown("handoff reason", other)),
        }
    }

    fn unavailable(self) -> Result<UnavailableReason, DecodeError> {
        let what = "unavailable reason";
        match self.kind.as_str() {
            "set_by_agent" => Ok(UnavailableReason::SetByAgent),
            "missed_offer" => Ok(UnavailableReason::MissedOffer {
                conversation: need(self.conversation, what, "conversation")?,
                at: need(self.at, what, "at")?,
            }),
            "disconnected" => Ok(UnavailableReason::Disconnected {
                at: need(self.at, what, "at")?,
            }),
            other => Err(unknown(what, other)),
        }
    }
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
