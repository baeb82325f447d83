//! `/api/v1/customers`, `/api/v1/work-items` and an agent's availability.

use app::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
};
use backend::{api, work};
use domain::{AgentId, Availability, Command, Scope, queue::QueueFilter};

use super::auth::{ApiError, Body, Caller, ErrorBody, Params};
use super::schema::{
    AvailabilityIn, AvailabilityOut, CustomerOut, CustomerPage, CustomerProfileOut, PageQuery,
    WorkItemPage, WorkItemQuery,
};

/// List customers
///
/// Every customer, a page at a time. Site admins only.
#[utoipa::path(
    get, path = "/api/v1/customers", tag = "Customers",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = CustomerPage),
        (status = 401, description = "No live token", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list_customers(
    State(state): State<AppState>,
    caller: Caller,
    Params(page): Params<PageQuery>,
) -> Result<Json<CustomerPage>, ApiError> {
    let (rows, next) = api::customers(
        &state.db,
        &caller.actor,
        page.cursor.as_deref(),
        page.limit.unwrap_or(api::DEFAULT_PAGE),
    )
    .await?;
    Ok(Json(CustomerPage {
        items: rows
            .into_iter()
            .map(|(id, name, email)| CustomerOut { id, name, email })
            .collect(),
        next,
    }))
}

/// Read a customer with their conversations
///
/// As the customer profile shows it: conversations the token's person may not read are listed
/// without their id. Not found for a person who may not see this customer at all.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}", tag = "Customers",
    params(("id" = String, Path, description = "The customer's id"), PageQuery),
    responses(
        (status = 200, description = "The customer and a page of their conversations, newest first", body = CustomerProfileOut),
        (status = 401, description = "No live token", body = ErrorBody),
        (status = 404, description = "Not found, or not visible to this person", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn get_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Params(page): Params<PageQuery>,
) -> Result<Json<CustomerProfileOut>, ApiError> {
    let profile = work::customer_profile(
        &state.db,
        &caller.agent(),
        &id,
        page.cursor.as_deref(),
        page.limit.unwrap_or(api::DEFAULT_PAGE),
    )
    .await?;
    Ok(Json(CustomerProfileOut::of(&id, profile)))
}

/// List work items
///
/// The work items of every space the token's person belongs to that match the queue filter,
/// in its order. Conversations they may not read come without their customer.
#[utoipa::path(
    get, path = "/api/v1/work-items", tag = "Work items",
    params(WorkItemQuery),
    responses(
        (status = 200, description = "One page", body = WorkItemPage),
        (status = 401, description = "No live token", body = ErrorBody),
        (status = 422, description = "A filter that does not parse (the message says where)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list_work_items(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<WorkItemQuery>,
) -> Result<Json<WorkItemPage>, ApiError> {
    let filter = QueueFilter::parse(query.filter.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    let page = work::queue(
        &state.db,
        &caller.agent(),
        &filter,
        query.cursor.as_deref(),
        query.limit.unwrap_or(api::DEFAULT_PAGE),
    )
    .await?;
    Ok(Json(WorkItemPage {
        items: page.rows.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// Set an agent's availability
///
/// Available or Unavailable in every space of the agent, as the dashboard's switch does. A
/// token may set only its own person's availability, and must be read-and-write.
#[utoipa::path(
    put, path = "/api/v1/agents/{id}/availability", tag = "Agents",
    params(("id" = String, Path, description = "The agent's id: the token's own person")),
    request_body = AvailabilityIn,
    responses(
        (status = 200, description = "Set", body = AvailabilityOut),
        (status = 401, description = "No live token", body = ErrorBody),
        (status = 403, description = "Another agent, or a read-only token", body = ErrorBody),
        (status = 409, description = "Refused by the rules", body = ErrorBody),
        (status = 422, description = "Neither Available nor Unavailable", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn set_availability(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(wanted): Body<AvailabilityIn>,
) -> Result<Json<AvailabilityOut>, ApiError> {
    caller.require_write()?;
    if id != caller.token.user_id {
        return Err(backend::BackendError::Forbidden.into());
    }
    let availability = match wanted.availability.as_str() {
        "Available" => Availability::Available,
        "Unavailable" => Availability::Unavailable,
        _ => {
            return Err(ApiError::invalid(
                "Availability is Available or Unavailable.",
            ));
        }
    };
    state
        .engine
        .execute(Command::SetAvailability {
            agent: AgentId::new(id.clone()),
            scope: Scope::AllSpaces,
            availability,
        })
        .await?;
    Ok(Json(AvailabilityOut {
        agent: id,
        availability: wanted.availability,
    }))
}
