//! The built-in AI agent of each customer experience (SPEC R-MODE-1/2, R-HAND-*, R-VIEW-5): its
//! knowledge base and settings, ranking articles for a question, answering or handing off in a
//! conversation, and Conversation review.

pub mod knowledge;
pub mod model;
pub mod model_settings;
mod planning;
pub mod responder;
pub mod retrieval;
pub mod review;
pub mod turns;
pub mod written;

pub use responder::AiAgent;
