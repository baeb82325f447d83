//! A small simulated site on a virtual clock, for tests that read as sentences.
#![allow(dead_code)]

use domain::{
    Agent, AgentId, Author, Availability, Command, Conversation, ConversationId,
    ConversationStatus, CustomerId, DomainError, Effect, Ender, EventKind, Millis, SiteSettings,
    Space, SpaceId, Start, Timers, Timestamp, WithdrawReason, WorkStatus, World, decide,
};

pub const T0: i64 = 1_700_000_000_000;

pub struct Sim {
    pub world: World,
    pub now: Timestamp,
}

impl Sim {
    /// An empty site with SPEC timers and a limit of 3.
    pub fn new() -> Self {
        Self {
            world: World::new(SiteSettings::default()),
            now: Timestamp(T0),
        }
    }

    pub fn max(mut self, max: u32) -> Self {
        self.world.settings.max_conversations = max;
        self
    }

    pub fn timers(mut self, timers: Timers) -> Self {
        self.world.settings.timers = timers;
        self
    }

    /// A space with these members, in round-robin order; agents are created as needed and are
    /// Unavailable until [`Sim::available`].
    pub fn space(mut self, space: &str, members: &[&str]) -> Self {
        for member in members {
            let id = AgentId::new(*member);
            self.world
                .agents
                .entry(id.clone())
                .or_insert_with(|| Agent::new(id));
        }
        self.world
            .add_space(Space::new(space).with_members(members.iter().copied()));
        self
    }

    pub fn available(mut self, agent: &str, space: &str) -> Self {
        let person = self
            .world
            .agents
            .get_mut(&AgentId::new(agent))
            .expect("agent exists");
        person
            .availability
            .insert(SpaceId::new(space), Availability::Available);
        self
    }

    pub fn live_chat_off(mut self, space: &str) -> Self {
        self.world
            .spaces
            .get_mut(&SpaceId::new(space))
            .expect("space exists")
            .live_chat = false;
        self
    }

    pub fn run(&mut self, command: Command) -> Result<Vec<Effect>, DomainError> {
        decide(&mut self.world, command, self.now)
    }

    #[track_caller]
    pub fn ok(&mut self, command: Command) -> Vec<Effect> {
        let shown = format!("{command:?}");
        self.run(command)
            .unwrap_or_else(|err| panic!("{shown} failed: {err:?}"))
    }

    #[track_caller]
    pub fn err(&mut self, command: Command) -> DomainError {
        let before = self.world.clone();
        let err = self.run(command).expect_err("command should be refused");
        assert_eq!(
            self.world, before,
            "a refused command leaves the world unchanged"
        );
        err
    }

    pub fn advance(&mut self, ms: Millis) {
        self.now = self.now.plus(ms);
    }

    pub fn tick(&mut self, conv: &str) -> Vec<Effect> {
        self.ok(Command::Tick {
            conversation: cid(conv),
        })
    }

    /// A signed-in customer starts straight with the team.
    pub fn start(&mut self, conv: &str, space: &str) -> Vec<Effect> {
        self.ok(start_cmd(conv, space, Start::Direct))
    }

    pub fn start_with_ai(&mut self, conv: &str, space: &str) -> Vec<Effect> {
        self.ok(start_cmd(conv, space, Start::Ai { visitor: None }))
    }

    pub fn accept(&mut self, agent: &str, conv: &str) -> Vec<Effect> {
        self.ok(Command::Accept {
            agent: aid(agent),
            conversation: cid(conv),
        })
    }

    pub fn decline(&mut self, agent: &str, conv: &str) -> Vec<Effect> {
        self.ok(Command::Decline {
            agent: aid(agent),
            conversation: cid(conv),
        })
    }

    pub fn end_by_agent(&mut self, agent: &str, conv: &str) -> Vec<Effect> {
        self.ok(Command::EndConversation {
            conversation: cid(conv),
            by: Ender::Agent(aid(agent)),
        })
    }

    pub fn resolve(&mut self, agent: &str, conv: &str) -> Vec<Effect> {
        self.ok(resolve_cmd(agent, conv, "Done"))
    }

    pub fn say(&mut self, conv: &str, author: Author, body: &str) -> Vec<Effect> {
        self.ok(message_cmd(conv, author, body))
    }

    /// Start, accept: an Active conversation assigned to `agent`.
    pub fn active(&mut self, conv: &str, space: &str, agent: &str) {
        self.start(conv, space);
        assert_eq!(
            self.offered_to(conv).as_deref(),
            Some(agent),
            "{conv} offered to {agent}"
        );
        self.accept(agent, conv);
    }

    pub fn conv(&self, conv: &str) -> &Conversation {
        &self.world.conversations[&cid(conv)]
    }

    pub fn agent(&self, agent: &str) -> &Agent {
        &self.world.agents[&aid(agent)]
    }

    pub fn status(&self, conv: &str) -> ConversationStatus {
        self.conv(conv).status
    }

    pub fn offered_to(&self, conv: &str) -> Option<String> {
        self.conv(conv)
            .offer
            .as_ref()
            .map(|offer| offer.agent.to_string())
    }

    pub fn availability(&self, agent: &str, space: &str) -> Availability {
        self.agent(agent).availability_in(&SpaceId::new(space))
    }
}

pub fn aid(id: &str) -> AgentId {
    AgentId::new(id)
}

pub fn cid(id: &str) -> ConversationId {
    ConversationId::new(id)
}

pub fn sid(id: &str) -> SpaceId {
    SpaceId::new(id)
}

pub fn work(status: WorkStatus) -> ConversationStatus {
    ConversationStatus::Work(status)
}

pub fn start_cmd(conv: &str, space: &str, via: Start) -> Command {
    Command::StartConversation {
        id: cid(conv),
        space: sid(space),
        customer: Some(CustomerId::new(format!("customer-{conv}"))),
        via,
    }
}

pub fn resolve_cmd(agent: &str, conv: &str, resolution: &str) -> Command {
    Command::Resolve {
        agent: aid(agent),
        conversation: cid(conv),
        resolution: resolution.into(),
    }
}

pub fn message_cmd(conv: &str, author: Author, body: &str) -> Command {
    Command::SendMessage {
        conversation: cid(conv),
        author,
        body: body.into(),
        client_id: format!("client-{body}"),
        attachment: None,
    }
}

pub fn note_cmd(agent: &str, conv: &str, body: &str) -> Command {
    Command::AddNote {
        agent: aid(agent),
        conversation: cid(conv),
        body: body.into(),
    }
}

/// The durable event kinds among the effects, in order.
pub fn events(effects: &[Effect]) -> Vec<EventKind> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Event(event) => Some(event.kind.clone()),
            _ => None,
        })
        .collect()
}

/// (conversation, agent) for every offer made, in order.
pub fn offers(effects: &[Effect]) -> Vec<(String, String)> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::OfferMade {
                conversation,
                agent,
                ..
            } => Some((conversation.to_string(), agent.to_string())),
            _ => None,
        })
        .collect()
}

/// (conversation, agent, reason) for every offer withdrawn, in order.
pub fn withdrawals(effects: &[Effect]) -> Vec<(String, String, WithdrawReason)> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::OfferWithdrawn {
                conversation,
                agent,
                reason,
            } => Some((conversation.to_string(), agent.to_string(), *reason)),
            _ => None,
        })
        .collect()
}

pub fn pair(conv: &str, agent: &str) -> (String, String) {
    (conv.to_owned(), agent.to_owned())
}
