//! Attachments over plain HTTP, because a file is neither a form nor a JSON value:
//!
//! - `POST /attachments/{conversation}?name=…&client_id=…` with the file as the body sends it
//!   in the conversation (the page shows upload progress from the request itself);
//! - `GET /attachments/{id}` downloads it, for people who may read its conversation only.
//!
//! The widget, in a frame on another site, sends its session in a header (see
//! `app::widget_session`) rather than a cookie, so it fetches files with that header too.

use std::sync::Arc;

use app::{state::AppState, widget_session::WidgetChannel};
use axum::{
    body::Body,
    extract::{Path, Query, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use backend::{
    BackendError,
    attachments::{self, Upload},
    sessions::{SIGNED_IN_KEY, SignedIn, VISITOR_KEY},
};
use domain::{
    AgentId, ConversationId, CustomerId, VisitorId, access::Reader, attachments::CEILING_BYTES,
};
use serde::Deserialize;
use tokio::sync::Semaphore;
use tower_sessions::Session;

/// Uploads one node reads at once: each is held in memory to be hashed, so this bounds what
/// uploads cost (at most this many times [`CEILING_BYTES`]).
pub const UPLOADS_AT_ONCE: usize = 4;

#[derive(Clone)]
pub struct AttachmentsState {
    pub app: AppState,
    pub uploads: Arc<Semaphore>,
}

#[derive(Deserialize)]
pub struct UploadQuery {
    name: String,
    #[serde(default)]
    client_id: Option<String>,
}

/// The people this request's session stands for. A staff session counts only on Baton's own
/// pages: the widget's channel never acts as a team member.
async fn readers(session: &Session, widget: bool) -> Result<Vec<Reader>, BackendError> {
    let broken = |e: tower_sessions::session::Error| BackendError::Invalid(format!("session: {e}"));
    let signed_in: Option<SignedIn> = session.get(SIGNED_IN_KEY).await.map_err(broken)?;
    let visitor: Option<String> = session.get(VISITOR_KEY).await.map_err(broken)?;
    let mut readers = Vec::new();
    match signed_in {
        Some(SignedIn::Staff(id)) if !widget => readers.push(Reader::Agent(AgentId::new(id))),
        Some(SignedIn::Customer(id)) => readers.push(Reader::Customer(CustomerId::new(id))),
        _ => {}
    }
    if let Some(id) = visitor {
        readers.push(Reader::Visitor(VisitorId::new(id)));
    }
    Ok(readers)
}

/// A refusal as the page shows it: plain text meant for the person.
fn answer(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.to_string(),
    )
        .into_response()
}

fn failure(error: BackendError) -> Response {
    match error {
        BackendError::Invalid(message) => answer(StatusCode::UNPROCESSABLE_ENTITY, &message),
        BackendError::Rule(rule) => answer(StatusCode::UNPROCESSABLE_ENTITY, &rule.to_string()),
        BackendError::NotFound | BackendError::Forbidden => {
            answer(StatusCode::NOT_FOUND, "There is no such file.")
        }
        other if other.is_unavailable() => {
            tracing::warn!(error = %other, "attachment unavailable");
            answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "Baton cannot store or read files just now. Try again in a moment.",
            )
        }
        other => {
            tracing::error!(error = %other, "attachment failed");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong with that file. Try again.",
            )
        }
    }
}

pub async fn upload(
    State(state): State<AttachmentsState>,
    Path(conversation): Path<String>,
    Query(query): Query<UploadQuery>,
    session: Session,
    request: Request,
) -> Response {
    let widget = request.extensions().get::<WidgetChannel>().is_some();
    let readers = match readers(&session, widget).await {
        Ok(readers) if !readers.is_empty() => readers,
        Ok(_) => return answer(StatusCode::NOT_FOUND, "There is no such conversation."),
        Err(error) => return failure(error),
    };
    // Refused by its name and declared size before a byte is read, with the site's words.
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let policy = match attachments::admit(&state.app.db, &query.name, declared).await {
        Ok(policy) => policy,
        Err(error) => {
            drain(request.into_body()).await;
            return failure(error);
        }
    };
    let Ok(_permit) = state.uploads.acquire().await else {
        return failure(BackendError::Storage("closed".into()));
    };
    // A body without a declared size is cut at the limit.
    let limit = usize::try_from(policy.max_bytes.min(CEILING_BYTES)).unwrap_or(usize::MAX);
    let bytes = match axum::body::to_bytes(request.into_body(), limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let refusal = domain::attachments::Refusal::TooLarge {
                name: domain::attachments::clean_name(&query.name),
                size: policy.max_bytes + 1,
                max: policy.max_bytes,
            };
            return answer(StatusCode::PAYLOAD_TOO_LARGE, &refusal.to_string());
        }
    };
    let upload = Upload {
        name: query.name,
        bytes,
        client_id: query
            .client_id
            .filter(|id| !id.is_empty() && id.len() <= 64)
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
    };
    let sent = attachments::send(
        &state.app.engine,
        &state.app.files,
        &readers,
        &ConversationId::new(conversation),
        upload,
    )
    .await;
    match sent {
        Ok((attachment, seq)) => (
            StatusCode::CREATED,
            axum::Json(serde_json::json!({ "seq": seq, "attachment": attachment })),
        )
            .into_response(),
        Err(error) => failure(error),
    }
}

pub async fn download(
    State(state): State<AttachmentsState>,
    Path(id): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let widget = request.extensions().get::<WidgetChannel>().is_some();
    let readers = match readers(&session, widget).await {
        Ok(readers) => readers,
        Err(error) => return failure(error),
    };
    let found = attachments::open(&state.app.db, &state.app.files, &readers, &id).await;
    let download = match found {
        Ok(download) => download,
        Err(error) => return failure(error),
    };
    let file = download.attachment;
    // Pictures may be shown in the chat; everything else is a download. `nosniff` stops a
    // browser from guessing a more dangerous type than the one given, and the sandbox keeps
    // even a file opened on its own from running script on Baton's origin.
    let disposition = if file.is_image() {
        "inline"
    } else {
        "attachment"
    };
    let mut response = Response::new(Body::from(download.bytes));
    let headers = response.headers_mut();
    let header_value = |text: &str| {
        HeaderValue::from_str(text)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
    };
    headers.insert(header::CONTENT_TYPE, header_value(&file.content_type));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(disposition, &file.name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// Reads and drops what is left of a refused upload (up to twice the ceiling), so the browser
/// gets the answer instead of a connection closed under its feet while it is still sending.
async fn drain(body: Body) {
    use tokio_stream::StreamExt;
    let mut stream = body.into_data_stream();
    let mut read: u64 = 0;
    while let Some(Ok(chunk)) = stream.next().await {
        read += chunk.len() as u64;
        if read > 2 * CEILING_BYTES {
            break;
        }
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback name and the
/// real one percent-encoded, so no name can break out of the header.
fn content_disposition(kind: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
