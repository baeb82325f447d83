//! A client for language models that speak the OpenAI chat-completions API: hosted services,
//! and the servers teams run themselves (Ollama, vLLM, llama.cpp's server all speak it).
//!
//! One request per answer, streamed (`"stream": true`, server-sent events), so the customer can
//! watch the answer being written. Every call is bounded: a deadline for the whole answer, and
//! a limit on how many calls a node makes at once. The message text never reaches the logs;
//! each call logs its latency and token counts.

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::ai::grounded::{HANDOFF_TOOL, ModelReply, PromptMessage};
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Semaphore;

/// Where a model is reached, as an AI agent's settings name it.
#[derive(Clone, PartialEq)]
pub struct Endpoint {
    /// The API's base address, up to and including its version: `https://host/v1`,
    /// `http://127.0.0.1:11434/v1` for Ollama.
    pub base_url: String,
    pub model: String,
    /// Sent as a bearer token when set; self-hosted servers often need none.
    pub api_key: Option<String>,
    /// 0–2; lower is more literal.
    pub temperature: f32,
}

// Never prints the key.
impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "(set)"))
            .finish()
    }
}

/// Why a model gave no answer. The texts are for admins (Test connection, logs); customers get
/// the built-in answer instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("The model's server could not be reached: {0}")]
    Unreachable(String),
    #[error("The model's server answered {status}: {message}")]
    Refused { status: u16, message: String },
    #[error("The model did not finish its answer within {0:?}.")]
    TimedOut(Duration),
    #[error("The model's answer could not be read: {0}")]
    Unreadable(String),
    #[error("Too many answers are being written at once; the built-in answer was used.")]
    Busy,
}

/// A finished answer and what it cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    pub reply: ModelReply,
    pub prompt_tokens: Option<u32>,
    pub completion_tokens: Option<u32>,
}

/// Calls models; cheap to clone (one connection pool per node).
#[derive(Clone)]
pub struct ModelClient {
    http: reqwest::Client,
    /// Calls this node makes at once; more wait briefly, then give up as [`ModelError::Busy`].
    slots: Arc<Semaphore>,
    deadline: Duration,
}

/// How long a call waits for a free slot before the built-in answer is used instead.
const SLOT_WAIT: Duration = Duration::from_secs(2);

/// The most a model's server may send for one answer (a message is at most 5,000 characters;
/// a streamed answer with its event framing is a few times that).
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// The longest error message kept from a model's server.
const ERROR_CHARS: usize = 300;

impl ModelClient {
    pub fn new(deadline: Duration, concurrent: usize) -> ModelClient {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        ModelClient {
            http,
            slots: Arc::new(Semaphore::new(concurrent.max(1))),
            deadline,
        }
    }

    /// Streams one answer. `on_piece` gets each piece of text as it arrives; the result is the
    /// whole reply. `offer_handoff` lets the model call [`HANDOFF_TOOL`].
    pub async fn answer(
        &self,
        endpoint: &Endpoint,
        messages: &[PromptMessage],
        offer_handoff: bool,
        mut on_piece: impl FnMut(&str),
    ) -> Result<Answered, ModelError> {
        let _slot = tokio::time::timeout(SLOT_WAIT, self.slots.acquire())
            .await
            .map_err(|_| ModelError::Busy)?
            .map_err(|_| ModelError::Busy)?;
        let started = Instant::now();
        let outcome = tokio::time::timeout(
            self.deadline,
            self.stream(endpoint, messages, offer_handoff, &mut on_piece),
        )
        .await
        .unwrap_or(Err(ModelError::TimedOut(self.deadline)));
        let latency_ms = started.elapsed().as_millis() as u64;
        match &outcome {
            Ok(answered) => tracing::info!(
                model = %endpoint.model,
                latency_ms,
                prompt_tokens = answered.prompt_tokens,
                completion_tokens = answered.completion_tokens,
                handoff = matches!(answered.reply, ModelReply::AskedForPerson),
                "model answered"
            ),
            Err(error) => {
                tracing::warn!(model = %endpoint.model, latency_ms, %error, "model gave no answer")
            }
        }
        outcome
    }

    async fn stream(
        &self,
        endpoint: &Endpoint,
        messages: &[PromptMessage],
        offer_handoff: bool,
        on_piece: &mut impl FnMut(&str),
    ) -> Result<Answered, ModelError> {
        let mut body = json!({
            "model": endpoint.model,
            "messages": messages.iter().map(|m| json!({"role": m.role.as_str(), "content": m.content})).collect::<Vec<_>>(),
            "temperature": endpoint.temperature,
            "stream": true,
            "stream_options": {"include_usage": true},
        });
        if offer_handoff {
            body["tools"] = json!([{
                "type": "function",
                "function": {
                    "name": HANDOFF_TOOL,
                    "description": "Pass the conversation to a person from the support team, when the customer asks for one.",
                    "parameters": {"type": "object", "properties": {}},
                },
            }]);
        }
        let response = match self.post(endpoint, "chat/completions", &body).await {
            // Some servers refuse `tools` outright (llama.cpp without its template support,
            // older vLLM): ask once more without the handoff tool; Baton's own rules still hand
            // off.
            Err(ModelError::Refused { status, .. })
                if offer_handoff && status != 401 && status != 403 =>
            {
                tracing::info!(model = %endpoint.model, status, "the model's server refused tools; asking without them");
                if let Some(fields) = body.as_object_mut() {
                    fields.remove("tools");
                }
                self.post(endpoint, "chat/completions", &body).await?
            }
            other => other?,
        };
        // A server that never stops (or never ends a line) is cut off at MAX_ANSWER_BYTES.
        let too_large = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = too_large.clone();
        let mut events = response
            .bytes_stream()
            .scan(0usize, move |read, chunk| {
                if let Ok(bytes) = &chunk {
                    *read += bytes.len();
                    if *read > MAX_ANSWER_BYTES {
                        flag.store(true, std::sync::atomic::Ordering::Relaxed);
                        return std::future::ready(None);
                    }
                }
                std::future::ready(Some(chunk))
            })
            .eventsource();
        let mut text = String::new();
        let mut handoff = false;
        let mut usage = Usage::default();
        while let Some(event) = events.next().await {
            let event = event.map_err(|e| ModelError::Unreadable(e.to_string()))?;
            if event.data.trim() == "[DONE]" {
                break;
            }
            let chunk: Chunk = serde_json::from_str(&event.data)
                .map_err(|e| ModelError::Unreadable(e.to_string()))?;
            if let Some(counted) = chunk.usage {
                usage = counted;
            }
            for choice in chunk.choices {
                if let Some(piece) = choice.delta.content.filter(|p| !p.is_empty()) {
                    text.push_str(&piece);
                    on_piece(&piece);
                }
                handoff |= choice.delta.tool_calls.iter().any(|call| {
                    call.function.as_ref().and_then(|f| f.name.as_deref()) == Some(HANDOFF_TOOL)
                });
            }
        }
        if too_large.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(ModelError::Unreadable(format!(
                "the answer was larger than {} KB",
                MAX_ANSWER_BYTES / 1024
            )));
        }
        Ok(Answered {
            reply: if handoff {
                ModelReply::AskedForPerson
            } else {
                ModelReply::Text(text)
            },
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
        })
    }

    /// **Test connection**: one tiny completion, reporting what the endpoint said.
    pub async fn test_connection(&self, endpoint: &Endpoint) -> Result<String, ModelError> {
        let body = json!({
            "model": endpoint.model,
            "messages": [{"role": "user", "content": "Reply with OK."}],
            "max_tokens": 5,
        });
        let call = async {
            let response = self.post(endpoint, "chat/completions", &body).await?;
            let answer: Completion = serde_json::from_slice(&read_limited(response).await?)
                .map_err(|e| ModelError::Unreadable(e.to_string()))?;
            let said = answer
                .choices
                .into_iter()
                .next()
                .and_then(|c| c.message.content)
                .unwrap_or_default();
            Ok(format!(
                "Connected: {} answered \u{201c}{}\u{201d}.",
                answer.model.unwrap_or_else(|| endpoint.model.clone()),
                said.trim().chars().take(80).collect::<String>()
            ))
        };
        tokio::time::timeout(self.deadline, call)
            .await
            .unwrap_or(Err(ModelError::TimedOut(self.deadline)))
    }

    async fn post(
        &self,
        endpoint: &Endpoint,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<reqwest::Response, ModelError> {
        let url = format!("{}/{path}", endpoint.base_url.trim_end_matches('/'));
        let mut request = self.http.post(url).json(body);
        if let Some(key) = endpoint.api_key.as_deref().filter(|k| !k.is_empty()) {
            request = request.bearer_auth(key);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ModelError::Unreachable(without_url(e)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        // Only an API error's own message is passed on: an address that is not a model's API
        // (an internal page, say) must not have its content shown on the settings page.
        let body = read_limited(response).await.unwrap_or_default();
        let message = serde_json::from_slice::<ErrorBody>(&body)
            .map(|b| b.error.message.trim().chars().take(ERROR_CHARS).collect())
            .unwrap_or_else(|_| {
                "the answer is not an OpenAI-compatible error; check the base URL".to_string()
            });
        Err(ModelError::Refused {
            status: status.as_u16(),
            message,
        })
    }
}

/// A whole (not streamed) body, refused past [`MAX_ANSWER_BYTES`].
async fn read_limited(response: reqwest::Response) -> Result<Vec<u8>, ModelError> {
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| ModelError::Unreadable(without_url(e)))?;
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(ModelError::Unreadable(format!(
                "the answer was larger than {} KB",
                MAX_ANSWER_BYTES / 1024
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// reqwest's error text without the address, which may carry credentials in its query.
fn without_url(error: reqwest::Error) -> String {
    error.without_url().to_string()
}

/// One streamed chunk: `{"choices": [{"delta": {...}}], "usage": {...}}`.
#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<StreamChoice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct StreamChoice {
    #[serde(default)]
    delta: Delta,
}

#[derive(Default, Deserialize)]
struct Delta {
    content: Option<String>,
    #[serde(default)]
    tool_calls: Vec<ToolCall>,
}

#[derive(Deserialize)]
struct ToolCall {
    function: Option<FunctionCall>,
}

#[derive(Deserialize)]
struct FunctionCall {
    name: Option<String>,
}

#[derive(Default, Deserialize)]
struct Usage {
    prompt_tokens: Option<u32>,
    completion_tokens: Option<u32>,
}

/// A whole (not streamed) completion, for Test connection.
#[derive(Deserialize)]
struct Completion {
    model: Option<String>,
    #[serde(default)]
    choices: Vec<CompletionChoice>,
}

#[derive(Deserialize)]
struct CompletionChoice {
    message: CompletionMessage,
}

#[derive(Deserialize)]
struct CompletionMessage {
    content: Option<String>,
}

/// `{"error": {"message": "..."}}`, as these APIs report failures.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorMessage,
}

#[derive(Deserialize)]
struct ErrorMessage {
    message: String,
}

// Tested against a local server that speaks the API: backend/tests/ai_model.rs.
