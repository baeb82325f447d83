//! The invariants, checked on every decision's effects and on the database between commands.

use domain::{AgentId, Author, ConversationId, Effect, EventKind, SpaceId, WorkStatus};

use crate::harness::Harness;

impl Harness {
    /// Checks what each decision says happened, as it happens.
    pub fn observe(&mut self, effects: &[Effect]) {
        let mut offers = Vec::new();
        for effect in effects {
            match effect {
                Effect::Event(event) => {
                    self.observe_event(&event.conversation, event.seq, &event.kind)
                }
                Effect::OfferMade {
                    conversation,
                    agent,
                    ..
                } => {
                    offers.push((conversation.clone(), agent.clone()));
                }
                _ => {}
            }
        }
        for (conversation, offered) in offers {
            self.check_round_robin(&conversation, &offered);
        }
    }

    fn observe_event(&mut self, id: &ConversationId, seq: i64, kind: &EventKind) {
        let last = self.last_seq.entry(id.clone()).or_insert(0);
        assert_eq!(seq, *last + 1, "seq gap in {id}");
        *last = seq;
        assert!(!self.finished.contains(id), "{kind:?} after {id} was over");
        let mut count_once = |name: &'static str| {
            let seen = self.once.entry((id.clone(), name)).or_insert(0);
            *seen += 1;
            assert_eq!(*seen, 1, "{name} twice in {id}");
        };
        match kind {
            EventKind::StatusChanged { from, to } => {
                let told = self.told_status.entry(id.clone()).or_insert(None);
                assert_eq!(from, told, "StatusChanged from a status {id} was not in");
                assert!(
                    WorkStatus::is_legal_transition(*from, *to),
                    "{from:?} -> {to:?}"
                );
                *told = Some(*to);
                if *to == WorkStatus::Closed {
                    self.finished.insert(id.clone());
                }
            }
            EventKind::Message { author, .. } => {
                self.warned_since_message.remove(id);
                assert!(
                    !(*author == Author::Ai && self.handed_off.contains(id)),
                    "the AI spoke after handoff"
                );
            }
            EventKind::InactivityWarning => {
                assert!(
                    self.warned_since_message.insert(id.clone()),
                    "second warning in {id}"
                );
            }
            EventKind::HandedOff { .. } => {
                count_once("handoff");
                self.handed_off.insert(id.clone());
            }
            // From the request on, the AI is silent even before the customer signs in.
            EventKind::HandoffRequested { .. } => {
                count_once("handoff requested");
                self.handed_off.insert(id.clone());
            }
            EventKind::FallbackShown => count_once("fallback"),
            EventKind::Ended { .. } => count_once("ended"),
            EventKind::Resolved { .. } => count_once("resolved"),
            EventKind::Note { .. } | EventKind::Assigned { .. } => {}
        }
    }

    fn eligible(&self, space_id: &SpaceId, who: &AgentId) -> bool {
        let space = &self.db.spaces[space_id];
        space.is_member(who)
            && self.db.agents[who].is_available_in(space_id)
            && self.db.load_of(who) < self.db.settings.max_conversations
    }

    /// Nobody is offered twice in a row in a space while another member was eligible, held no
    /// offer and had not just declined this conversation. Loads only grow while offers are
    /// made, so judging on the state after the decision is sound.
    fn check_round_robin(&mut self, id: &ConversationId, offered: &AgentId) {
        let conv = &self.db.conversations[id];
        let space = conv.space.clone();
        if self.last_offered.get(&space) == Some(offered) {
            for other in &self.db.spaces[&space].members {
                let passed_over = other != offered
                    && conv.last_declined.as_ref() != Some(other)
                    && self.db.offers_to(other) == 0
                    && self.eligible(&space, other);
                assert!(
                    !passed_over,
                    "{offered} offered twice in a row in {space}, {other} waited"
                );
            }
        }
        // SPEC R-ROUTE-3/4: back to the decliner only when nobody else could take it.
        if conv.last_declined.as_ref() == Some(offered) {
            for other in &self.db.spaces[&space].members {
                let skipped = other != offered && self.eligible(&space, other);
                assert!(
                    !skipped,
                    "{id} went back to its decliner {offered} while {other} was free"
                );
            }
        }
        // Oldest first: no older conversation of the same space was left unoffered.
        let key =
            |c: &domain::Conversation| (c.waiting_since.unwrap_or(c.started_at), c.id.clone());
        let mine = key(conv);
        let older_unoffered = self.db.conversations.values().any(|other| {
            other.space == space && other.is_waiting() && other.offer.is_none() && key(other) < mine
        });
        assert!(
            !older_unoffered,
            "{id} was offered before an older waiting conversation"
        );
        self.last_offered.insert(space, offered.clone());
    }

    /// Invariants of the whole database between commands.
    pub fn check_world(&self) {
        let db = &self.db;
        let max = db.settings.max_conversations;
        for (id, person) in &db.agents {
            let holding = db
                .conversations
                .values()
                .filter(|c| c.is_assignee(id))
                .filter(|c| {
                    matches!(
                        c.work_status(),
                        Some(WorkStatus::Active | WorkStatus::WrappingUp)
                    )
                })
                .count();
            assert_eq!(
                person.active as usize, holding,
                "{id}'s active count drifted"
            );
            assert!(person.active <= max, "{id} is over Maximum conversations");
            assert!(
                db.load_of(id) <= max,
                "{id} was offered more than they could accept"
            );
        }
        for conv in db.conversations.values() {
            if let Some(offer) = &conv.offer {
                assert!(
                    conv.is_waiting(),
                    "{} has an offer but is {:?}",
                    conv.id,
                    conv.status
                );
                let space = &db.spaces[&conv.space];
                assert!(space.is_member(&offer.agent), "offer to a non-member");
                assert!(
                    db.agents[&offer.agent].is_available_in(&space.id),
                    "offer to Unavailable"
                );
                assert!(
                    offer.expires_at > self.now,
                    "an expired offer survived the ticks"
                );
            } else if conv.is_waiting() {
                for member in &db.spaces[&conv.space].members {
                    assert!(
                        !self.eligible(&conv.space, member),
                        "{} unoffered, {member} free",
                        conv.id
                    );
                }
            }
            let told = self.told_status.get(&conv.id).copied().flatten();
            assert_eq!(
                conv.work_status(),
                told,
                "status of {} differs from its events",
                conv.id
            );
            let events = self.last_seq.get(&conv.id).copied().unwrap_or(0);
            assert_eq!(conv.next_seq, events + 1, "next_seq of {}", conv.id);
        }
        assert!(
            db.due(self.now).is_empty(),
            "something due was left unfired"
        );
    }
}
