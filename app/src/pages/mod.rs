//! One module per page; each keeps its server functions beside it.

pub mod admin;
pub mod agent;
pub mod home;
pub mod invite;
pub mod not_found;
pub mod setup;
pub mod sign_in;
pub mod support;
pub mod widget;
