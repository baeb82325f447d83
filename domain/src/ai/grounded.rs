//! The AI agent's rules when a language model writes its answers (an *OpenAI-compatible*
//! backend): what the model is told, how its reply becomes a turn, and how its streamed text is
//! kept within a message.
//!
//! The model never decides a handoff on its own terms: the built-in rules of [`plan_turn`]
//! (a request for a person, an admin's phrase, answers without confidence in a row) run first
//! and last, exactly as with the built-in backend (SPEC R-HAND-1). The model only writes the
//! answer, from the passages retrieval found, and may ask for a person through a tool call.
//!
//! [`plan_turn`]: super::plan_turn

use super::{Found, HandoffReason, Turn, TurnInput, asks_for_person, farewell, plan_turn};
use crate::event::MAX_MESSAGE_CHARS;

/// What the model answers when the passages do not hold the answer. It is told to answer
/// exactly this, so "I don't know" is a rule the AI agent can count, in any language.
pub const NO_ANSWER: &str = "NO_ANSWER";

/// The name of the tool the model calls to pass the conversation to a person.
pub const HANDOFF_TOOL: &str = "hand_off_to_person";

/// Who said a line of the conversation, as chat-completions APIs name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One message of the prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptMessage {
    pub role: Role,
    pub content: String,
}

/// A line of the conversation so far: the customer's, or the AI agent's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line<'a> {
    Customer(&'a str),
    AiAgent(&'a str),
}

/// Everything the prompt is made of.
#[derive(Clone, Debug)]
pub struct PromptInput<'a> {
    /// The experience's name, which the AI agent speaks for.
    pub experience: &'a str,
    /// The admin's words on tone ("friendly and brief"); may be empty.
    pub tone: &'a str,
    /// The passages retrieval ranked highest, best first.
    pub passages: &'a [Found],
    /// The conversation so far, oldest first, ending with the customer's newest message.
    pub history: &'a [Line<'a>],
    /// Whether a person can take over (AI agent and support team mode).
    pub can_hand_off: bool,
}

/// How much of the conversation the model is shown: the newest lines, enough for follow-up
/// questions, few enough to keep the prompt (and its cost) bounded.
pub const HISTORY_LINES: usize = 12;

/// The chat-completions messages for one answer: the rules and the passages as the system
/// message, then the conversation's newest lines.
pub fn grounded_prompt(input: &PromptInput<'_>) -> Vec<PromptMessage> {
    let mut system = format!(
        "You are the AI agent of {experience}'s customer support, answering customers in a live chat.\n\
         Answer only from the numbered help-article passages below. Do not invent policies, prices, \
         dates or steps that the passages do not state.\n\
         If the passages do not contain the answer, reply with exactly {NO_ANSWER} and nothing else.\n\
         Cite the passages you used by their number in square brackets, like [1].\n\
         Reply in the language of the customer's last message. Keep answers short; plain text, no markdown headings.",
        experience = input.experience.trim(),
    );
    if input.can_hand_off {
        system.push_str(&format!(
            "\nIf the customer wants a person from the team, call the tool {HANDOFF_TOOL}."
        ));
    }
    let tone = input.tone.trim();
    if !tone.is_empty() {
        system.push_str("\nTone: ");
        system.push_str(tone);
    }
    system.push_str("\n\nPassages:");
    if input.passages.is_empty() {
        system.push_str("\n(none found)");
    }
    for (n, found) in input.passages.iter().enumerate() {
        system.push_str(&format!(
            "\n[{}] {}\n{}",
            n + 1,
            found.title.trim(),
            found.passage.trim()
        ));
    }
    let skip = input.history.len().saturating_sub(HISTORY_LINES);
    let mut messages = vec![PromptMessage {
        role: Role::System,
        content: system,
    }];
    messages.extend(input.history[skip..].iter().map(|line| match line {
        Line::Customer(text) => PromptMessage {
            role: Role::User,
            content: text.to_string(),
        },
        Line::AiAgent(text) => PromptMessage {
            role: Role::Assistant,
            content: text.to_string(),
        },
    }));
    messages
}

/// What the model did with the prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelReply {
    /// It wrote an answer (complete: the stream ended normally).
    Text(String),
    /// It called [`HANDOFF_TOOL`].
    AskedForPerson,
}

/// Decides the turn once the model has replied, or failed to (`None`: an error, a timeout, the
/// token budget spent). `input` is what [`plan_turn`] weighs; `passages` what the prompt held.
///
/// The built-in rules that need no answer come first and decide as they always do: a request
/// for a person, an admin's phrase, small talk. A failed model falls back to the built-in
/// answer, so the customer is never left without a reply. A model that says it does not know
/// counts toward the handoff limit like the built-in "not sure" (and hands off at the limit).
pub fn plan_model_turn(
    input: TurnInput<'_>,
    passages: &[Found],
    reply: Option<ModelReply>,
) -> Turn {
    if let Some(turn) = before_the_model(&input) {
        return turn;
    }
    match reply {
        None => plan_turn(input),
        Some(ModelReply::AskedForPerson) if input.can_hand_off => {
            let reason = HandoffReason::AskedForPerson;
            Turn::HandOff {
                farewell: farewell(&reason),
                reason,
            }
        }
        // Nobody to hand off to: the built-in words say so and name the next step.
        Some(ModelReply::AskedForPerson) => plan_turn(TurnInput {
            found: None,
            ..input
        }),
        Some(ModelReply::Text(text)) if says_no_answer(&text) => plan_turn(TurnInput {
            found: None,
            ..input
        }),
        Some(ModelReply::Text(text)) => Turn::Answer {
            body: with_sources(&text, passages),
        },
    }
}

/// The turn the built-in rules decide without any answer (a request for a person, an admin's
/// phrase, small talk), so the model is not asked at all.
pub fn before_the_model(input: &TurnInput<'_>) -> Option<Turn> {
    let built_in = plan_turn(input.clone());
    let decided = asks_for_person(input.message)
        || matches!(
            built_in,
            Turn::SmallTalk { .. }
                | Turn::HandOff {
                    reason: HandoffReason::AskedForPerson | HandoffReason::Rule { .. },
                    ..
                }
        );
    decided.then_some(built_in)
}

/// Whether the model's reply is its "the passages do not say" answer (alone, or the model
/// added words around it anyway).
pub fn says_no_answer(text: &str) -> bool {
    text.trim().is_empty() || text.contains(NO_ANSWER)
}

/// The answer as the customer reads it: the model's `[n]` markers taken out, and the articles
/// it cited listed with their links (in the order first cited). An answer that cites nothing
/// names the best passage's article, so every answer says where it came from.
pub fn with_sources(answer: &str, passages: &[Found]) -> String {
    let (text, mut cited) = take_citations(answer, passages.len());
    if cited.is_empty() && !passages.is_empty() {
        cited.push(0);
    }
    let mut body = clip(text.trim(), MAX_MESSAGE_CHARS / 2).to_string();
    let mut seen_links: Vec<&str> = Vec::new();
    for found in cited.iter().map(|&n| &passages[n]) {
        if seen_links.contains(&found.link.as_str()) {
            continue;
        }
        seen_links.push(&found.link);
        let line = format!(
            "\n\nFrom our help article \u{201c}{}\u{201d}: {}",
            found.title, found.link
        );
        if body.chars().count() + line.chars().count() > MAX_MESSAGE_CHARS {
            break;
        }
        body.push_str(&line);
    }
    body
}

/// Removes `[n]` markers that name a passage (1-based), returning the text and the passages
/// cited (0-based, first citation first, each once). Brackets that name no passage stay.
fn take_citations(answer: &str, passages: usize) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(answer.len());
    let mut cited = Vec::new();
    let mut rest = answer;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let number = after.find(']').and_then(|close| {
            after[..close]
                .trim()
                .parse::<usize>()
                .ok()
                .map(|n| (n, close))
        });
        match number {
            Some((n, close)) if (1..=passages).contains(&n) => {
                // The space before a marker goes with it: "refunds [1]." reads "refunds."
                text.push_str(rest[..open].trim_end_matches(' '));
                if !cited.contains(&(n - 1)) {
                    cited.push(n - 1);
                }
                rest = &after[close + 1..];
            }
            _ => {
                text.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    text.push_str(rest);
    (text, cited)
}

/// `text` without its complete `[n]` markers (n naming a passage), spaces kept, and without a
/// trailing `[` and digits that may still become one.
fn without_markers(text: &str, passages: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let tail = &after[digits..];
        if tail.is_empty() && digits <= 3 {
            return out; // "[" or "[1" at the end: maybe a marker being written
        }
        let is_marker = tail.starts_with(']')
            && after[..digits]
                .parse::<usize>()
                .is_ok_and(|n| (1..=passages).contains(&n));
        if is_marker {
            rest = &tail[1..];
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The longest prefix of `text` with at most `chars` characters.
fn clip(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The answer as it streams in: the text so far, for the customer's screen while the model
/// writes. Held back while it could still turn out to be [`NO_ANSWER`], and never longer than
/// a message may be.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    text: String,
}

impl Draft {
    /// Adds a piece; returns whether the text grew (a full draft takes no more).
    pub fn push(&mut self, piece: &str) -> bool {
        let room = MAX_MESSAGE_CHARS.saturating_sub(self.text.chars().count());
        if room == 0 || piece.is_empty() {
            return false;
        }
        self.text.push_str(clip(piece, room));
        true
    }

    /// What the customer may see so far, given how many passages the prompt held: nothing
    /// while the text could still be the "no answer" reply, and the text without its `[n]`
    /// markers otherwise (the stored answer lists the sources at its end). It only ever grows:
    /// a marker being written is held back until it is complete, then left out, so what was
    /// shown is always the start of what is shown next.
    pub fn shown(&self, passages: usize) -> Option<String> {
        let start = self.text.trim_start();
        if start.is_empty() || NO_ANSWER.starts_with(start) || start.contains(NO_ANSWER) {
            return None;
        }
        Some(without_markers(start, passages))
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
#[path = "grounded_tests.rs"]
mod tests;
