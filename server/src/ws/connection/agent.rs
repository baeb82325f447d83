//! The agent's own stream: offers, their withdrawal and availability changes.

use backend::realtime::{BusMessage, reads};
use domain::{access::may_read, protocol::ServerFrame};

use super::{Connection, End};
use crate::ws::streams;

impl Connection {
    pub(super) async fn on_agent(&mut self, item: streams::Item) -> Result<(), End> {
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
            BusMessage::Event(_)
            | BusMessage::Typing { .. }
            | BusMessage::Draft { .. }
            | BusMessage::SessionEnded
            | BusMessage::OperationsChanged => Ok(()),
        }
    }

    pub(super) async fn send_agent_state(&mut self) -> Result<(), End> {
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
