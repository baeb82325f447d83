//! Following conversations: resume and replay, ordered delivery of live events, posting
//! messages and typing signals.

use backend::{
    BackendError,
    realtime::{BusMessage, Topic, reads},
};
use domain::{
    Author, ConversationEvent, ConversationId, EventKind,
    access::may_read,
    protocol::{ErrorCode, ServerFrame, Typist},
    realtime::{Delivery, place},
};

use super::{Connection, End};
use crate::ws::streams::{self, MAX_FOLLOWED};

impl Connection {
    /// Loads the conversation and checks this socket may read it (SPEC R-VIEW-3).
    pub(super) async fn readable(
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

    pub(super) async fn resume(
        &mut self,
        conversation: ConversationId,
        last_seq: i64,
    ) -> Result<(), End> {
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

    /// Sends the stored events after the last one sent, up to `until`, one page at a time (a
    /// long history is never held in memory at once). Returns false when the database could not
    /// be read (the client was told to resync).
    pub(super) async fn fill(
        &mut self,
        conversation: &ConversationId,
        until: Option<i64>,
    ) -> Result<bool, End> {
        let after = self.streams.last_sent(conversation);
        let mut replay = reads::Replay::new(conversation.clone(), after, until);
        loop {
            match replay.next_page(&self.state.app.db).await {
                Ok(Some(events)) => {
                    for event in events {
                        self.deliver(event).await?;
                    }
                }
                Ok(None) => return Ok(true),
                Err(error) => {
                    tracing::warn!(%error, %conversation, "replay failed; asking the client to resync");
                    self.streams.unfollow(conversation);
                    self.send(&ServerFrame::Resync {
                        conversation: conversation.clone(),
                    })
                    .await?;
                    return Ok(false);
                }
            }
        }
    }

    /// Sends one event in order, filtered for customers (notes and bookkeeping stay with the team).
    pub(super) async fn deliver(&mut self, event: ConversationEvent) -> Result<(), End> {
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

    pub(super) async fn author_name(&mut self, event: &ConversationEvent) -> Option<String> {
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

    pub(super) async fn unavailable(
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

    pub(super) fn typist(&self) -> Typist {
        match &self.who.principal {
            domain::protocol::Principal::Agent { id, name } => Typist::Agent {
                id: id.clone(),
                name: name.clone(),
            },
            domain::protocol::Principal::Customer { .. } => Typist::Customer,
        }
    }

    pub(super) fn set_typing(&mut self, conversation: &ConversationId, typing: bool) {
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

    pub(super) fn stop_typing_everywhere(&mut self) {
        let conversations: Vec<_> = self.typing_in.iter().cloned().collect();
        for conversation in conversations {
            self.set_typing(&conversation, false);
        }
    }

    pub(super) async fn on_conversation(
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
                self.answer_first_if_own(event).await?;
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
            BusMessage::Draft { offset, text, .. } => {
                self.send(&ServerFrame::Draft {
                    conversation,
                    offset: *offset,
                    text: text.clone(),
                })
                .await
            }
            // Agent- and session-topic messages never arrive on a conversation topic.
            BusMessage::Offer { .. }
            | BusMessage::OfferWithdrawn { .. }
            | BusMessage::Availability { .. }
            | BusMessage::SessionEnded
            | BusMessage::OperationsChanged => Ok(()),
        }
    }
}
