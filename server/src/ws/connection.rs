//! One socket's life: hello, then a loop over the client's frames, the followed conversations,
//! the agent's offers, the heartbeat and shutdown. Every client frame gets an answer or an
//! effect; nothing a client sends is dropped without telling it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use backend::{
    BackendError,
    realtime::{BusMessage, Topic, read_marks, reads},
};
use domain::{
    AgentId, Author, Command, ConversationEvent, ConversationId, EventKind,
    access::{Reader, may_read},
    protocol::{
        ClientFrame, ErrorCode, MAX_FRAME_BYTES, PROTOCOL_VERSION, ServerFrame, Typist, close,
        parse_client_frame,
    },
    realtime::{Delivery, place},
};
use tokio::time::{Instant, MissedTickBehavior, interval};
use tokio_stream::{StreamExt, wrappers::BroadcastStream};

use super::{
    WsState,
    auth::Who,
    limits::{Kind, SocketLimiter, Verdict},
    streams::{self, MAX_FOLLOWED, Streams},
};

/// The client is asked to ping at least this often.
const CLIENT_HEARTBEAT: Duration = Duration::from_secs(25);
/// The server pings this often, so dead peers (no close frame) are found.
const SERVER_PING: Duration = Duration::from_secs(20);
/// Silence after which the peer is taken for gone.
const IDLE_LIMIT: Duration = Duration::from_secs(70);

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
    id: u64,
    streams: Streams,
    limiter: SocketLimiter,
    /// Conversations this socket said it is typing in, so "stopped" goes out when it closes.
    typing_in: HashSet<ConversationId>,
    names: HashMap<AgentId, String>,
    last_heard: Instant,
}

pub async fn run(socket: WebSocket, state: WsState, who: Who, id: u64) {
    // An agent's open tab counts for presence until this function returns.
    let _tab = who.agent().map(|agent| state.presence.tab_opened(agent));
    let limits = state.limits;
    let mut connection = Connection {
        socket,
        state,
        who,
        id,
        streams: Streams::default(),
        limiter: SocketLimiter::new(limits),
        typing_in: HashSet::new(),
        names: HashMap::new(),
        last_heard: Instant::now(),
    };
    let end = connection.serve().await;
    connection.stop_typing_everywhere();
    if let End::Close(code, reason) = end {
        connection.close(code, reason).await;
    }
}

/// How long a closing socket waits for the client's close reply.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

impl Connection {
    /// The closing handshake: send the close frame, then read (and ignore) what the client still
    /// had in flight until its close reply. Dropping a socket with unread data would make the
    /// kernel reset the connection, and the client would lose the frames explaining why.
    async fn close(&mut self, code: u16, reason: &'static str) {
        let frame = Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        }));
        if self.socket.send(frame).await.is_err() {
            return;
        }
        let _ = tokio::time::timeout(CLOSE_WAIT, async {
            while let Some(Ok(message)) = self.socket.recv().await {
                if matches!(message, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }

    async fn serve(&mut self) -> End {
        let hello = ServerFrame::Hello {
            version: PROTOCOL_VERSION,
            you: self.who.principal.clone(),
            heartbeat_ms: CLIENT_HEARTBEAT.as_millis() as u64,
        };
        if self.send(&hello).await.is_err() {
            return End::Gone;
        }
        let mut agent_stream = match self.who.agent().cloned() {
            Some(agent) => {
                let receiver = self.state.app.engine.bus().subscribe(&Topic::Agent(agent));
                if self.send_agent_state().await.is_err() {
                    return End::Gone;
                }
                Some(BroadcastStream::new(receiver))
            }
            None => None,
        };
        let mut ping = interval(SERVER_PING);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut shutdown = self.state.shutdown.clone();
        if *shutdown.borrow() {
            return End::Close(
                close::GOING_AWAY,
                "Baton is restarting; reconnecting shortly.",
            );
        }

        loop {
            let step = tokio::select! {
                incoming = self.socket.recv() => match incoming {
                    Some(Ok(message)) => {
                        self.last_heard = Instant::now();
                        self.on_message(message).await
                    }
                    Some(Err(error)) => Err(classify_read_error(&error)),
                    None => Err(End::Gone),
                },
                (conversation, item) = self.streams.next() => {
                    self.on_conversation(conversation, item).await
                }
                Some(item) = next_agent(&mut agent_stream) => self.on_agent(item).await,
                _ = ping.tick() => {
                    if self.last_heard.elapsed() > IDLE_LIMIT {
                        Err(End::Gone)
                    } else {
                        self.socket.send(Message::Ping(Default::default())).await.map_err(|_| End::Gone)
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
            ClientFrame::Send { .. } => Kind::Message,
            ClientFrame::Typing { .. } => Kind::Typing,
            _ => Kind::Frame,
        };
        match self.limiter.check(kind) {
            Verdict::Allow => {}
            Verdict::Refuse => {
                let (conversation, client_id) = match &frame {
                    ClientFrame::Send {
                        conversation,
                        client_id,
                        ..
                    } => (Some(conversation.clone()), Some(client_id.clone())),
                    _ => (None, None),
                };
                // Typing signals over the limit are simply not forwarded: they are ephemeral and
                // the next one carries the same news.
                if kind == Kind::Typing {
                    return Ok(());
                }
                return self
                    .error(
                        ErrorCode::RateLimited,
                        "Slow down: too many frames per second. Nothing was stored; send it again in a moment.",
                        conversation.as_ref(),
                        client_id.as_deref(),
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
            ClientFrame::Send {
                conversation,
                client_id,
                body,
            } => self.post(conversation, client_id, body).await,
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
        }
    }

    /// Loads the conversation and checks this socket may read it (SPEC R-VIEW-3).
    async fn readable(
        &mut self,
        conversation: &ConversationId,
    ) -> Result<Option<domain::Conversation>, End> {
        match reads::conversation(&self.state.app.db, conversation).await {
            Ok(Some(conv)) if may_read(&conv, &self.who.reader) => Ok(Some(conv)),
            Ok(_) => {
                self.error(
                    ErrorCode::Forbidden,
                    "You cannot see this conversation.",
                    Some(conversation),
                    None,
                )
                .await?;
                Ok(None)
            }
            Err(error) => {
                self.unavailable(&error, Some(conversation), None).await?;
                Ok(None)
            }
        }
    }

    async fn resume(&mut self, conversation: ConversationId, last_seq: i64) -> Result<(), End> {
        if !self.streams.is_following(&conversation) && self.streams.len() >= MAX_FOLLOWED {
            return self
                .error(
                    ErrorCode::Refused,
                    format!("A tab can follow at most {MAX_FOLLOWED} conversations at once."),
                    Some(&conversation),
                    None,
                )
                .await;
        }
        if self.readable(&conversation).await?.is_none() {
            return Ok(());
        }
        let bus = self.state.app.engine.bus().clone();
        self.streams.follow(bus.as_ref(), &conversation, last_seq);
        if !self.fill(&conversation, None).await? {
            return Ok(());
        }
        // Read after the replay, so the status is at least as new as the events sent.
        let Some(conv) = self.readable(&conversation).await? else {
            self.streams.unfollow(&conversation);
            return Ok(());
        };
        let last_seq = self.streams.last_sent(&conversation);
        self.send(&ServerFrame::Synced {
            conversation,
            status: conv.status,
            last_seq,
        })
        .await
    }

    /// Sends the stored events after the last one sent, up to `until`. Returns false when the
    /// database could not be read (the client was told to resync).
    async fn fill(
        &mut self,
        conversation: &ConversationId,
        until: Option<i64>,
    ) -> Result<bool, End> {
        let after = self.streams.last_sent(conversation);
        match streams::read_events(&self.state.app.db, conversation, after, until).await {
            Ok(events) => {
                for event in events {
                    self.deliver(event).await?;
                }
                Ok(true)
            }
            Err(error) => {
                tracing::warn!(%error, %conversation, "replay failed; asking the client to resync");
                self.streams.unfollow(conversation);
                self.send(&ServerFrame::Resync {
                    conversation: conversation.clone(),
                })
                .await?;
                Ok(false)
            }
        }
    }

    /// Sends one event in order, filtered for customers (notes and bookkeeping stay with the team).
    async fn deliver(&mut self, event: ConversationEvent) -> Result<(), End> {
        let conversation = event.conversation.clone();
        let seq = event.seq;
        if self.who.reader.is_team() || event.visible_to_customer() {
            let author_name = self.author_name(&event).await;
            self.send(&ServerFrame::Event { event, author_name })
                .await?;
        }
        self.streams.mark_sent(&conversation, seq);
        Ok(())
    }

    async fn author_name(&mut self, event: &ConversationEvent) -> Option<String> {
        let agent = match &event.kind {
            EventKind::Message {
                author: Author::Agent(agent),
                ..
            }
            | EventKind::Note { agent, .. }
            | EventKind::Assigned { agent } => agent,
            _ => return None,
        };
        if let Some(name) = self.names.get(agent) {
            return Some(name.clone());
        }
        let name = reads::staff_name(&self.state.app.db, agent)
            .await
            .ok()
            .flatten()?;
        self.names.insert(agent.clone(), name.clone());
        Some(name)
    }

    async fn post(
        &mut self,
        conversation: ConversationId,
        client_id: String,
        body: String,
    ) -> Result<(), End> {
        let author = match &self.who.reader {
            Reader::Customer(_) => Author::Customer,
            Reader::Agent(agent) => Author::Agent(agent.clone()),
        };
        if self.readable(&conversation).await?.is_none() {
            return Ok(());
        }
        let command = Command::SendMessage {
            conversation: conversation.clone(),
            author,
            body,
            client_id: client_id.clone(),
        };
        match self.state.app.engine.execute(command).await {
            Ok(outcome) => {
                self.set_typing(&conversation, false);
                match outcome.message_seq() {
                    Some(seq) => {
                        self.send(&ServerFrame::Sent {
                            conversation,
                            client_id,
                            seq,
                        })
                        .await
                    }
                    None => {
                        tracing::error!(%conversation, "a stored message has no seq");
                        self.error(
                            ErrorCode::Unavailable,
                            "Your message could not be confirmed; send it again.",
                            Some(&conversation),
                            Some(&client_id),
                        )
                        .await
                    }
                }
            }
            Err(BackendError::Rule(rule)) => {
                self.error(
                    ErrorCode::Refused,
                    rule.to_string(),
                    Some(&conversation),
                    Some(&client_id),
                )
                .await
            }
            Err(BackendError::Invalid(message)) => {
                self.error(
                    ErrorCode::Refused,
                    message,
                    Some(&conversation),
                    Some(&client_id),
                )
                .await
            }
            Err(error) => {
                self.unavailable(&error, Some(&conversation), Some(&client_id))
                    .await
            }
        }
    }

    async fn unavailable(
        &mut self,
        error: &BackendError,
        conversation: Option<&ConversationId>,
        client_id: Option<&str>,
    ) -> Result<(), End> {
        tracing::error!(%error, "websocket action failed");
        let message = if client_id.is_some() {
            "Baton could not store your message just now. Nothing was lost: it will be sent again."
        } else {
            "Baton cannot reach its database just now. It will retry by itself."
        };
        self.error(ErrorCode::Unavailable, message, conversation, client_id)
            .await
    }

    fn typist(&self) -> Typist {
        match &self.who.principal {
            domain::protocol::Principal::Agent { id, name } => Typist::Agent {
                id: id.clone(),
                name: name.clone(),
            },
            domain::protocol::Principal::Customer { .. } => Typist::Customer,
        }
    }

    fn set_typing(&mut self, conversation: &ConversationId, typing: bool) {
        let changed = if typing {
            self.typing_in.insert(conversation.clone());
            true // repeated "typing" refreshes the other side's expiry
        } else {
            self.typing_in.remove(conversation)
        };
        if changed {
            self.state.app.engine.bus().publish(
                &Topic::Conversation(conversation.clone()),
                BusMessage::Typing {
                    conversation: conversation.clone(),
                    who: self.typist(),
                    typing,
                    origin: self.id,
                },
            );
        }
    }

    fn stop_typing_everywhere(&mut self) {
        let conversations: Vec<_> = self.typing_in.iter().cloned().collect();
        for conversation in conversations {
            self.set_typing(&conversation, false);
        }
    }

    async fn on_conversation(
        &mut self,
        conversation: ConversationId,
        item: streams::Item,
    ) -> Result<(), End> {
        let message = match item {
            Ok(message) => message,
            Err(lagged) => {
                // The bus dropped messages for this slow socket: rebuild from the database.
                tracing::debug!(%conversation, ?lagged, "subscriber lagged; refilling from storage");
                self.fill(&conversation, None).await?;
                return Ok(());
            }
        };
        match message.as_ref() {
            BusMessage::Event(event) => {
                match place(self.streams.last_sent(&conversation), event.seq) {
                    Delivery::Duplicate => Ok(()),
                    Delivery::Next => self.deliver(event.clone()).await,
                    Delivery::Gap { to, .. } => {
                        if self.fill(&conversation, Some(to)).await? {
                            self.deliver(event.clone()).await
                        } else {
                            Ok(())
                        }
                    }
                }
            }
            BusMessage::Typing {
                who,
                typing,
                origin,
                ..
            } => {
                if *origin == self.id
                    || (matches!(who, Typist::Customer) && !self.who.reader.is_team())
                {
                    return Ok(());
                }
                self.send(&ServerFrame::Typing {
                    conversation,
                    who: who.clone(),
                    typing: *typing,
                })
                .await
            }
            // Agent-topic messages never arrive on a conversation topic.
            BusMessage::Offer { .. }
            | BusMessage::OfferWithdrawn { .. }
            | BusMessage::Availability { .. } => Ok(()),
        }
    }

    async fn on_agent(&mut self, item: streams::Item) -> Result<(), End> {
        let Some(agent) = self.who.agent().cloned() else {
            return Ok(());
        };
        let message = match item {
            Ok(message) => message,
            // Lost offers or availability changes: send the whole state again.
            Err(_) => return self.send_agent_state().await,
        };
        match message.as_ref() {
            BusMessage::Offer { conversation, .. } => {
                match reads::offer_view(&self.state.app.db, conversation, &agent).await {
                    Ok(Some(offer)) => self.send(&ServerFrame::Offer { offer }).await,
                    // Already accepted, declined or expired by the time we looked.
                    Ok(None) => Ok(()),
                    Err(error) => {
                        tracing::warn!(%error, "could not read an offer; sending the full state");
                        self.send_agent_state().await
                    }
                }
            }
            BusMessage::OfferWithdrawn {
                conversation,
                reason,
            } => {
                self.send(&ServerFrame::OfferWithdrawn {
                    conversation: conversation.clone(),
                    reason: *reason,
                })
                .await?;
                // A preview taken while the conversation was offered ends with the offer
                // (SPEC R-VIEW-3): only the assignee and participants keep reading it.
                if self.streams.is_following(conversation) {
                    let still = reads::conversation(&self.state.app.db, conversation)
                        .await
                        .ok()
                        .flatten()
                        .is_some_and(|conv| may_read(&conv, &self.who.reader));
                    if !still {
                        self.set_typing(conversation, false);
                        self.streams.unfollow(conversation);
                    }
                }
                Ok(())
            }
            BusMessage::Availability {
                space,
                availability,
                reason,
            } => {
                self.send(&ServerFrame::Availability {
                    space: space.clone(),
                    availability: *availability,
                    reason: reason.clone(),
                })
                .await
            }
            BusMessage::Event(_) | BusMessage::Typing { .. } => Ok(()),
        }
    }

    async fn send_agent_state(&mut self) -> Result<(), End> {
        let Some(agent) = self.who.agent().cloned() else {
            return Ok(());
        };
        match reads::agent_state(&self.state.app.db, &agent).await {
            Ok((spaces, unavailable_reason, offers)) => {
                self.send(&ServerFrame::AgentState {
                    spaces,
                    unavailable_reason,
                    offers,
                })
                .await
            }
            Err(error) => self.unavailable(&error, None, None).await,
        }
    }
}

async fn next_agent(
    stream: &mut Option<BroadcastStream<Arc<BusMessage>>>,
) -> Option<streams::Item> {
    match stream {
        Some(stream) => stream.next().await,
        None => std::future::pending().await,
    }
}

fn classify_read_error(error: &axum::Error) -> End {
    let text = error.to_string();
    if text.contains("Space limit exceeded")
        || text.contains("too long")
        || text.contains("Message too big")
    {
        End::Close(close::TOO_BIG, "Frame too large.")
    } else {
        End::Gone
    }
}
