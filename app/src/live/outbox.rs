//! One conversation's messages on their way to the server, in the order they were typed.
//!
//! Only the first message in line is on the wire; the next one goes when the server has
//! confirmed it. The server handles one socket's frames in order, but a message it could not
//! take (over the rate, the database briefly gone, the connection dropped) comes back to the
//! client, and anything already sent behind it would be stored first. Waiting for each
//! confirmation costs one round trip per message, far less than the message rate a fast typist
//! is slowed to anyway.
//!
//! A message is never dropped: it stays here until its event is shown, as "Sending…", as "Not
//! sent" when a rule refused it or the line made no progress for [`GIVE_UP_AFTER_MS`], or as
//! stored between the server's `sent` and the event (so it never blinks off the screen). A "Not sent" message is sent again only when the
//! person asks (they may have written it again meanwhile), and always with its first client
//! id, so a first try that was stored after all is not stored twice.

use domain::Timestamp;

/// A message on the wire without `sent` for this long is sent again (the answer was lost).
pub const RESEND_AFTER_MS: i64 = 5_000;

/// A line that has not moved for this long (no connection, no answer) is shown as "Not sent".
pub const GIVE_UP_AFTER_MS: i64 = 20_000;

/// The first pause after the server asked to try later; it doubles up to [`RETRY_CAP_MS`].
pub const RETRY_FIRST_MS: i64 = 1_000;
pub const RETRY_CAP_MS: i64 = 8_000;

/// What the person is told about a message that waited too long.
pub const NO_CONNECTION: &str = "There is no connection to Baton.";
pub const NO_ANSWER: &str = "Baton did not confirm it in time.";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Waiting for its turn or for the connection; after a "try later", not before this time.
    Waiting { not_before: Option<Timestamp> },
    /// Sent at `at` on the current connection; waiting for the server's `sent`.
    OnTheWire { at: Timestamp },
    /// Could not be sent, for this reason. Sent again only through [`Outbox::retry`].
    NotSent { reason: String },
    /// The server stored it as `seq`; shown as a message until its event is.
    Stored { seq: i64 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub client_id: String,
    pub body: String,
    pub delivery: Delivery,
    /// "Try later" answers in a row, for the pause before the next try.
    tries_refused: u32,
}

impl Pending {
    pub fn not_sent(&self) -> Option<&str> {
        match &self.delivery {
            Delivery::NotSent { reason } => Some(reason),
            _ => None,
        }
    }

    pub fn stored_as(&self) -> Option<i64> {
        match self.delivery {
            Delivery::Stored { seq } => Some(seq),
            _ => None,
        }
    }

    /// Waiting to go, or gone and not yet answered.
    fn in_line(&self) -> bool {
        matches!(
            self.delivery,
            Delivery::Waiting { .. } | Delivery::OnTheWire { .. }
        )
    }
}

/// The pause after the `tries`-th "try later" in a row: 1 s, 2 s, 4 s, then 8 s.
pub fn retry_pause(tries: u32) -> i64 {
    RETRY_FIRST_MS
        .saturating_mul(1_i64 << tries.min(8))
        .min(RETRY_CAP_MS)
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbox {
    /// In the order they will be stored: typed order, a retried message moved to the end.
    items: Vec<Pending>,
    /// When the line last moved: its first message confirmed or refused, or a message put in
    /// an empty line.
    moved_at: Option<Timestamp>,
}

impl Outbox {
    /// Every message not yet confirmed, in the order it will be stored.
    pub fn items(&self) -> &[Pending] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn line_is_empty(&self) -> bool {
        !self.items.iter().any(Pending::in_line)
    }

    fn find(&mut self, client_id: &str) -> Option<&mut Pending> {
        self.items.iter_mut().find(|p| p.client_id == client_id)
    }

    /// The person wrote a message: it joins the end of the line.
    pub fn push(&mut self, client_id: String, body: String, now: Timestamp) {
        if self.line_is_empty() {
            self.moved_at = Some(now);
        }
        self.items.push(Pending {
            client_id,
            body,
            delivery: Delivery::Waiting { not_before: None },
            tries_refused: 0,
        });
    }

    /// The server stored the message as `seq` (whatever this tab thought of it): it leaves the
    /// line, and stays on screen until its event is shown.
    pub fn stored(&mut self, client_id: &str, seq: i64, now: Timestamp) {
        if let Some(pending) = self.find(client_id) {
            pending.delivery = Delivery::Stored { seq };
            self.moved_at = Some(now);
        }
    }

    /// The message's event is shown: it leaves the outbox (also when its `sent` was lost).
    pub fn shown(&mut self, client_id: &str, now: Timestamp) {
        let before = self.items.len();
        self.items.retain(|p| p.client_id != client_id);
        if self.items.len() < before {
            self.moved_at = Some(now);
        }
    }

    /// Every event up to `last_seq` is shown: stored messages among them leave the outbox.
    pub fn shown_up_to(&mut self, last_seq: i64) {
        self.items
            .retain(|p| p.stored_as().is_none_or(|seq| seq > last_seq));
    }

    /// A rule refused the message: it is shown as not sent, and the line moves on.
    pub fn refused(&mut self, client_id: &str, reason: String, now: Timestamp) {
        if let Some(pending) = self.find(client_id) {
            pending.delivery = Delivery::NotSent { reason };
            self.moved_at = Some(now);
        }
    }

    /// The server could not take the message now (rate, database): it stays first in line and
    /// goes again after a pause; nothing behind it overtakes it.
    pub fn try_later(&mut self, client_id: &str, now: Timestamp) {
        if let Some(pending) = self.find(client_id)
            && pending.in_line()
        {
            let pause = retry_pause(pending.tries_refused);
            pending.tries_refused = pending.tries_refused.saturating_add(1);
            pending.delivery = Delivery::Waiting {
                not_before: Some(now.plus(pause)),
            };
        }
    }

    /// The connection dropped: what was on the wire waits in line again, in its place.
    pub fn disconnected(&mut self) {
        for pending in &mut self.items {
            if let Delivery::OnTheWire { .. } = pending.delivery {
                pending.delivery = Delivery::Waiting { not_before: None };
            }
        }
    }

    /// The person asked to send a "Not sent" message again: it goes to the end of the line,
    /// where it will be stored, with its first client id. False if there is no such message.
    pub fn retry(&mut self, client_id: &str, now: Timestamp) -> bool {
        let Some(at) = self
            .items
            .iter()
            .position(|p| p.client_id == client_id && p.not_sent().is_some())
        else {
            return false;
        };
        let mut pending = self.items.remove(at);
        if self.line_is_empty() {
            self.moved_at = Some(now);
        }
        pending.delivery = Delivery::Waiting { not_before: None };
        pending.tries_refused = 0;
        self.items.push(pending);
        true
    }

    /// A line that has not moved for [`GIVE_UP_AFTER_MS`] gives up: every message in it is
    /// shown as not sent (the ones behind the first could not overtake it). True if any did.
    pub fn give_up_if_stuck(&mut self, online: bool, now: Timestamp) -> bool {
        let stuck = !self.line_is_empty()
            && self
                .moved_at
                .is_some_and(|at| now.as_millis() - at.as_millis() >= GIVE_UP_AFTER_MS);
        if !stuck {
            return false;
        }
        let reason = if online { NO_ANSWER } else { NO_CONNECTION };
        for pending in self.items.iter_mut().filter(|p| p.in_line()) {
            pending.delivery = Delivery::NotSent {
                reason: reason.to_string(),
            };
        }
        true
    }

    /// The message to put on the wire now, if any: the first in line when its turn has come,
    /// or again when its `sent` is overdue. Call only while connected.
    pub fn due(&mut self, now: Timestamp) -> Option<(String, String)> {
        let first = self.items.iter_mut().find(|p| p.in_line())?;
        let go = match first.delivery {
            Delivery::Waiting { not_before } => not_before.is_none_or(|t| t <= now),
            Delivery::OnTheWire { at } => now.as_millis() - at.as_millis() >= RESEND_AFTER_MS,
            Delivery::NotSent { .. } | Delivery::Stored { .. } => false,
        };
        go.then(|| {
            first.delivery = Delivery::OnTheWire { at: now };
            (first.client_id.clone(), first.body.clone())
        })
    }
}

#[cfg(test)]
#[path = "outbox_tests.rs"]
mod tests;
