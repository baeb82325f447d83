//! Work items as queues, profiles and the conversation panel see them, with the visibility rule
//! applied on the server (SPEC R-VIEW-2, R-VIEW-3, R-VIEW-6, R-ROUTE-9): a conversation's
//! details go only to its assignee and participants; everyone else sees that it exists.

use domain::{
    AgentId, Conversation, ConversationId,
    access::{Reader, may_read},
    queue::{QueueFilter, WorkItemFacts},
    sla::first_response,
    views::{ConversationDetails, CustomerProfile, ProfileConversation, QueueRow},
};

use crate::{clock::now_ms, db::Db, error::BackendError};

pub use domain::views::FOLLOW_UP_TYPES;

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The work items of every space the viewer belongs to that match `filter`, in its order.
pub async fn queue(
    db: &Db,
    viewer: &AgentId,
    filter: &QueueFilter,
) -> Result<Vec<QueueRow>, BackendError> {
    rows_for(db, viewer, filter, None).await
}

/// One work item of a space the viewer belongs to (the link Conversation review gives for a
/// handed-off conversation). Its details stay hidden unless the viewer may read them (R-VIEW-3).
pub async fn item(db: &Db, viewer: &AgentId, id: &str) -> Result<QueueRow, BackendError> {
    let everything = QueueFilter::parse("ORDER BY created DESC")
        .map_err(|e| BackendError::Corrupt(e.to_string()))?;
    rows_for(db, viewer, &everything, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(BackendError::NotFound)
}

async fn rows_for(
    db: &Db,
    viewer: &AgentId,
    filter: &QueueFilter,
    only: Option<&str>,
) -> Result<Vec<QueueRow>, BackendError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT w.id, w.work_type, w.title, w.status, u.display_name, u.email, w.created_at, s.name, \
                cu.display_name, cu.email, w.customer_id, w.conversation_id, c.state \
         FROM work_items w JOIN spaces s ON s.id = w.space_id \
         LEFT JOIN users u ON u.id = w.assignee_id \
         LEFT JOIN customers cu ON cu.id = w.customer_id \
         LEFT JOIN conversations c ON c.id = w.conversation_id \
         WHERE w.space_id IN (SELECT space_id FROM space_members WHERE user_id = $1) \
         AND ($2 = '' OR w.id = $2) \
         ORDER BY w.created_at DESC, w.id",
    )
    .bind(viewer.as_str())
    .bind(only.unwrap_or(""))
    .fetch_all(&db.pool)
    .await?;
    let reader = Reader::Agent(viewer.clone());
    let mut out = Vec::new();
    for (
        id,
        work_type,
        title,
        status,
        a_name,
        a_email,
        created,
        space,
        c_name,
        c_email,
        c_id,
        conv,
        state,
    ) in rows
    {
        let facts = WorkItemFacts {
            work_type: work_type.clone(),
            status: status.clone(),
            assignee: a_name.clone().zip(a_email),
            created,
            space: space.clone(),
            customer: c_name.clone().map(|n| (n, c_email)),
        };
        if !filter.matches(&facts) {
            continue;
        }
        let readable = match &state {
            Some(state) => may_read(&serde_json::from_str::<Conversation>(state)?, &reader),
            None => true,
        };
        out.push((
            facts,
            QueueRow {
                id,
                work_type,
                title,
                status,
                assignee: a_name,
                created,
                space,
                customer: if readable { c_name } else { None },
                customer_id: if readable { c_id } else { None },
                conversation: if readable { conv } else { None },
                readable,
            },
        ));
    }
    filter.sort(&mut out, |(facts, _)| facts);
    Ok(out.into_iter().map(|(_, row)| row).collect())
}

/// SPEC R-ROUTE-9: only routing sets a conversation's assignee. Other work items can be
/// (re)assigned to a member of their space.
pub async fn set_assignee(
    db: &Db,
    work_item: &str,
    assignee: Option<&AgentId>,
) -> Result<(), BackendError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT work_type, space_id FROM work_items WHERE id = $1")
            .bind(work_item)
            .fetch_optional(&db.pool)
            .await?;
    let Some((work_type, space)) = row else {
        return Err(BackendError::NotFound);
    };
    if work_type == "Conversation" {
        return Err(BackendError::Invalid(
            "The assignee of a conversation is set only by routing: the agent who accepts it."
                .into(),
        ));
    }
    if let Some(agent) = assignee {
        let member: Option<(String,)> = sqlx::query_as(
            "SELECT user_id FROM space_members WHERE space_id = $1 AND user_id = $2",
        )
        .bind(&space)
        .bind(agent.as_str())
        .fetch_optional(&db.pool)
        .await?;
        if member.is_none() {
            return Err(BackendError::Invalid(
                "Only members of the work item's space can be assigned.".into(),
            ));
        }
    }
    sqlx::query("UPDATE work_items SET assignee_id = $1, updated_at = $2 WHERE id = $3")
        .bind(assignee.map(|a| a.as_str().to_string()))
        .bind(now_ms())
        .bind(work_item)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Loads a conversation for an agent, refusing (as not found) one they may not read.
pub async fn readable_conversation(
    db: &Db,
    viewer: &AgentId,
    id: &ConversationId,
) -> Result<Conversation, BackendError> {
    let conv = crate::realtime::reads::conversation(db, id)
        .await?
        .ok_or(BackendError::NotFound)?;
    if may_read(&conv, &Reader::Agent(viewer.clone())) {
        Ok(conv)
    } else {
        Err(BackendError::NotFound)
    }
}

/// Creates follow-up work (another work type in the conversation's space) from a conversation
/// the agent works on, assigned to them (SPEC R-LIFE-2, R-LIFE-3).
pub async fn create_follow_up(
    db: &Db,
    agent: &AgentId,
    conversation: &ConversationId,
    work_type: &str,
    title: &str,
) -> Result<String, BackendError> {
    let conv = readable_conversation(db, agent, conversation).await?;
    if !conv.is_assignee(agent) {
        return Err(BackendError::Invalid(
            "Only the assignee creates follow-up work from a conversation.".into(),
        ));
    }
    let types = crate::admin::space_work::work_types(db, conv.space.as_str()).await?;
    let Some(work_type) = types
        .iter()
        .find(|t| t.eq_ignore_ascii_case(work_type.trim()))
    else {
        return Err(BackendError::Invalid(format!(
            "Choose a work type: {}.",
            types.join(", ")
        )));
    };
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(BackendError::Invalid(
            "Give the follow-up a title (at most 200 characters).".into(),
        ));
    }
    let id = format!("work-{}", uuid::Uuid::now_v7());
    let now = now_ms();
    sqlx::query(
        "INSERT INTO work_items (id, space_id, work_type, title, status, assignee_id, customer_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'Open', $5, $6, $7, $7)",
    )
    .bind(&id)
    .bind(conv.space.as_str())
    .bind(work_type)
    .bind(title)
    .bind(agent.as_str())
    .bind(conv.customer.as_ref().map(|c| c.as_str().to_string()))
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

pub async fn details(
    db: &Db,
    viewer: &AgentId,
    id: &ConversationId,
    default_sla_goal_ms: i64,
) -> Result<ConversationDetails, BackendError> {
    let conv = readable_conversation(db, viewer, id).await?;
    // The space's goal for conversations, else its goal for all work types, else the default.
    let space_goal =
        crate::admin::space_work::sla_goal_for(db, conv.space.as_str(), "Conversation").await?;
    let sla_goal_ms = space_goal.map_or(default_sla_goal_ms, |minutes| minutes * 60_000);
    let work_types = crate::admin::space_work::work_types(db, conv.space.as_str()).await?;
    let customer_name = match &conv.customer {
        Some(c) => crate::realtime::reads::customer_name(db, c.as_str())
            .await?
            .unwrap_or_else(|| "Customer".into()),
        None => "Customer".into(),
    };
    Ok(ConversationDetails {
        id: conv.id.to_string(),
        customer_id: conv.customer.as_ref().map(|c| c.to_string()),
        customer_name,
        status: conv.status.label().to_string(),
        first_response: conv.waiting_since.map(|since| {
            first_response(
                since,
                conv.first_agent_reply_at,
                sla_goal_ms,
                domain::Timestamp(now_ms()),
            )
        }),
        resolution: conv.resolution.clone(),
        is_assignee: conv.is_assignee(viewer),
        work_types,
    })
}

pub async fn customer_profile(
    db: &Db,
    viewer: &AgentId,
    customer: &str,
) -> Result<CustomerProfile, BackendError> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT display_name, email FROM customers WHERE id = $1")
            .bind(customer)
            .fetch_optional(&db.pool)
            .await?;
    let Some((name, email)) = row else {
        return Err(BackendError::NotFound);
    };
    let states: Vec<(String,)> = sqlx::query_as(
        "SELECT state FROM conversations WHERE customer_id = $1 ORDER BY started_at DESC, id DESC",
    )
    .bind(customer)
    .fetch_all(&db.pool)
    .await?;
    let reader = Reader::Agent(viewer.clone());
    let mut conversations = Vec::new();
    for (state,) in states {
        let conv: Conversation = serde_json::from_str(&state)?;
        let readable = may_read(&conv, &reader);
        conversations.push(ProfileConversation {
            id: readable.then(|| conv.id.to_string()),
            started_at: conv.started_at.as_millis(),
            status: conv.status.label().to_string(),
            resolution: if readable {
                conv.resolution.clone()
            } else {
                None
            },
            readable,
        });
    }
    Ok(CustomerProfile {
        name,
        email,
        conversations,
    })
}

/// The site's resolutions, in order (SPEC R-AGENT-3).
pub async fn resolutions(db: &Db) -> Result<Vec<String>, BackendError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT resolutions FROM site_settings WHERE id = 1")
            .fetch_optional(&db.pool)
            .await?;
    Ok(match row {
        Some((json,)) => serde_json::from_str(&json)?,
        None => Vec::new(),
    })
}
