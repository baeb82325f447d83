//! The live operations view's stream: an admin's socket that sent `watch_operations` follows
//! the operations topic and gets `operations_changed` whenever the queue, an agent's
//! availability or load, or an offer changes; the page reads its view again (with the viewer's
//! own scope), so no figure crosses the socket.

use backend::realtime::{Subscription, Topic};
use domain::protocol::{ErrorCode, ServerFrame};

use super::{Connection, End};
use crate::ws::streams;

pub(super) async fn next_change(stream: &mut Option<Subscription>) -> Option<streams::Item> {
    match stream {
        Some(stream) => Some(stream.recv().await),
        None => std::future::pending().await,
    }
}

impl Connection {
    /// `watch_operations`: site and space admins only.
    pub(super) async fn watch_operations(&mut self) -> Result<(), End> {
        let Some(agent) = self.who.agent().cloned() else {
            return self.refuse_operations().await;
        };
        let actor = match backend::store::Actor::load(&self.state.app.db, agent.as_str()).await {
            Ok(actor) => actor,
            Err(error) => {
                tracing::warn!(%error, "cannot read a staff member's roles for the live view");
                return self
                    .error(
                        ErrorCode::Unavailable,
                        "Baton cannot check your roles right now; reload the page to try again.",
                        None,
                        None,
                    )
                    .await;
            }
        };
        if !actor.roles.site_admin && actor.roles.space_admin_of.is_empty() {
            return self.refuse_operations().await;
        }
        if self.operations.is_none() {
            self.operations = Some(self.state.app.engine.bus().subscribe(&Topic::Operations));
        }
        Ok(())
    }

    async fn refuse_operations(&mut self) -> Result<(), End> {
        self.error(
            ErrorCode::Forbidden,
            "The live operations view is for site and space admins.",
            None,
            None,
        )
        .await
    }

    /// A change (or a lag, after which anything may have changed): one frame for all that is
    /// queued, so a burst of routing costs the page one read.
    pub(super) async fn on_operations(&mut self, _item: streams::Item) -> Result<(), End> {
        if let Some(stream) = &mut self.operations {
            while stream.try_recv().is_some() {}
        }
        self.send(&ServerFrame::OperationsChanged).await
    }
}
