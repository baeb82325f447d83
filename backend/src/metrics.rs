//! What Baton counts for operators: recorded through the `metrics` facade, so this crate names
//! and records the figures and the server decides how they are exported (Prometheus text on a
//! listen address of its own). Without an installed recorder every call here is a no-op.
//!
//! Two kinds of figure:
//! - **Counters and histograms** recorded where things happen (after commit, so a rolled-back
//!   command counts only in `baton_commands_total{result}`); they are per node.
//! - **State gauges** read from the database when scraped ([`observe_state`]): conversations by
//!   status and the waiting queue are the same on every node of a cluster (take the max, not
//!   the sum, across nodes).

use std::time::Duration;

use domain::{Author, Command, Effect, EventKind, Timestamp, WithdrawReason};
use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};

use crate::{db::Db, error::BackendError};

/// Every metric's name, in one place for the exporter's bucket settings and the dashboard.
pub mod names {
    pub const WEBSOCKETS_OPEN: &str = "baton_websockets_open";
    pub const CONVERSATIONS: &str = "baton_conversations";
    pub const QUEUE_WAITING: &str = "baton_queue_waiting";
    pub const QUEUE_OLDEST_WAIT: &str = "baton_queue_oldest_wait_seconds";
    pub const OFFERS: &str = "baton_offers_total";
    pub const MESSAGES_PERSISTED: &str = "baton_messages_persisted_total";
    pub const COMMAND_DURATION: &str = "baton_command_duration_seconds";
    pub const COMMANDS: &str = "baton_commands_total";
    pub const SCHEDULER_LAG: &str = "baton_scheduler_lag_seconds";
    pub const DB_POOL_CONNECTIONS: &str = "baton_db_pool_connections";
    pub const DB_POOL_MAX: &str = "baton_db_pool_max_connections";
    pub const AI_REPLIES: &str = "baton_ai_replies_total";
    pub const WEBHOOK_DELIVERIES: &str = "baton_webhook_deliveries_total";
    pub const WEBHOOK_OUTBOX_PENDING: &str = "baton_webhook_outbox_pending";

    /// Every name above (the dashboard's test checks it uses them all, and nothing else).
    pub const ALL: [&str; 14] = [
        WEBSOCKETS_OPEN,
        CONVERSATIONS,
        QUEUE_WAITING,
        QUEUE_OLDEST_WAIT,
        OFFERS,
        MESSAGES_PERSISTED,
        COMMAND_DURATION,
        COMMANDS,
        SCHEDULER_LAG,
        DB_POOL_CONNECTIONS,
        DB_POOL_MAX,
        AI_REPLIES,
        WEBHOOK_DELIVERIES,
        WEBHOOK_OUTBOX_PENDING,
    ];
}

/// Gives every metric its `# HELP` line and unit; call once, after installing a recorder.
pub fn describe() {
    use names::*;
    describe_gauge!(
        WEBSOCKETS_OPEN,
        "Open websockets on this node, by kind (agent, customer, visitor)."
    );
    describe_gauge!(
        CONVERSATIONS,
        "Conversations by status, read from the database (the same on every node)."
    );
    describe_gauge!(QUEUE_WAITING, "Customers waiting for an agent (database).");
    describe_gauge!(
        QUEUE_OLDEST_WAIT,
        Unit::Seconds,
        "The longest current wait for an agent (database)."
    );
    describe_counter!(
        OFFERS,
        "Offers made, and how they ended (accepted, declined, expired, withdrawn)."
    );
    describe_counter!(
        MESSAGES_PERSISTED,
        "Messages stored, by author (customer, agent, ai)."
    );
    describe_histogram!(
        COMMAND_DURATION,
        Unit::Seconds,
        "Engine commands from submission to answer, by command."
    );
    describe_counter!(
        COMMANDS,
        "Engine commands by command and result (ok, refused by a rule, failed in the database)."
    );
    describe_histogram!(
        SCHEDULER_LAG,
        Unit::Seconds,
        "How late timers fire: now minus the deadline, when claimed."
    );
    describe_gauge!(
        DB_POOL_CONNECTIONS,
        "Database pool connections by state (in_use, idle)."
    );
    describe_gauge!(DB_POOL_MAX, "The database pool's size.");
    describe_counter!(
        AI_REPLIES,
        "AI agent replies by backend (built_in, model) and kind; fallback when a model failed."
    );
    describe_counter!(
        WEBHOOK_DELIVERIES,
        "Webhook delivery attempts by result (delivered, failed)."
    );
    describe_gauge!(
        WEBHOOK_OUTBOX_PENDING,
        "Webhook deliveries not yet made (database)."
    );
}

/// Histogram buckets in seconds: commands take from a fraction of a millisecond (a message on
/// SQLite) to seconds (a database in trouble); timers fire within milliseconds of their
/// deadline unless the scheduler is behind.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The command's name as a label (its serde tag).
pub fn command_name(command: &Command) -> &'static str {
    match command {
        Command::StartConversation { .. } => "start_conversation",
        Command::IdentifyCustomer { .. } => "identify_customer",
        Command::HandOff { .. } => "hand_off",
        Command::SetAvailability { .. } => "set_availability",
        Command::AgentAway { .. } => "agent_away",
        Command::Accept { .. } => "accept",
        Command::Decline { .. } => "decline",
        Command::SendMessage { .. } => "send_message",
        Command::AddNote { .. } => "add_note",
        Command::EndConversation { .. } => "end_conversation",
        Command::Resolve { .. } => "resolve",
        Command::Tick { .. } => "tick",
        Command::SetLiveChat { .. } => "set_live_chat",
        Command::SetMaxConversations { .. } => "set_max_conversations",
    }
}

/// How a command ended, as the `result` label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandResult {
    Ok,
    /// A rule said no (the person is told why); nothing was written.
    Refused,
    /// The database failed; nothing was written.
    Failed,
}

impl CommandResult {
    pub fn of<T>(result: &Result<T, BackendError>) -> CommandResult {
        match result {
            Ok(_) => CommandResult::Ok,
            Err(BackendError::Rule(_)) => CommandResult::Refused,
            Err(_) => CommandResult::Failed,
        }
    }

    fn label(self) -> &'static str {
        match self {
            CommandResult::Ok => "ok",
            CommandResult::Refused => "refused",
            CommandResult::Failed => "failed",
        }
    }
}

/// One engine command took `took`, from submission to its answer (queueing for SQLite's group
/// commit included: that is what the caller waited).
pub fn command_finished(command: &'static str, took: Duration, result: CommandResult) {
    histogram!(names::COMMAND_DURATION, "command" => command).record(took.as_secs_f64());
    counter!(names::COMMANDS, "command" => command, "result" => result.label()).increment(1);
}

/// Counts what a committed command did: offers made and how they ended, messages stored.
pub fn effects_committed(effects: &[Effect]) {
    for effect in effects {
        match effect {
            Effect::OfferMade { .. } => offer("made"),
            Effect::OfferWithdrawn { reason, .. } => offer(match reason {
                WithdrawReason::Accepted => "accepted",
                WithdrawReason::Declined => "declined",
                WithdrawReason::Expired => "expired",
                WithdrawReason::Ended
                | WithdrawReason::NoAcceptInTime
                | WithdrawReason::AgentUnavailable => "withdrawn",
            }),
            Effect::Event(event) => {
                if let EventKind::Message { author, .. } = &event.kind {
                    let author = match author {
                        Author::Customer => "customer",
                        Author::Agent(_) => "agent",
                        Author::Ai => "ai",
                    };
                    counter!(names::MESSAGES_PERSISTED, "author" => author).increment(1);
                }
            }
            _ => {}
        }
    }
}

fn offer(outcome: &'static str) {
    counter!(names::OFFERS, "outcome" => outcome).increment(1);
}

/// A claimed timer fires `now − due` late (the scheduler's lag).
pub fn timer_fired(due: Timestamp, now: Timestamp) {
    let late_ms = now.as_millis().saturating_sub(due.as_millis()).max(0);
    histogram!(names::SCHEDULER_LAG).record(late_ms as f64 / 1000.0);
}

/// The AI agent sent a reply. `backend` is `built_in` or `model`; `outcome` is the turn's kind
/// (`answer`, `not_sure`, `small_talk`, `greeting`, `handoff`), or `fallback` when a language
/// model failed and the built-in answer went instead.
pub fn ai_reply(backend: &'static str, outcome: &str) {
    counter!(names::AI_REPLIES, "backend" => backend, "outcome" => outcome.to_string())
        .increment(1);
}

/// One webhook delivery attempt ended.
pub fn webhook_delivery(delivered: bool) {
    let result = if delivered { "delivered" } else { "failed" };
    counter!(names::WEBHOOK_DELIVERIES, "result" => result).increment(1);
}

/// An open websocket, counted while this value lives.
pub struct OpenSocket(&'static str);

impl OpenSocket {
    /// `kind`: `agent`, `customer` or `visitor`.
    pub fn opened(kind: &'static str) -> OpenSocket {
        gauge!(names::WEBSOCKETS_OPEN, "kind" => kind).increment(1.0);
        OpenSocket(kind)
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        gauge!(names::WEBSOCKETS_OPEN, "kind" => self.0).decrement(1.0);
    }
}

/// Every status a conversation row can have, so a status with no conversations reads 0 rather
/// than vanishing from the scrape.
const STATUSES: [&str; 6] = [
    "with_ai",
    "ended_with_ai",
    "waiting_for_agent",
    "active",
    "wrapping_up",
    "closed",
];

/// Reads the state gauges from the database (at scrape time): conversations by status, the
/// waiting queue's length and oldest wait, webhook deliveries not yet made, and the
/// connection pool's use.
pub async fn observe_state(db: &Db, now: Timestamp) -> Result<(), BackendError> {
    let by_status: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM conversations GROUP BY status")
            .fetch_all(&db.pool)
            .await?;
    for status in STATUSES {
        let count = by_status
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n);
        gauge!(names::CONVERSATIONS, "status" => status).set(count as f64);
    }
    let (waiting, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(waiting_since) FROM conversations \
         WHERE status = 'waiting_for_agent'",
    )
    .fetch_one(&db.pool)
    .await?;
    gauge!(names::QUEUE_WAITING).set(waiting as f64);
    let oldest_wait = oldest.map_or(0, |since| now.as_millis().saturating_sub(since).max(0));
    gauge!(names::QUEUE_OLDEST_WAIT).set(oldest_wait as f64 / 1000.0);
    let (pending,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM webhook_outbox WHERE next_attempt_at IS NOT NULL")
            .fetch_one(&db.pool)
            .await?;
    gauge!(names::WEBHOOK_OUTBOX_PENDING).set(pending as f64);
    let (size, idle) = (db.pool.size(), db.pool.num_idle());
    gauge!(names::DB_POOL_CONNECTIONS, "state" => "in_use").set(f64::from(size) - idle as f64);
    gauge!(names::DB_POOL_CONNECTIONS, "state" => "idle").set(idle as f64);
    gauge!(names::DB_POOL_MAX).set(f64::from(db.pool.options().get_max_connections()));
    Ok(())
}
