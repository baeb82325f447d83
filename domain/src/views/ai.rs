//! What the AI agent's settings page and Conversation review show, as the backend reads it and
//! the browser receives it.

use serde::{Deserialize, Serialize};

use crate::ai::model_settings::ModelSettings;
use crate::ai::{HandoffSettings, ReviewOutcome};
use crate::experience::SupportMode;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    pub id: String,
    pub title: String,
    pub body: String,
    pub published: bool,
    pub updated_at: i64,
}

/// Everything the AI agent's settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiAgentView {
    pub experience_id: String,
    pub experience_name: String,
    pub mode: SupportMode,
    pub published: bool,
    pub settings: HandoffSettings,
    /// Built-in, or a language model (never with its API key).
    pub model: ModelSettings,
    pub articles: Vec<ArticleView>,
}

/// One conversation in Conversation review (SPEC R-VIEW-5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub conversation: String,
    pub experience: String,
    pub customer: String,
    pub started_at: i64,
    pub outcome: ReviewOutcome,
    /// Why it was handed off, for the handed-off ones.
    pub handoff_reason: Option<String>,
    /// The AI agent's answers that came from an article.
    pub answers: usize,
    /// Which backends wrote the AI agent's replies: "Built-in", or the model's name.
    pub answered_by: Vec<String>,
    /// The Conversation work item the team picked up, for handed-off ones.
    pub work_item: Option<String>,
    /// The customer's satisfaction rating, if they gave one.
    #[serde(default)]
    pub rating: Option<crate::ratings::Rating>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub who: String,
    pub body: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub row: ReviewRow,
    /// The AI part of the transcript: everything up to the handoff.
    pub lines: Vec<ReviewLine>,
}
