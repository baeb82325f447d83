//! A stand-in for a language model's server, speaking the OpenAI chat-completions API on a
//! loopback port: what it does depends on a word in the customer's newest message, so one
//! server plays every case.
//! - "tool": streams a call of the handoff tool;
//! - "fail": answers 500 with an API error;
//! - "oldserver": refuses a request that offers tools (400), answers one without;
//! - "slow": waits 10 s before answering;
//! - "unknown": streams `NO_ANSWER`;
//! - "flood": streams without end, without a line break, as fast as it can;
//! - "ramble": streams forty pieces, 100 ms apart;
//! - anything else: streams "Refunds take five days [1]." in pieces, then the token usage.
//!
//! A request without `"stream": true` (Test connection) gets one whole completion. Every
//! request's `Authorization` header is kept for the tests to look at.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::{
    Json, Router,
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use futures_util::stream;
use serde_json::{Value, json};

pub const MODEL: &str = "double-1";

#[derive(Clone, Default)]
pub struct Seen {
    pub authorizations: Arc<Mutex<Vec<String>>>,
    pub bodies: Arc<Mutex<Vec<Value>>>,
}

pub struct ModelDouble {
    pub base_url: String,
    pub seen: Seen,
}

pub async fn start() -> ModelDouble {
    let seen = Seen::default();
    let app = Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    ModelDouble {
        base_url: format!("http://{addr}/v1"),
        seen,
    }
}

fn chunk(delta: Value) -> String {
    format!(
        "data: {}\n\n",
        json!({"choices": [{"index": 0, "delta": delta}]})
    )
}

async fn completions(
    State(seen): State<Seen>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
        seen.authorizations.lock().unwrap().push(auth.to_string());
    }
    seen.bodies.lock().unwrap().push(body.clone());
    let last = body["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default()
        .to_lowercase();
    if body["stream"] != json!(true) {
        return Json(json!({"model": MODEL, "choices": [{"index": 0, "message": {"role": "assistant", "content": "OK"}}]}))
            .into_response();
    }
    if last.contains("oldserver") && body.get("tools").is_some() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": {"message": "tools are not supported by this model"}})),
        )
            .into_response();
    }
    if last.contains("fail") {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": {"message": "the model exploded"}})),
        )
            .into_response();
    }
    if last.contains("flood") {
        let endless =
            stream::repeat_with(|| Ok::<_, std::convert::Infallible>("x".repeat(64 * 1024)));
        return Response::builder()
            .header("content-type", "text/event-stream")
            .body(Body::from_stream(endless))
            .unwrap();
    }
    if last.contains("slow") {
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
    let (pieces, gap): (Vec<String>, u64) = if last.contains("tool") {
        (
            vec![chunk(
                json!({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                "function": {"name": "hand_off_to_person", "arguments": "{}"}}]}),
            )],
            0,
        )
    } else if last.contains("unknown") {
        (
            vec![
                chunk(json!({"content": "NO_"})),
                chunk(json!({"content": "ANSWER"})),
            ],
            0,
        )
    } else if last.contains("ramble") {
        (
            (0..40)
                .map(|n| chunk(json!({"content": format!("word{n} ")})))
                .collect(),
            100,
        )
    } else {
        (
            ["Refunds take ", "five days", " [1]", "."]
                .iter()
                .map(|p| chunk(json!({"content": p})))
                .collect(),
            30,
        )
    };
    let mut all = pieces;
    all.push(format!(
        "data: {}\n\n",
        json!({"choices": [], "usage": {"prompt_tokens": 120, "completion_tokens": 9}})
    ));
    all.push("data: [DONE]\n\n".into());
    let body = stream::unfold(all.into_iter(), move |mut rest| async move {
        let next = rest.next()?;
        tokio::time::sleep(Duration::from_millis(gap)).await;
        Some((Ok::<_, std::convert::Infallible>(next), rest))
    });
    Response::builder()
        .header("content-type", "text/event-stream")
        .body(Body::from_stream(body))
        .unwrap()
}
