//! Who calls the REST API: `Authorization: Bearer baton_…`, a token a site admin made, acting
//! for one staff member with that person's roles as they are now. And the API's one error
//! shape, `{"error": {"code", "message"}}`; internal errors are logged, never shown.

use app::state::AppState;
use axum::{
    Json,
    extract::FromRequestParts,
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use backend::{BackendError, api_tokens::TokenHolder, store::Actor};
use domain::AgentId;
use serde::Serialize;
use utoipa::ToSchema;

/// The staff member a token acts for, with what the token may do.
pub struct Caller {
    pub token: TokenHolder,
    pub actor: Actor,
}

impl Caller {
    pub fn agent(&self) -> AgentId {
        AgentId::new(self.token.user_id.clone())
    }

    /// Refuses a read-only token before anything is changed.
    pub fn require_write(&self) -> Result<(), ApiError> {
        if self.token.scope.may_write() {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "read_only_token",
                "This token may only read; a site admin can make one that may also write.",
            ))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorized)?;
        let token = backend::api_tokens::authenticate(&state.db, presented)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let actor = match Actor::load(&state.db, &token.user_id).await {
            Ok(actor) => actor,
            Err(BackendError::Forbidden | BackendError::NotFound) => {
                return Err(ApiError::unauthorized());
            }
            Err(other) => return Err(other.into()),
        };
        Ok(Caller { token, actor })
    }
}

/// The body of every error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: `unauthorized`, `forbidden`, `not_found`, `invalid`, `refused`,
    /// `read_only_token`, `unavailable`, `internal`.
    pub code: String,
    /// For people: what happened and what to do.
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Send a live API token as `Authorization: Bearer baton_…`; site admins make them under Settings → API tokens.",
        )
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }
}

impl From<BackendError> for ApiError {
    fn from(error: BackendError) -> ApiError {
        match error {
            BackendError::Forbidden => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "The person this token acts for may not do this.",
            ),
            // Also what a conversation the person may not read answers, so a refusal does not
            // confirm it exists (R-VIEW-3).
            BackendError::NotFound => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", "Not found.")
            }
            BackendError::Invalid(message) => ApiError::invalid(message),
            BackendError::Rule(refusal) => {
                ApiError::new(StatusCode::CONFLICT, "refused", refusal.to_string())
            }
            BackendError::Database(error) => {
                tracing::warn!(%error, "API: database unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Baton cannot reach its database right now; try again shortly.",
                )
            }
            other => {
                tracing::error!(error = %other, "API: internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on Baton's side.",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody {
            error: ErrorDetail {
                code: self.code.into(),
                message: self.message,
            },
        });
        let mut response = (self.status, body).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// A JSON body whose rejection (not JSON, wrong fields) is answered in the API's error shape.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(pub T);

/// Query parameters whose rejection is answered in the API's error shape.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Params<T>(pub T);

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> ApiError {
        ApiError::invalid(format!(
            "The body is not what this call takes: {}",
            rejection.body_text()
        ))
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
        ApiError::invalid(format!(
            "The query is not what this call takes: {}",
            rejection.body_text()
        ))
    }
}
