//! A conversation's transcript as a plain-text download: a header, then one line per message
//! with its time and author, and the moments the customer saw (handoff, end). The customer's
//! copy never holds internal notes or the work item's bookkeeping (SPEC R-AGENT-1); the team's
//! copy has both.

use serde::{Deserialize, Serialize};

use crate::event::{Author, ConversationEvent, EventKind};
use crate::ids::AgentId;
use crate::views::texts::Texts;

/// A transcript ready to save: the file's name and a `data:` URL of its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptFile {
    pub file_name: String,
    pub href: String,
}

/// Who and what the transcript is about.
pub struct TranscriptHeader<'a> {
    /// The customer experience's name ("Baton Help").
    pub experience: &'a str,
    pub customer: &'a str,
    pub conversation: &'a str,
}

/// The transcript's text. `words` are the transcript's words in the reader's language (the
/// `transcript-…` messages of `locales/<language>/transcript.ftl`; English for the team, whose
/// own lines — notes, status, resolution — are English); `agent_name` names agents as the
/// reader should see them; `time` writes a moment (unix ms) in the reader's terms.
pub fn render(
    header: &TranscriptHeader<'_>,
    events: &[ConversationEvent],
    for_team: bool,
    words: &Texts,
    agent_name: impl Fn(&AgentId) -> String,
    time: impl Fn(i64) -> String,
) -> String {
    let mut out = format!(
        "{}\n{}\n",
        words.with(
            "transcript-title",
            &[
                ("experience", header.experience),
                ("customer", header.customer)
            ]
        ),
        words.with("transcript-conversation", &[("id", header.conversation)])
    );
    if let Some(first) = events.first() {
        let started = time(first.at.as_millis());
        out.push_str(&words.with("transcript-started", &[("time", &started)]));
        out.push('\n');
    }
    out.push('\n');
    for event in events {
        if !for_team && !event.visible_to_customer() {
            continue;
        }
        let line = match &event.kind {
            EventKind::Message {
                author,
                body,
                attachment,
                ..
            } => {
                let who = match author {
                    Author::Customer => header.customer.to_string(),
                    Author::Ai => words.get("transcript-ai-agent"),
                    Author::Agent(id) => agent_name(id),
                };
                match attachment {
                    Some(file) => words.with(
                        "transcript-sent-file",
                        &[
                            ("name", &who),
                            ("file", &file.name),
                            ("size", &crate::attachments::format_size(file.size)),
                        ],
                    ),
                    None => format!("{who}: {}", indent(body)),
                }
            }
            EventKind::Note { agent, body } => {
                format!("Internal note by {}: {}", agent_name(agent), indent(body))
            }
            EventKind::Assigned { agent } => {
                words.with("transcript-joined", &[("name", &agent_name(agent))])
            }
            EventKind::HandedOff { .. } => words.get("transcript-handed-off"),
            EventKind::HandoffRequested { .. } if for_team => {
                "The AI agent asked the customer to sign in for a person.".into()
            }
            EventKind::HandoffRequested { .. } => words.get("transcript-handoff-requested"),
            EventKind::FallbackShown => words.get("transcript-fallback"),
            EventKind::InactivityWarning => words.get("transcript-inactive"),
            EventKind::Ended { .. } => words.get("transcript-ended"),
            EventKind::StatusChanged { to, .. } => format!("Status: {}", to.label()),
            EventKind::Resolved { resolution, .. } => format!("Resolved: {resolution}"),
        };
        out.push_str(&format!("[{}] {line}\n", time(event.at.as_millis())));
    }
    out
}

/// A body's later lines indented, so each message still starts a line of its own.
fn indent(body: &str) -> String {
    body.replace('\n', "\n    ")
}
