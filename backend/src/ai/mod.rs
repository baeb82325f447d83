//! The built-in AI agent of each customer experience (SPEC R-MODE-1/2, R-HAND-*, R-VIEW-5): its
//! knowledge base and settings, ranking articles for a question, answering or handing off in a
//! conversation, and Conversation review.

pub mod knowledge;
pub mod responder;
pub mod retrieval;
pub mod review;
pub mod turns;

pub use responder::AiAgent;
