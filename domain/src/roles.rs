//! Who may change which settings. Customers are not members and change nothing here; every
//! settings page and server function asks this on the server before it reads or writes.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// The settings a staff member holds roles for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRoles {
    pub site_admin: bool,
    /// Spaces the person is a space admin of.
    pub space_admin_of: BTreeSet<String>,
    /// Customer experiences the person is an admin of.
    pub experience_admin_of: BTreeSet<String>,
}

/// A settings area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting<'a> {
    /// Maximum conversations, resolutions, plan, the audit log.
    Site,
    CreateSpace,
    Space(&'a str),
    CreateExperience,
    Experience(&'a str),
}

impl StaffRoles {
    /// Site admins may change everything; space and experience admins only their own.
    pub fn may_change(&self, setting: Setting<'_>) -> bool {
        if self.site_admin {
            return true;
        }
        match setting {
            Setting::Site | Setting::CreateSpace | Setting::CreateExperience => false,
            Setting::Space(space) => self.space_admin_of.contains(space),
            Setting::Experience(experience) => self.experience_admin_of.contains(experience),
        }
    }

    /// Whether any settings page has something for this person.
    pub fn is_any_admin(&self) -> bool {
        self.site_admin || !self.space_admin_of.is_empty() || !self.experience_admin_of.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_admin_may_change_everything() {
        let admin = StaffRoles {
            site_admin: true,
            ..StaffRoles::default()
        };
        for s in [
            Setting::Site,
            Setting::CreateSpace,
            Setting::Space("any"),
            Setting::CreateExperience,
            Setting::Experience("any"),
        ] {
            assert!(admin.may_change(s));
        }
    }

    #[test]
    fn a_space_admin_may_change_only_their_space() {
        let roles = StaffRoles {
            space_admin_of: ["s1".to_string()].into(),
            ..StaffRoles::default()
        };
        assert!(roles.may_change(Setting::Space("s1")));
        assert!(!roles.may_change(Setting::Space("s2")));
        assert!(!roles.may_change(Setting::Site));
        assert!(!roles.may_change(Setting::CreateSpace));
        assert!(!roles.may_change(Setting::Experience("e1")));
    }

    #[test]
    fn an_experience_admin_may_change_only_their_experience() {
        let roles = StaffRoles {
            experience_admin_of: ["e1".to_string()].into(),
            ..StaffRoles::default()
        };
        assert!(roles.may_change(Setting::Experience("e1")));
        assert!(!roles.may_change(Setting::Experience("e2")));
        assert!(!roles.may_change(Setting::Space("s1")));
        assert!(roles.is_any_admin());
    }

    #[test]
    fn an_agent_may_change_no_settings() {
        let agent = StaffRoles::default();
        assert!(!agent.is_any_admin());
        assert!(!agent.may_change(Setting::Site));
        assert!(!agent.may_change(Setting::Space("s1")));
    }
}
