//! Customer satisfaction: once a conversation has ended for the customer, they may rate it 1 to 5
//! with an optional comment. The team sees the rating on the work item, in the customer's
//! profile and in Conversation review, and averages per agent and space on the live view.

use serde::{Deserialize, Serialize};

use crate::conversation::Conversation;

pub const LOWEST: u8 = 1;
pub const HIGHEST: u8 = 5;
/// Longest comment: a few sentences, not a letter.
pub const COMMENT_MAX: usize = 1_000;

/// A conversation's rating as the team sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub score: u8,
    pub comment: Option<String>,
    pub rated_at: i64,
}

impl Rating {
    /// "4 of 5", the words a screen reader says and a table shows.
    pub fn label(&self) -> String {
        format!("{} of {HIGHEST}", self.score)
    }
}

/// A rating as given, checked: a whole score from 1 to 5 and a comment of at most
/// [`COMMENT_MAX`] characters (blank means none).
pub fn check_rating(score: i64, comment: &str) -> Result<(u8, Option<String>), String> {
    let score = u8::try_from(score)
        .ok()
        .filter(|s| (LOWEST..=HIGHEST).contains(s))
        .ok_or_else(|| format!("Choose a rating from {LOWEST} to {HIGHEST}."))?;
    let comment = comment.trim();
    if comment.chars().count() > COMMENT_MAX {
        return Err(format!("A comment is at most {COMMENT_MAX} characters."));
    }
    Ok((score, (!comment.is_empty()).then(|| comment.to_string())))
}

/// Whether the customer may rate the conversation now: once it has ended for them. (Their side
/// ends before the team's work item is resolved and Closed; they are asked at the end, and a
/// rating given then or later counts.)
pub fn may_rate(conversation: &Conversation) -> bool {
    conversation.ended_at.is_some()
}

/// Many ratings in one figure: how many and their mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Satisfaction {
    pub count: u32,
    /// Sum of the scores; the mean is `total / count`.
    pub total: u32,
}

impl Satisfaction {
    pub fn add(&mut self, score: u8) {
        self.count += 1;
        self.total += u32::from(score);
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| f64::from(self.total) / f64::from(self.count))
    }

    /// "4.3 of 5 (12 ratings)", or "No ratings yet".
    pub fn label(&self) -> String {
        match self.mean() {
            Some(mean) => format!(
                "{mean:.1} of {HIGHEST} ({} rating{})",
                self.count,
                if self.count == 1 { "" } else { "s" }
            ),
            None => "No ratings yet".into(),
        }
    }
}
