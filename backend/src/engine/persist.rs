//! Writes what a decision changed, inside the command's transaction: exactly the rows the
//! `Store*` effects name (read from the decided [`World`]) and every durable event.

use domain::{Author, Availability, ConversationEvent, Effect, EventKind, Timestamp, World};

use super::apply::{WorkRow, WorkRows};
use super::snapshot::Tx;
use crate::{clock::now_ms, error::BackendError};

pub(super) async fn write(
    tx: &mut Tx,
    world: &World,
    effects: &[Effect],
    work_before: &WorkRows,
) -> Result<(), BackendError> {
    // Rows first (events reference their conversation), then the events.
    for effect in effects {
        match effect {
            Effect::StoreConversation {
                conversation,
                next_deadline,
            } => {
                let conv = world.conversations.get(conversation).ok_or_else(|| {
                    BackendError::Corrupt(format!(
                        "decision names unknown conversation {conversation}"
                    ))
                })?;
                let work_changed = work_before.get(conversation) != Some(&WorkRow::of(conv));
                store_conversation(tx, conv, *next_deadline, work_changed).await?;
            }
            Effect::StoreAgent { agent } => {
                let Some(agent) = world.agents.get(agent) else {
                    continue;
                };
                let reason = agent
                    .unavailable_reason
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()?;
                sqlx::query("UPDATE users SET unavailable_reason = $1 WHERE id = $2")
                    .bind(reason)
                    .bind(agent.id.as_str())
                    .execute(&mut **tx)
                    .await?;
                for (space, availability) in &agent.availability {
                    sqlx::query("UPDATE space_members SET availability = $1 WHERE space_id = $2 AND user_id = $3")
                        .bind(availability_text(*availability))
                        .bind(space.as_str())
                        .bind(agent.id.as_str())
                        .execute(&mut **tx)
                        .await?;
                }
            }
            Effect::StoreSpace { space } => {
                let Some(space) = world.spaces.get(space) else {
                    continue;
                };
                sqlx::query("UPDATE spaces SET live_chat = $1, rr_cursor = $2 WHERE id = $3")
                    .bind(i64::from(space.live_chat))
                    .bind(space.cursor.as_ref().map(|c| c.as_str().to_string()))
                    .bind(space.id.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
            Effect::StoreSettings => {
                sqlx::query("UPDATE site_settings SET max_conversations = $1 WHERE id = 1")
                    .bind(i64::from(world.settings.max_conversations))
                    .execute(&mut **tx)
                    .await?;
            }
            Effect::Event(_)
            | Effect::OfferMade { .. }
            | Effect::OfferWithdrawn { .. }
            | Effect::AvailabilityChanged { .. } => {}
        }
    }
    for effect in effects {
        if let Effect::Event(event) = effect {
            insert_event(tx, event).await?;
        }
    }
    Ok(())
}

pub(super) fn availability_text(availability: Availability) -> &'static str {
    availability.label()
}

async fn store_conversation(
    tx: &mut Tx,
    conv: &domain::Conversation,
    next_deadline: Option<Timestamp>,
    work_changed: bool,
) -> Result<(), BackendError> {
    let state = serde_json::to_string(conv)?;
    sqlx::query(
        "INSERT INTO conversations (id, space_id, customer_id, status, assignee_id, offer_agent_id, waiting_since, started_at, next_deadline, state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, status = excluded.status, \
           assignee_id = excluded.assignee_id, offer_agent_id = excluded.offer_agent_id, \
           waiting_since = excluded.waiting_since, next_deadline = excluded.next_deadline, state = excluded.state, \
           claimed_until = NULL",
    )
    .bind(conv.id.as_str())
    .bind(conv.space.as_str())
    .bind(conv.customer.as_ref().map(|c| c.as_str().to_string()))
    .bind(conv.status.code())
    .bind(conv.assignee.as_ref().map(|a| a.as_str().to_string()))
    .bind(conv.offer.as_ref().map(|o| o.agent.as_str().to_string()))
    .bind(conv.waiting_since.map(Timestamp::as_millis))
    .bind(conv.started_at.as_millis())
    .bind(next_deadline.map(Timestamp::as_millis))
    .bind(state)
    .execute(&mut **tx)
    .await?;

    // Every live chat conversation has its Conversation work item in the routed space. A
    // command that left its columns as they were (every message) does not rewrite it.
    if let Some(status) = conv.work_status().filter(|_| work_changed) {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO work_items (id, space_id, work_type, title, status, assignee_id, conversation_id, customer_id, created_at, updated_at) \
             VALUES ($1, $2, 'Conversation', $3, $4, $5, $6, $7, $8, $8) \
             ON CONFLICT (conversation_id) DO UPDATE SET status = excluded.status, \
               assignee_id = excluded.assignee_id, customer_id = excluded.customer_id, updated_at = excluded.updated_at",
        )
        .bind(format!("work-{}", conv.id))
        .bind(conv.space.as_str())
        .bind("Live chat conversation")
        .bind(status.label())
        .bind(conv.assignee.as_ref().map(|a| a.as_str().to_string()))
        .bind(conv.id.as_str())
        .bind(conv.customer.as_ref().map(|c| c.as_str().to_string()))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Who a message's client id belongs to: resends are recognised per author, so one person's
/// client id can never swallow another's message (`UNIQUE (conversation_id, author,
/// client_id)`). Empty for events that are not messages.
pub(super) fn author_key(author: &Author) -> String {
    match author {
        Author::Customer => "customer".into(),
        Author::Ai => "ai".into(),
        Author::Agent(agent) => format!("agent:{agent}"),
    }
}

async fn insert_event(tx: &mut Tx, event: &ConversationEvent) -> Result<(), BackendError> {
    let (author, client_id) = match &event.kind {
        EventKind::Message {
            author, client_id, ..
        } => (author_key(author), Some(client_id.clone())),
        _ => (String::new(), None),
    };
    sqlx::query(
        "INSERT INTO conversation_events (conversation_id, seq, at, kind, author, client_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(event.conversation.as_str())
    .bind(event.seq)
    .bind(event.at.as_millis())
    .bind(event.kind.type_name())
    .bind(author)
    .bind(client_id)
    .bind(serde_json::to_string(event)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
