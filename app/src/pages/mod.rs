//! One module per page; each keeps its server functions beside it.

pub mod home;
pub mod not_found;
