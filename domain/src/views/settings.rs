//! What the settings pages show (site, spaces, customer experiences, the audit log), as the
//! backend reads it and the browser receives it: one definition for both ends.

use serde::{Deserialize, Serialize};

use crate::experience::{ChatSettings, Plan, SupportMode};

/// The site's settings (site admins).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettingsView {
    pub name: String,
    pub plan: Plan,
    pub max_conversations: u32,
    pub resolutions: Vec<String>,
}

/// A space in a list; `members` is 0 where the list does not count them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceSummary {
    pub id: String,
    pub name: String,
    pub live_chat: bool,
    pub members: i64,
}

/// A member of a space; `role` is its code (`space_admin`, `agent`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub availability: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub email: String,
    pub role: String,
    /// The path of the link to pass on: `/invite/<token>`.
    pub link: String,
    pub expires_at: i64,
}

/// A saved queue: a name and a filter in a space (`space` is the space's name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedQueue {
    pub id: String,
    pub space: String,
    pub name: String,
    pub filter: String,
}

/// A time-to-first-response goal (SPEC R-VIEW-4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaGoal {
    /// Empty for "all work types".
    pub work_type: String,
    pub minutes: i64,
}

/// Everything a space's settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpacePage {
    pub space: SpaceSummary,
    pub members: Vec<Member>,
    pub invitations: Vec<PendingInvitation>,
    pub work_types: Vec<String>,
    pub queues: Vec<SavedQueue>,
    pub goals: Vec<SlaGoal>,
}

/// A customer experience in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExperienceSummary {
    pub id: String,
    pub name: String,
    pub mode: SupportMode,
    pub space: Option<String>,
    pub website: bool,
    pub embedded: bool,
    pub widget_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExperienceAdmin {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// Everything an experience's settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExperiencePage {
    pub id: String,
    pub settings: ChatSettings,
    pub widget_key: String,
    pub identity_secret: String,
    pub ai_published: bool,
    pub admins: Vec<ExperienceAdmin>,
    /// Spaces to route to, with whether Live chat is on in each.
    pub spaces: Vec<SpaceSummary>,
    /// The language the chat speaks whatever the browser asks for; `None` follows the browser.
    #[serde(default)]
    pub language: Option<String>,
    /// The languages the chat speaks: (code, name in itself).
    #[serde(default)]
    pub languages: Vec<(String, String)>,
}

/// One change in the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    /// What was changed: "Site", "Space Customer Support", "Customer experience Shop help".
    pub subject: String,
    /// The setting's name as the settings page labels it.
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}
