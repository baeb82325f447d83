//! What the server hands every server function: the database, the configuration and Leptos's
//! options. Built once by the `server` crate at start.

use std::sync::Arc;

use axum::extract::FromRef;
use backend::{Config, Db, Engine};
use leptos::prelude::LeptosOptions;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    /// The conversation engine: every routing and chat command goes through it.
    pub engine: Engine,
    /// The built-in AI agent: answers customers in conversations that start with it.
    pub ai: backend::ai::AiAgent,
    /// Rate limits for sign-in, sign-up and anonymous chats (counted in the database, so
    /// shared by every node).
    pub limits: Arc<crate::limits::Limits>,
    /// Seals secrets stored in the database (webhook signing secrets) under the server's key.
    pub sealer: backend::secrets::Sealer,
    /// Where attachments' bytes are kept.
    pub files: backend::attachments::Files,
}

impl AppState {
    /// The state provided to server functions as Leptos context.
    pub fn from_context() -> Result<AppState, crate::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from server function context");
            crate::AppError::Internal
        })
    }
}
