//! The conversation engine's I/O shell around `domain::decide`.
//!
//! Every command is one transaction: its own checks first ([`steps`]), lock and load the
//! snapshot, decide (pure), write exactly what changed and what commits beside it, commit, and
//! only then publish the effects, re-arm the scheduler and announce the follow-ups (the AI
//! agent's cue to answer). Nothing about routing lives only in memory, so a restart or a second
//! node loses nothing.

mod apply;
mod chat_snapshot;
mod due;
mod persist;
pub mod presence;
pub mod scheduler;
mod snapshot;
mod steps;
mod writer;

use std::sync::Arc;

use domain::{Command, ConversationId, Effect, Timers, Timestamp};
use tokio::sync::mpsc;

use crate::realtime::{Bus, InProcessBus, publish::publish_effects};
use crate::{
    clock::Clock,
    config::TimerConfig,
    db::{Backend, Db},
    error::BackendError,
    metrics,
};
use apply::{Applied, Rules};
pub use writer::{BeforeCommit, MAX_BATCH};
use writer::{Job, Writer, WriterSlot};

/// What a command did, after commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub effects: Vec<Effect>,
    /// Set when a message with this client id was already stored: its seq, nothing new written.
    pub duplicate_of: Option<i64>,
}

impl Outcome {
    /// The seq of the message this command stored (or had stored before).
    pub fn message_seq(&self) -> Option<i64> {
        self.duplicate_of
            .or_else(|| steps::message_seq(&self.effects))
    }
}

/// What a committed command asks of the rest of Baton, beyond publishing its effects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FollowUp {
    /// A customer wrote in a conversation that is with the AI agent, which should answer.
    CustomerWroteToAi(ConversationId),
}

#[derive(Clone)]
pub struct Engine {
    db: Db,
    rules: Rules,
    publisher: Publisher,
    /// Failed timer ticks per conversation, for the scheduler's backoff.
    retries: scheduler::Retries,
    /// SQLite's group-commit writer (see [`writer`]); PostgreSQL runs commands side by side.
    writer: WriterSlot,
    before_commit: Option<BeforeCommit>,
}

/// What happens after a commit: re-arm the scheduler, publish the effects, announce follow-ups.
#[derive(Clone)]
pub(crate) struct Publisher {
    /// Wakes the scheduler when a command stored a deadline before its next look.
    alarm: scheduler::Alarm,
    /// Where committed effects go (websockets subscribe to its topics).
    bus: Arc<dyn Bus>,
    /// Where follow-ups go after commit; `None` when nothing listens (most tests, tools).
    follow_ups: Option<mpsc::UnboundedSender<FollowUp>>,
}

pub fn timers_from(config: &TimerConfig) -> Timers {
    let ms = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    Timers {
        offer_timeout: ms(config.offer_timeout),
        accept_deadline: ms(config.accept_deadline),
        inactivity_warning: ms(config.inactivity_warning),
        inactivity_grace: ms(config.inactivity_grace),
        max_duration: ms(config.max_duration),
    }
}

impl Engine {
    pub fn new(db: Db, timers: Timers, clock: Arc<dyn Clock>) -> Engine {
        Engine {
            rules: Rules {
                backend: db.backend,
                timers,
                clock,
                webhooks: crate::webhooks::Subscriptions::default(),
            },
            db,
            publisher: Publisher {
                alarm: scheduler::Alarm::default(),
                bus: Arc::new(InProcessBus::new()),
                follow_ups: None,
            },
            retries: scheduler::Retries::default(),
            writer: WriterSlot::default(),
            before_commit: None,
        }
    }

    /// Announces every committed command's [`FollowUp`]s to `listener` (the AI agent, in the
    /// server), whichever path sent the command: a socket, a server function, the scheduler.
    ///
    /// A channel rather than a handle on the AI agent: the agent holds an engine to send its
    /// answers, so an engine holding the agent would be an `Arc` cycle that frees neither; the
    /// engine owns only the sending end. Unbounded, so announcing never waits or fails a
    /// command that is already committed; each follow-up is an id and the listener only hands
    /// it on. In-process rather than on the bus: with several nodes on one bus, every node's
    /// AI would answer each message; this way only the node that committed it is told.
    pub fn with_follow_ups(mut self, listener: mpsc::UnboundedSender<FollowUp>) -> Engine {
        self.publisher.follow_ups = Some(listener);
        self.writer = WriterSlot::default();
        self
    }

    /// Publishes to another bus (several nodes share one that crosses processes).
    pub fn with_bus(mut self, bus: Arc<dyn Bus>) -> Engine {
        self.publisher.bus = bus;
        self.writer = WriterSlot::default();
        self
    }

    /// Test support: `hook` runs with the batch's size just before each group commit on SQLite.
    /// A test makes it panic to stop the writer between a batch and its commit.
    #[doc(hidden)]
    pub fn with_before_commit(mut self, hook: BeforeCommit) -> Engine {
        self.before_commit = Some(hook);
        self.writer = WriterSlot::default();
        self
    }

    pub(crate) fn alarm(&self) -> &scheduler::Alarm {
        &self.publisher.alarm
    }

    /// The bus committed effects are published on; websockets also put typing signals on it.
    pub fn bus(&self) -> &Arc<dyn Bus> {
        &self.publisher.bus
    }

    /// This node's copy of the webhook subscriptions; forget it when an endpoint changes.
    pub fn webhook_subscriptions(&self) -> &crate::webhooks::Subscriptions {
        &self.rules.webhooks
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.rules.clock
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> Timestamp {
        self.rules.clock.now()
    }

    /// Runs one command as one transaction and publishes its effects after commit.
    pub async fn execute(&self, command: Command) -> Result<Outcome, BackendError> {
        self.execute_with(command, Alongside::default()).await
    }

    /// Runs a settings command by a staff member, with the audit entries `changes` makes of the
    /// world as the command's transaction loaded it (see [`AuditFrom`]).
    pub async fn execute_audited(
        &self,
        command: Command,
        actor: &crate::store::Actor,
        changes: impl Fn(&domain::World) -> Vec<crate::store::audit::Change> + Send + Sync + 'static,
    ) -> Result<Outcome, BackendError> {
        let audit = AuditFrom {
            actor: actor.clone(),
            changes: Box::new(changes),
        };
        self.execute_with(
            command,
            Alongside {
                audit: Some(audit),
                ..Alongside::default()
            },
        )
        .await
    }

    /// Runs a command with writes that must commit with it or not at all: the audit entries of
    /// a settings change, the experience a new conversation came from.
    ///
    /// Every command takes the same path; what a command does of its own lives in [`steps`].
    pub async fn execute_with(
        &self,
        command: Command,
        alongside: Alongside,
    ) -> Result<Outcome, BackendError> {
        let mut results = self.execute_batch(vec![(command, alongside)]).await;
        results
            .pop()
            .unwrap_or_else(|| Err(writer::not_saved("no answer")))
    }

    /// Runs commands in order, as if one after another, and answers each. On SQLite they join
    /// the writer's next group commit; on PostgreSQL each is its own transaction, so commands
    /// from different callers run side by side.
    pub async fn execute_batch(
        &self,
        commands: Vec<(Command, Alongside)>,
    ) -> Vec<Result<Outcome, BackendError>> {
        let started = std::time::Instant::now();
        let names: Vec<&'static str> = commands
            .iter()
            .map(|(command, _)| metrics::command_name(command))
            .collect();
        let results = self.execute_batch_unmeasured(commands).await;
        let took = started.elapsed();
        for (name, result) in names.into_iter().zip(&results) {
            metrics::command_finished(name, took, metrics::CommandResult::of(result));
        }
        results
    }

    async fn execute_batch_unmeasured(
        &self,
        commands: Vec<(Command, Alongside)>,
    ) -> Vec<Result<Outcome, BackendError>> {
        match self.db.backend {
            Backend::Sqlite => self.through_writer(commands).await,
            Backend::Postgres => {
                let mut results = Vec::with_capacity(commands.len());
                for (command, alongside) in commands {
                    results.push(self.in_own_transaction(&command, &alongside).await);
                }
                results
            }
        }
    }

    async fn through_writer(
        &self,
        commands: Vec<(Command, Alongside)>,
    ) -> Vec<Result<Outcome, BackendError>> {
        let (jobs, answers): (Vec<Job>, Vec<_>) = commands
            .into_iter()
            .map(|(command, alongside)| Job::new(command, alongside))
            .unzip();
        self.writer
            .submit(jobs, || Writer {
                db: self.db.clone(),
                rules: self.rules.clone(),
                publisher: self.publisher.clone(),
                before_commit: self.before_commit.clone(),
            })
            .await;
        let mut results = Vec::with_capacity(answers.len());
        for answer in answers {
            // A dropped answer means the writer stopped before committing this batch.
            results.push(
                answer
                    .await
                    .unwrap_or_else(|_| Err(writer::not_saved("the writer stopped"))),
            );
        }
        results
    }

    /// One command, one transaction: begin, apply, commit, then publish.
    async fn in_own_transaction(
        &self,
        command: &Command,
        alongside: &Alongside,
    ) -> Result<Outcome, BackendError> {
        let mut tx = self.db.begin_write().await?;
        match self.rules.apply(&mut tx, command, alongside).await {
            Ok(applied) => {
                tx.commit().await?;
                Ok(self.publisher.settle(applied))
            }
            Err(failed) => {
                tx.rollback().await?;
                Err(failed.error)
            }
        }
    }
}

/// Makes a settings change's audit entries from the world before the decision.
pub type AuditChanges = dyn Fn(&domain::World) -> Vec<crate::store::audit::Change> + Send + Sync;

/// Who changed a setting through the engine, and the audit entries it makes of the world
/// before the decision.
pub struct AuditFrom {
    pub actor: crate::store::Actor,
    pub changes: Box<AuditChanges>,
}

/// What [`Engine::execute_with`] writes in the command's transaction. Owned, because on SQLite
/// the command is applied by the writer task.
#[derive(Default)]
pub struct Alongside {
    /// A settings change's audit entries, built from the world as this transaction loaded it
    /// (before the decision), so the old value is the one the change replaced even when two
    /// admins edit at once.
    pub audit: Option<AuditFrom>,
    /// The customer experience a `StartConversation` came through.
    pub experience: Option<String>,
    /// What kind of AI turn the command's message is, and the article it came from: written to
    /// `ai_replies` beside the message (the handoff limit and Conversation review read it).
    pub ai_turn: Option<AiTurnRecord>,
    /// The stored bytes (their key in the attachment store) of the file a `SendMessage`
    /// carries: its `attachments` row commits with the message.
    pub attachment_blob: Option<String>,
}

/// One AI reply as `ai_replies` keeps it.
#[derive(Clone, Debug, Default)]
pub struct AiTurnRecord {
    /// `answer`, `not_sure`, `small_talk`, `greeting` or `handoff` (see `domain::ai::Turn::kind`).
    pub kind: String,
    /// The article a built-in answer came from.
    pub article: Option<String>,
    /// `built_in`, or `model:<name>` for an answer a language model wrote.
    pub backend: String,
    /// The model's tokens for this reply (prompt and completion), for the per-conversation budget.
    pub tokens: i64,
}

impl AiTurnRecord {
    /// A reply of the built-in backend, from no article.
    pub fn built_in(kind: &str) -> AiTurnRecord {
        AiTurnRecord {
            kind: kind.into(),
            backend: "built_in".into(),
            ..AiTurnRecord::default()
        }
    }
}

impl Publisher {
    /// After commit: wake the scheduler if a deadline came earlier than its next look, publish the effects,
    /// and tell the follow-up listener (the AI agent) what the command asks of it.
    fn settle(&self, applied: Applied) -> Outcome {
        for effect in &applied.effects {
            if let Effect::StoreConversation {
                next_deadline: Some(at),
                ..
            } = effect
            {
                self.alarm.deadline_stored(*at);
            }
        }
        publish_effects(self.bus.as_ref(), &applied.effects);
        metrics::effects_committed(&applied.effects);
        if let Some(listener) = &self.follow_ups {
            for follow_up in applied.follow_ups {
                if listener.send(follow_up).is_err() {
                    tracing::warn!("nobody listens to the engine's follow-ups any more");
                }
            }
        }
        Outcome {
            effects: applied.effects,
            duplicate_of: applied.duplicate_of,
        }
    }
}
