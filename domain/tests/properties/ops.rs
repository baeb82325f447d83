//! The random operations and how they become commands.

use domain::{
    AgentId, Author, Availability, Command, ConversationId, CustomerId, Ender, Scope, SpaceId,
    Start,
};
use proptest::prelude::*;
use proptest::sample::Index;

use crate::harness::Harness;

pub const AGENTS: usize = 4;
/// Round-robin order per space; a2 and a3 work in two spaces, s2 has a single member.
pub const SPACES: [&[usize]; 3] = [&[0, 1, 2], &[3, 2], &[1]];

pub fn agent(n: usize) -> AgentId {
    AgentId::new(format!("a{n}"))
}

pub fn space(n: usize) -> SpaceId {
    SpaceId::new(format!("s{n}"))
}

#[derive(Clone, Debug)]
pub enum Op {
    Start {
        space: usize,
        ai: bool,
        signed_in: bool,
    },
    Identify {
        conv: Index,
    },
    HandOff {
        conv: Index,
    },
    SetAvailability {
        agent: usize,
        space: Option<usize>,
        on: bool,
    },
    AcceptOffered {
        conv: Index,
    },
    DeclineOffered {
        conv: Index,
    },
    AcceptAnyone {
        agent: usize,
        conv: Index,
    },
    Message {
        conv: Index,
        who: u8,
    },
    Note {
        conv: Index,
        by_assignee: bool,
        agent: usize,
    },
    End {
        conv: Index,
        by_customer: bool,
    },
    Resolve {
        conv: Index,
        empty: bool,
    },
    Advance {
        ms: i64,
    },
    SetLiveChat {
        space: usize,
        on: bool,
    },
}

pub fn op() -> impl Strategy<Value = Op> {
    let conv = any::<Index>;
    prop_oneof![
        4 => (0..SPACES.len(), any::<bool>(), prop::bool::weighted(0.9))
            .prop_map(|(space, ai, signed_in)| Op::Start { space, ai, signed_in }),
        1 => conv().prop_map(|conv| Op::Identify { conv }),
        2 => conv().prop_map(|conv| Op::HandOff { conv }),
        3 => (0..AGENTS, prop::option::weighted(0.7, 0..SPACES.len()), prop::bool::weighted(0.7))
            .prop_map(|(agent, space, on)| Op::SetAvailability { agent, space, on }),
        5 => conv().prop_map(|conv| Op::AcceptOffered { conv }),
        2 => conv().prop_map(|conv| Op::DeclineOffered { conv }),
        1 => (0..AGENTS, conv()).prop_map(|(agent, conv)| Op::AcceptAnyone { agent, conv }),
        4 => (conv(), 0u8..4).prop_map(|(conv, who)| Op::Message { conv, who }),
        1 => (conv(), any::<bool>(), 0..AGENTS)
            .prop_map(|(conv, by_assignee, agent)| Op::Note { conv, by_assignee, agent }),
        2 => (conv(), any::<bool>()).prop_map(|(conv, by_customer)| Op::End { conv, by_customer }),
        3 => (conv(), prop::bool::weighted(0.1)).prop_map(|(conv, empty)| Op::Resolve { conv, empty }),
        6 => prop_oneof![0i64..=120, 90i64..=450].prop_map(|ms| Op::Advance { ms }),
        1 => (0..SPACES.len(), prop::bool::weighted(0.7))
            .prop_map(|(space, on)| Op::SetLiveChat { space, on }),
    ]
}

impl Harness {
    pub fn apply(&mut self, op: &Op) {
        let command = match op {
            Op::Start {
                space: s,
                ai,
                signed_in,
            } => {
                let id = ConversationId::new(format!("c{:03}", self.created.len()));
                let command = Command::StartConversation {
                    id: id.clone(),
                    space: space(*s),
                    customer: signed_in.then(|| CustomerId::new(format!("u-{id}"))),
                    via: if *ai {
                        Start::Ai {
                            visitor: Some(domain::VisitorId::new("v")),
                        }
                    } else {
                        Start::Direct
                    },
                };
                if self.exec(command).is_ok() {
                    self.created.push(id);
                }
                return;
            }
            Op::Advance { ms } => {
                self.now = self.now.plus(*ms);
                for conv in self.db.due(self.now) {
                    self.exec(Command::Tick {
                        conversation: conv.clone(),
                    })
                    .expect("tick");
                    let again = self
                        .exec(Command::Tick { conversation: conv })
                        .expect("tick");
                    assert!(again.is_empty(), "a second tick did something: {again:?}");
                }
                return;
            }
            Op::SetAvailability {
                agent: a,
                space: s,
                on,
            } => Command::SetAvailability {
                agent: agent(*a),
                scope: s.map_or(Scope::AllSpaces, |s| Scope::Space(space(s))),
                availability: if *on {
                    Availability::Available
                } else {
                    Availability::Unavailable
                },
            },
            Op::SetLiveChat { space: s, on } => Command::SetLiveChat {
                space: space(*s),
                on: *on,
            },
            _ => match self.conversation_command(op) {
                Some(command) => command,
                None => return,
            },
        };
        let _ = self.exec(command);
    }

    fn conversation_command(&self, op: &Op) -> Option<Command> {
        let index = match op {
            Op::Identify { conv }
            | Op::HandOff { conv }
            | Op::AcceptOffered { conv }
            | Op::DeclineOffered { conv }
            | Op::AcceptAnyone { conv, .. }
            | Op::Message { conv, .. }
            | Op::Note { conv, .. }
            | Op::End { conv, .. }
            | Op::Resolve { conv, .. } => conv,
            _ => return None,
        };
        let id = self.pick(index)?;
        let conv = &self.db.conversations[&id];
        let offered = conv
            .offer
            .as_ref()
            .map_or_else(|| agent(0), |o| o.agent.clone());
        let assignee = conv.assignee.clone().unwrap_or_else(|| agent(0));
        let conversation = id.clone();
        Some(match op {
            Op::Identify { .. } => Command::IdentifyCustomer {
                conversation,
                customer: CustomerId::new(format!("u-{id}")),
            },
            Op::HandOff { .. } => Command::HandOff {
                conversation,
                reason: domain::ai::HandoffReason::CannotHelp,
                farewell: Some("Passing you on.".into()),
            },
            Op::AcceptOffered { .. } => Command::Accept {
                agent: offered,
                conversation,
            },
            Op::DeclineOffered { .. } => Command::Decline {
                agent: offered,
                conversation,
            },
            Op::AcceptAnyone { agent: a, .. } => Command::Accept {
                agent: agent(*a),
                conversation,
            },
            Op::Message { who, .. } => Command::SendMessage {
                conversation,
                author: match who {
                    0 => Author::Customer,
                    1 => Author::Agent(assignee),
                    2 => Author::Ai,
                    _ => Author::Agent(agent(usize::from(*who) % AGENTS)),
                },
                body: "hello".into(),
                client_id: format!("m{}", self.now.as_millis()),
                attachment: None,
            },
            Op::Note {
                by_assignee,
                agent: a,
                ..
            } => Command::AddNote {
                agent: if *by_assignee { assignee } else { agent(*a) },
                conversation,
                body: "note".into(),
            },
            Op::End { by_customer, .. } => Command::EndConversation {
                conversation,
                by: if *by_customer {
                    Ender::Customer
                } else {
                    Ender::Agent(assignee)
                },
            },
            Op::Resolve { empty, .. } => Command::Resolve {
                agent: assignee,
                conversation,
                resolution: if *empty {
                    " ".into()
                } else {
                    "Answered".into()
                },
            },
            _ => return None,
        })
    }
}
