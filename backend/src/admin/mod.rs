//! Admin settings: the site, spaces, customer experiences, members and roles. Each function
//! checks the actor's role first (never trusting the page that called it) and changes one thing
//! in one transaction with its audit entry. The plain reads and writes they build on are the
//! stores' (`crate::store`), which every other caller uses too.

pub mod audit;
pub mod experiences;
pub mod site;
pub mod space_members;
pub mod space_work;
pub mod spaces;
