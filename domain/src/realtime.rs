//! Pure rules of realtime delivery, shared by the server and the browser: ordering of a
//! conversation's stream, typing indicators, the client's typing throttle and reconnect backoff.
//! Time is an argument, so every rule is tested on a virtual clock.

use std::collections::HashMap;
use std::hash::Hash;

use crate::time::{Millis, SECOND, Timestamp};

/// What to do with a live event given the last seq already delivered on this stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The next one in order: send it.
    Next,
    /// Already delivered (replay and live overlapped, or a resend): drop it.
    Duplicate,
    /// Events `from..=to` are missing before it (publishes from two commits crossed, or the
    /// subscriber lagged): read them from the database first, then send this one.
    Gap { from: i64, to: i64 },
}

/// Places a live event's `seq` against the last delivered one. Seqs are gap-free per
/// conversation in storage, so anything but `last + 1` is a duplicate or a gap.
pub fn place(last_delivered: i64, seq: i64) -> Delivery {
    if seq <= last_delivered {
        Delivery::Duplicate
    } else if seq == last_delivered + 1 {
        Delivery::Next
    } else {
        Delivery::Gap {
            from: last_delivered + 1,
            to: seq - 1,
        }
    }
}

/// How long a typing indicator stays up after the last "typing" signal without a new one.
pub const TYPING_EXPIRY: Millis = 6 * SECOND;

/// The client repeats "typing" at most this often while keys keep coming.
pub const TYPING_REPEAT: Millis = 2 * SECOND;

/// Who is typing in one conversation, as the receiving side tracks it. Indicators disappear on
/// "stopped", when that person's message arrives, or by themselves after [`TYPING_EXPIRY`]
/// (a tab that closed mid-word must not leave "typing…" up forever).
#[derive(Clone, Debug)]
pub struct TypingIndicators<W> {
    since: HashMap<W, Timestamp>,
}

impl<W> Default for TypingIndicators<W> {
    fn default() -> Self {
        Self {
            since: HashMap::new(),
        }
    }
}

impl<W: Eq + Hash + Clone + Ord> TypingIndicators<W> {
    /// A typing signal arrived.
    pub fn signal(&mut self, who: W, typing: bool, now: Timestamp) {
        if typing {
            self.since.insert(who, now);
        } else {
            self.since.remove(&who);
        }
    }

    /// That person's message arrived: they are no longer typing it.
    pub fn message_from(&mut self, who: &W) {
        self.since.remove(who);
    }

    /// Everyone typing at `now`, in a stable order.
    pub fn typing(&self, now: Timestamp) -> Vec<W> {
        let mut who: Vec<W> = self
            .since
            .iter()
            .filter(|(_, at)| now.as_millis() - at.as_millis() < TYPING_EXPIRY)
            .map(|(w, _)| w.clone())
            .collect();
        who.sort();
        who
    }

    /// When the earliest indicator expires, so a UI can schedule one re-render.
    pub fn next_expiry(&self) -> Option<Timestamp> {
        self.since.values().map(|at| at.plus(TYPING_EXPIRY)).min()
    }
}

/// The sender's side: turns keystrokes into few typing frames. The first keystroke sends
/// "typing", further ones repeat it at most every [`TYPING_REPEAT`] (so the receiver's expiry is
/// refreshed), and clearing the box or sending the message sends "stopped" once.
#[derive(Clone, Debug, Default)]
pub struct TypingThrottle {
    last_sent: Option<Timestamp>,
}

impl TypingThrottle {
    /// The composer's text changed. Returns the signal to send, if any.
    pub fn input(&mut self, text_is_empty: bool, now: Timestamp) -> Option<bool> {
        if text_is_empty {
            return self.stop();
        }
        match self.last_sent {
            Some(at) if now.as_millis() - at.as_millis() < TYPING_REPEAT => None,
            _ => {
                self.last_sent = Some(now);
                Some(true)
            }
        }
    }

    /// The message was sent or the composer lost its text: "stopped", once.
    pub fn stop(&mut self) -> Option<bool> {
        self.last_sent.take().map(|_| false)
    }
}

/// The receiver's side of an answer being written (`ServerFrame::Draft`): pieces are appended
/// only where they fit, so a repeated piece is ignored and a lost one stops the draft short
/// (the whole answer arrives as an event anyway). An empty piece at offset 0 clears it; the
/// answer's event clears it too (the client calls [`DraftView::clear`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftView {
    text: String,
    chars: u32,
    /// A piece went missing: later ones are not shown, the draft waits for the answer.
    stalled: bool,
}

impl DraftView {
    /// Applies a piece; returns whether what is shown changed.
    pub fn piece(&mut self, offset: u32, text: &str) -> bool {
        if offset == 0 && text.is_empty() {
            let had = !self.text.is_empty();
            *self = DraftView::default();
            return had;
        }
        if self.stalled || offset < self.chars {
            return false;
        }
        if offset > self.chars {
            self.stalled = true;
            return false;
        }
        self.text.push_str(text);
        self.chars += text.chars().count() as u32;
        true
    }

    pub fn clear(&mut self) {
        *self = DraftView::default();
    }

    /// The text so far; empty when nothing is being written.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Reconnect delays: exponential from 500 ms, capped at 15 s, with "full jitter" so a server
/// restart is not met by every tab reconnecting in the same millisecond. `unit_random` is a
/// number in `[0, 1)` supplied by the caller (the domain has no randomness of its own).
pub fn reconnect_delay(attempt: u32, unit_random: f64) -> Millis {
    const BASE: Millis = 500;
    const CAP: Millis = 15 * SECOND;
    let ceiling = BASE.saturating_mul(1_i64 << attempt.min(16)).min(CAP);
    let jitter = unit_random.clamp(0.0, 0.999_999);
    // At least half the ceiling, so a lucky draw never turns into a tight loop.
    ceiling / 2 + ((ceiling / 2) as f64 * jitter) as Millis
}
