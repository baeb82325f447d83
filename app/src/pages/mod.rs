//! One module per page; each keeps its server functions beside it.

pub mod agent;
pub mod home;
pub mod not_found;
pub mod sign_in;
pub mod support;
