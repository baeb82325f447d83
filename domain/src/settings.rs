//! Site-wide settings (SPEC R-SPACE-3).

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::time::Timers;

/// Settings that apply across every space of the site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    /// **Maximum conversations**: per-agent cap on conversations that are not Closed, counted
    /// across all spaces (SPEC R-SPACE-3). Always within [`SiteSettings::MAX_CONVERSATIONS`].
    pub max_conversations: u32,
    pub timers: Timers,
}

impl SiteSettings {
    /// The accepted range for **Maximum conversations**. Zero would silently stop all routing,
    /// so it is refused rather than used as an off switch (the space's Live chat switch is that).
    pub const MAX_CONVERSATIONS: std::ops::RangeInclusive<u32> = 1..=100;

    /// The limit a new site starts with.
    pub const DEFAULT_MAX_CONVERSATIONS: u32 = 3;

    pub fn new(max_conversations: u32, timers: Timers) -> Result<Self, DomainError> {
        Ok(Self {
            max_conversations: Self::check_max_conversations(max_conversations)?,
            timers,
        })
    }

    pub fn check_max_conversations(value: u32) -> Result<u32, DomainError> {
        if Self::MAX_CONVERSATIONS.contains(&value) {
            Ok(value)
        } else {
            Err(DomainError::InvalidMaxConversations { value })
        }
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            max_conversations: Self::DEFAULT_MAX_CONVERSATIONS,
            timers: Timers::default(),
        }
    }
}
