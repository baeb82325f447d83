//! The harness: the storage layer's database, and decisions on exactly what storage loads.

use std::collections::{BTreeMap, BTreeSet};

use domain::{
    Agent, AgentId, Availability, Command, ConversationId, DomainError, Effect, SiteSettings,
    Space, SpaceId, Timers, Timestamp, WorkStatus, World, decide,
};
use proptest::sample::Index;

use crate::ops::{AGENTS, SPACES, agent, space};

/// The storage layer's whole database plus what the checks remember across commands.
pub struct Harness {
    pub db: World,
    pub now: Timestamp,
    pub created: Vec<ConversationId>,
    /// Per conversation: the work status as told by StatusChanged events.
    pub told_status: BTreeMap<ConversationId, Option<WorkStatus>>,
    pub last_seq: BTreeMap<ConversationId, i64>,
    pub once: BTreeMap<(ConversationId, &'static str), u32>,
    pub warned_since_message: BTreeSet<ConversationId>,
    pub handed_off: BTreeSet<ConversationId>,
    pub finished: BTreeSet<ConversationId>,
    pub last_offered: BTreeMap<SpaceId, AgentId>,
    /// Also decide every command on what storage loads for routing (the head of each queue)
    /// and check it decides the same (see `window.rs`).
    pub windowed: bool,
}

impl Harness {
    pub fn new(max: u32, available: &[bool]) -> Self {
        let timers = Timers {
            offer_timeout: 100,
            accept_deadline: 1_000,
            inactivity_warning: 400,
            inactivity_grace: 150,
            max_duration: 2_500,
        };
        let mut db = World::new(SiteSettings::new(max, timers).unwrap());
        for n in 0..AGENTS {
            db.add_agent(Agent::new(agent(n)));
        }
        let mut flags = available.iter().copied().cycle();
        for (n, members) in SPACES.iter().enumerate() {
            db.add_space(Space::new(space(n)).with_members(members.iter().map(|&m| agent(m))));
            for &m in *members {
                if flags.next().unwrap_or(true) {
                    let person = db.agents.get_mut(&agent(m)).unwrap();
                    person
                        .availability
                        .insert(space(n), Availability::Available);
                }
            }
        }
        Self {
            db,
            now: Timestamp(1_000_000),
            created: Vec::new(),
            told_status: BTreeMap::new(),
            last_seq: BTreeMap::new(),
            once: BTreeMap::new(),
            warned_since_message: BTreeSet::new(),
            handed_off: BTreeSet::new(),
            finished: BTreeSet::new(),
            last_offered: BTreeMap::new(),
            windowed: false,
        }
    }

    pub fn pick(&self, index: &Index) -> Option<ConversationId> {
        (!self.created.is_empty()).then(|| index.get(&self.created).clone())
    }

    /// What storage loads for this command.
    pub fn snapshot(&self, target: Option<&ConversationId>) -> World {
        let mut view = World {
            settings: self.db.settings.clone(),
            spaces: self.db.spaces.clone(),
            agents: self.db.agents.clone(),
            conversations: BTreeMap::new(),
        };
        for conv in self.db.conversations.values() {
            if conv.is_waiting() || Some(&conv.id) == target {
                view.add_conversation(conv.clone());
            }
        }
        view
    }

    pub fn exec(&mut self, command: Command) -> Result<Vec<Effect>, DomainError> {
        if self.windowed {
            self.check_window(&command);
        }
        let mut view = self.snapshot(command.conversation());
        let before = view.clone();
        let result = decide(&mut view, command, self.now);
        match &result {
            Err(_) => assert_eq!(view, before, "a refused command changed the world"),
            Ok(effects) => {
                self.db.settings = view.settings;
                self.db.spaces = view.spaces;
                self.db.agents = view.agents;
                self.db.conversations.extend(view.conversations);
                self.observe(effects);
            }
        }
        result
    }
}
