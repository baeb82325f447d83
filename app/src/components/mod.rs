//! Pieces shared by the customer's and the agent's screens.

pub mod attachments;
pub mod chat;
pub mod customer_chat;
pub mod customer_sign_in;
pub mod form;
pub mod host_messages;
pub mod rating;
pub mod time;
pub mod transcript;
