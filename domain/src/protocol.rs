//! The realtime protocol: the JSON frames a browser tab and the server exchange over `/ws`.
//!
//! Defined once here and compiled into both ends, so the widget, the dashboard and the server can
//! never disagree on a field name. Every frame is an object tagged by `"type"`. The version is
//! chosen by the client in the URL (`/ws?v=1`) and confirmed in the server's `hello`.
//!
//! Delivery guarantees (see ARCHITECTURE.md, "Realtime"):
//! - `send` is acknowledged with `sent` only after the message is committed, and carries the
//!   message's `seq`; resending the same `client_id` is harmless and gets the same `seq` back.
//! - `resume` replays every event after `last_seq` from the database, then streams live events;
//!   the server fills any gap from the database, so each event reaches a tab once and in order.
//! - typing is ephemeral: never stored, never replayed.

pub mod decode;
pub mod timing;

use serde::{Deserialize, Serialize};

use crate::agent::{Availability, UnavailableReason};
use crate::conversation::ConversationStatus;
use crate::effect::WithdrawReason;
use crate::event::ConversationEvent;
use crate::ids::{ConversationId, SpaceId};
use crate::time::Timestamp;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest text frame the server reads and answers with an error instead of closing.
pub const MAX_FRAME_BYTES: usize = 16 * 1024;

/// Longest session token an `auth` frame may carry (tower-sessions ids are 22 characters).
pub const MAX_SESSION_TOKEN_CHARS: usize = 64;

/// Longest client message id (UUIDs are 36 characters; the rest is slack for other clients).
pub const MAX_CLIENT_ID_CHARS: usize = 64;

/// Frames a browser tab sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The widget's session, as the first frame of a socket opened with `/ws?auth=frame`. The
    /// embedded widget holds no cookie (it is a third-party frame on the customer's site), and
    /// a token in the URL would land in access logs, so it travels here. Only valid first.
    Auth { session: String },
    /// Follow a conversation: replay every event after `last_seq` (0 for all), then stream.
    Resume {
        conversation: ConversationId,
        #[serde(default)]
        last_seq: i64,
    },
    /// Stop following a conversation.
    Unsubscribe { conversation: ConversationId },
    /// Post a message. `client_id` is the sender's idempotency key (a UUIDv7).
    Send {
        conversation: ConversationId,
        client_id: String,
        body: String,
    },
    /// The sender started or stopped typing in a conversation.
    Typing {
        conversation: ConversationId,
        typing: bool,
    },
    /// The tab has shown everything up to `seq` (unread counts, read markers).
    Ack {
        conversation: ConversationId,
        seq: i64,
    },
    /// Application heartbeat: browsers cannot send websocket pings themselves.
    Ping,
    /// An admin's live operations view: tell this socket whenever the queue, an agent's
    /// availability or load, or an offer changes (`operations_changed`). Site and space
    /// admins only.
    WatchOperations,
}

/// Who the server recognised on this socket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    Agent { id: String, name: String },
    Customer { id: String, name: String },
}

/// Who is typing, as the other side should see it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Typist {
    Customer,
    Agent {
        id: String,
        name: String,
    },
    /// The AI agent preparing an answer.
    Ai,
}

/// A live offer as the offered agent's dashboard shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferView {
    pub conversation: ConversationId,
    pub space: SpaceId,
    pub customer_name: String,
    /// Whether the AI agent handled the conversation before the handoff.
    pub from_ai: bool,
    pub expires_at: Timestamp,
}

/// An agent's availability in one space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceAvailability {
    pub space: SpaceId,
    pub space_name: String,
    pub availability: Availability,
}

/// Machine-readable error codes; `message` beside them is for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not JSON, or not an object with a known `type` and its fields.
    BadFrame,
    /// The frame was larger than [`MAX_FRAME_BYTES`].
    FrameTooLarge,
    /// Too many frames per second; the frame was dropped, send it again shortly.
    RateLimited,
    /// This socket may not see or act on that conversation.
    Forbidden,
    /// A product rule refused the action (the message says which).
    Refused,
    /// The server could not complete the action (the database is briefly gone, say); nothing
    /// was stored, send it again.
    Unavailable,
}

/// Frames the server sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// First frame on every socket.
    Hello {
        version: u32,
        you: Principal,
        /// The client should send `ping` at least this often (see [`timing`]).
        heartbeat_ms: u64,
    },
    /// A durable event: a message, an internal note (agents only), a status change or a notice
    /// (inactivity warning, fallback, ended). `author_name` names an agent author.
    Event {
        event: ConversationEvent,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        author_name: Option<String>,
    },
    /// Replay after a `resume` is complete; everything that follows is live.
    Synced {
        conversation: ConversationId,
        status: ConversationStatus,
        last_seq: i64,
    },
    /// A `send` is committed as `seq`.
    Sent {
        conversation: ConversationId,
        client_id: String,
        seq: i64,
    },
    Typing {
        conversation: ConversationId,
        who: Typist,
        typing: bool,
    },
    /// A piece of the AI agent's answer while a language model writes it: ephemeral, never
    /// stored or replayed. `offset` is how many characters of the draft came before `text`, so
    /// a client appends a piece only where it fits (a lost piece leaves the draft short until
    /// the answer arrives whole, as an `event`). An empty `text` at offset 0 clears the draft:
    /// the answer was dropped (a handoff while it was being written, SPEC R-HAND-2).
    Draft {
        conversation: ConversationId,
        offset: u32,
        text: String,
    },
    /// The agent's whole routing state: availability per space and live offers. Sent on connect
    /// and again whenever the agent's stream had to be rebuilt.
    AgentState {
        spaces: Vec<SpaceAvailability>,
        unavailable_reason: Option<UnavailableReason>,
        offers: Vec<OfferView>,
    },
    /// A conversation is offered to this agent.
    Offer {
        offer: OfferView,
    },
    /// An offer to this agent ended.
    OfferWithdrawn {
        conversation: ConversationId,
        reason: WithdrawReason,
    },
    /// This agent's availability changed in a space (by them, or by Baton).
    Availability {
        space: SpaceId,
        availability: Availability,
        reason: UnavailableReason,
    },
    /// The server could not keep this stream complete; send `resume` from the last seq shown.
    Resync {
        conversation: ConversationId,
    },
    Error {
        code: ErrorCode,
        message: String,
        /// The `client_id` of the `send` this error answers, so the client can retry that one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conversation: Option<ConversationId>,
    },
    Pong,
    /// Something the live operations view shows has changed: read the view again. Carries no
    /// data, so what a viewer sees is always read with their own scope.
    OperationsChanged,
}

impl ServerFrame {
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Error {
            code,
            message: message.into(),
            client_id: None,
            conversation: None,
        }
    }
}

/// Parses a client frame, turning serde's complaint into a message a person can act on.
pub fn parse_client_frame(text: &str) -> Result<ClientFrame, String> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(format!(
            "Frames are limited to {MAX_FRAME_BYTES} bytes; this one has {}.",
            text.len()
        ));
    }
    let frame: ClientFrame = serde_json::from_str(text).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            format!("The frame is not valid JSON ({e}).")
        } else {
            format!("The frame is not a known message ({e}).")
        }
    })?;
    if let ClientFrame::Auth { session } = &frame
        && session.chars().count() > MAX_SESSION_TOKEN_CHARS
    {
        return Err(format!(
            "A session token has at most {MAX_SESSION_TOKEN_CHARS} characters."
        ));
    }
    if let ClientFrame::Send { client_id, .. } = &frame
        && (client_id.trim().is_empty() || client_id.chars().count() > MAX_CLIENT_ID_CHARS)
    {
        return Err(format!(
            "client_id must have 1 to {MAX_CLIENT_ID_CHARS} characters."
        ));
    }
    Ok(frame)
}

/// Websocket close codes Baton uses, with the reason text sent beside them.
pub mod close {
    /// The server is shutting down or restarting: reconnect.
    pub const GOING_AWAY: u16 = 1001;
    /// The client broke the rules repeatedly (floods): do not reconnect at once.
    pub const POLICY: u16 = 1008;
    /// A frame beyond the hard size limit.
    pub const TOO_BIG: u16 = 1009;
    /// The session expired or was signed out: sign in again before reconnecting.
    pub const UNAUTHORIZED: u16 = 4001;
    /// The client asked for a protocol version this server does not speak.
    pub const BAD_VERSION: u16 = 4002;
}
