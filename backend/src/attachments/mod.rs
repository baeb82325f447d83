//! Attachments: a file sent in a conversation by its customer or its agent, and read back only
//! by people who may read the conversation (SPEC R-VIEW-3).
//!
//! Sending one: the site's policy is checked, the bytes are written to the [`Files`] store under
//! their SHA-256, and only then the message that carries the file is committed, with the
//! `attachments` row that names the bytes in the same transaction (`engine::steps::after`). If
//! the message is refused, or the server stops in between, the bytes are left unreferenced and
//! [`prune`] or [`sweep`] removes them.

mod files;
mod policy;

use bytes::Bytes;
use domain::access::{Reader, may_read};
use domain::attachments::{Attachment, MAX_FILES_PER_CONVERSATION, clean_name, content_type_for};
use domain::{Author, Command, ConversationId};

use crate::engine::{Alongside, Engine};
use crate::{db::Db, error::BackendError, realtime::reads};

pub use files::{Files, key_of};
pub use policy::{policy, save_policy};

/// A file as the uploader sent it.
pub struct Upload {
    /// The name the browser gave it (cleaned before use).
    pub name: String,
    pub bytes: Bytes,
    /// The sender's idempotency key, so a repeated upload stores one message.
    pub client_id: String,
}

/// What a stored file is served with.
pub struct Download {
    pub attachment: Attachment,
    pub bytes: Bytes,
}

/// Who is sending: the conversation's customer (by any of the session's readers) or an agent.
fn author_for(conv: &domain::Conversation, readers: &[Reader]) -> Option<Author> {
    let reader = readers.iter().find(|r| may_read(conv, r))?;
    Some(match reader {
        Reader::Agent(agent) => Author::Agent(agent.clone()),
        Reader::Customer(_) | Reader::Visitor(_) => Author::Customer,
    })
}

/// Whether a file of this name and declared size may be sent at all, before its bytes are
/// read; the site's policy to read them under.
pub async fn admit(
    db: &Db,
    name: &str,
    declared: Option<u64>,
) -> Result<domain::attachments::AttachmentPolicy, BackendError> {
    let policy = policy(db).await?;
    // An unknown size passes here; the bytes read are checked again in `send`.
    policy
        .check(&clean_name(name), declared.unwrap_or(1))
        .map_err(|refusal| BackendError::Invalid(refusal.to_string()))?;
    Ok(policy)
}

/// Stores the file and sends the message that carries it; the message's seq. Refuses a file
/// the site does not accept before a byte is written; not found for anyone who may not read
/// the conversation. Whether the author may write now (an agent must be the assignee, nobody
/// writes in an ended chat) is the engine's rule, as for any message.
pub async fn send(
    engine: &Engine,
    files: &Files,
    readers: &[Reader],
    conversation: &ConversationId,
    upload: Upload,
) -> Result<(Attachment, i64), BackendError> {
    let db = engine.db();
    let conv = reads::conversation(db, conversation)
        .await?
        .ok_or(BackendError::NotFound)?;
    let author = author_for(&conv, readers).ok_or(BackendError::NotFound)?;
    if conv.status == domain::ConversationStatus::WithAi {
        return Err(BackendError::Invalid(
            "The AI agent cannot open files. Ask for a person, then send the file to them.".into(),
        ));
    }
    let (held,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM attachments WHERE conversation_id = $1")
            .bind(conversation.as_str())
            .fetch_one(&db.pool)
            .await?;
    if held >= MAX_FILES_PER_CONVERSATION {
        return Err(BackendError::Invalid(format!(
            "This conversation already holds {MAX_FILES_PER_CONVERSATION} files; no more can be sent in it."
        )));
    }
    let name = clean_name(&upload.name);
    let size = upload.bytes.len() as u64;
    policy(db)
        .await?
        .check(&name, size)
        .map_err(|refusal| BackendError::Invalid(refusal.to_string()))?;
    let attachment = Attachment {
        id: uuid::Uuid::now_v7().to_string(),
        content_type: content_type_for(&name).to_string(),
        name: name.clone(),
        size,
    };
    let key = key_of(&upload.bytes);
    files.put(&key, upload.bytes.clone()).await?;
    let command = Command::SendMessage {
        conversation: conversation.clone(),
        author,
        body: name,
        client_id: upload.client_id,
        attachment: Some(attachment.clone()),
    };
    let alongside = Alongside {
        attachment_blob: Some(key.clone()),
        ..Alongside::default()
    };
    match engine.execute_with(command, alongside).await {
        Ok(outcome) => {
            let seq = outcome.message_seq().ok_or_else(|| {
                BackendError::Corrupt("an attachment's message has no seq".into())
            })?;
            // The same bytes may have been removed between our write and our commit by an
            // upload of the same file whose message was refused: write them again.
            if !files.exists(&key).await? {
                files.put(&key, upload.bytes).await?;
            }
            Ok((attachment, seq))
        }
        Err(error) => {
            if let Err(prune_error) = prune(db, files, &key).await {
                tracing::warn!(%prune_error, "an unsent attachment's file stays until the sweep");
            }
            Err(error)
        }
    }
}

/// The file, for someone who may read its conversation; not found for anyone else, and for a
/// customer when the message is not theirs to see.
pub async fn open(
    db: &Db,
    files: &Files,
    readers: &[Reader],
    id: &str,
) -> Result<Download, BackendError> {
    let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT conversation_id, blob_key, name, content_type, size FROM attachments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let (conversation, key, name, content_type, size) = row.ok_or(BackendError::NotFound)?;
    let conv = reads::conversation(db, &ConversationId::new(conversation))
        .await?
        .ok_or(BackendError::NotFound)?;
    if !readers.iter().any(|r| may_read(&conv, r)) {
        return Err(BackendError::NotFound);
    }
    let bytes = files.get(&key).await?;
    Ok(Download {
        attachment: Attachment {
            id: id.to_string(),
            name,
            content_type,
            size: u64::try_from(size).unwrap_or_default(),
        },
        bytes,
    })
}

/// Removes the bytes under `key` when no attachment names them.
pub async fn prune(db: &Db, files: &Files, key: &str) -> Result<bool, BackendError> {
    let (uses,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attachments WHERE blob_key = $1")
        .bind(key)
        .fetch_one(&db.pool)
        .await?;
    if uses > 0 {
        return Ok(false);
    }
    files.delete(key).await?;
    Ok(true)
}

/// Files older than this that no attachment names are left over (a refused message whose prune
/// failed, a server stopped between writing a file and storing its message).
pub const SWEEP_AGE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes every stored file older than `older_than` that no attachment names; how many.
pub async fn sweep(
    db: &Db,
    files: &Files,
    older_than: std::time::Duration,
) -> Result<usize, BackendError> {
    let mut removed = 0;
    for key in files.keys_older_than(older_than).await? {
        if prune(db, files, &key).await? {
            removed += 1;
        }
    }
    Ok(removed)
}
