//! The AI agent's rules (SPEC R-MODE-2, R-HAND-1/2/4): when it hands off, and what it says.
//!
//! Ranking the knowledge base happens in the backend; this module decides on what the ranking
//! found, so every handoff trigger is a pure function tested without a database.

pub mod grounded;
pub mod model_settings;
mod review;

use serde::{Deserialize, Serialize};

pub use review::{ReviewOutcome, review_outcome};

// A fact about the conversation (`Conversation::handoff`); the AI agent's rules decide it.
pub use crate::conversation::HandoffReason;

/// The longest list of handoff phrases an AI agent may have, and the longest phrase.
pub const MAX_HANDOFF_PHRASES: usize = 50;
pub const MAX_PHRASE_CHARS: usize = 100;

/// The AI agent's handoff settings (SPEC R-HAND-4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffSettings {
    /// Answers in a row without confidence before the AI agent passes the conversation on.
    pub unconfident_limit: u32,
    /// Words or phrases that send a conversation to the team at once (admin-defined topics).
    pub phrases: Vec<String>,
}

impl Default for HandoffSettings {
    fn default() -> Self {
        Self {
            unconfident_limit: 2,
            phrases: Vec::new(),
        }
    }
}

/// Checks the settings page's input: a limit of 1–10 and one phrase per line.
pub fn check_handoff_settings(limit: u32, phrases: &str) -> Result<HandoffSettings, String> {
    if !(1..=10).contains(&limit) {
        return Err("Answers without confidence before handoff must be between 1 and 10.".into());
    }
    let mut list: Vec<String> = Vec::new();
    for line in phrases.lines() {
        let phrase = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if phrase.is_empty() {
            continue;
        }
        if phrase.chars().count() > MAX_PHRASE_CHARS {
            return Err(format!(
                "A handoff phrase can be at most {MAX_PHRASE_CHARS} characters: \u{201c}{phrase}\u{201d}."
            ));
        }
        if words(&phrase).is_empty() {
            return Err(format!(
                "The handoff phrase \u{201c}{phrase}\u{201d} has no words to match."
            ));
        }
        if !list.iter().any(|p| p.eq_ignore_ascii_case(&phrase)) {
            list.push(phrase);
        }
    }
    if list.len() > MAX_HANDOFF_PHRASES {
        return Err(format!(
            "An AI agent can have at most {MAX_HANDOFF_PHRASES} handoff phrases."
        ));
    }
    Ok(HandoffSettings {
        unconfident_limit: limit,
        phrases: list,
    })
}

/// Lower-case words, punctuation dropped: "Can I talk to a PERSON?" → [can, i, talk, to, a, person].
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words that on their own mean "a person, not the bot".
const PERSON_ALONE: &[&str] = &["human", "humans", "representative", "operator"];
/// Who a customer asks to be put through to.
const PERSON_TARGETS: &[&str] = &[
    "person", "someone", "somebody", "agent", "staff", "people", "team", "support", "employee",
];
/// Asking to be put through.
const PERSON_VERBS: &[&str] = &[
    "talk", "speak", "chat", "connect", "transfer", "put", "contact", "reach",
];

/// SPEC R-HAND-1: the customer asks for a person in words. "Can I talk to someone?", "I want a
/// human", "real person please", "agent". A person merely mentioned ("the delivery person was
/// late") is not a request.
pub fn asks_for_person(message: &str) -> bool {
    let w = words(message);
    if w.iter().any(|x| PERSON_ALONE.contains(&x.as_str())) {
        return true;
    }
    let pairs = [
        ("real", "person"),
        ("live", "agent"),
        ("live", "person"),
        ("real", "agent"),
    ];
    if w.windows(2)
        .any(|p| pairs.contains(&(p[0].as_str(), p[1].as_str())))
    {
        return true;
    }
    // A verb of asking followed closely by who to: "talk to a person", "connect me with support".
    for (i, word) in w.iter().enumerate() {
        if PERSON_VERBS.contains(&word.as_str())
            && w[i + 1..]
                .iter()
                .take(4)
                .any(|t| PERSON_TARGETS.contains(&t.as_str()))
        {
            return true;
        }
    }
    // A bare "agent please" / "person?" in a message of a few words.
    w.len() <= 3 && w.iter().any(|x| matches!(x.as_str(), "agent" | "person"))
}

/// SPEC R-HAND-1/4: the first handoff phrase whose words appear, in order and together, in the
/// message. Matching is by whole words, so "refund" does not match "refunded".
pub fn matching_rule<'a>(message: &str, phrases: &'a [String]) -> Option<&'a str> {
    let w = words(message);
    phrases.iter().map(String::as_str).find(|phrase| {
        let p = words(phrase);
        !p.is_empty() && w.windows(p.len()).any(|window| window == p.as_slice())
    })
}

/// What the knowledge base search found and is confident about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub title: String,
    /// The paragraph of the article that answers the question.
    pub passage: String,
    /// Where the customer can read the whole article.
    pub link: String,
}

/// Everything the AI agent weighs when a customer writes.
#[derive(Clone, Debug)]
pub struct TurnInput<'a> {
    pub message: &'a str,
    /// AI agent and support team mode; in AI agent mode there is nobody to hand off to.
    pub can_hand_off: bool,
    pub settings: &'a HandoffSettings,
    /// The confident match, if the search found one.
    pub found: Option<Found>,
    /// How many of the AI agent's answers in a row, just before this one, lacked confidence.
    pub unconfident_before: u32,
    /// The experience's Fallback message: the next step when the AI agent cannot help and no
    /// person can take over.
    pub fallback_message: &'a str,
}

/// The AI agent's reply to one customer message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Turn {
    /// A confident answer from an article.
    Answer { body: String },
    /// No confident answer; counts toward the handoff limit.
    NotSure { body: String },
    /// A greeting or a thank-you, answered in kind; neither confident nor not.
    SmallTalk { body: String },
    /// End the AI's turn with `farewell` and pass the conversation to the team.
    HandOff {
        reason: HandoffReason,
        farewell: String,
    },
}

impl Turn {
    /// A stable code for storage: the handoff limit counts trailing `not_sure` turns, and
    /// Conversation review tells answered conversations from unanswered ones.
    pub fn kind(&self) -> &'static str {
        match self {
            Turn::Answer { .. } => "answer",
            Turn::NotSure { .. } => "not_sure",
            Turn::SmallTalk { .. } => "small_talk",
            Turn::HandOff { .. } => "handoff",
        }
    }
}

/// How many of the AI agent's turns in a row, newest last, were without confidence; small talk
/// neither breaks nor extends the run.
pub fn unconfident_in_a_row<'a>(kinds: impl DoubleEndedIterator<Item = &'a str>) -> u32 {
    let mut run = 0;
    for kind in kinds.rev() {
        match kind {
            "not_sure" => run += 1,
            "small_talk" => {}
            _ => break,
        }
    }
    run
}

const GREETING_WORDS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "morning",
    "afternoon",
    "evening",
];
const THANKS_WORDS: &[&str] = &["thanks", "thank", "thx", "ty", "cheers"];
const BYE_WORDS: &[&str] = &["bye", "goodbye", "cya"];
const FILLER_WORDS: &[&str] = &[
    "good", "you", "so", "much", "very", "a", "lot", "ok", "okay", "great", "that", "helped",
    "helps", "perfect", "cool", "awesome", "got", "it", "there", "again", "for", "the", "help",
    "nice", "all", "right", "and", "see",
];

/// A message that is only a greeting, a thank-you or a goodbye gets a reply in kind, so a
/// polite customer is not counted as a question the AI agent could not answer.
pub fn small_talk(message: &str) -> Option<&'static str> {
    let w = words(message);
    let known = |x: &String| {
        [GREETING_WORDS, THANKS_WORDS, BYE_WORDS, FILLER_WORDS]
            .iter()
            .any(|list| list.contains(&x.as_str()))
    };
    if w.is_empty() || !w.iter().all(known) {
        return None;
    }
    let has = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_str()));
    if has(BYE_WORDS) {
        Some("Goodbye! If anything else comes up, just write here.")
    } else if has(THANKS_WORDS) || has(&["helped", "perfect", "great", "awesome"]) {
        Some("You're welcome! Is there anything else I can help with?")
    } else if has(GREETING_WORDS) {
        Some("Hello! What can I help you with?")
    } else {
        None
    }
}

const PASSING_ON: &str = "I'm passing this conversation to a person from our team. They will see everything we said here, so you won't need to repeat yourself.";

/// The farewell the AI agent ends its turn with for each reason.
pub fn farewell(reason: &HandoffReason) -> String {
    match reason {
        HandoffReason::CannotHelp => {
            format!("I'm sorry, I couldn't find an answer to that. {PASSING_ON}")
        }
        _ => format!("Of course. {PASSING_ON}"),
    }
}

/// Decides the AI agent's turn (SPEC R-HAND-1): a request for a person or a handoff phrase
/// hands off at once; a confident match is answered; otherwise the AI says plainly that it
/// does not know, and hands off once that has happened `unconfident_limit` times in a row. In
/// AI agent mode it never hands off and points to the Fallback message's next step instead.
pub fn plan_turn(input: TurnInput<'_>) -> Turn {
    let next_step = || {
        let fallback = input.fallback_message.trim();
        if fallback.is_empty() {
            String::new()
        } else {
            format!(" {fallback}")
        }
    };
    if asks_for_person(input.message) {
        if input.can_hand_off {
            let reason = HandoffReason::AskedForPerson;
            return Turn::HandOff {
                farewell: farewell(&reason),
                reason,
            };
        }
        return Turn::NotSure {
            body: format!(
                "I'm the AI agent, and there is no person from the team in this chat.{}",
                next_step()
            ),
        };
    }
    if input.can_hand_off
        && let Some(phrase) = matching_rule(input.message, &input.settings.phrases)
    {
        let reason = HandoffReason::Rule {
            phrase: phrase.to_string(),
        };
        return Turn::HandOff {
            farewell: farewell(&reason),
            reason,
        };
    }
    if let Some(reply) = small_talk(input.message) {
        return Turn::SmallTalk { body: reply.into() };
    }
    if let Some(found) = input.found {
        return Turn::Answer {
            body: format!(
                "{}\n\nFrom our help article \u{201c}{}\u{201d}: {}",
                found.passage.trim(),
                found.title,
                found.link
            ),
        };
    }
    let in_a_row = input.unconfident_before + 1;
    if input.can_hand_off && in_a_row >= input.settings.unconfident_limit {
        let reason = HandoffReason::CannotHelp;
        return Turn::HandOff {
            farewell: farewell(&reason),
            reason,
        };
    }
    Turn::NotSure {
        body: if input.can_hand_off {
            "I'm not sure about that, and I'd rather not guess. Could you put it another way? You can also ask for a person from our team.".into()
        } else {
            format!("I'm sorry, I don't know the answer to that.{}", next_step())
        },
    }
}

/// The AI agent's first message in a new conversation.
pub fn greeting(experience: &str, can_hand_off: bool) -> String {
    let mut text = format!(
        "Hi! I'm the AI agent for {experience}. Ask me a question and I'll answer from our help articles."
    );
    if can_hand_off {
        text.push_str(" You can ask for a person from our team at any time.");
    }
    text
}
