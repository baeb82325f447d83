//! Storage loads only the head of each space's queue for a routing decision
//! (`domain::routing_window`); deciding on it must be deciding on the whole queue.

use domain::{Command, World, decide, routing_window};

use crate::harness::Harness;

impl Harness {
    /// What storage loads for a routing command: settings, spaces, agents, every conversation
    /// holding an offer, the command's own, then each space's window of the oldest waiting
    /// conversations without an offer.
    fn windowed_snapshot(&self, command: &Command) -> World {
        let target = command.conversation();
        let mut view = World {
            settings: self.db.settings.clone(),
            spaces: self.db.spaces.clone(),
            agents: self.db.agents.clone(),
            conversations: Default::default(),
        };
        for conv in self.db.conversations.values() {
            if conv.offer.is_some() || Some(&conv.id) == target {
                view.add_conversation(conv.clone());
            }
        }
        for (space, count) in routing_window(&view, command) {
            let mut line: Vec<_> = self
                .db
                .conversations
                .values()
                .filter(|c| c.space == space && c.is_waiting() && c.offer.is_none())
                .map(|c| (c.waiting_since.unwrap_or(c.started_at), c.id.clone()))
                .collect();
            line.sort();
            for (_, id) in line.into_iter().take(count as usize) {
                view.add_conversation(self.db.conversations[&id].clone());
            }
        }
        view
    }

    /// Decides `command` on the window and on every waiting conversation: the effects must be
    /// the same, and so must every row the decision could write.
    pub fn check_window(&self, command: &Command) {
        let mut whole = self.snapshot(command.conversation());
        let before = whole.clone();
        let mut windowed = self.windowed_snapshot(command);
        let on_whole = decide(&mut whole, command.clone(), self.now);
        let on_window = decide(&mut windowed, command.clone(), self.now);
        assert_eq!(
            on_window, on_whole,
            "deciding {command:?} on the head of the queue differs from deciding on all of it"
        );
        if on_whole.is_err() {
            return;
        }
        assert_eq!(windowed.settings, whole.settings);
        assert_eq!(windowed.spaces, whole.spaces);
        assert_eq!(windowed.agents, whole.agents);
        for (id, conv) in &whole.conversations {
            match windowed.conversations.get(id) {
                Some(seen) => assert_eq!(seen, conv, "{id} decided differently"),
                None => assert_eq!(
                    before.conversations.get(id),
                    Some(conv),
                    "{command:?} changed {id}, which was beyond the window"
                ),
            }
        }
    }
}
