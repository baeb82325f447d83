//! Transcript downloads: the customer's copy (what their chat showed) and the team's copy (with
//! internal notes and the work item's changes), each only for someone who may read the
//! conversation; anyone else is told it is not found (SPEC R-VIEW-3).

use std::collections::HashMap;

use domain::access::{Reader, may_read};
use domain::transcript::{TranscriptFile, TranscriptHeader, render};
use domain::{AgentId, Conversation, ConversationId};

use crate::{db::Db, error::BackendError, i18n, realtime::reads};

/// Who may read it and how the text is written.
pub struct TranscriptRequest<'a> {
    pub readers: &'a [Reader],
    /// Writes a moment (unix ms) as the team reads times (and for the file's name).
    pub time: &'a (dyn Fn(i64) -> String + Sync),
    /// The reader's browser's `Accept-Language`: the customer's copy is written in their
    /// chat's language (the experience's pinned one, else the browser's), dates included.
    pub accept_language: &'a str,
}

/// The transcript as the browser saves it: its text in a `data:` URL, so the page needs no code
/// of its own to turn text into a file.
pub fn as_file(file_name: String, text: &str) -> TranscriptFile {
    let encoded = percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC);
    TranscriptFile {
        file_name,
        href: format!("data:text/plain;charset=utf-8,{encoded}"),
    }
}

/// The transcript's file.
pub async fn transcript(
    db: &Db,
    conversation: &ConversationId,
    request: TranscriptRequest<'_>,
) -> Result<TranscriptFile, BackendError> {
    let conv: Conversation = reads::conversation(db, conversation)
        .await?
        .ok_or(BackendError::NotFound)?;
    let Some(reader) = request.readers.iter().find(|r| may_read(&conv, r)) else {
        return Err(BackendError::NotFound);
    };
    let for_team = reader.is_team();
    let events = reads::all_events(db, conversation).await?;
    let experience: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT e.name, e.language FROM conversations c JOIN experiences e ON e.id = c.experience_id WHERE c.id = $1",
    )
    .bind(conversation.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let (experience, pinned) = experience.unwrap_or_else(|| ("Live chat".to_string(), None));
    let language = if for_team {
        &i18n::LANGUAGES[0]
    } else {
        i18n::negotiate(pinned.as_deref(), request.accept_language)
    };
    let words = i18n::transcript_texts(language);
    let customer = match &conv.customer {
        Some(c) => reads::customer_name(db, c.as_str()).await?,
        None => None,
    }
    .unwrap_or_else(|| {
        if for_team {
            "Customer".to_string()
        } else {
            words.get("transcript-you")
        }
    });
    let customers_time = |ms: i64| i18n::date_time(&words, ms);
    let time: &(dyn Fn(i64) -> String + Sync) = if for_team {
        request.time
    } else {
        &customers_time
    };
    let names: HashMap<String, String> = sqlx::query_as("SELECT id, display_name FROM users")
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .collect();
    let agent_name = |id: &AgentId| {
        names
            .get(id.as_str())
            .cloned()
            .unwrap_or_else(|| "Agent".into())
    };
    let text = render(
        &TranscriptHeader {
            experience: &experience,
            customer: &customer,
            conversation: conversation.as_str(),
        },
        &events,
        for_team,
        &words,
        agent_name,
        time,
    );
    let started = (request.time)(conv.started_at.as_millis());
    let day: String = started.chars().take(10).collect();
    Ok(as_file(
        format!("transcript-{day}-{}.txt", conversation.as_str()),
        &text,
    ))
}
