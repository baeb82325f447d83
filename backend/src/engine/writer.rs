//! Group commit: on SQLite one writer task owns writing, and the commands queued while it
//! commits are applied together in the next transaction.
//!
//! SQLite has one writer at a time anyway, so commands taking turns on the write lock (each with
//! its own `BEGIN IMMEDIATE`, commit and WAL sync, and a wake-up per statement) bought nothing
//! but overhead. Here the writer takes whatever is queued (up to [`MAX_BATCH`]), runs the
//! commands one after another in one transaction — each sees the earlier ones' writes exactly
//! as if they had run alone; a refused command rolls back alone and gets its own error, because
//! every refusal is found before the command's first write — then commits once. Only after that commit does any sender get its answer, and
//! are the effects published, in the order the commands ran: acknowledged means committed.
//!
//! If the writer stops between the batch and its commit (a panic, a lost connection), the
//! transaction is rolled back, every sender in it gets an error that says to retry, and the next
//! command starts a new writer.

use std::sync::{Arc, Mutex};

use domain::Command;
use tokio::sync::{mpsc, oneshot};

use super::{
    Alongside, Outcome, Publisher,
    apply::{Applied, Failed, Rules},
};
use crate::{db::Db, error::BackendError};

/// The most commands one transaction holds: enough to share a commit among a busy second's
/// messages, few enough that the write lock is never held long.
pub const MAX_BATCH: usize = 256;

/// Groups of commands waiting for the writer; senders wait (back-pressure) beyond this.
const QUEUE: usize = 1024;

/// Test support: called with the batch's size just before each commit.
pub type BeforeCommit = Arc<dyn Fn(usize) + Send + Sync>;

/// One command and where its answer goes.
pub(super) struct Job {
    pub command: Command,
    pub alongside: Alongside,
    pub answer: Answer,
}

impl Job {
    pub fn new(
        command: Command,
        alongside: Alongside,
    ) -> (Job, oneshot::Receiver<Result<Outcome, BackendError>>) {
        let (answer, receiver) = oneshot::channel();
        (
            Job {
                command,
                alongside,
                answer,
            },
            receiver,
        )
    }
}

/// The queue into the running writer, shared by every clone of one engine. Empty until the
/// first command, and again after a writer stopped.
#[derive(Clone, Default)]
pub(super) struct WriterSlot(Arc<Mutex<Option<mpsc::Sender<Vec<Job>>>>>);

impl WriterSlot {
    /// Queues `jobs` (applied in order, in one batch) with the running writer, starting one if
    /// none runs.
    pub async fn submit(&self, jobs: Vec<Job>, start: impl Fn() -> Writer) {
        let mut jobs = jobs;
        // Twice at most: a writer that stopped just now is replaced once.
        for _ in 0..2 {
            let queue = {
                let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
                match slot.as_ref() {
                    Some(queue) if !queue.is_closed() => queue.clone(),
                    _ => {
                        let queue = start().spawn();
                        *slot = Some(queue.clone());
                        queue
                    }
                }
            };
            match queue.send(jobs).await {
                Ok(()) => return,
                Err(mpsc::error::SendError(back)) => jobs = back,
            }
        }
        // Dropping the jobs drops their answer senders: each caller gets "not saved".
        tracing::error!("the engine's writer could not be started");
    }
}

/// The task that applies and commits batches.
pub(super) struct Writer {
    pub db: Db,
    pub rules: Rules,
    pub publisher: Publisher,
    pub before_commit: Option<BeforeCommit>,
}

impl Writer {
    fn spawn(self) -> mpsc::Sender<Vec<Job>> {
        let (queue, mut waiting) = mpsc::channel::<Vec<Job>>(QUEUE);
        tokio::spawn(async move {
            while let Some(mut batch) = waiting.recv().await {
                // Whatever else is queued joins this batch: under load batches grow, idle a
                // command commits alone at once.
                while batch.len() < MAX_BATCH {
                    match waiting.try_recv() {
                        Ok(more) => batch.extend(more),
                        Err(_) => break,
                    }
                }
                self.run(batch).await;
            }
        });
        queue
    }

    /// Applies the batch in one transaction and commits it. A command that fails after it
    /// began writing (a database error, never a rule) cannot be undone alone without a
    /// savepoint per command — two more statements for every message — so instead the
    /// transaction is rolled back, that command gets its error, and the rest run again in a new
    /// one. Nothing was answered or published yet, so nobody can tell.
    async fn run(&self, batch: Vec<Job>) {
        let mut batch = batch;
        loop {
            match self.try_batch(&batch).await {
                Attempt::Done(results) => {
                    for (job, result) in batch.into_iter().zip(results) {
                        let _ = job.answer.send(result);
                    }
                    return;
                }
                Attempt::FailedWriting(at, error) => {
                    tracing::warn!(%error, "a command failed while writing; its batch runs again without it");
                    let job = batch.remove(at);
                    let _ = job.answer.send(Err(error));
                }
            }
        }
    }

    async fn try_batch(&self, batch: &[Job]) -> Attempt {
        let failed_all =
            |why: &str| Attempt::Done(batch.iter().map(|_| Err(not_saved(why))).collect());
        let mut tx = match self.db.begin_write().await {
            Ok(tx) => tx,
            Err(error) => {
                tracing::warn!(%error, "could not start a write transaction");
                return failed_all(&error.to_string());
            }
        };
        let mut applied = Vec::with_capacity(batch.len());
        for (at, job) in batch.iter().enumerate() {
            match self
                .rules
                .apply(&mut tx, &job.command, &job.alongside)
                .await
            {
                Ok(done) => applied.push(Ok(done)),
                // Refused before writing: nothing of it is in the transaction.
                Err(Failed {
                    error,
                    wrote: false,
                }) => applied.push(Err(error)),
                Err(Failed { error, wrote: true }) => {
                    if let Err(rollback) = tx.rollback().await {
                        tracing::warn!(error = %rollback, "rollback failed");
                    }
                    return Attempt::FailedWriting(at, error);
                }
            }
        }
        if let Some(hook) = &self.before_commit {
            hook(applied.len());
        }
        let committed = if applied.iter().all(Result::is_err) {
            tx.rollback().await
        } else {
            tx.commit().await
        };
        match committed {
            Ok(()) => Attempt::Done(
                applied
                    .into_iter()
                    .map(|result| result.map(|done| self.publisher.settle(done)))
                    .collect(),
            ),
            Err(error) => {
                let text = error.to_string();
                tracing::warn!(error = %text, "a group commit failed");
                // A refused command changed nothing and keeps its own answer.
                Attempt::Done(
                    applied
                        .into_iter()
                        .map(|result| uncommitted(result, &text))
                        .collect(),
                )
            }
        }
    }
}

/// How one try at a batch ended.
enum Attempt {
    /// Committed (or failed as a whole): one answer per command, in order.
    Done(Vec<Result<Outcome, BackendError>>),
    /// The command at this index failed after it began writing; the transaction is rolled back.
    FailedWriting(usize, BackendError),
}

type Answer = oneshot::Sender<Result<Outcome, BackendError>>;

/// The answer for a command of a batch that did not commit: a refused command keeps its own
/// refusal (it changed nothing); an applied one was not saved.
fn uncommitted(result: Result<Applied, BackendError>, why: &str) -> Result<Outcome, BackendError> {
    match result {
        Err(refused) => Err(refused),
        Ok(_) => Err(not_saved(why)),
    }
}

/// The error a sender gets when its command was applied but never committed: nothing of it was
/// saved, and sending it again is safe (a resent message keeps its client id).
pub(super) fn not_saved(why: &str) -> BackendError {
    BackendError::Database(sqlx::Error::Io(std::io::Error::other(format!(
        "not saved, the write was not committed: {why}"
    ))))
}
