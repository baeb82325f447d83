//! One command inside a write transaction that someone else begins and commits: its own checks
//! ([`steps`]), the snapshot, the pure decision, the writes. The direct path
//! ([`Engine::execute_with`](super::Engine::execute_with)) gives each command its own
//! transaction; the group-commit writer ([`super::writer`]) runs many under one, each under its
//! own savepoint. Either way the caller commits, and only then publishes what this returns.

use std::sync::Arc;

use domain::{Author, Command, ConversationId, Effect, Timers, WorkStatus, World};

use super::{
    Alongside, FollowUp,
    chat_snapshot::{self, WrittenBy},
    persist,
    snapshot::{self, Tx},
    steps,
};
use crate::{clock::Clock, db::Backend, error::BackendError};

/// What a command did inside the transaction; it takes effect when the transaction commits.
#[derive(Debug)]
pub(super) struct Applied {
    pub effects: Vec<Effect>,
    pub follow_ups: Vec<FollowUp>,
    /// Set when a message with this client id was already stored: its seq, nothing new written.
    pub duplicate_of: Option<i64>,
}

/// What a transaction needs to run a command: the database kind, the timers, the clock.
#[derive(Clone)]
pub(super) struct Rules {
    pub backend: Backend,
    pub timers: Timers,
    pub clock: Arc<dyn Clock>,
}

impl Rules {
    /// Runs `command` in `tx`. On `Err` the caller must undo what the command wrote (roll the
    /// transaction or the command's savepoint back): a write may have failed half way.
    pub async fn apply(
        &self,
        tx: &mut Tx,
        command: &Command,
        alongside: &Alongside,
    ) -> Result<Applied, BackendError> {
        let mut world = match chat_writer(command) {
            Some((conversation, by)) => {
                let chat =
                    chat_snapshot::load(tx, self.backend, self.timers.clone(), conversation, by)
                        .await?;
                // A resent message (same author, same client id) gets its first seq back;
                // nothing is written twice.
                if chat.duplicate_of.is_some() {
                    return Ok(Applied {
                        effects: Vec::new(),
                        follow_ups: Vec::new(),
                        duplicate_of: chat.duplicate_of,
                    });
                }
                chat.world
            }
            None => {
                steps::before(tx, command).await?;
                let scope = steps::scope_of(command);
                snapshot::load(tx, self.backend, self.timers.clone(), scope).await?
            }
        };
        let audit = alongside
            .audit
            .as_ref()
            .map(|audit| (&audit.actor, (audit.changes)(&world)));
        let work_before = work_rows(&world);
        // `decide` takes the command; the steps after it read it too (a copy of one command
        // costs nothing beside the transaction).
        let effects = domain::decide(&mut world, command.clone(), self.clock.now())
            .map_err(BackendError::Rule)?;
        persist::write(tx, &world, &effects, &work_before).await?;
        if let Some((actor, changes)) = &audit {
            crate::store::audit::record(tx, actor, changes).await?;
        }
        steps::after(tx, command, &effects, alongside).await?;
        Ok(Applied {
            follow_ups: steps::follow_ups(&world, &effects),
            effects,
            duplicate_of: None,
        })
    }
}

/// A chat command's conversation and who writes in it; `None` for every other command.
fn chat_writer(command: &Command) -> Option<(&ConversationId, WrittenBy<'_>)> {
    match command {
        Command::SendMessage {
            conversation,
            author,
            client_id,
            ..
        } => Some((
            conversation,
            WrittenBy {
                agent: match author {
                    Author::Agent(agent) => Some(agent),
                    _ => None,
                },
                resend_key: Some((persist::author_key(author), client_id)),
            },
        )),
        Command::AddNote {
            conversation,
            agent,
            ..
        } => Some((
            conversation,
            WrittenBy {
                agent: Some(agent),
                resend_key: None,
            },
        )),
        _ => None,
    }
}

/// The work-item columns of each loaded conversation before the decision, so a command that
/// leaves them as they were (every message) does not rewrite its work item.
pub(super) type WorkRows = std::collections::HashMap<ConversationId, WorkRow>;

/// The columns a Conversation work item copies from its conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WorkRow {
    pub status: Option<WorkStatus>,
    pub assignee: Option<String>,
    pub customer: Option<String>,
}

impl WorkRow {
    pub fn of(conversation: &domain::Conversation) -> WorkRow {
        WorkRow {
            status: conversation.work_status(),
            assignee: conversation.assignee.as_ref().map(|a| a.to_string()),
            customer: conversation.customer.as_ref().map(|c| c.to_string()),
        }
    }
}

fn work_rows(world: &World) -> WorkRows {
    world
        .conversations
        .values()
        .map(|conversation| (conversation.id.clone(), WorkRow::of(conversation)))
        .collect()
}
