//! A pre-filled queue: many conversations Waiting for agent written in one transaction, for
//! benchmarks and tests that need a long queue. Starting 10,000 conversations one engine
//! command at a time would take far longer than what they go on to measure.
//!
//! Each conversation is decided by the real rules (`domain::decide` on a direct
//! `StartConversation`, in a space whose only agent is busy, so it queues), so its state, its
//! events and its deadline are exactly what the engine would have stored; only the rows are
//! written many to a statement.

use domain::{
    Agent, AgentId, Availability, Command, Conversation, ConversationEvent, ConversationId,
    CustomerId, Effect, EventKind, SiteSettings, Space, SpaceId, Start, Timers, Timestamp, World,
};

use crate::{db::Db, error::BackendError};

/// One conversation to put in the queue.
#[derive(Clone, Debug)]
pub struct Queued {
    pub id: ConversationId,
    pub customer: CustomerId,
    /// When it started waiting: its place in the line (ties go by id).
    pub waiting_since: Timestamp,
}

/// Rows per `INSERT`: 10 columns each stays far below both databases' parameter limits.
const ROWS_PER_STATEMENT: usize = 200;

/// Writes every conversation as Waiting for agent in `space`, with its work item and its
/// events, in one transaction. Nothing is offered: the next routing command does that, as it
/// would for conversations that queued while every agent was busy.
pub async fn fill(
    db: &Db,
    space: &SpaceId,
    timers: &Timers,
    queue: &[Queued],
) -> Result<(), BackendError> {
    let decided = queue
        .iter()
        .map(|queued| decide_start(space, timers, queued))
        .collect::<Result<Vec<_>, _>>()?;
    let mut tx = db.begin_write().await?;
    for chunk in decided.chunks(ROWS_PER_STATEMENT) {
        insert_conversations(&mut tx, chunk).await?;
        insert_work_items(&mut tx, chunk).await?;
        let events: Vec<&ConversationEvent> = chunk.iter().flat_map(|d| &d.events).collect();
        insert_events(&mut tx, &events).await?;
    }
    tx.commit().await?;
    Ok(())
}

struct Decided {
    conversation: Conversation,
    next_deadline: Option<Timestamp>,
    events: Vec<ConversationEvent>,
}

/// The start as the engine decides it when the space's one Available agent is at the limit.
fn decide_start(
    space: &SpaceId,
    timers: &Timers,
    queued: &Queued,
) -> Result<Decided, BackendError> {
    let busy = AgentId::new("backlog-busy-agent");
    let mut world = World::new(SiteSettings {
        max_conversations: 1,
        timers: timers.clone(),
    });
    world.add_space(Space::new(space.clone()).with_members([busy.clone()]));
    let mut agent = Agent::new(busy);
    agent.active = 1;
    agent
        .availability
        .insert(space.clone(), Availability::Available);
    world.add_agent(agent);
    let effects = domain::decide(
        &mut world,
        Command::StartConversation {
            id: queued.id.clone(),
            space: space.clone(),
            customer: Some(queued.customer.clone()),
            via: Start::Direct,
        },
        queued.waiting_since,
    )?;
    let mut next_deadline = None;
    let mut events = Vec::new();
    for effect in effects {
        match effect {
            Effect::StoreConversation {
                next_deadline: at, ..
            } => next_deadline = at,
            Effect::Event(event) => events.push(event),
            _ => {}
        }
    }
    let conversation = world.conversations.remove(&queued.id).ok_or_else(|| {
        BackendError::Corrupt(format!("starting {} stored no conversation", queued.id))
    })?;
    if !conversation.is_waiting() {
        return Err(BackendError::Invalid(format!(
            "{} would not wait for an agent",
            queued.id
        )));
    }
    Ok(Decided {
        conversation,
        next_deadline,
        events,
    })
}

/// `($1, $2, …), ($k+1, …)` for `rows` rows of `columns` values.
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let values: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

async fn insert_conversations(tx: &mut Tx, chunk: &[Decided]) -> Result<(), BackendError> {
    let sql = format!(
        "INSERT INTO conversations (id, space_id, customer_id, status, assignee_id, offer_agent_id, \
         waiting_since, started_at, next_deadline, state) VALUES {}",
        placeholders(chunk.len(), 10)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for decided in chunk {
        let conv = &decided.conversation;
        query = query
            .bind(conv.id.as_str().to_string())
            .bind(conv.space.as_str().to_string())
            .bind(conv.customer.as_ref().map(|c| c.as_str().to_string()))
            .bind(conv.status.code())
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(conv.waiting_since.map(Timestamp::as_millis))
            .bind(conv.started_at.as_millis())
            .bind(decided.next_deadline.map(Timestamp::as_millis))
            .bind(serde_json::to_string(conv)?);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

async fn insert_work_items(tx: &mut Tx, chunk: &[Decided]) -> Result<(), BackendError> {
    let sql = format!(
        "INSERT INTO work_items (id, space_id, work_type, title, status, assignee_id, \
         conversation_id, customer_id, created_at, updated_at) VALUES {}",
        placeholders(chunk.len(), 10)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for decided in chunk {
        let conv = &decided.conversation;
        let status = conv.work_status().ok_or_else(|| {
            BackendError::Corrupt(format!("{} is waiting without a work item", conv.id))
        })?;
        let at = conv.waiting_since.unwrap_or(conv.started_at).as_millis();
        query = query
            .bind(format!("work-{}", conv.id))
            .bind(conv.space.as_str().to_string())
            .bind(domain::conversation::WORK_TYPE)
            .bind("Live chat conversation")
            .bind(status.label())
            .bind(None::<String>)
            .bind(conv.id.as_str().to_string())
            .bind(conv.customer.as_ref().map(|c| c.as_str().to_string()))
            .bind(at)
            .bind(at);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

async fn insert_events(tx: &mut Tx, events: &[&ConversationEvent]) -> Result<(), BackendError> {
    for chunk in events.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO conversation_events (conversation_id, seq, at, kind, author, client_id, body) VALUES {}",
            placeholders(chunk.len(), 7)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for event in chunk {
            // A start records no message, so no event here has an author or a client id.
            debug_assert!(!matches!(event.kind, EventKind::Message { .. }));
            query = query
                .bind(event.conversation.as_str().to_string())
                .bind(event.seq)
                .bind(event.at.as_millis())
                .bind(event.kind.type_name())
                .bind(String::new())
                .bind(None::<String>)
                .bind(serde_json::to_string(event)?);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
