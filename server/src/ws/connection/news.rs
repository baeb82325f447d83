//! What a socket waits for besides its client and its conversations: the agent's own topic
//! and the end of the socket's session.

use backend::realtime::{BusMessage, Subscription};

use crate::ws::streams;

pub(super) async fn next_agent(stream: &mut Option<Subscription>) -> Option<streams::Item> {
    match stream {
        Some(stream) => Some(stream.recv().await),
        None => std::future::pending().await,
    }
}

pub(super) type SessionNews = Option<Subscription>;

/// Whether the socket's session ended since the last look, without waiting.
pub(super) fn signed_out(session: &mut SessionNews) -> bool {
    let Some(subscription) = session else {
        return false;
    };
    match subscription.try_recv() {
        Some(Ok(message)) => matches!(*message, BusMessage::SessionEnded),
        // Only a session's end is ever published on its topic.
        Some(Err(_lagged)) => true,
        None => false,
    }
}

/// Resolves when the socket's session ends; pending forever otherwise.
pub(super) async fn session_ends(session: &mut SessionNews) {
    let Some(subscription) = session else {
        return std::future::pending().await;
    };
    loop {
        match subscription.recv().await {
            Ok(message) if matches!(*message, BusMessage::SessionEnded) => return,
            Ok(_) => {}
            Err(_lagged) => return,
        }
    }
}
