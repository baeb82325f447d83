//! Where a test server's websocket is, and opening a [`WsClient`] on it.

use domain::protocol::ClientFrame;
use tokio_tungstenite::tungstenite;

use crate::helpers::TestApp;
use crate::ws_client::WsClient;

impl TestApp {
    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws?v=1", self.server.addr)
    }

    /// Opens `/ws` with this session; panics if the handshake is refused.
    pub async fn connect(&self, session: &str) -> WsClient {
        self.try_connect(Some(session), None)
            .await
            .expect("websocket handshake accepted")
    }

    pub async fn try_connect(
        &self,
        session: Option<&str>,
        origin: Option<&str>,
    ) -> Result<WsClient, tungstenite::Error> {
        self.try_connect_to(&self.ws_url(), session, origin).await
    }

    /// The widget's socket URL: no cookie, the session comes in the first frame (issue 16).
    pub fn auth_frame_ws_url(&self) -> String {
        format!("{}&auth=frame", self.ws_url())
    }

    /// Opens `/ws?v=1&auth=frame` without a cookie and sends `token` as the first frame, as
    /// the widget does; panics if the handshake is refused. The caller then waits for `hello`
    /// (or for the close that refuses the token).
    pub async fn connect_with_auth_frame(&self, token: &str) -> WsClient {
        let mut client = self
            .try_connect_to(&self.auth_frame_ws_url(), None, None)
            .await
            .expect("websocket handshake accepted");
        client
            .send(&ClientFrame::Auth {
                session: token.to_string(),
            })
            .await;
        client
    }

    pub async fn try_connect_to(
        &self,
        url: &str,
        session: Option<&str>,
        origin: Option<&str>,
    ) -> Result<WsClient, tungstenite::Error> {
        WsClient::connect_to(url, session, origin).await
    }
}
