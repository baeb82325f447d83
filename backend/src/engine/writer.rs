//! Group commit: on SQLite one writer task owns writing, and the commands queued while it
//! commits are applied together in the next transaction.
//!
//! SQLite has one writer at a time anyway, so commands taking turns on the write lock (each with
//! its own `BEGIN IMMEDIATE`, commit and WAL sync, and a wake-up per statement) bought nothing
//! but overhead. Here the writer takes whatever is queued (up to [`MAX_BATCH`]), runs each
//! command under its own savepoint — a refused or failed command rolls back alone and gets its
//! own error, and each later command sees the earlier ones' writes exactly as if they had run one
//! after another — then commits once. Only after that commit does any sender get its answer, and
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
    apply::{Applied, Rules},
    snapshot::Tx,
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

    async fn run(&self, batch: Vec<Job>) {
        let mut tx = match self.db.begin_write().await {
            Ok(tx) => tx,
            Err(error) => {
                let text = error.to_string();
                tracing::warn!(error = %text, "could not start a write transaction");
                for job in batch {
                    let _ = job.answer.send(Err(not_saved(&text)));
                }
                return;
            }
        };
        let alone = batch.len() == 1;
        let mut results: Vec<(Answer, Result<Applied, BackendError>)> =
            Vec::with_capacity(batch.len());
        for job in batch {
            let result = if alone {
                self.rules
                    .apply(&mut tx, &job.command, &job.alongside)
                    .await
            } else {
                match self.under_savepoint(&mut tx, &job).await {
                    Ok(result) => result,
                    Err(broken) => {
                        // The transaction itself failed: nothing of the batch can commit.
                        let text = broken.to_string();
                        tracing::warn!(error = %text, "a group commit failed");
                        let _ = job.answer.send(Err(not_saved(&text)));
                        for (answer, result) in results {
                            let _ = answer.send(uncommitted(result, &text));
                        }
                        return;
                    }
                }
            };
            results.push((job.answer, result));
        }
        if let Some(hook) = &self.before_commit {
            hook(results.len());
        }
        let committed = if results.iter().all(|(_, result)| result.is_err()) {
            tx.rollback().await
        } else {
            tx.commit().await
        };
        match committed {
            Ok(()) => {
                for (answer, result) in results {
                    let outcome = result.map(|applied| self.publisher.settle(applied));
                    let _ = answer.send(outcome);
                }
            }
            Err(error) => {
                let text = error.to_string();
                tracing::warn!(error = %text, "a group commit failed");
                for (answer, result) in results {
                    // A refused command changed nothing and keeps its own answer.
                    let _ = answer.send(uncommitted(result, &text));
                }
            }
        }
    }

    /// Applies one command of a batch under its own savepoint. The outer `Err` means the
    /// transaction is broken; the inner one is this command's own refusal or failure, already
    /// rolled back.
    async fn under_savepoint(
        &self,
        tx: &mut Tx,
        job: &Job,
    ) -> Result<Result<Applied, BackendError>, BackendError> {
        sqlx::query("SAVEPOINT command").execute(&mut **tx).await?;
        let result = self.rules.apply(tx, &job.command, &job.alongside).await;
        if result.is_err() {
            sqlx::query("ROLLBACK TO SAVEPOINT command")
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query("RELEASE SAVEPOINT command")
            .execute(&mut **tx)
            .await?;
        Ok(result)
    }
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
