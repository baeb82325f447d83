//! Pieces shared by the customer's and the agent's screens.

pub mod chat;
pub mod customer_chat;
pub mod form;
pub mod time;
