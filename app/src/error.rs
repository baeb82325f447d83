//! The app layer's one error type, sent to browsers by server functions as tagged JSON.
//! Internal and database errors are logged on the server and reach the browser only as
//! `Unavailable` or `Internal`, without details.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

// Read through `wire::AppErrorWire`: the same JSON, without serde's buffering of tagged enums
// (see `domain::protocol::decode`), which weighed heavily in the widget's WASM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", content = "message", try_from = "wire::AppErrorWire")]
pub enum AppError {
    /// The input breaks a rule; the message says which and how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// Not signed in, or signed in as someone who may not do this.
    #[error("You are not allowed to do this.")]
    Forbidden,
    /// The widget's session token is unknown, expired or was signed out (401): the widget forgets
    /// it and asks the customer to sign in again.
    #[error("Your chat session has ended or expired. Sign in again to go on.")]
    SessionExpired,
    /// The thing does not exist, or the caller may not know it does.
    #[error("Not found.")]
    NotFound,
    /// The database is briefly unreachable; nothing was changed, try again.
    #[error("Baton is temporarily unavailable. Nothing was changed; please try again in a moment.")]
    Unavailable,
    /// A bug on the server; the details are in the server log.
    #[error("Something went wrong on our side. Nothing was changed; please try again.")]
    Internal,
    /// Too many requests of a kind (429); the message says which, and when to try again.
    #[error("{message}")]
    TooMany {
        message: String,
        retry_after_secs: u64,
    },
    /// The request never reached the function (network down, bad encoding).
    #[error("Could not reach Baton: {0}")]
    Transport(String),
}

mod wire;

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server these are the caller's malformed arguments (a missing field, a value of
        // the wrong type, a broken encoding): 400 with what was wrong, not a 500.
        #[cfg(feature = "ssr")]
        if let ServerFnErrorErr::Args(problem)
        | ServerFnErrorErr::MissingArg(problem)
        | ServerFnErrorErr::Deserialization(problem) = &value
        {
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(axum::http::StatusCode::BAD_REQUEST);
            }
            let problem: String = problem.chars().take(200).collect();
            return AppError::Invalid(format!(
                "This request could not be read ({problem}). Reload the page and try again."
            ));
        }
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Answers with `status` instead of the error's usual one: for a refusal whose message must
    /// say more than [`AppError::Forbidden`]'s.
    pub fn with_status_code(self, status: u16) -> Self {
        if let (Some(response), Ok(status)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(status),
        ) {
            response.set_status(status);
        }
        self
    }

    /// The HTTP status this error answers with: a refusal is the caller's to fix (4xx), only
    /// Baton's own trouble is 5xx. Called while a server function runs, so the response it is
    /// building takes the status.
    pub fn with_status(self) -> Self {
        use axum::http::StatusCode;
        let status = match &self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::SessionExpired => StatusCode::UNAUTHORIZED,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
            if let AppError::TooMany {
                retry_after_secs, ..
            } = &self
            {
                response.insert_header(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(*retry_after_secs),
                );
            }
        }
        self
    }
}

#[cfg(feature = "ssr")]
impl From<backend::BackendError> for AppError {
    fn from(error: backend::BackendError) -> Self {
        use backend::BackendError as B;
        let app = match error {
            B::Invalid(message) => AppError::Invalid(message),
            // A product rule refused: its message is written for the person who asked.
            B::Rule(rule) => AppError::Invalid(rule.to_string()),
            B::NotFound => AppError::NotFound,
            B::Forbidden => AppError::Forbidden,
            other if other.is_unavailable() => {
                tracing::warn!(error = %other, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "internal error");
                AppError::Internal
            }
        };
        app.with_status()
    }
}
