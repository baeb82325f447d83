//! REST API v1 (`/api/v1`), for the other systems a support team runs: conversations and
//! transcripts, customers, work items, availability, messages. Tokens are made by site admins
//! (Settings → API tokens) and act for one staff member with that person's access, so the
//! dashboard's rules hold (SPEC R-VIEW-3 included).
//!
//! The OpenAPI 3.1 document is generated from the handlers and types below (utoipa): the
//! routes are registered through the same `OpenApiRouter` that documents them, so the document
//! cannot list a route the server lacks or miss one it has. It is served at
//! `/api/v1/openapi.json`, with a reference page drawn from it at `/api/v1/docs`.

mod auth;
mod conversations;
mod people;
mod reference;
mod schema;

use std::sync::{Arc, OnceLock};

use app::state::AppState;
use axum::{Json, Router, response::IntoResponse, routing::get};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Baton API",
        version = "1",
        description = "Live customer chat: conversations and transcripts, customers, work items, availability and messages. Authenticate with `Authorization: Bearer baton_…`; a token acts for one team member with their access."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "Conversations"), (name = "Customers"), (name = "Work items"), (name = "Agents")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("baton_<64 hex digits>")
                    .description(Some("An API token made under Settings → API tokens."))
                    .build(),
            ),
        );
    }
}

/// The API's routes and their document, built together.
fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(conversations::list_conversations))
        .routes(routes!(conversations::get_conversation))
        .routes(routes!(conversations::post_message))
        .routes(routes!(people::list_customers))
        .routes(routes!(people::get_customer))
        .routes(routes!(people::list_work_items))
        .routes(routes!(people::set_availability))
        .split_for_parts()
}

/// The OpenAPI document (made once).
pub fn document() -> Arc<utoipa::openapi::OpenApi> {
    static DOC: OnceLock<Arc<utoipa::openapi::OpenApi>> = OnceLock::new();
    DOC.get_or_init(|| Arc::new(documented().1)).clone()
}

/// The API's router, with the document and its reference page.
pub fn router() -> Router<AppState> {
    let (routes, _) = documented();
    routes
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/docs", get(reference::page))
}

async fn openapi_json() -> impl IntoResponse {
    Json(document().as_ref().clone())
}
