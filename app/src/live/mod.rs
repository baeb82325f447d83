//! The browser's side of `/ws`: one socket per tab that reconnects with backoff and jitter,
//! resumes every followed conversation from its last seq, and sends each conversation's
//! messages in order through its outbox. Pages read [`Live`]'s state and call its methods; they
//! never see frames.

mod agent_view;
pub mod model;
pub mod outbox;
#[cfg(feature = "browser")]
mod socket;

use domain::ConversationId;
use domain::protocol::ClientFrame;
use domain::realtime::TypingThrottle;
use leptos::prelude::*;

pub use model::{Connection, LiveState, Shown, Thread};
pub use outbox::Pending;

/// The page-wide realtime handle (a cheap copyable set of signals).
#[derive(Clone, Copy)]
pub struct Live {
    pub state: RwSignal<LiveState>,
    /// Frames for the socket task (none on the server, where nothing connects).
    outbox: StoredValue<Option<futures::channel::mpsc::UnboundedSender<ClientFrame>>>,
    throttles: StoredValue<std::collections::HashMap<ConversationId, TypingThrottle>>,
    /// What each conversation's composer holds, so switching tabs does not lose a draft.
    drafts: StoredValue<std::collections::HashMap<ConversationId, String>>,
    /// Re-rendered every second, so typing indicators expire on screen by themselves.
    pub clock: RwSignal<i64>,
}

impl Live {
    /// Creates the handle and, in the browser, opens the socket.
    pub fn start() -> Live {
        let live = Live {
            state: RwSignal::new(LiveState::default()),
            outbox: StoredValue::new(None),
            throttles: StoredValue::new(Default::default()),
            drafts: StoredValue::new(Default::default()),
            clock: RwSignal::new(0),
        };
        #[cfg(feature = "browser")]
        {
            let (sender, receiver) = futures::channel::mpsc::unbounded();
            live.outbox.set_value(Some(sender));
            socket::spawn(live, receiver);
        }
        live
    }

    /// Hands frames to the socket task. A frame that does not reach the server is not lost:
    /// the model made it from state it keeps (a resume, a message in its outbox) and makes it
    /// again after reconnecting.
    fn push(&self, frames: impl IntoIterator<Item = ClientFrame>) {
        self.outbox.with_value(|outbox| {
            if let Some(outbox) = outbox {
                for frame in frames {
                    // Only fails when the socket task has ended (page unloading).
                    let _ = outbox.unbounded_send(frame);
                }
            }
        });
    }

    pub fn follow(&self, conversation: &ConversationId) {
        let frame = self.state.try_update(|s| s.follow(conversation)).flatten();
        self.push(frame);
    }

    /// The live operations view is shown: the server tells this tab whenever what it shows
    /// changes ([`LiveState::operations_changes`]).
    pub fn watch_operations(&self) {
        let frame = self.state.try_update(|s| s.watch_operations()).flatten();
        self.push(frame);
    }

    pub fn unfollow(&self, conversation: &ConversationId) {
        let frame = self
            .state
            .try_update(|s| s.unfollow(conversation))
            .flatten();
        self.push(frame);
    }

    /// Puts a message in the conversation's outbox (it goes out in its turn, whatever the
    /// connection does meanwhile) and stops the typing indicator. True once it is in the
    /// outbox; false for blank text, which is not a message. Clear the composer only on true.
    pub fn send_message(&self, conversation: &ConversationId, body: &str) -> bool {
        let body = body.trim();
        if body.is_empty() {
            return false;
        }
        let now = now();
        let client_id = new_client_id(now);
        let Some(frames) = self
            .state
            .try_update(|s| s.compose(conversation, client_id, body.to_string(), now))
        else {
            return false;
        };
        let stop = self
            .throttles
            .try_update_value(|t| t.entry(conversation.clone()).or_default().stop())
            .flatten();
        if stop.is_some() {
            self.push([ClientFrame::Typing {
                conversation: conversation.clone(),
                typing: false,
            }]);
        }
        self.push(frames);
        self.set_draft(conversation, "");
        true
    }

    /// Sends a "Not sent" message again, with its first client id, at the end of the line.
    pub fn retry(&self, conversation: &ConversationId, client_id: &str) {
        let frames = self
            .state
            .try_update(|s| s.retry(conversation, client_id, now()))
            .unwrap_or_default();
        self.push(frames);
    }

    /// The composer's text for a conversation, kept while its panel is closed.
    pub fn draft(&self, conversation: &ConversationId) -> String {
        self.drafts
            .with_value(|d| d.get(conversation).cloned())
            .unwrap_or_default()
    }

    fn set_draft(&self, conversation: &ConversationId, text: &str) {
        self.drafts.update_value(|d| {
            if text.is_empty() {
                d.remove(conversation);
            } else {
                d.insert(conversation.clone(), text.to_string());
            }
        });
    }

    /// The composer's text changed: keep it as the draft, and maybe tell the other side
    /// (throttled).
    pub fn composing(&self, conversation: &ConversationId, text: &str) {
        self.set_draft(conversation, text);
        let now = now();
        let signal = self
            .throttles
            .try_update_value(|t| {
                t.entry(conversation.clone())
                    .or_default()
                    .input(text.trim().is_empty(), now)
            })
            .flatten();
        if let Some(typing) = signal
            && self.state.with_untracked(|s| s.is_online())
        {
            self.push([ClientFrame::Typing {
                conversation: conversation.clone(),
                typing,
            }]);
        }
    }

    pub fn ack(&self, conversation: &ConversationId, seq: i64) {
        self.push([ClientFrame::Ack {
            conversation: conversation.clone(),
            seq,
        }]);
    }

    /// Who is typing in this conversation now ("Ada Lovelace", "The customer").
    pub fn typing(&self, conversation: &ConversationId) -> Vec<String> {
        self.clock.track();
        let now = now();
        self.state.with(|s| {
            s.threads
                .get(conversation)
                .map(|t| t.typing.typing(now))
                .unwrap_or_default()
        })
    }
}

/// Now on the browser's clock (the server's clock on the server, where nothing is timed).
pub fn now() -> domain::Timestamp {
    #[cfg(feature = "browser")]
    {
        domain::Timestamp(js_sys::Date::now() as i64)
    }
    #[cfg(not(feature = "browser"))]
    {
        domain::Timestamp(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
        )
    }
}

/// A message id unique enough to make resends idempotent: time plus 64 random bits.
fn new_client_id(now: domain::Timestamp) -> String {
    #[cfg(feature = "browser")]
    let (a, b) = (js_sys::Math::random(), js_sys::Math::random());
    #[cfg(not(feature = "browser"))]
    let (a, b) = (0.5_f64, 0.25_f64);
    format!(
        "m-{:x}-{:08x}{:08x}",
        now.as_millis(),
        (a * f64::from(u32::MAX)) as u32,
        (b * f64::from(u32::MAX)) as u32
    )
}
