//! **Conversation review** (SPEC R-VIEW-5): every conversation with the AI agent, including
//! those it passed to a person, with the AI part of the transcript. Shown to site admins and to
//! the admins of each conversation's customer experience.

use std::collections::HashMap;

use domain::{
    Author, Conversation, ConversationId, EventKind,
    ai::{ReviewOutcome, review_outcome},
    roles::Setting,
    views::ai::{ReviewDetail, ReviewLine, ReviewRow},
};

use crate::{db::Db, error::BackendError, realtime::reads, store::Actor};

/// The most conversations the review list shows at once, newest first.
pub const REVIEW_LIMIT: i64 = 200;

type Row = (
    String,
    String,
    String,
    i64,
    Option<String>,
    String,
    Option<String>,
);

/// The conversations with the AI agent the actor may review, newest first, optionally only
/// those with one outcome.
pub async fn list(
    db: &Db,
    actor: &Actor,
    only: Option<ReviewOutcome>,
) -> Result<Vec<ReviewRow>, BackendError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.id, c.state, e.id, c.started_at, cu.display_name, e.name, w.id \
         FROM conversations c JOIN experiences e ON e.id = c.experience_id \
         LEFT JOIN customers cu ON cu.id = c.customer_id \
         LEFT JOIN work_items w ON w.conversation_id = c.id \
         WHERE EXISTS (SELECT 1 FROM ai_replies r WHERE r.conversation_id = c.id) \
         ORDER BY c.started_at DESC, c.id DESC LIMIT $1",
    )
    .bind(REVIEW_LIMIT)
    .fetch_all(&db.pool)
    .await?;
    let rows: Vec<Row> = rows
        .into_iter()
        .filter(|r| actor.roles.may_change(Setting::Experience(&r.2)))
        .collect();
    let kinds = turn_kinds(db, rows.iter().map(|r| r.0.as_str())).await?;
    let mut out = Vec::new();
    for row in rows {
        let conv: Conversation = serde_json::from_str(&row.1)?;
        let mut review = to_row(row, &conv, kinds.get(conv.id.as_str()));
        if only.is_none_or(|o| o == review.outcome) {
            review.rating = crate::ratings::of_conversation(db, &review.conversation).await?;
            out.push(review);
        }
    }
    Ok(out)
}

/// One conversation's review: its row and the AI part of its transcript.
pub async fn detail(
    db: &Db,
    actor: &Actor,
    conversation: &ConversationId,
) -> Result<ReviewDetail, BackendError> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT c.id, c.state, e.id, c.started_at, cu.display_name, e.name, w.id \
         FROM conversations c JOIN experiences e ON e.id = c.experience_id \
         LEFT JOIN customers cu ON cu.id = c.customer_id \
         LEFT JOIN work_items w ON w.conversation_id = c.id WHERE c.id = $1",
    )
    .bind(conversation.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let row = row.ok_or(BackendError::NotFound)?;
    actor.require(Setting::Experience(&row.2))?;
    let conv: Conversation = serde_json::from_str(&row.1)?;
    let kinds = turn_kinds(db, std::iter::once(conversation.as_str())).await?;
    if !kinds.contains_key(conversation.as_str()) {
        return Err(BackendError::NotFound);
    }
    let customer = row.4.clone().unwrap_or_else(|| "Anonymous visitor".into());
    let mut review = to_row(row, &conv, kinds.get(conversation.as_str()));
    review.rating = crate::ratings::of_conversation(db, conversation.as_str()).await?;
    let mut lines = Vec::new();
    let mut after = 0;
    'pages: loop {
        let page = reads::events_between(db, conversation, after, None).await?;
        let done = page.len() < reads::REPLAY_PAGE as usize;
        for event in page {
            after = event.seq;
            let (who, body) = match event.kind {
                EventKind::Message { author, body, .. } => match author {
                    Author::Customer => (customer.clone(), body),
                    Author::Ai => ("AI agent".to_string(), body),
                    Author::Agent(_) => break 'pages,
                },
                EventKind::HandoffRequested { .. } => (
                    String::new(),
                    "The AI agent asked the customer to sign in for a person.".into(),
                ),
                EventKind::HandedOff { .. } => {
                    lines.push(ReviewLine {
                        who: String::new(),
                        body: "The AI agent passed the conversation to the team.".into(),
                        at: event.at.0,
                    });
                    break 'pages;
                }
                EventKind::Ended { .. } => (String::new(), "The conversation ended.".into()),
                _ => continue,
            };
            lines.push(ReviewLine {
                who,
                body,
                at: event.at.0,
            });
        }
        if done {
            break;
        }
    }
    Ok(ReviewDetail { row: review, lines })
}

fn to_row(row: Row, conv: &Conversation, turns: Option<&Vec<(String, String)>>) -> ReviewRow {
    let (id, _, _, started_at, customer, experience, work_item) = row;
    let kinds: Vec<&str> = turns
        .map(|t| t.iter().map(|(kind, _)| kind.as_str()).collect())
        .unwrap_or_default();
    // Which backends wrote the replies (Conversation review shows it), in order of first use.
    let mut answered_by: Vec<String> = Vec::new();
    for (_, backend) in turns.into_iter().flatten() {
        let label = backend_label(backend);
        if !answered_by.contains(&label) {
            answered_by.push(label);
        }
    }
    let outcome = review_outcome(conv.status, &kinds);
    ReviewRow {
        conversation: id,
        experience,
        customer: customer.unwrap_or_else(|| "Anonymous visitor".into()),
        started_at,
        outcome,
        handoff_reason: conv.handoff.as_ref().map(|r| r.label()),
        answers: kinds.iter().filter(|k| **k == "answer").count(),
        answered_by,
        work_item: if outcome == ReviewOutcome::HandedOff {
            work_item
        } else {
            None
        },
        rating: None,
    }
}

/// "Built-in", or "Model gpt-4o-mini" for a reply a language model wrote.
fn backend_label(stored: &str) -> String {
    match stored.strip_prefix("model:") {
        Some(model) => format!("Model {model}"),
        None => "Built-in".into(),
    }
}

/// The kinds of the AI's turns per conversation, oldest first, with the backend of each.
async fn turn_kinds<'a>(
    db: &Db,
    conversations: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, Vec<(String, String)>>, BackendError> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for conversation in conversations {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, backend FROM ai_replies WHERE conversation_id = $1 ORDER BY seq",
        )
        .bind(conversation)
        .fetch_all(&db.pool)
        .await?;
        if !rows.is_empty() {
            out.insert(conversation.to_string(), rows);
        }
    }
    Ok(out)
}
