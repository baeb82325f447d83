//! Work items as queues, profiles and the conversation panel see them, with the visibility rule
//! applied on the server (SPEC R-VIEW-2, R-VIEW-3, R-VIEW-6, R-ROUTE-9): a conversation's
//! details go only to its assignee and participants; everyone else sees that it exists.

use domain::{
    AgentId, Conversation, ConversationId,
    access::{ProfileViewer, Reader, may_open_profile, may_read, may_see_work_item_details},
    paging::{MAX_PAGE_SIZE, ProfileCursor},
    queue::{QueueFilter, WorkItemFacts},
    sla::first_response,
    views::{ConversationDetails, CustomerProfile, ProfileConversation, QueuePage, QueueRow},
};

use crate::{
    clock::now_ms,
    db::{Backend, Db},
    error::BackendError,
    store::audit::{Audited, Change},
};

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

/// One page of the work items of every space the viewer belongs to that match `filter`, in
/// its order, starting after the `after` cursor (SPEC R-VIEW-2). Filter and order see a
/// conversation the viewer may not read without its customer (R-VIEW-3), so neither can
/// reveal who it is.
pub async fn queue(
    db: &Db,
    viewer: &AgentId,
    filter: &QueueFilter,
    after: Option<&str>,
    size: usize,
) -> Result<QueuePage, BackendError> {
    let after = after
        .map(|cursor| filter.decode_cursor(cursor))
        .transpose()
        .map_err(|bad| BackendError::Invalid(bad.to_string()))?;
    let keyed = rows_for(db, viewer, filter, None)
        .await?
        .into_iter()
        .map(|(facts, row)| (filter.sort_key(&facts, &row.id), row))
        .collect();
    let page = filter.page(keyed, after.as_ref(), size.min(MAX_PAGE_SIZE));
    Ok(QueuePage {
        rows: page.items,
        next: page.next.map(|key| key.encode()),
    })
}

/// One work item of a space the viewer belongs to (the link Conversation review gives for a
/// handed-off conversation). Its details stay hidden unless the viewer may read them (R-VIEW-3).
pub async fn item(db: &Db, viewer: &AgentId, id: &str) -> Result<QueueRow, BackendError> {
    let everything = QueueFilter::parse("ORDER BY created DESC")
        .map_err(|e| BackendError::Corrupt(e.to_string()))?;
    let mut row = rows_for(db, viewer, &everything, Some(id))
        .await?
        .into_iter()
        .next()
        .map(|(_, row)| row)
        .ok_or(BackendError::NotFound)?;
    if let Some(conversation) = &row.conversation {
        row.rating = crate::ratings::of_conversation(db, conversation).await?;
    }
    Ok(row)
}

/// The matching work items of the viewer's spaces, unordered, each with the facts the viewer
/// may see of it (the ones its order is decided on). Work items of other spaces are never read.
async fn rows_for(
    db: &Db,
    viewer: &AgentId,
    filter: &QueueFilter,
    only: Option<&str>,
) -> Result<Vec<(WorkItemFacts, QueueRow)>, BackendError> {
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
        let conversation = state
            .as_deref()
            .map(serde_json::from_str::<Conversation>)
            .transpose()?;
        let readable = may_see_work_item_details(conversation.as_ref(), &reader);
        let facts = WorkItemFacts {
            work_type: work_type.clone(),
            status: status.clone(),
            assignee: a_name.clone().zip(a_email),
            created,
            space: space.clone(),
            customer: c_name.clone().map(|n| (n, c_email)),
        }
        .as_seen(readable);
        if !filter.matches(&facts) {
            continue;
        }
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
                rating: None,
            },
        ));
    }
    Ok(out)
}

/// Assigns a work item to `assignee` (or unassigns it) on behalf of `by`. Only members of the
/// work item's space and site admins may (a stranger is refused and nothing changes); the
/// assignee must be a member; a conversation's assignee is set only by routing (SPEC
/// R-ROUTE-9). The change and its audit entry (who, which item, old → new assignee) commit
/// together.
pub async fn set_assignee(
    db: &Db,
    by: &AgentId,
    work_item: &str,
    assignee: Option<&AgentId>,
) -> Result<(), BackendError> {
    let actor = crate::store::Actor::load(db, by.as_str()).await?;
    let mut change = Audited::begin_then_check(db, &actor).await?;
    let lock = if db.backend == Backend::Postgres {
        " FOR UPDATE OF w"
    } else {
        ""
    };
    let sql = format!(
        "SELECT w.work_type, w.space_id, w.title, u.display_name FROM work_items w \
         LEFT JOIN users u ON u.id = w.assignee_id WHERE w.id = $1{lock}"
    );
    let row: Option<(String, String, String, Option<String>)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(work_item)
            .fetch_optional(change.tx())
            .await?;
    let Some((work_type, space, title, old_name)) = row else {
        return Err(BackendError::NotFound);
    };
    let by_member = member_name(change.tx(), &space, by.as_str())
        .await?
        .is_some();
    if !actor.roles.may_assign_work(by_member) {
        tracing::info!(agent = %by, work_item, "assignment refused: not a member of the space");
        return Err(BackendError::Forbidden);
    }
    if work_type == domain::conversation::WORK_TYPE {
        return Err(BackendError::Invalid(
            "The assignee of a conversation is set only by routing: the agent who accepts it."
                .into(),
        ));
    }
    let new_name = match assignee {
        Some(agent) => Some(
            member_name(change.tx(), &space, agent.as_str())
                .await?
                .ok_or_else(|| {
                    BackendError::Invalid(
                        "Only members of the work item's space can be assigned.".into(),
                    )
                })?,
        ),
        None => None,
    };
    sqlx::query("UPDATE work_items SET assignee_id = $1, updated_at = $2 WHERE id = $3")
        .bind(assignee.map(|a| a.as_str().to_string()))
        .bind(now_ms())
        .bind(work_item)
        .execute(change.tx())
        .await?;
    change.changed(Change::new(
        format!("{work_type} {title}"),
        "Assignee",
        old_name.unwrap_or_default(),
        new_name.unwrap_or_default(),
    ));
    change.commit().await?;
    Ok(())
}

/// The display name of `user` when they are a member of `space`.
async fn member_name(
    tx: &mut sqlx::AnyConnection,
    space: &str,
    user: &str,
) -> Result<Option<String>, BackendError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT u.display_name FROM space_members m JOIN users u ON u.id = m.user_id \
         WHERE m.space_id = $1 AND m.user_id = $2",
    )
    .bind(space)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(|(name,)| name))
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
    let types = crate::store::space_work::work_types(db, conv.space.as_str()).await?;
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
    let space_goal = crate::store::space_work::sla_goal_for(
        db,
        conv.space.as_str(),
        domain::conversation::WORK_TYPE,
    )
    .await?;
    let sla_goal_ms = space_goal.map_or(default_sla_goal_ms, |minutes| minutes * 60_000);
    let work_types = crate::store::space_work::work_types(db, conv.space.as_str()).await?;
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
                conv.ended_at,
                sla_goal_ms,
                domain::Timestamp(now_ms()),
            )
        }),
        resolution: conv.resolution.clone(),
        is_assignee: conv.is_assignee(viewer),
        work_types,
        rating: crate::ratings::of_conversation(db, conv.id.as_str()).await?,
    })
}

/// A customer's profile with one page of their conversations, newest first (SPEC R-VIEW-6).
/// Only for site admins, agents who may read one of the customer's conversations, and members
/// of a space whose follow-up work names the customer; anyone else gets *not found*, so asking
/// does not confirm the customer exists (R-VIEW-3).
pub async fn customer_profile(
    db: &Db,
    viewer: &AgentId,
    customer: &str,
    after: Option<&str>,
    size: usize,
) -> Result<CustomerProfile, BackendError> {
    let after = after
        .map(ProfileCursor::decode)
        .transpose()
        .map_err(|bad| BackendError::Invalid(bad.to_string()))?;
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT display_name, email FROM customers WHERE id = $1")
            .bind(customer)
            .fetch_optional(&db.pool)
            .await?;
    let Some((name, email)) = row else {
        return Err(BackendError::NotFound);
    };
    if !may_open(db, viewer, customer).await? {
        return Err(BackendError::NotFound);
    }
    let size = size.clamp(1, MAX_PAGE_SIZE);
    let mut page = conversations_of(db, customer, after.as_ref(), size + 1).await?;
    let next = if page.len() > size {
        page.truncate(size);
        page.last().map(|c| {
            ProfileCursor {
                started_at: c.started_at.as_millis(),
                id: c.id.to_string(),
            }
            .encode()
        })
    } else {
        None
    };
    let reader = Reader::Agent(viewer.clone());
    let mut conversations = Vec::with_capacity(page.len());
    for conv in page {
        let readable = may_read(&conv, &reader);
        let rating = if readable {
            crate::ratings::of_conversation(db, conv.id.as_str()).await?
        } else {
            None
        };
        conversations.push(ProfileConversation {
            id: readable.then(|| conv.id.to_string()),
            started_at: conv.started_at.as_millis(),
            status: conv.status.label().to_string(),
            resolution: if readable { conv.resolution } else { None },
            readable,
            rating,
        });
    }
    Ok(CustomerProfile {
        name,
        email,
        conversations,
        next,
    })
}

/// Whether `viewer` may open the customer's profile (`domain::access::may_open_profile`). The
/// customer's conversations are read a page at a time until one is readable, so a customer
/// with thousands of them is never held in memory at once.
async fn may_open(db: &Db, viewer: &AgentId, customer: &str) -> Result<bool, BackendError> {
    let site_admin: Option<(i64,)> = sqlx::query_as("SELECT site_admin FROM users WHERE id = $1")
        .bind(viewer.as_str())
        .fetch_optional(&db.pool)
        .await?;
    let shared: Option<(String,)> = sqlx::query_as(
        "SELECT w.id FROM work_items w WHERE w.customer_id = $1 AND w.conversation_id IS NULL \
         AND w.space_id IN (SELECT space_id FROM space_members WHERE user_id = $2) LIMIT 1",
    )
    .bind(customer)
    .bind(viewer.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let who = ProfileViewer {
        agent: viewer,
        site_admin: site_admin.is_some_and(|(flag,)| flag != 0),
        shares_work_item: shared.is_some(),
    };
    let mut after = None;
    loop {
        let batch = conversations_of(db, customer, after.as_ref(), MAX_PAGE_SIZE).await?;
        if may_open_profile(who, &batch) {
            return Ok(true);
        }
        match batch.last() {
            Some(last) if batch.len() == MAX_PAGE_SIZE => {
                after = Some(ProfileCursor {
                    started_at: last.started_at.as_millis(),
                    id: last.id.to_string(),
                });
            }
            _ => return Ok(false),
        }
    }
}

/// At most `limit` of the customer's conversations, newest first, after `after`.
async fn conversations_of(
    db: &Db,
    customer: &str,
    after: Option<&ProfileCursor>,
    limit: usize,
) -> Result<Vec<Conversation>, BackendError> {
    let (started_at, id) = after.map_or((i64::MAX, ""), |c| (c.started_at, c.id.as_str()));
    let states: Vec<(String,)> = sqlx::query_as(
        "SELECT state FROM conversations WHERE customer_id = $1 \
         AND (started_at < $2 OR (started_at = $2 AND id < $3)) \
         ORDER BY started_at DESC, id DESC LIMIT $4",
    )
    .bind(customer)
    .bind(started_at)
    .bind(id)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(&db.pool)
    .await?;
    states
        .into_iter()
        .map(|(state,)| Ok(serde_json::from_str(&state)?))
        .collect()
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
