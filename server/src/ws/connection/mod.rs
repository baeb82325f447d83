//! One socket's life: hello, then a loop over the client's frames, the followed conversations,
//! the agent's offers, the heartbeat and shutdown. Every client frame gets an answer or an
//! effect; nothing a client sends is dropped without telling it.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use backend::realtime::{Topic, read_marks};
use domain::{
    AgentId, ConversationId,
    access::Reader,
    protocol::{
        ClientFrame, ErrorCode, MAX_FRAME_BYTES, PROTOCOL_VERSION, ServerFrame, close,
        parse_client_frame, timing,
    },
};
use tokio::time::{Instant, MissedTickBehavior, interval};

use super::{
    WsState,
    auth::{Binding, Who},
    limits::{Kind, SocketLimiter, Verdict},
    streams::Streams,
};
use news::{next_agent, session_ends, signed_out};
use outbox::Outbox;

mod agent;
mod conversation;
mod news;
mod operations;
mod outbox;
mod read_error;

/// The server pings this often, so dead peers (no close frame) are found. The client's own
/// heartbeat and the silence after which the server gives up on it are protocol constants
/// (`domain::protocol::timing`), shared with the client.
const SERVER_PING: Duration = Duration::from_secs(20);
/// Silence after which the peer is taken for gone.
const IDLE_LIMIT: Duration = Duration::from_millis(timing::SERVER_SILENCE_LIMIT_MS);
/// How often a socket asks the session store whether its session still exists (expiry, or an
/// end on another node). Sign-out on this node closes the socket at once through the bus; this
/// is the backstop, kept rare so 10,000 idle sockets cost a few session reads a second.
const SESSION_RECHECK: Duration = Duration::from_secs(300);
/// Why a socket closes with [`close::UNAUTHORIZED`].
const SIGNED_OUT: &str = "Signed out: sign in again to chat.";

/// Why the loop ended, and what to tell the client.
enum End {
    /// The client closed or vanished: nothing to send.
    Gone,
    Close(u16, &'static str),
}

struct Connection {
    socket: WebSocket,
    state: WsState,
    who: Who,
    /// The session the socket was opened with: when it ends, the socket closes.
    binding: Binding,
    id: u64,
    streams: Streams,
    limiter: SocketLimiter,
    /// The socket's `send`s, stored in order while it goes on reading and delivering.
    outbox: Outbox,
    /// Conversations this socket said it is typing in, so "stopped" goes out when it closes.
    typing_in: HashSet<ConversationId>,
    names: HashMap<AgentId, String>,
    last_heard: Instant,
    /// The operations topic, once an admin's live view asked for it.
    operations: Option<backend::realtime::Subscription>,
}

/// Serves one socket until it closes. Built before the future starts, so the socket's task
/// holds the connection once (an `async fn` would also keep its arguments).
pub fn run(
    socket: WebSocket,
    state: WsState,
    who: Who,
    binding: Binding,
    id: u64,
) -> impl Future<Output = ()> + Send {
    let limits = state.limits;
    let connection = Connection {
        socket,
        state,
        who,
        binding,
        id,
        streams: Streams::default(),
        limiter: SocketLimiter::new(limits),
        outbox: Outbox::new(limits),
        typing_in: HashSet::new(),
        names: HashMap::new(),
        last_heard: Instant::now(),
        operations: None,
    };
    connection.live()
}

/// How long a closing socket waits for the client's close reply.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// The closing handshake: send the close frame, then read (and ignore) what the client still
/// had in flight until its close reply. Dropping a socket with unread data would make the
/// kernel reset the connection, and the client would lose the frame explaining why.
pub async fn close_socket(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let frame = Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }));
    if socket.send(frame).await.is_err() {
        return;
    }
    let _ = tokio::time::timeout(CLOSE_WAIT, async {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

impl Connection {
    async fn live(mut self) {
        // An agent's open tab counts for presence until this function returns.
        let _tab = self
            .who
            .agent()
            .map(|agent| self.state.presence.tab_opened(agent));
        let _open = backend::metrics::OpenSocket::opened(match &self.who.reader {
            Reader::Agent(_) => "agent",
            Reader::Customer(_) => "customer",
            Reader::Visitor(_) => "visitor",
        });
        let end = self.serve().await;
        self.stop_typing_everywhere();
        if let End::Close(code, reason) = end {
            Box::pin(async {
                self.finish_sending().await;
                self.close(code, reason).await;
            })
            .await;
        }
    }

    /// Closes with `code` and `reason` (see [`close_socket`]).
    async fn close(&mut self, code: u16, reason: &'static str) {
        close_socket(&mut self.socket, code, reason).await;
    }

    async fn serve(&mut self) -> End {
        // Followed before the check below, so a sign-out between the handshake and now is seen
        // by one or the other.
        let mut session = Some(
            self.state
                .app
                .engine
                .bus()
                .subscribe(&Topic::Session(self.binding.id.to_string())),
        );
        if let Ok(false) = Box::pin(self.binding.still_valid(&self.state.app.db)).await {
            return End::Close(close::UNAUTHORIZED, SIGNED_OUT);
        }
        let hello = ServerFrame::Hello {
            version: PROTOCOL_VERSION,
            you: self.who.principal.clone(),
            heartbeat_ms: timing::HEARTBEAT_MS,
        };
        if self.send(&hello).await.is_err() {
            return End::Gone;
        }
        let mut agent_stream = match self.who.agent().cloned() {
            Some(agent) => {
                let receiver = self.state.app.engine.bus().subscribe(&Topic::Agent(agent));
                if Box::pin(self.send_agent_state()).await.is_err() {
                    return End::Gone;
                }
                Some(receiver)
            }
            None => None,
        };
        let mut ping = interval(SERVER_PING);
        let mut session_checked = Instant::now();
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut shutdown = self.state.shutdown.clone();
        if *shutdown.borrow() {
            return End::Close(
                close::GOING_AWAY,
                "Baton is restarting; reconnecting shortly.",
            );
        }

        loop {
            // Checked before anything else a round does, so no frame that arrived after the
            // sign-out is acted on.
            if signed_out(&mut session) {
                return End::Close(close::UNAUTHORIZED, SIGNED_OUT);
            }
            // While the send queue is full the socket is not read (the client is slowed by
            // TCP); deliveries go on.
            let reading = self.outbox.has_room();
            let step = tokio::select! {
                posted = outbox::next_posted(&mut self.outbox.in_flight) => {
                    Box::pin(self.on_posted(posted)).await
                }
                incoming = self.socket.recv(), if reading => match incoming {
                    Some(Ok(message)) => {
                        self.last_heard = Instant::now();
                        if signed_out(&mut session) {
                            Err(End::Close(close::UNAUTHORIZED, SIGNED_OUT))
                        } else {
                            Box::pin(self.on_message(message)).await
                        }
                    }
                    Some(Err(error)) => Err(read_error::classify(&error)),
                    None => Err(End::Gone),
                },
                (conversation, item) = self.streams.next() => {
                    Box::pin(self.on_conversation(conversation, item)).await
                }
                Some(item) = next_agent(&mut agent_stream) => Box::pin(self.on_agent(item)).await,
                Some(item) = operations::next_change(&mut self.operations) => {
                    Box::pin(self.on_operations(item)).await
                }
                () = session_ends(&mut session) => Err(End::Close(close::UNAUTHORIZED, SIGNED_OUT)),
                _ = ping.tick() => {
                    // A socket not read for a while (its queue full) is not silent.
                    if !reading {
                        self.last_heard = Instant::now();
                    }
                    if self.last_heard.elapsed() > IDLE_LIMIT {
                        Err(End::Gone)
                    } else {
                        match self.socket.send(Message::Ping(Default::default())).await {
                            Err(_) => Err(End::Gone),
                            // Also the way a session that expired, or ended on another node, is
                            // noticed.
                            Ok(()) if session_checked.elapsed() < SESSION_RECHECK => Ok(()),
                            Ok(()) => match Box::pin(self.binding.still_valid(&self.state.app.db)).await {
                                Ok(true) => {
                                    session_checked = Instant::now();
                                    Ok(())
                                }
                                Ok(false) => Err(End::Close(close::UNAUTHORIZED, SIGNED_OUT)),
                                Err(error) => {
                                    tracing::debug!(%error, "cannot check a socket's session; asking again at the next ping");
                                    Ok(())
                                }
                            },
                        }
                    }
                }
                _ = shutdown.changed() => {
                    Err(End::Close(close::GOING_AWAY, "Baton is restarting; reconnecting shortly."))
                }
            };
            if let Err(end) = step {
                return end;
            }
        }
    }

    async fn send(&mut self, frame: &ServerFrame) -> Result<(), End> {
        let text = serde_json::to_string(frame).map_err(|error| {
            tracing::error!(%error, "cannot encode a server frame");
            End::Close(1011, "internal error")
        })?;
        self.socket
            .send(Message::Text(text.into()))
            .await
            .map_err(|_| End::Gone)
    }

    async fn error(
        &mut self,
        code: ErrorCode,
        message: impl Into<String>,
        conversation: Option<&ConversationId>,
        client_id: Option<&str>,
    ) -> Result<(), End> {
        self.send(&ServerFrame::Error {
            code,
            message: message.into(),
            client_id: client_id.map(str::to_string),
            conversation: conversation.cloned(),
        })
        .await
    }

    async fn on_message(&mut self, message: Message) -> Result<(), End> {
        let text = match message {
            Message::Text(text) => text,
            Message::Binary(_) => {
                return self
                    .refuse_bad_frame(
                        "Baton speaks JSON in text frames; binary frames are not read.",
                    )
                    .await;
            }
            Message::Ping(_) | Message::Pong(_) => return Ok(()),
            Message::Close(_) => return Err(End::Gone),
        };
        if text.len() > MAX_FRAME_BYTES {
            if self.limiter.strike() == Verdict::Close {
                return Err(End::Close(close::POLICY, "Too many oversized frames."));
            }
            return self
                .error(
                    ErrorCode::FrameTooLarge,
                    format!(
                        "Frames are limited to {MAX_FRAME_BYTES} bytes; this one has {}. Nothing was stored.",
                        text.len()
                    ),
                    None,
                    None,
                )
                .await;
        }
        let frame = match parse_client_frame(text.as_str()) {
            Ok(frame) => frame,
            Err(problem) => return self.refuse_bad_frame(&problem).await,
        };
        let kind = match frame {
            // Messages have their own budget, applied in the send queue in the order sent
            // (a message over the rate waits its turn there, never in this loop).
            ClientFrame::Send {
                conversation,
                client_id,
                body,
            } => return self.queue_send(conversation, client_id, body).await,
            ClientFrame::Typing { .. } => Kind::Typing,
            _ => Kind::Frame,
        };
        match self.limiter.check(kind) {
            Verdict::Allow => {}
            // Typing signals over the limit are simply not forwarded: they are ephemeral and
            // the next one carries the same news.
            Verdict::Refuse if kind == Kind::Typing => return Ok(()),
            Verdict::Refuse => {
                return self
                    .error(
                        ErrorCode::RateLimited,
                        "Slow down: too many frames per second. Nothing was stored; send it again in a moment.",
                        None,
                        None,
                    )
                    .await;
            }
            Verdict::Close => {
                return Err(End::Close(
                    close::POLICY,
                    "Too many frames; reconnect later.",
                ));
            }
        }
        self.on_frame(frame).await
    }

    async fn refuse_bad_frame(&mut self, problem: &str) -> Result<(), End> {
        if self.limiter.strike() == Verdict::Close {
            return Err(End::Close(close::POLICY, "Too many malformed frames."));
        }
        self.error(ErrorCode::BadFrame, problem, None, None).await
    }

    async fn on_frame(&mut self, frame: ClientFrame) -> Result<(), End> {
        match frame {
            ClientFrame::Resume {
                conversation,
                last_seq,
            } => self.resume(conversation, last_seq).await,
            ClientFrame::Unsubscribe { conversation } => {
                self.set_typing(&conversation, false);
                self.streams.unfollow(&conversation);
                Ok(())
            }
            // Queued by `on_message` before it gets here.
            ClientFrame::Send { .. } => Ok(()),
            ClientFrame::Typing {
                conversation,
                typing,
            } => {
                if !self.streams.is_following(&conversation) {
                    return self
                        .error(
                            ErrorCode::Forbidden,
                            "Resume the conversation before sending typing signals.",
                            Some(&conversation),
                            None,
                        )
                        .await;
                }
                self.set_typing(&conversation, typing);
                Ok(())
            }
            ClientFrame::Ack { conversation, seq } => {
                if !self.streams.is_following(&conversation) {
                    return Ok(());
                }
                let reader = self.who.reader_key();
                if let Err(error) =
                    read_marks::mark_read(&self.state.app.db, &conversation, &reader, seq).await
                {
                    // A lost read marker only shows an unread badge too long; not worth a retry.
                    tracing::warn!(%error, "could not store a read marker");
                }
                Ok(())
            }
            ClientFrame::Ping => self.send(&ServerFrame::Pong).await,
            ClientFrame::WatchOperations => self.watch_operations().await,
            // The session was settled before `hello`; a second one would be a confused client.
            ClientFrame::Auth { .. } => {
                self.refuse_bad_frame("This socket is already signed in; `auth` comes only first.")
                    .await
            }
        }
    }
}
