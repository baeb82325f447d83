//! Customer experiences: what customers see, and the rules an admin's chat settings must keep
//! (SPEC R-MODE-1…4, R-ROUTE-1, R-SPACE-4). Pure checks; the backend stores what passes.

mod domains;
mod links;

pub use domains::{frame_ancestors, normalise_domain, origin_allowed};
pub use links::{Piece, linkify};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The site's edition (SPEC R-MODE-4): AI chat on every plan, live chat only on Premium and
/// Enterprise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Plan {
    Standard,
    Premium,
    Enterprise,
}

impl Plan {
    pub const ALL: [Plan; 3] = [Plan::Standard, Plan::Premium, Plan::Enterprise];

    pub fn label(self) -> &'static str {
        match self {
            Plan::Standard => "Standard",
            Plan::Premium => "Premium",
            Plan::Enterprise => "Enterprise",
        }
    }

    pub fn from_label(label: &str) -> Option<Plan> {
        Plan::ALL.into_iter().find(|p| p.label() == label)
    }

    /// SPEC R-MODE-4: live chat, handoff included, needs Premium or Enterprise.
    pub fn allows_live_chat(self) -> bool {
        !matches!(self, Plan::Standard)
    }
}

/// SPEC R-MODE-1: exactly one support mode per experience.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupportMode {
    AiAgent,
    SupportTeam,
    AiAgentAndSupportTeam,
}

impl SupportMode {
    pub const ALL: [SupportMode; 3] = [
        SupportMode::AiAgent,
        SupportMode::SupportTeam,
        SupportMode::AiAgentAndSupportTeam,
    ];

    /// The product's words for the mode, shown verbatim.
    pub fn label(self) -> &'static str {
        match self {
            SupportMode::AiAgent => "AI agent",
            SupportMode::SupportTeam => "Support team",
            SupportMode::AiAgentAndSupportTeam => "AI agent and support team",
        }
    }

    /// How the mode is stored.
    pub fn code(self) -> &'static str {
        match self {
            SupportMode::AiAgent => "ai_agent",
            SupportMode::SupportTeam => "support_team",
            SupportMode::AiAgentAndSupportTeam => "ai_and_team",
        }
    }

    pub fn from_code(code: &str) -> Option<SupportMode> {
        SupportMode::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Whether any part of the chat is with humans (SPEC R-MODE-3, R-MODE-4).
    pub fn has_live_chat(self) -> bool {
        !matches!(self, SupportMode::AiAgent)
    }

    /// Whether the AI agent answers first (SPEC R-MODE-2).
    pub fn has_ai(self) -> bool {
        !matches!(self, SupportMode::SupportTeam)
    }
}

/// The longest Fallback message accepted: it is read in a small widget.
pub const MAX_FALLBACK_CHARS: usize = 1000;
pub const MAX_HELP_CHARS: usize = 20_000;
pub const MAX_NAME_CHARS: usize = 80;

/// An experience's chat settings as an admin submits them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatSettings {
    pub name: String,
    pub mode: SupportMode,
    /// The built-in support website shows the widget.
    pub website: bool,
    /// The widget may be embedded in other sites and apps.
    pub embedded: bool,
    /// The space live chat routes to (SPEC R-ROUTE-1).
    pub space: Option<String>,
    pub fallback_message: String,
    pub help_text: String,
    pub allowed_domains: Vec<String>,
}

/// What the checks need to know about the chosen space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutedSpace {
    pub name: String,
    pub live_chat: bool,
}

/// Why chat settings were refused, in words for the admin who tried.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum SettingsRefusal {
    #[error("A customer experience needs a name (at most {MAX_NAME_CHARS} characters).")]
    Name,
    #[error("Choose at least one widget: the support website, the embedded widget, or both.")]
    NoWidget,
    #[error(
        "Live chat needs the Premium or Enterprise plan; this site is on Standard. Choose the AI agent support mode or change the site's plan."
    )]
    PlanWithoutLiveChat,
    #[error("Choose the space live chat routes to.")]
    NoSpace,
    #[error("That space does not exist any more. Choose another space.")]
    UnknownSpace,
    #[error(
        "Live chat is off in the space {space}. Turn Live chat on in that space's settings, or choose another space."
    )]
    LiveChatOff { space: String },
    #[error(
        "Live chat needs a Fallback message: what customers read when no agent can take the chat."
    )]
    NoFallback,
    #[error("The Fallback message is too long: at most {MAX_FALLBACK_CHARS} characters.")]
    FallbackTooLong,
    #[error("The help content is too long: at most {MAX_HELP_CHARS} characters.")]
    HelpTooLong,
    #[error("An embedded widget needs at least one allowed domain.")]
    NoAllowedDomain,
    #[error(
        "\u{201c}{entry}\u{201d} is not a domain. Write one per line, like shop.example.com, *.example.com or localhost:8080."
    )]
    BadDomain { entry: String },
}

/// Checks chat settings against the site's plan and the routed space, and returns them tidied
/// (trimmed, domains normalised). `space` is what the store found for `settings.space`.
pub fn check_chat_settings(
    mut settings: ChatSettings,
    plan: Plan,
    space: Option<&RoutedSpace>,
) -> Result<ChatSettings, SettingsRefusal> {
    settings.name = settings.name.trim().to_string();
    if settings.name.is_empty() || settings.name.chars().count() > MAX_NAME_CHARS {
        return Err(SettingsRefusal::Name);
    }
    if !settings.website && !settings.embedded {
        return Err(SettingsRefusal::NoWidget);
    }
    settings.fallback_message = settings.fallback_message.trim().to_string();
    if settings.fallback_message.chars().count() > MAX_FALLBACK_CHARS {
        return Err(SettingsRefusal::FallbackTooLong);
    }
    if settings.help_text.chars().count() > MAX_HELP_CHARS {
        return Err(SettingsRefusal::HelpTooLong);
    }
    settings.space = settings.space.filter(|s| !s.trim().is_empty());
    if settings.mode.has_live_chat() {
        if !plan.allows_live_chat() {
            return Err(SettingsRefusal::PlanWithoutLiveChat);
        }
        if settings.space.is_none() {
            return Err(SettingsRefusal::NoSpace);
        }
        match space {
            None => return Err(SettingsRefusal::UnknownSpace),
            Some(found) if !found.live_chat => {
                return Err(SettingsRefusal::LiveChatOff {
                    space: found.name.clone(),
                });
            }
            Some(_) => {}
        }
        if settings.fallback_message.is_empty() {
            return Err(SettingsRefusal::NoFallback);
        }
    } else if settings.space.is_some() && space.is_none() {
        return Err(SettingsRefusal::UnknownSpace);
    }
    let mut domains = Vec::new();
    for entry in &settings.allowed_domains {
        if entry.trim().is_empty() {
            continue;
        }
        let domain = normalise_domain(entry)?;
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if settings.embedded && domains.is_empty() {
        return Err(SettingsRefusal::NoAllowedDomain);
    }
    settings.allowed_domains = domains;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(mode: SupportMode) -> ChatSettings {
        ChatSettings {
            name: "Shop help".into(),
            mode,
            website: true,
            embedded: false,
            space: Some("space-1".into()),
            fallback_message: "Write to help@example.com".into(),
            help_text: String::new(),
            allowed_domains: Vec::new(),
        }
    }

    fn on() -> RoutedSpace {
        RoutedSpace {
            name: "Support".into(),
            live_chat: true,
        }
    }

    #[test]
    fn support_team_mode_on_a_live_chat_space_is_accepted() {
        let checked = check_chat_settings(
            settings(SupportMode::SupportTeam),
            Plan::Premium,
            Some(&on()),
        );
        assert!(checked.is_ok());
    }

    #[test]
    fn routing_to_a_space_with_live_chat_off_is_refused() {
        // SPEC R-MODE-3
        let off = RoutedSpace {
            live_chat: false,
            ..on()
        };
        let refused = check_chat_settings(
            settings(SupportMode::SupportTeam),
            Plan::Premium,
            Some(&off),
        );
        assert_eq!(
            refused,
            Err(SettingsRefusal::LiveChatOff {
                space: "Support".into()
            })
        );
    }

    #[test]
    fn live_chat_on_the_standard_plan_is_refused_but_ai_chat_is_not() {
        // SPEC R-MODE-4
        for mode in [SupportMode::SupportTeam, SupportMode::AiAgentAndSupportTeam] {
            assert_eq!(
                check_chat_settings(settings(mode), Plan::Standard, Some(&on())),
                Err(SettingsRefusal::PlanWithoutLiveChat)
            );
        }
        let mut ai = settings(SupportMode::AiAgent);
        ai.space = None;
        ai.fallback_message.clear();
        assert!(check_chat_settings(ai, Plan::Standard, None).is_ok());
    }

    #[test]
    fn live_chat_needs_a_space_and_a_fallback_message() {
        let mut no_space = settings(SupportMode::SupportTeam);
        no_space.space = Some("  ".into());
        assert_eq!(
            check_chat_settings(no_space, Plan::Premium, None),
            Err(SettingsRefusal::NoSpace)
        );
        let mut no_fallback = settings(SupportMode::SupportTeam);
        no_fallback.fallback_message = "   ".into();
        assert_eq!(
            check_chat_settings(no_fallback, Plan::Premium, Some(&on())),
            Err(SettingsRefusal::NoFallback)
        );
    }

    #[test]
    fn an_experience_needs_a_widget_and_an_embedded_one_needs_a_domain() {
        let mut none = settings(SupportMode::SupportTeam);
        none.website = false;
        assert_eq!(
            check_chat_settings(none.clone(), Plan::Premium, Some(&on())),
            Err(SettingsRefusal::NoWidget)
        );
        none.embedded = true;
        assert_eq!(
            check_chat_settings(none.clone(), Plan::Premium, Some(&on())),
            Err(SettingsRefusal::NoAllowedDomain)
        );
        none.allowed_domains = vec!["https://Shop.Example.com/".into(), "".into()];
        let ok = check_chat_settings(none, Plan::Premium, Some(&on())).unwrap();
        assert_eq!(ok.allowed_domains, vec!["shop.example.com".to_string()]);
    }
}
