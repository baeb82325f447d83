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
    /// Which webhook endpoints want which events: the outbox rows commit with the command.
    pub webhooks: crate::webhooks::Subscriptions,
}

impl Rules {
    /// Runs `command` in `tx`. A [`Failed`] that `wrote` leaves part of the command's writes
    /// in the transaction: the caller must roll it back. Refusals (the rules, the checks before
    /// them) are all found before the first write.
    pub async fn apply(
        &self,
        tx: &mut Tx,
        command: &Command,
        alongside: &Alongside,
    ) -> Result<Applied, Failed> {
        let (world, effects) = match self.decide(tx, command, alongside).await {
            Ok(Decided::Already(seq)) => {
                return Ok(Applied {
                    effects: Vec::new(),
                    follow_ups: Vec::new(),
                    duplicate_of: Some(seq),
                });
            }
            Ok(Decided::New(decision)) => {
                let written = write(tx, command, alongside, &decision).await;
                written.map_err(|error| Failed { error, wrote: true })?;
                self.webhooks
                    .enqueue(tx, command, &decision.effects, self.clock.now())
                    .await
                    .map_err(|error| Failed { error, wrote: true })?;
                (decision.world, decision.effects)
            }
            Err(error) => {
                return Err(Failed {
                    error,
                    wrote: false,
                });
            }
        };
        Ok(Applied {
            follow_ups: steps::follow_ups(&world, &effects),
            effects,
            duplicate_of: None,
        })
    }

    /// Everything up to the first write: checks, snapshot, the pure decision.
    async fn decide(
        &self,
        tx: &mut Tx,
        command: &Command,
        alongside: &Alongside,
    ) -> Result<Decided, BackendError> {
        let mut world = match chat_writer(command) {
            Some((conversation, by)) => {
                let chat =
                    chat_snapshot::load(tx, self.backend, self.timers.clone(), conversation, by)
                        .await?;
                // A resent message (same author, same client id) gets its first seq back;
                // nothing is written twice.
                if let Some(seq) = chat.duplicate_of {
                    return Ok(Decided::Already(seq));
                }
                chat.world
            }
            None => {
                steps::before(tx, command).await?;
                snapshot::load(tx, self.backend, self.timers.clone(), command).await?
            }
        };
        let audit = alongside
            .audit
            .as_ref()
            .map(|audit| (audit.changes)(&world))
            .unwrap_or_default();
        let work_before = work_rows(&world);
        // `decide` takes the command; the steps after it read it too (a copy of one command
        // costs nothing beside the transaction).
        let effects = domain::decide(&mut world, command.clone(), self.clock.now())?;
        Ok(Decided::New(Box::new(Decision {
            world,
            effects,
            audit,
            work_before,
        })))
    }
}

/// Writes what the decision changed and what commits beside it.
async fn write(
    tx: &mut Tx,
    command: &Command,
    alongside: &Alongside,
    decision: &Decision,
) -> Result<(), BackendError> {
    persist::write(
        tx,
        &decision.world,
        &decision.effects,
        &decision.work_before,
    )
    .await?;
    if let Some(from) = &alongside.audit {
        crate::store::audit::record(tx, &from.actor, &decision.audit).await?;
    }
    steps::after(tx, command, &decision.effects, alongside).await
}

/// A command that did not apply, and whether it had begun writing.
#[derive(Debug)]
pub(super) struct Failed {
    pub error: BackendError,
    pub wrote: bool,
}

enum Decided {
    /// A resent message: the seq it was stored with.
    Already(i64),
    New(Box<Decision>),
}

/// A decided command, not yet written.
struct Decision {
    world: World,
    effects: Vec<Effect>,
    /// A settings change's audit entries, made from the world before the decision.
    audit: Vec<crate::store::audit::Change>,
    work_before: WorkRows,
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
