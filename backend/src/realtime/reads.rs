//! The reads a websocket needs besides the engine's commands: the replay of a conversation's
//! events, the conversation itself (access checks, status), offer details and the agent's
//! routing state. All plain SELECTs outside any write transaction.

use domain::protocol::{OfferView, SpaceAvailability};
use domain::{
    AgentId, Availability, Conversation, ConversationEvent, ConversationId, UnavailableReason,
};

use crate::{db::Db, error::BackendError};

/// Most events one replay read returns; a longer gap is read in several pages, and a socket
/// sends each page before it reads the next, so a resume holds at most this many in memory.
pub const REPLAY_PAGE: i64 = 200;

/// A conversation's events with `after < seq <= until`, read one page at a time
/// ([`REPLAY_PAGE`]), in order.
#[derive(Clone, Debug)]
pub struct Replay {
    conversation: ConversationId,
    after: i64,
    until: Option<i64>,
    done: bool,
}

impl Replay {
    pub fn new(conversation: ConversationId, after: i64, until: Option<i64>) -> Self {
        Self {
            conversation,
            after,
            until,
            done: false,
        }
    }

    /// The next page, or `None` once everything has been read.
    pub async fn next_page(
        &mut self,
        db: &Db,
    ) -> Result<Option<Vec<ConversationEvent>>, BackendError> {
        if self.done {
            return Ok(None);
        }
        let page = events_between(db, &self.conversation, self.after, self.until).await?;
        self.done = (page.len() as i64) < REPLAY_PAGE;
        match page.last() {
            Some(last) => {
                self.after = last.seq;
                Ok(Some(page))
            }
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }
}

/// Every event of a conversation, in order, read a page at a time.
pub async fn all_events(
    db: &Db,
    conversation: &ConversationId,
) -> Result<Vec<ConversationEvent>, BackendError> {
    let mut events: Vec<ConversationEvent> = Vec::new();
    loop {
        let after = events.last().map_or(0, |e| e.seq);
        let page = events_between(db, conversation, after, None).await?;
        let done = page.len() < REPLAY_PAGE as usize;
        events.extend(page);
        if done {
            return Ok(events);
        }
    }
}

/// Events of a conversation with `after < seq <= until`, in order, at most [`REPLAY_PAGE`].
pub async fn events_between(
    db: &Db,
    conversation: &ConversationId,
    after: i64,
    until: Option<i64>,
) -> Result<Vec<ConversationEvent>, BackendError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT body FROM conversation_events WHERE conversation_id = $1 AND seq > $2 AND seq <= $3 \
         ORDER BY seq LIMIT $4",
    )
    .bind(conversation.as_str())
    .bind(after)
    .bind(until.unwrap_or(i64::MAX))
    .bind(REPLAY_PAGE)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(body,)| serde_json::from_str(&body).map_err(BackendError::from))
        .collect()
}

pub async fn conversation(
    db: &Db,
    id: &ConversationId,
) -> Result<Option<Conversation>, BackendError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT state FROM conversations WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&db.pool)
        .await?;
    row.map(|(state,)| serde_json::from_str(&state).map_err(BackendError::from))
        .transpose()
}

/// A staff member's display name, for "Ada is typing…" and message authors.
pub async fn staff_name(db: &Db, id: &AgentId) -> Result<Option<String>, BackendError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(name,)| name))
}

pub async fn customer_name(db: &Db, id: &str) -> Result<Option<String>, BackendError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT display_name FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(name,)| name))
}

/// The offer of this conversation to this agent as their dashboard shows it, if it is still live.
pub async fn offer_view(
    db: &Db,
    conversation: &ConversationId,
    agent: &AgentId,
) -> Result<Option<OfferView>, BackendError> {
    let Some(conv) = self::conversation(db, conversation).await? else {
        return Ok(None);
    };
    let Some(offer) = conv.offer.as_ref().filter(|o| &o.agent == agent) else {
        return Ok(None);
    };
    let customer_name = match &conv.customer {
        Some(id) => customer_name(db, id.as_str())
            .await?
            .unwrap_or_else(|| "Customer".into()),
        None => "Customer".into(),
    };
    let (handed_off,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM conversation_events WHERE conversation_id = $1 AND kind = 'handed_off'",
    )
    .bind(conversation.as_str())
    .fetch_one(&db.pool)
    .await?;
    Ok(Some(OfferView {
        conversation: conv.id.clone(),
        space: conv.space.clone(),
        customer_name,
        from_ai: handed_off > 0,
        expires_at: offer.expires_at,
    }))
}

/// The agent's availability in each of their spaces, the reason they are Unavailable, and
/// their live offers.
pub async fn agent_state(
    db: &Db,
    agent: &AgentId,
) -> Result<
    (
        Vec<SpaceAvailability>,
        Option<UnavailableReason>,
        Vec<OfferView>,
    ),
    BackendError,
> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, m.availability FROM space_members m JOIN spaces s ON s.id = m.space_id \
         WHERE m.user_id = $1 ORDER BY s.name",
    )
    .bind(agent.as_str())
    .fetch_all(&db.pool)
    .await?;
    let spaces = rows
        .into_iter()
        .map(|(id, name, availability)| SpaceAvailability {
            space: id.into(),
            space_name: name,
            availability: if availability == "Available" {
                Availability::Available
            } else {
                Availability::Unavailable
            },
        })
        .collect();
    let (reason,): (Option<String>,) =
        sqlx::query_as("SELECT unavailable_reason FROM users WHERE id = $1")
            .bind(agent.as_str())
            .fetch_optional(&db.pool)
            .await?
            .unwrap_or((None,));
    let reason = reason.map(|json| serde_json::from_str(&json)).transpose()?;
    let offered: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM conversations WHERE offer_agent_id = $1 ORDER BY id")
            .bind(agent.as_str())
            .fetch_all(&db.pool)
            .await?;
    let mut offers = Vec::new();
    for (id,) in offered {
        if let Some(view) = offer_view(db, &ConversationId::new(id), agent).await? {
            offers.push(view);
        }
    }
    Ok((spaces, reason, offers))
}
