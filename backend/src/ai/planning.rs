//! Deciding the AI agent's reply to what the customer wrote: the built-in rules on retrieval's
//! best match (`domain::ai::plan_turn`), or a language model's grounded answer ([`written`])
//! when the AI agent has an OpenAI-compatible backend, within its token budget, for a message
//! the built-in rules do not settle without an answer.

use domain::ai::grounded::{before_the_model, plan_model_turn};
use domain::ai::{Found, Turn, TurnInput, plan_turn, unconfident_in_a_row};
use domain::experience::SupportMode;
use domain::{ConversationEvent, ConversationId};

use super::knowledge;
use super::responder::AiAgent;
use super::retrieval::KnowledgeIndex;
use super::written::{self, Written};
use crate::{engine::AiTurnRecord, error::BackendError, store::experiences::Stored};

impl AiAgent {
    /// The turn and its `ai_replies` record; `None` when a handoff or an end arrived while a
    /// model was writing the answer (nothing is said then, SPEC R-HAND-2).
    pub(super) async fn plan(
        &self,
        id: &ConversationId,
        experience: &Stored,
        question: &str,
        events: &[ConversationEvent],
    ) -> Result<Option<(Turn, AiTurnRecord)>, BackendError> {
        let db = self.engine.db();
        let settings = knowledge::handoff_settings(db, &experience.id).await?;
        let kinds: Vec<(String,)> =
            sqlx::query_as("SELECT kind FROM ai_replies WHERE conversation_id = $1 ORDER BY seq")
                .bind(id.as_str())
                .fetch_all(&db.pool)
                .await?;
        let index = KnowledgeIndex::build(knowledge::published_articles(db, &experience.id).await?);
        let hit = index.confident(question);
        let can_hand_off = experience.settings.mode == SupportMode::AiAgentAndSupportTeam;
        let input = TurnInput {
            message: question,
            can_hand_off,
            settings: &settings,
            found: hit.as_ref().map(|h| Found {
                title: h.title.clone(),
                passage: h.passage.clone(),
                link: self.article_link(&experience.widget_key, &h.article_id),
            }),
            unconfident_before: unconfident_in_a_row(kinds.iter().map(|(k,)| k.as_str())),
            fallback_message: &experience.settings.fallback_message,
        };
        let mut record = AiTurnRecord {
            backend: "built_in".into(),
            ..AiTurnRecord::default()
        };
        let model = match &self.models {
            Some(models) if before_the_model(&input).is_none() => {
                match written::configured(db, &models.sealer, &experience.id).await {
                    Some(configured)
                        if written::within_budget(db, id, models.token_budget).await? =>
                    {
                        Some((models, configured))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let turn = match model {
            None => plan_turn(input),
            Some((models, configured)) => {
                let passages: Vec<Found> = index
                    .top(question, written::PASSAGES)
                    .into_iter()
                    .map(|p| Found {
                        link: self.article_link(&experience.widget_key, &p.article_id),
                        title: p.title,
                        passage: p.text,
                    })
                    .collect();
                let outcome = written::write(
                    db,
                    self.engine.bus().as_ref(),
                    &models.client,
                    &configured,
                    id,
                    &experience.settings.name,
                    &passages,
                    events,
                    can_hand_off,
                )
                .await;
                match outcome {
                    Written::Interrupted => return Ok(None),
                    Written::Failed => {
                        // The model failed; the built-in answer goes instead.
                        crate::metrics::ai_reply("model", "fallback");
                        plan_turn(input)
                    }
                    Written::Replied { reply, tokens } => {
                        record.backend = format!("model:{}", configured.endpoint.model);
                        record.tokens = tokens;
                        plan_model_turn(input, &passages, Some(reply))
                    }
                }
            }
        };
        record.kind = turn.kind().to_string();
        if matches!(turn, Turn::Answer { .. }) && record.backend == "built_in" {
            record.article = hit.as_ref().map(|h| h.article_id.clone());
        }
        Ok(Some((turn, record)))
    }
}
