//! Saved replies (canned responses): a space's short texts an agent inserts by typing `/` and the
//! reply's shortcut in the composer. `{customer}` and `{agent}` in a reply become the customer's
//! and the agent's name when it is inserted.

use serde::{Deserialize, Serialize};

/// Longest shortcut: typed after `/`, so short.
pub const SHORTCUT_MAX: usize = 32;
/// Longest reply text, well under a message's limit so filled placeholders still fit.
pub const BODY_MAX: usize = 2_000;
/// A space keeps at most this many: the picker is a short list, not a knowledge base.
pub const PER_SPACE_MAX: usize = 200;

pub const CUSTOMER_PLACEHOLDER: &str = "{customer}";
pub const AGENT_PLACEHOLDER: &str = "{agent}";

/// One saved reply as the settings page and the composer's picker show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReply {
    pub id: String,
    pub shortcut: String,
    pub body: String,
}

/// A shortcut as stored: lower-case letters, digits and dashes, 1 to [`SHORTCUT_MAX`]; a
/// leading `/` is allowed and dropped, so admins may type it as agents will.
pub fn check_shortcut(raw: &str) -> Result<String, String> {
    let shortcut = raw.trim().trim_start_matches('/').to_lowercase();
    let valid = !shortcut.is_empty()
        && shortcut.chars().count() <= SHORTCUT_MAX
        && shortcut
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(shortcut)
    } else {
        Err(format!(
            "A shortcut is one word of letters, digits and dashes (at most {SHORTCUT_MAX} characters)."
        ))
    }
}

/// A reply's text: not blank, at most [`BODY_MAX`] characters.
pub fn check_body(raw: &str) -> Result<String, String> {
    let body = raw.trim();
    if body.is_empty() {
        return Err("Write the reply's text.".into());
    }
    if body.chars().count() > BODY_MAX {
        return Err(format!("A saved reply is at most {BODY_MAX} characters."));
    }
    Ok(body.to_string())
}

/// The reply as inserted for this customer and agent. One pass over the text, so a name that
/// itself looks like a placeholder is inserted as it is.
pub fn fill(body: &str, customer: &str, agent: &str) -> String {
    let mut filled = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('{') {
        filled.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix(CUSTOMER_PLACEHOLDER) {
            filled.push_str(customer);
            rest = after;
        } else if let Some(after) = tail.strip_prefix(AGENT_PLACEHOLDER) {
            filled.push_str(agent);
            rest = after;
        } else {
            filled.push('{');
            rest = &tail[1..];
        }
    }
    filled.push_str(rest);
    filled
}

/// What the agent is looking up, when the composer holds `/` and part of a shortcut and nothing
/// else: the picker is open only then, so a message that merely contains a slash is untouched.
pub fn shortcut_query(draft: &str) -> Option<&str> {
    let rest = draft.strip_prefix('/')?;
    (!rest.chars().any(char::is_whitespace)).then_some(rest)
}

/// The replies whose shortcut matches `query`: those starting with it first, then those
/// containing it, each group in shortcut order.
pub fn matching<'a>(replies: &'a [SavedReply], query: &str) -> Vec<&'a SavedReply> {
    let query = query.to_lowercase();
    let mut starts: Vec<&SavedReply> = replies
        .iter()
        .filter(|r| r.shortcut.starts_with(&query))
        .collect();
    let mut contains: Vec<&SavedReply> = replies
        .iter()
        .filter(|r| !r.shortcut.starts_with(&query) && r.shortcut.contains(&query))
        .collect();
    starts.sort_by(|a, b| a.shortcut.cmp(&b.shortcut));
    contains.sort_by(|a, b| a.shortcut.cmp(&b.shortcut));
    starts.extend(contains);
    starts
}
