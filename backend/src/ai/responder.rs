//! The built-in AI agent at work: after a customer writes in a conversation with the AI, it
//! shows that it is typing, decides its turn (`planning`: the built-in rules on the knowledge
//! base, or a language model's grounded answer),
//! and answers or hands off through the engine, one command and one transaction per turn.
//!
//! The domain refuses any AI message once a handoff began (SPEC R-HAND-2), so a reply that was
//! being prepared when the customer pressed **Talk to a person** is dropped, never shown.

use std::sync::Arc;
use std::time::Duration;

use domain::{
    Author, Command, ConversationEvent, ConversationId, ConversationStatus, DomainError, EventKind,
    ai::{HandoffReason, Turn, farewell},
    experience::SupportMode,
    protocol::Typist,
};
use tokio::sync::mpsc;

use super::turns;
use super::written::Models;
use crate::{
    engine::{AiTurnRecord, Alongside, Engine, FollowUp},
    error::BackendError,
    realtime::{BusMessage, Topic, reads},
    store::experiences::{self, Stored},
};

/// How often each node looks for AI replies a dead node left half done (see
/// [`AiAgent::pick_up_abandoned`]): a customer waits at most the claim's lease and this.
const ABANDONED_LOOK: Duration = Duration::from_secs(30);

/// Typing signals from the AI carry this origin: no socket has it, so every socket shows them.
pub(super) const AI_ORIGIN: u64 = u64::MAX;

#[derive(Clone)]
pub struct AiAgent {
    pub(super) engine: Engine,
    /// Baton's address as customers reach it, for links to help articles.
    public_url: Arc<str>,
    /// How long the typing indicator shows before an answer, so a reply never lands before the
    /// customer's own message has settled on screen.
    thinking: Duration,
    /// Language models, for AI agents whose model backend is OpenAI-compatible; without them
    /// every AI agent gives built-in answers.
    pub(super) models: Option<Models>,
}

impl AiAgent {
    pub fn new(engine: Engine, public_url: &str, thinking: Duration) -> AiAgent {
        AiAgent {
            engine,
            public_url: public_url.trim_end_matches('/').into(),
            thinking,
            models: None,
        }
    }

    /// Lets AI agents answer with language models (see [`written`]).
    pub fn with_models(mut self, models: Models) -> AiAgent {
        self.models = Some(models);
        self
    }

    pub fn models(&self) -> Option<&Models> {
        self.models.as_ref()
    }

    /// Answers what the engine announces (see [`Engine::with_follow_ups`]) until the channel
    /// closes: every customer's message to the AI, whichever path sent it.
    /// Also looks every [`ABANDONED_LOOK`] for replies a dead node left half done.
    pub async fn answer(self, mut announced: mpsc::UnboundedReceiver<FollowUp>) {
        let mut look = tokio::time::interval(ABANDONED_LOOK);
        loop {
            tokio::select! {
                follow_up = announced.recv() => match follow_up {
                    Some(FollowUp::CustomerWroteToAi(conversation)) => self.customer_wrote(conversation),
                    None => return,
                },
                _ = look.tick() => {
                    let agent = self.clone();
                    tokio::spawn(async move {
                        if let Err(error) = agent.pick_up_abandoned().await {
                            tracing::warn!(%error, "could not look for abandoned AI replies");
                        }
                    });
                }
            }
        }
    }

    /// Takes over the replies whose node died while preparing them (their claim outlived its
    /// lease), so the customer is answered without having to write again. Returns how many it
    /// took over.
    pub async fn pick_up_abandoned(&self) -> Result<usize, BackendError> {
        let now = self.engine.clock().now().0;
        let mut taken = 0;
        for conversation in turns::abandoned(self.engine.db(), now).await? {
            tracing::info!(%conversation, "taking over an AI reply left by a node that stopped");
            if self.take_turns(&conversation).await? {
                taken += 1;
            }
        }
        Ok(taken)
    }

    /// Called after a customer's message was committed. Replies in the background; several
    /// quick messages get one reply that reads them all.
    fn customer_wrote(&self, conversation: ConversationId) {
        let agent = self.clone();
        tokio::spawn(async move {
            if let Err(error) = agent.take_turns(&conversation).await {
                tracing::error!(%conversation, %error, "the AI agent could not claim a reply");
            }
        });
    }

    /// Replies in `conversation` unless a reply is already in flight there, on this node or
    /// another (see [`turns`]): then that one is told to reply again once done. Holding the
    /// claim, replies until the customer has not written meanwhile. Returns whether this call
    /// held the claim.
    pub async fn take_turns(&self, conversation: &ConversationId) -> Result<bool, BackendError> {
        let db = self.engine.db();
        let Some(claim) = turns::claim(db, conversation, self.engine.clock().now().0).await? else {
            return Ok(false);
        };
        // What the previous reply of this turn read: a message sent while it was being
        // prepared comes before that reply, yet is still to be answered.
        let mut read_up_to = None;
        loop {
            match self.reply_after(conversation, read_up_to).await {
                Ok((_, Some(seq))) => read_up_to = Some(seq),
                Ok((_, None)) => {}
                Err(error) => {
                    tracing::error!(%conversation, %error, "the AI agent could not reply");
                    self.typing(conversation, false);
                }
            }
            if !turns::release(db, &claim, self.engine.clock().now().0).await? {
                return Ok(true);
            }
        }
    }

    fn typing(&self, conversation: &ConversationId, typing: bool) {
        self.engine.bus().publish(
            &Topic::Conversation(conversation.clone()),
            BusMessage::Typing {
                conversation: conversation.clone(),
                who: Typist::Ai,
                typing,
                origin: AI_ORIGIN,
            },
        );
    }

    /// Answers what the customer wrote since the AI last spoke. `None` when there is nothing
    /// to answer or the AI may no longer speak.
    pub async fn reply(&self, id: &ConversationId) -> Result<Option<Turn>, BackendError> {
        Ok(self.reply_after(id, None).await?.0)
    }

    /// Answers the customer's messages after event `after` (when given; else since the AI last
    /// spoke). Also returns the last event's seq it read, when it read any.
    async fn reply_after(
        &self,
        id: &ConversationId,
        after: Option<i64>,
    ) -> Result<(Option<Turn>, Option<i64>), BackendError> {
        let db = self.engine.db();
        let Some(conv) = reads::conversation(db, id).await? else {
            return Ok((None, None));
        };
        if conv.status != ConversationStatus::WithAi || conv.handoff.is_some() {
            return Ok((None, None));
        }
        let Some(experience) = experience_of(self.engine.db(), id).await? else {
            return Ok((None, None));
        };
        let (question, read_up_to, events) = unanswered(db, id, after).await?;
        if question.trim().is_empty() {
            return Ok((None, read_up_to));
        }
        self.typing(id, true);
        tokio::time::sleep(self.thinking).await;
        let outcome = self
            .decide_and_send(id, &experience, &question, &events)
            .await;
        self.typing(id, false);
        Ok((outcome?, read_up_to))
    }

    async fn decide_and_send(
        &self,
        id: &ConversationId,
        experience: &Stored,
        question: &str,
        events: &[ConversationEvent],
    ) -> Result<Option<Turn>, BackendError> {
        let Some((turn, record)) = self.plan(id, experience, question, events).await? else {
            return Ok(None);
        };
        let sent = match &turn {
            Turn::HandOff { reason, farewell } => {
                self.hand_off(id, reason.clone(), farewell.clone(), record)
                    .await
            }
            Turn::Answer { body } | Turn::NotSure { body } | Turn::SmallTalk { body } => {
                self.say(id, body, record).await
            }
        };
        match sent {
            Ok(()) => Ok(Some(turn)),
            // The customer handed off or left while the reply was being prepared.
            Err(BackendError::Rule(DomainError::AiHasEnded | DomainError::ConversationEnded)) => {
                Ok(None)
            }
            Err(BackendError::Rule(DomainError::LiveChatOff { .. })) => {
                // Unreachable through the settings pages (R-MODE-3), but never leave the
                // customer without a next step.
                let body = format!(
                    "I'm sorry, nobody from the team can take this conversation right now. {}",
                    experience.settings.fallback_message
                );
                self.say(id, body.trim(), AiTurnRecord::built_in("not_sure"))
                    .await?;
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// The customer pressed **Talk to a person** (SPEC R-HAND-1). Pressing twice changes
    /// nothing; in AI agent mode there is nobody to hand off to.
    pub async fn person_requested(&self, id: &ConversationId) -> Result<(), BackendError> {
        let Some(experience) = experience_of(self.engine.db(), id).await? else {
            return Err(BackendError::NotFound);
        };
        if experience.settings.mode != SupportMode::AiAgentAndSupportTeam {
            return Err(BackendError::Invalid(
                "There is no person from the team in this chat.".into(),
            ));
        }
        let reason = HandoffReason::Button;
        let farewell = farewell(&reason);
        self.hand_off(id, reason, farewell, AiTurnRecord::built_in("handoff"))
            .await
    }

    /// The AI agent's greeting in a conversation that has just started.
    pub async fn greet(
        &self,
        id: &ConversationId,
        experience: &Stored,
    ) -> Result<(), BackendError> {
        let body = domain::ai::greeting(
            &experience.settings.name,
            experience.settings.mode == SupportMode::AiAgentAndSupportTeam,
        );
        self.say(id, &body, AiTurnRecord::built_in("greeting"))
            .await
    }

    async fn say(
        &self,
        id: &ConversationId,
        body: &str,
        record: AiTurnRecord,
    ) -> Result<(), BackendError> {
        self.engine
            .execute_with(
                Command::SendMessage {
                    conversation: id.clone(),
                    author: Author::Ai,
                    body: body.to_string(),
                    client_id: format!("ai:{}", uuid::Uuid::now_v7()),
                    attachment: None,
                },
                Alongside {
                    ai_turn: Some(record.clone()),
                    ..Alongside::default()
                },
            )
            .await?;
        count_reply(&record);
        Ok(())
    }

    async fn hand_off(
        &self,
        id: &ConversationId,
        reason: HandoffReason,
        farewell: String,
        record: AiTurnRecord,
    ) -> Result<(), BackendError> {
        let record = AiTurnRecord {
            kind: "handoff".into(),
            ..record
        };
        self.engine
            .execute_with(
                Command::HandOff {
                    conversation: id.clone(),
                    reason,
                    farewell: Some(farewell),
                },
                Alongside {
                    ai_turn: Some(record.clone()),
                    ..Alongside::default()
                },
            )
            .await?;
        count_reply(&record);
        Ok(())
    }

    pub(super) fn article_link(&self, widget_key: &str, article: &str) -> String {
        format!(
            "{}/support/{widget_key}/articles/{article}",
            self.public_url
        )
    }
}

/// Counts a committed reply by backend (`built_in` or `model`) and kind.
fn count_reply(record: &AiTurnRecord) {
    let backend = if record.backend.starts_with("model:") {
        "model"
    } else {
        "built_in"
    };
    crate::metrics::ai_reply(backend, &record.kind);
}

async fn experience_of(
    db: &crate::Db,
    id: &ConversationId,
) -> Result<Option<Stored>, BackendError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT experience_id FROM conversations WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&db.pool)
            .await?;
    match row.and_then(|(e,)| e) {
        Some(experience) => Ok(Some(experiences::stored(db, &experience).await?)),
        None => Ok(None),
    }
}

/// The customer's messages after event `after`, or since the AI last spoke, joined: two quick
/// messages are one question. Also the last event's seq, when there is one, and the events
/// read (a language model is shown the conversation so far).
async fn unanswered(
    db: &crate::Db,
    id: &ConversationId,
    after: Option<i64>,
) -> Result<(String, Option<i64>, Vec<ConversationEvent>), BackendError> {
    let events = reads::all_events(db, id).await?;
    let since = match after {
        Some(seq) => events.partition_point(|e| e.seq <= seq),
        None => events
            .iter()
            .rposition(|e| {
                matches!(
                    e.kind,
                    EventKind::Message {
                        author: Author::Ai,
                        ..
                    }
                )
            })
            .map_or(0, |i| i + 1),
    };
    let question = events[since..]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Message {
                author: Author::Customer,
                body,
                ..
            } => Some(body.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let last = events.last().map(|e| e.seq);
    Ok((question, last, events))
}
