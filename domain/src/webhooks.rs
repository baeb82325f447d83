//! Webhooks as rules: which committed effects are worth telling another system, what each
//! delivery says, when a failed delivery is tried again, and what an endpoint may be.
//!
//! The storage layer writes one outbox row per (subscribed endpoint, event) in the command's
//! own transaction, so an event is delivered at least once even if the server stops right after
//! the commit; a delivery worker sends them in order per conversation and endpoint.

use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    Author, Command, ConversationId, Effect, EventKind, Timestamp,
    time::{HOUR, MINUTE, SECOND},
};

/// What an endpoint can subscribe to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum WebhookEvent {
    ConversationStarted,
    ConversationOffered,
    ConversationAccepted,
    ConversationEnded,
    ConversationResolved,
    ConversationHandedOff,
    MessageCreated,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 7] = [
        WebhookEvent::ConversationStarted,
        WebhookEvent::ConversationOffered,
        WebhookEvent::ConversationAccepted,
        WebhookEvent::ConversationEnded,
        WebhookEvent::ConversationResolved,
        WebhookEvent::ConversationHandedOff,
        WebhookEvent::MessageCreated,
    ];

    /// The `type` a receiver sees, and the stored subscription.
    pub fn code(self) -> &'static str {
        match self {
            Self::ConversationStarted => "conversation.started",
            Self::ConversationOffered => "conversation.offered",
            Self::ConversationAccepted => "conversation.accepted",
            Self::ConversationEnded => "conversation.ended",
            Self::ConversationResolved => "conversation.resolved",
            Self::ConversationHandedOff => "conversation.handed_off",
            Self::MessageCreated => "message.created",
        }
    }

    pub fn from_code(code: &str) -> Option<WebhookEvent> {
        Self::ALL.into_iter().find(|e| e.code() == code.trim())
    }

    /// For the settings page.
    pub fn label(self) -> &'static str {
        match self {
            Self::ConversationStarted => "Conversation started",
            Self::ConversationOffered => "Conversation offered to an agent",
            Self::ConversationAccepted => "Conversation accepted",
            Self::ConversationEnded => "Conversation ended",
            Self::ConversationResolved => "Conversation resolved",
            Self::ConversationHandedOff => "Handed off from the AI agent",
            Self::MessageCreated => "Message created",
        }
    }
}

/// One event a committed command produced, before it is addressed to endpoints.
#[derive(Clone, Debug, PartialEq)]
pub struct Happened {
    pub event: WebhookEvent,
    pub conversation: ConversationId,
    /// The event's own fields (the delivery wraps them with its id, type and time).
    pub data: Value,
}

/// What a committed command tells webhooks, in the order it happened. Internal notes and the
/// work item's bookkeeping are not sent: a receiver gets what the customer and the agent said
/// and did, not the team's notes.
pub fn happened(command: &Command, effects: &[Effect]) -> Vec<Happened> {
    let mut out = Vec::new();
    if let Command::StartConversation {
        id,
        space,
        customer,
        ..
    } = command
        && effects
            .iter()
            .any(|e| matches!(e, Effect::StoreConversation { .. }))
    {
        out.push(Happened {
            event: WebhookEvent::ConversationStarted,
            conversation: id.clone(),
            data: json!({
                "conversation": id.as_str(),
                "space": space.as_str(),
                "customer": customer.as_ref().map(|c| c.as_str()),
            }),
        });
    }
    for effect in effects {
        match effect {
            Effect::OfferMade {
                conversation,
                agent,
                expires_at,
            } => out.push(Happened {
                event: WebhookEvent::ConversationOffered,
                conversation: conversation.clone(),
                data: json!({
                    "conversation": conversation.as_str(),
                    "agent": agent.as_str(),
                    "expires_at": expires_at.as_millis(),
                }),
            }),
            Effect::Event(event) => {
                let id = event.conversation.as_str();
                let (kind, data) = match &event.kind {
                    EventKind::Message {
                        author,
                        body,
                        attachment,
                        ..
                    } => {
                        let (who, agent) = match author {
                            Author::Customer => ("customer", None),
                            Author::Agent(a) => ("agent", Some(a.as_str())),
                            Author::Ai => ("ai", None),
                        };
                        let data = json!({
                            "conversation": id, "seq": event.seq, "at": event.at.as_millis(),
                            "author": who, "agent": agent, "body": body, "attachment": attachment,
                        });
                        (WebhookEvent::MessageCreated, data)
                    }
                    EventKind::Assigned { agent } => (
                        WebhookEvent::ConversationAccepted,
                        json!({ "conversation": id, "agent": agent.as_str(), "at": event.at.as_millis() }),
                    ),
                    EventKind::Ended { reason } => (
                        WebhookEvent::ConversationEnded,
                        json!({ "conversation": id, "reason": reason, "at": event.at.as_millis() }),
                    ),
                    EventKind::Resolved { resolution, agent } => (
                        WebhookEvent::ConversationResolved,
                        json!({
                            "conversation": id, "agent": agent.as_str(),
                            "resolution": resolution, "at": event.at.as_millis(),
                        }),
                    ),
                    EventKind::HandedOff { reason } => (
                        WebhookEvent::ConversationHandedOff,
                        json!({ "conversation": id, "reason": reason, "at": event.at.as_millis() }),
                    ),
                    _ => continue,
                };
                out.push(Happened {
                    event: kind,
                    conversation: event.conversation.clone(),
                    data,
                });
            }
            _ => {}
        }
    }
    out
}

/// The body of one delivery: its id (the receiver's idempotency key: a retry carries the same
/// one), its type and time, and the event's fields.
pub fn delivery_body(id: &str, happened: &Happened, at: Timestamp) -> String {
    json!({
        "id": id,
        "type": happened.event.code(),
        "created_at": at.as_millis(),
        "data": happened.data,
    })
    .to_string()
}

/// How long deliveries are retried before the outbox gives up on one.
pub const RETRY_FOR: i64 = 24 * HOUR;
const FIRST_RETRY: i64 = 10 * SECOND;
const LONGEST_RETRY: i64 = HOUR;

/// When to try a delivery again after its `attempts`-th failure (1 = the first), or `None`
/// once 24 hours have passed since the event: 10 s, 20 s, 40 s … doubling up to an hour.
pub fn next_attempt(created: Timestamp, attempts: u32, now: Timestamp) -> Option<Timestamp> {
    let doubling = attempts.saturating_sub(1).min(20);
    let delay = FIRST_RETRY
        .saturating_mul(1_i64 << doubling)
        .min(LONGEST_RETRY);
    let at = now.as_millis().saturating_add(delay);
    (at <= created.as_millis().saturating_add(RETRY_FOR)).then_some(Timestamp(at))
}

/// Longest endpoint URL and description an admin may save.
pub const MAX_URL_CHARS: usize = 2_000;
pub const MAX_DESCRIPTION_CHARS: usize = 200;
/// A site keeps at most this many endpoints: each one multiplies every event's writes.
pub const MAX_ENDPOINTS: i64 = 20;

/// Checks an endpoint's URL: http(s), a host, no credentials (they would show on the page and
/// in the audit log; a receiver authenticates deliveries by their signature instead).
pub fn check_endpoint_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.is_empty() {
        return Err("Enter the URL that receives the webhooks.".into());
    }
    if url.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "The URL is longer than {MAX_URL_CHARS} characters."
        ));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("The URL must start with https:// (or http:// for a receiver on your network).")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("Leave user names and passwords out of the URL: receivers check the Baton-Signature header instead.".into());
    }
    if authority.is_empty() || authority.starts_with(':') {
        return Err("The URL needs a host name.".into());
    }
    if url.chars().any(char::is_whitespace) {
        return Err("The URL must not contain spaces.".into());
    }
    Ok(url.to_string())
}

/// The events an endpoint subscribes to, from their codes; at least one.
pub fn parse_events<'a>(
    codes: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<WebhookEvent>, String> {
    let mut events = Vec::new();
    for code in codes {
        let event = WebhookEvent::from_code(code)
            .ok_or_else(|| format!("{code:?} is not an event Baton sends."))?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    if events.is_empty() {
        return Err("Choose at least one event to send.".into());
    }
    events.sort_by_key(|e| WebhookEvent::ALL.iter().position(|a| a == e));
    Ok(events)
}

/// A minute's worth of milliseconds, for the outbox's claim lease.
pub const DELIVERY_LEASE: i64 = MINUTE;
