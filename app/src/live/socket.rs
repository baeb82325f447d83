//! The socket task: connect, say nothing until the server's hello, then send what the model asks
//! for (resumes, each outbox's next message), forward the page's frames, ping, and on any drop
//! reconnect after a jittered backoff (`domain::realtime::reconnect_delay`). A second task keeps
//! time for the page: typing indicators expire and stuck outboxes show "Not sent" even while
//! the socket is down.

use domain::protocol::{ClientFrame, PROTOCOL_VERSION, ServerFrame, close, timing::ClientTiming};
use domain::realtime::reconnect_delay;
use futures::channel::mpsc::UnboundedReceiver;
use futures::{FutureExt, SinkExt, StreamExt, select};
use gloo_net::websocket::{Message, WebSocketError, futures::WebSocket};
use gloo_timers::future::{IntervalStream, TimeoutFuture};
use leptos::prelude::*;

use super::{Live, now};

/// How often the task wakes to resend, expire typing indicators and check for silence.
const TICK_MS: u32 = 1_000;

pub fn spawn(live: Live, outbox: UnboundedReceiver<ClientFrame>) {
    leptos::task::spawn_local(run(live, outbox));
    leptos::task::spawn_local(keep_time(live));
}

/// Every second: move the page's clock, and give up on outboxes that made no progress. Ends
/// with the page's signals.
async fn keep_time(live: Live) {
    let mut ticks = IntervalStream::new(TICK_MS);
    while ticks.next().await.is_some() {
        let at = now();
        if live.clock.try_set(at.as_millis()).is_some() {
            return;
        }
        live.state.maybe_update(|s| s.give_up_stuck(at));
    }
}

/// The socket's address. The widget (which holds its session token, not a cookie) asks to sign
/// in with its first frame; the token itself never goes in the URL.
fn socket_url(frame_auth: bool) -> Option<String> {
    let location = window().location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let auth = if frame_auth { "&auth=frame" } else { "" };
    Some(format!(
        "{scheme}://{}/ws?v={PROTOCOL_VERSION}{auth}",
        location.host().ok()?
    ))
}

/// The browser's own view of the network. Offline, a socket may linger for a long time before
/// the browser notices it is dead; dropping it at once shows "Reconnecting…" honestly.
fn browser_online() -> bool {
    window().navigator().on_line()
}

async fn run(live: Live, mut outbox: UnboundedReceiver<ClientFrame>) {
    let mut attempt: u32 = 0;
    loop {
        // Trying while the browser is offline only grows the backoff; wait for the network.
        while !browser_online() {
            live.state.update(|s| s.on_close(attempt.max(1)));
            TimeoutFuture::new(TICK_MS).await;
        }
        // Read at every attempt: a sign-in in this tab or another rotates the widget's token.
        let token = crate::widget_session::socket_token();
        if let Some(url) = socket_url(token.is_some())
            && let Ok(mut socket) = WebSocket::open(&url)
        {
            let signed = match &token {
                Some(session) => {
                    let auth = ClientFrame::Auth {
                        session: session.clone(),
                    };
                    send_frame(&mut socket, &auth).await
                }
                None => true,
            };
            if signed {
                let ended = serve(live, socket, &mut outbox).await;
                if ended.greeted {
                    attempt = 0;
                }
                if ended.refused_sign_in
                    && token.is_some()
                    && crate::widget_session::socket_token() == token
                {
                    // The widget's session is gone (signed out in another tab, expired): forget
                    // it and start the chat page again, which asks the customer to sign in.
                    // A socket closed after its hello is not enough: a sign-in in this tab
                    // closes the old session's socket too, and the new token is already stored.
                    crate::widget_session::remember("");
                    let _ = window().location().reload();
                    return;
                }
            }
        }
        attempt = attempt.saturating_add(1);
        live.state.update(|s| s.on_close(attempt));
        let delay = reconnect_delay(attempt - 1, js_sys::Math::random());
        // Frames the page sent meanwhile are regenerated from the model after reconnecting.
        let mut wait = TimeoutFuture::new(delay as u32).fuse();
        loop {
            select! {
                _ = wait => break,
                frame = outbox.next() => if frame.is_none() { return },
            }
        }
    }
}

async fn send_frame(socket: &mut WebSocket, frame: &ClientFrame) -> bool {
    match serde_json::to_string(frame) {
        Ok(text) => socket.send(Message::Text(text)).await.is_ok(),
        Err(_) => false,
    }
}

/// How a connection ended.
struct Ended {
    /// It got as far as the server's hello.
    greeted: bool,
    /// The server refused the sign-in before the hello (close 4001).
    refused_sign_in: bool,
}

/// Serves one connection until it drops.
async fn serve(
    live: Live,
    socket: WebSocket,
    outbox: &mut UnboundedReceiver<ClientFrame>,
) -> Ended {
    let gone = |greeted: bool| Ended {
        greeted,
        refused_sign_in: false,
    };
    let (mut write, read) = socket.split();
    let mut read = read.fuse();
    let mut greeted = false;
    // Pings go by the heartbeat the server announces in its hello; no frame at all for the
    // silence limit means the connection is dead even if the browser thinks not.
    let mut timing = ClientTiming::default();
    let mut last_heard = now();
    let mut last_ping = now();
    let mut ticks = IntervalStream::new(TICK_MS).fuse();
    loop {
        let mut to_send: Vec<ClientFrame> = Vec::new();
        select! {
            incoming = read.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    last_heard = now();
                    // Read without serde's tagged-enum buffering (see `decode`): the same frames,
                    // a fifth less WASM in the widget.
                    let frame = match domain::protocol::decode::server_frame(&text) {
                        Ok(frame) => frame,
                        Err(problem) => {
                            leptos::logging::warn!("unreadable frame from the server: {problem}");
                            continue;
                        }
                    };
                    if let ServerFrame::Hello { you, heartbeat_ms, .. } = frame {
                        greeted = true;
                        timing = ClientTiming::for_heartbeat(heartbeat_ms);
                        to_send = live.state.try_update(|s| s.on_open(you, now())).unwrap_or_default();
                    } else {
                        // The frame may have confirmed a message: the next in its outbox goes.
                        to_send = live.state.try_update(|s| {
                            let at = now();
                            s.apply(frame, at);
                            let mut due = s.resumes_needed();
                            due.extend(s.sends_due(at));
                            due
                        }).unwrap_or_default();
                    }
                }
                Some(Ok(Message::Bytes(_))) => {}
                Some(Err(WebSocketError::ConnectionClose(event))) => {
                    return Ended {
                        greeted,
                        refused_sign_in: !greeted && event.code == close::UNAUTHORIZED,
                    };
                }
                Some(Err(_)) | None => return gone(greeted),
            },
            frame = outbox.next() => match frame {
                Some(frame) if greeted => to_send.push(frame),
                Some(_) => {}
                None => return gone(greeted),
            },
            _ = ticks.next() => {
                let at = now();
                if at.as_millis() - last_heard.as_millis() > timing.silence_limit || !browser_online() {
                    return gone(greeted);
                }
                if greeted {
                    // A message whose pause after "try later" is over, or whose answer is overdue.
                    to_send = live.state.try_update(|s| s.sends_due(at)).unwrap_or_default();
                    if at.as_millis() - last_ping.as_millis() >= timing.ping_every {
                        last_ping = at;
                        to_send.push(ClientFrame::Ping);
                    }
                }
            },
        }
        for frame in to_send {
            let Ok(text) = serde_json::to_string(&frame) else {
                continue;
            };
            if write.send(Message::Text(text)).await.is_err() {
                return gone(greeted);
            }
        }
    }
}
