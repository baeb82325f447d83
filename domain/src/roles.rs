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

    /// Whether this person may point a customer experience's live chat from `from` to `to`.
    /// Routing hands a space's agents new work, so that is the space's admins' call: site
    /// admins route anywhere, everyone else only into a space they administer. Keeping the
    /// space an experience already routes to, or routing nowhere, is always allowed.
    pub fn may_route(&self, from: Option<&str>, to: Option<&str>) -> bool {
        match to {
            None => true,
            Some(to) if from == Some(to) => true,
            Some(to) => self.site_admin || self.space_admin_of.contains(to),
        }
    }

    /// Whether this person may assign or unassign a work item of a space: its members share
    /// the space's work; site admins look after every space.
    pub fn may_assign_work(&self, member_of_space: bool) -> bool {
        self.site_admin || member_of_space
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
    fn only_admins_of_the_new_space_or_site_admins_may_route_an_experience_into_it() {
        let experience_admin = StaffRoles {
            experience_admin_of: ["e1".to_string()].into(),
            space_admin_of: ["mine".to_string()].into(),
            ..StaffRoles::default()
        };
        assert!(experience_admin.may_route(None, Some("mine")));
        assert!(!experience_admin.may_route(None, Some("theirs")));
        assert!(!experience_admin.may_route(Some("mine"), Some("theirs")));
        // Saving other settings keeps a space someone else chose; routing nowhere is fine.
        assert!(experience_admin.may_route(Some("theirs"), Some("theirs")));
        assert!(experience_admin.may_route(Some("theirs"), None));
        let site_admin = StaffRoles {
            site_admin: true,
            ..StaffRoles::default()
        };
        assert!(site_admin.may_route(None, Some("theirs")));
    }

    #[test]
    fn only_members_of_the_space_and_site_admins_may_assign_its_work() {
        let agent = StaffRoles::default();
        assert!(agent.may_assign_work(true));
        assert!(!agent.may_assign_work(false));
        let site_admin = StaffRoles {
            site_admin: true,
            ..StaffRoles::default()
        };
        assert!(site_admin.may_assign_work(false));
    }

    #[test]
    fn an_agent_may_change_no_settings() {
        let agent = StaffRoles::default();
        assert!(!agent.is_any_admin());
        assert!(!agent.may_change(Setting::Site));
        assert!(!agent.may_change(Setting::Space("s1")));
    }
}
