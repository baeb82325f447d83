//! The agent's routing state as a tab shows it: availability per space, live offers, and why
//! the last offer went away. Fed by the agent's own frames; plain data, like the rest of the model.

use domain::UnavailableReason;
use domain::protocol::{OfferView, ServerFrame, SpaceAvailability};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentView {
    pub spaces: Vec<SpaceAvailability>,
    pub unavailable_reason: Option<UnavailableReason>,
    pub offers: Vec<OfferView>,
    /// Why the last offer disappeared, shown briefly.
    pub withdrawn_note: Option<String>,
}

impl AgentView {
    /// Applies one of the agent's frames; others are not about the agent and change nothing.
    pub fn apply(&mut self, frame: ServerFrame) {
        match frame {
            ServerFrame::AgentState {
                spaces,
                unavailable_reason,
                offers,
            } => {
                self.spaces = spaces;
                self.unavailable_reason = unavailable_reason;
                self.offers = offers;
            }
            ServerFrame::Offer { offer } => {
                self.offers.retain(|o| o.conversation != offer.conversation);
                self.offers.push(offer);
                self.withdrawn_note = None;
            }
            ServerFrame::OfferWithdrawn {
                conversation,
                reason,
            } => {
                let had = self.offers.len();
                self.offers.retain(|o| o.conversation != conversation);
                if self.offers.len() < had {
                    self.withdrawn_note = withdrawn_note(reason);
                }
            }
            ServerFrame::Availability {
                space,
                availability,
                reason,
            } => {
                if let Some(entry) = self.spaces.iter_mut().find(|s| s.space == space) {
                    entry.availability = availability;
                }
                if availability == domain::Availability::Unavailable {
                    self.unavailable_reason = Some(reason);
                } else if self
                    .spaces
                    .iter()
                    .all(|s| s.availability == domain::Availability::Available)
                {
                    self.unavailable_reason = None;
                }
            }
            _ => {}
        }
    }
}

fn withdrawn_note(reason: domain::WithdrawReason) -> Option<String> {
    use domain::WithdrawReason as W;
    Some(
        match reason {
            W::Accepted => return None,
            W::Declined => "You declined the conversation; it was offered to the next agent.",
            W::Expired => "The offer ran out of time and went to the next agent.",
            W::Ended => "The customer left before the conversation was accepted.",
            W::NoAcceptInTime => {
                "Nobody accepted the conversation in time, so it closed and the customer saw the Fallback message."
            }
            W::AgentUnavailable => "You are Unavailable, so the offer went to the next agent.",
        }
        .to_string(),
    )
}
