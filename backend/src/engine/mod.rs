//! The conversation engine's I/O shell around `domain::decide`.
//!
//! Every command is one transaction: lock and load the snapshot, decide (pure), write exactly
//! what changed, commit, and only then publish the effects and re-arm the scheduler. Nothing
//! about routing lives only in memory, so a restart or a second node loses nothing.

mod persist;
pub mod presence;
pub mod scheduler;
mod snapshot;

use std::sync::Arc;

use domain::{Command, ConversationId, Effect, EventKind, Timers, Timestamp};
use tokio::sync::Notify;

use crate::realtime::{Bus, InProcessBus, bus::publish_effects};
use crate::{clock::Clock, config::TimerConfig, db::Db, error::BackendError};
use snapshot::Scope;

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
        self.duplicate_of.or_else(|| {
            self.effects.iter().find_map(|e| match e {
                Effect::Event(event) if matches!(event.kind, EventKind::Message { .. }) => {
                    Some(event.seq)
                }
                _ => None,
            })
        })
    }
}

#[derive(Clone)]
pub struct Engine {
    db: Db,
    timers: Timers,
    clock: Arc<dyn Clock>,
    /// Wakes the scheduler when a command may have moved the earliest deadline.
    pub(crate) rearm: Arc<Notify>,
    /// Where committed effects go (websockets subscribe to its topics).
    bus: Arc<dyn Bus>,
    /// Failed timer ticks per conversation, for the scheduler's backoff.
    retries: scheduler::Retries,
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
            db,
            timers,
            clock,
            rearm: Arc::new(Notify::new()),
            bus: Arc::new(InProcessBus::new()),
            retries: scheduler::Retries::default(),
        }
    }

    /// Publishes to another bus (several nodes share one that crosses processes).
    pub fn with_bus(mut self, bus: Arc<dyn Bus>) -> Engine {
        self.bus = bus;
        self
    }

    /// The bus committed effects are published on; websockets also put typing signals on it.
    pub fn bus(&self) -> &Arc<dyn Bus> {
        &self.bus
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Runs one command as one transaction and publishes its effects after commit.
    pub async fn execute(&self, command: Command) -> Result<Outcome, BackendError> {
        self.execute_with(command, Alongside::default()).await
    }

    /// Runs a command with writes that must commit with it or not at all: the audit entries of
    /// a settings change, the experience a new conversation came from.
    pub async fn execute_with(
        &self,
        command: Command,
        alongside: Alongside<'_>,
    ) -> Result<Outcome, BackendError> {
        let mut tx = self.db.begin_write().await?;

        if let Command::SetLiveChat { space, on: false } = &command {
            refuse_if_routed_to(&mut tx, space.as_str()).await?;
        }
        // The experience a new conversation came through, written beside it.
        let tag = match (alongside.experience, &command) {
            (Some(experience), Command::StartConversation { id, via, .. }) => {
                let visitor = match via {
                    domain::Start::Ai { visitor } => visitor.clone(),
                    domain::Start::Direct => None,
                };
                Some((experience, id.clone(), visitor))
            }
            _ => None,
        };

        if let Command::SendMessage {
            conversation,
            author,
            client_id,
            ..
        } = &command
        {
            // A resent message (same author, same client id) gets its first seq back; nothing is
            // written twice.
            if let Some(seq) = existing_message(&mut tx, conversation, author, client_id).await? {
                tx.rollback().await?;
                return Ok(Outcome {
                    effects: Vec::new(),
                    duplicate_of: Some(seq),
                });
            }
        }

        if let Command::Resolve { resolution, .. } = &command {
            check_resolution(&mut tx, resolution).await?;
        }

        let scope = match &command {
            Command::SendMessage {
                conversation,
                author,
                ..
            } => Scope::Chat {
                target: conversation,
                agent: match author {
                    domain::Author::Agent(agent) => Some(agent),
                    _ => None,
                },
            },
            Command::AddNote {
                conversation,
                agent,
                ..
            } => Scope::Chat {
                target: conversation,
                agent: Some(agent),
            },
            other => Scope::Routing {
                target: other.conversation(),
            },
        };
        let mut world =
            snapshot::load(&mut tx, self.db.backend, self.timers.clone(), scope).await?;
        let now = self.clock.now();
        let effects = match domain::decide(&mut world, command, now) {
            Ok(effects) => effects,
            Err(rule) => {
                tx.rollback().await?;
                return Err(BackendError::Rule(rule));
            }
        };
        persist::write(&mut tx, &world, &effects).await?;
        if let Some((actor, changes)) = alongside.audit {
            crate::store::audit::record(&mut tx, actor, changes).await?;
        }
        if let Some((experience, id, visitor)) = tag {
            sqlx::query(
                "UPDATE conversations SET experience_id = $1, visitor_id = $2 WHERE id = $3",
            )
            .bind(experience)
            .bind(visitor.as_ref().map(|v| v.to_string()))
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        }
        if let Some((kind, article)) = alongside.ai_turn {
            let seq = effects.iter().find_map(|e| match e {
                Effect::Event(event) if matches!(event.kind, EventKind::Message { .. }) => {
                    Some(event.seq)
                }
                _ => None,
            });
            if let (Some(seq), Some(conversation)) = (seq, conversation_of(&effects)) {
                sqlx::query(
                    "INSERT INTO ai_replies (conversation_id, seq, kind, article_id) VALUES ($1, $2, $3, $4)",
                )
                .bind(conversation)
                .bind(seq)
                .bind(kind)
                .bind(article)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;

        if effects
            .iter()
            .any(|e| matches!(e, Effect::StoreConversation { .. }))
        {
            self.rearm.notify_one();
        }
        publish_effects(self.bus.as_ref(), &effects);
        Ok(Outcome {
            effects,
            duplicate_of: None,
        })
    }

    /// Fires every conversation whose stored deadline has passed. Returns how many it ticked.
    /// Safe to run on several nodes and after a restart: a tick with nothing due does nothing.
    /// A conversation whose tick fails is postponed with a growing delay (see [`scheduler`]),
    /// so it cannot hold back the others; `Err` only when postponing it fails too.
    pub async fn tick_due(&self) -> Result<usize, BackendError> {
        let now = self.clock.now().as_millis();
        let due: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM conversations WHERE next_deadline IS NOT NULL AND next_deadline <= $1 \
             ORDER BY next_deadline, id LIMIT 500",
        )
        .bind(now)
        .fetch_all(&self.db.pool)
        .await?;
        let mut ticked = 0;
        for (id,) in due {
            let conversation = ConversationId::new(id);
            match self
                .execute(Command::Tick {
                    conversation: conversation.clone(),
                })
                .await
            {
                Ok(_) => {
                    ticked += 1;
                    self.retries.succeeded(&conversation);
                }
                Err(error) => self.postpone(&conversation, &error).await?,
            }
        }
        Ok(ticked)
    }

    /// The earliest stored deadline, if any conversation has one.
    pub async fn next_deadline(&self) -> Result<Option<Timestamp>, BackendError> {
        let (next,): (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(next_deadline) FROM conversations WHERE next_deadline IS NOT NULL",
        )
        .fetch_one(&self.db.pool)
        .await?;
        Ok(next.map(Timestamp))
    }
}

fn conversation_of(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Event(event) => Some(event.conversation.to_string()),
        _ => None,
    })
}

/// What [`Engine::execute_with`] writes in the command's transaction.
#[derive(Default)]
pub struct Alongside<'a> {
    pub audit: Option<(&'a crate::store::Actor, &'a [crate::store::audit::Change])>,
    /// The customer experience a `StartConversation` came through.
    pub experience: Option<&'a str>,
    /// What kind of AI turn the command's message is, and the article it came from: written to
    /// `ai_replies` beside the message (the handoff limit and Conversation review read it).
    pub ai_turn: Option<(&'a str, Option<&'a str>)>,
}

/// SPEC R-MODE-3: Live chat cannot be turned off in a space that a live-chat experience routes
/// to; the refusal names the experiences, so the admin knows what to change first. Checked in
/// the switch's own transaction, so an experience saved at the same moment cannot slip by.
async fn refuse_if_routed_to(tx: &mut snapshot::Tx, space: &str) -> Result<(), BackendError> {
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM experiences WHERE space_id = $1 AND support_mode <> 'ai_agent' ORDER BY name",
    )
    .bind(space)
    .fetch_all(&mut **tx)
    .await?;
    if names.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = names.into_iter().map(|(n,)| n).collect();
    Err(BackendError::Invalid(format!(
        "Live chat stays on: these customer experiences route live chat to this space: {}. Route them to another space first.",
        names.join(", ")
    )))
}

/// Resolving asks for one of the site's resolutions (SPEC R-AGENT-3); anything else is refused
/// with the list to choose from.
async fn check_resolution(tx: &mut snapshot::Tx, resolution: &str) -> Result<(), BackendError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT resolutions FROM site_settings WHERE id = 1")
            .fetch_optional(&mut **tx)
            .await?;
    let allowed: Vec<String> = match row {
        Some((json,)) => serde_json::from_str(&json)?,
        None => Vec::new(),
    };
    if allowed.iter().any(|r| r == resolution.trim()) {
        Ok(())
    } else {
        Err(BackendError::Invalid(format!(
            "Choose one of the site's resolutions: {}.",
            allowed.join(", ")
        )))
    }
}

async fn existing_message(
    tx: &mut snapshot::Tx,
    conversation: &ConversationId,
    author: &domain::Author,
    client_id: &str,
) -> Result<Option<i64>, BackendError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT seq FROM conversation_events WHERE conversation_id = $1 AND author = $2 AND client_id = $3",
    )
    .bind(conversation.as_str())
    .bind(persist::author_key(author))
    .bind(client_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(seq,)| seq))
}
