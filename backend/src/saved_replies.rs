//! Saved replies: the space's admins manage them (audited like every setting); an agent who may
//! read a conversation gets its space's replies filled in with the customer's and their own name.

use domain::roles::Setting;
use domain::saved_replies::{PER_SPACE_MAX, SavedReply, check_body, check_shortcut, fill};
use domain::{AgentId, ConversationId};

use crate::{
    clock::now_ms,
    db::Db,
    error::BackendError,
    store::{
        Actor,
        audit::{Audited, Change, found},
        spaces::name_of_in,
        taken,
    },
};

async fn in_space(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    space: &str,
) -> Result<Vec<SavedReply>, BackendError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, shortcut, body FROM saved_replies WHERE space_id = $1 ORDER BY shortcut",
    )
    .bind(space)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, shortcut, body)| SavedReply { id, shortcut, body })
        .collect())
}

/// The space's saved replies as written, for its settings page.
pub async fn list(db: &Db, actor: &Actor, space: &str) -> Result<Vec<SavedReply>, BackendError> {
    actor.require(Setting::Space(space))?;
    in_space(&db.pool, space).await
}

pub async fn add(
    db: &Db,
    actor: &Actor,
    space: &str,
    shortcut: &str,
    body: &str,
) -> Result<SavedReply, BackendError> {
    // The role first: someone without it learns nothing, not even what a reply may be.
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let shortcut = check_shortcut(shortcut).map_err(BackendError::Invalid)?;
    let body = check_body(body).map_err(BackendError::Invalid)?;
    let space_name = name_of_in(change.tx(), space).await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM saved_replies WHERE space_id = $1")
        .bind(space)
        .fetch_one(change.tx())
        .await?;
    if count as usize >= PER_SPACE_MAX {
        return Err(BackendError::Invalid(format!(
            "A space keeps at most {PER_SPACE_MAX} saved replies; remove one first."
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO saved_replies (id, space_id, shortcut, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(space)
    .bind(&shortcut)
    .bind(&body)
    .bind(now_ms())
    .execute(change.tx())
    .await
    .map_err(|e| taken(e, || format!("The saved reply /{shortcut} already exists.")))?;
    change.changed(Change::new(
        format!("Space {space_name}"),
        "Saved reply",
        "",
        format!("/{shortcut}"),
    ));
    change.commit().await?;
    Ok(SavedReply { id, shortcut, body })
}

pub async fn remove(db: &Db, actor: &Actor, space: &str, id: &str) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Space(space)).await?;
    let space_name = name_of_in(change.tx(), space).await?;
    let shortcut: Option<(String,)> =
        sqlx::query_as("SELECT shortcut FROM saved_replies WHERE id = $1 AND space_id = $2")
            .bind(id)
            .bind(space)
            .fetch_optional(change.tx())
            .await?;
    let Some((shortcut,)) = shortcut else {
        return Err(BackendError::NotFound);
    };
    let done = sqlx::query("DELETE FROM saved_replies WHERE id = $1 AND space_id = $2")
        .bind(id)
        .bind(space)
        .execute(change.tx())
        .await?;
    found(done)?;
    change.changed(Change::new(
        format!("Space {space_name}"),
        "Saved reply",
        format!("/{shortcut}"),
        "",
    ));
    change.commit().await
}

/// The replies of the conversation's space, ready to insert: placeholders filled with the
/// customer's name and the agent's. Not found for anyone who may not read it (SPEC R-VIEW-3).
pub async fn for_conversation(
    db: &Db,
    agent: &AgentId,
    conversation: &ConversationId,
) -> Result<Vec<SavedReply>, BackendError> {
    let conv = crate::work::readable_conversation(db, agent, conversation).await?;
    let customer = match &conv.customer {
        Some(c) => crate::realtime::reads::customer_name(db, c.as_str()).await?,
        None => None,
    }
    .unwrap_or_else(|| "there".into());
    let me = Actor::load(db, agent.as_str()).await?;
    Ok(in_space(&db.pool, conv.space.as_str())
        .await?
        .into_iter()
        .map(|r| SavedReply {
            body: fill(&r.body, &customer, &me.name),
            ..r
        })
        .collect())
}
