//! A real websocket client for the tests: signs in through a minted session (a cookie) or, as
//! the embedded widget does, with its session token in the first frame; speaks the protocol's
//! frames, and waits for the frame a test expects (with a timeout, never forever). It knows no
//! server of its own, so the cluster tests use it too (`ws_urls.rs` opens it on a `TestApp`).

use std::time::Duration;

use backend::sessions::COOKIE_NAME;
use domain::protocol::{ClientFrame, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{self, Message, client::IntoClientRequest, http::HeaderValue},
};

pub struct WsClient {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// Long enough for a slow CI machine, short enough that a missing frame fails quickly.
const WAIT: Duration = Duration::from_secs(10);

impl WsClient {
    /// Opens `url` with this session cookie and Origin (either may be left out).
    pub async fn connect_to(
        url: &str,
        session: Option<&str>,
        origin: Option<&str>,
    ) -> Result<WsClient, tungstenite::Error> {
        let mut request = url.into_client_request().unwrap();
        if let Some(session) = session {
            request.headers_mut().insert(
                "cookie",
                HeaderValue::from_str(&format!("{COOKIE_NAME}={session}")).unwrap(),
            );
        }
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("origin", HeaderValue::from_str(origin).unwrap());
        }
        let (stream, _) = connect_async(request).await?;
        Ok(WsClient { stream })
    }

    pub async fn send(&mut self, frame: &ClientFrame) {
        self.send_text(&serde_json::to_string(frame).unwrap()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.stream
            .send(Message::Text(text.to_string().into()))
            .await
            .expect("frame sent");
    }

    /// The next protocol frame; `None` when the server closed the socket (with its close frame).
    pub async fn next(&mut self) -> Result<ServerFrame, Option<(u16, String)>> {
        self.next_within(WAIT)
            .await
            .expect("a frame arrives in time")
    }

    /// Like [`WsClient::next`], waiting at most `wait`; `None` when nothing came in that time.
    pub async fn next_within(
        &mut self,
        wait: Duration,
    ) -> Option<Result<ServerFrame, Option<(u16, String)>>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let message = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()?;
            return Some(match message {
                Some(Ok(Message::Text(text))) => {
                    Ok(serde_json::from_str(&text).expect("server frames parse"))
                }
                Some(Ok(Message::Close(frame))) => {
                    Err(frame.map(|f| (u16::from(f.code), f.reason.to_string())))
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => Err(None),
            });
        }
    }

    /// Skips frames until one matches; returns it.
    pub async fn expect<F: Fn(&ServerFrame) -> bool>(
        &mut self,
        what: &str,
        matches: F,
    ) -> ServerFrame {
        loop {
            match self.next().await {
                Ok(frame) if matches(&frame) => return frame,
                Ok(_) => continue,
                Err(close) => panic!("socket closed ({close:?}) while waiting for {what}"),
            }
        }
    }

    /// Waits until the server closes the socket and returns its close code.
    pub async fn expect_close(&mut self) -> Option<(u16, String)> {
        loop {
            match self.next().await {
                Ok(_) => continue,
                Err(close) => return close,
            }
        }
    }

    /// Drops the connection without a close handshake, like a network cut.
    pub fn cut(self) {
        drop(self.stream);
    }
}
