//! Routing on a long queue, through the real store, on SQLite and PostgreSQL: a routing command
//! loads only the head of each space's queue, and offers still go to the oldest first.

mod support;

use std::sync::Arc;

use backend::{
    Db, Engine,
    clock::ManualClock,
    store::backlog::{self, Queued},
    widget,
};
use domain::{
    AgentId, Availability, Command, ConversationId, CustomerId, Effect, Ender, Scope, Timers,
    Timestamp,
};
use support::people::{agent_in, customer, site_with_space, space};

const T0: i64 = 1_800_000_000_000;
const WAITING: usize = 10_000;

conformance!(r_route_2_with_ten_thousand_waiting_the_oldest_are_offered_first_in_order,);

struct Site {
    engine: Engine,
    ada: AgentId,
    grace: AgentId,
    alan: AgentId,
    customer: CustomerId,
    /// The routed space's queue, oldest first.
    queue: Vec<ConversationId>,
}

/// Ids unrelated to the queue's order, so only `waiting_since` can put the line in order.
fn scrambled(i: usize) -> ConversationId {
    let mixed = (i as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    ConversationId::new(uuid::Uuid::from_u128(mixed).to_string())
}

/// Maximum conversations 2; three agents in Support, all Unavailable, behind 10,000 waiting
/// conversations written in a scrambled order; and an older queue in another space whose only
/// agent is away, which must stay as it is.
async fn site(db: &Db) -> Site {
    let support = site_with_space(db, "Support").await;
    sqlx::query("UPDATE site_settings SET max_conversations = 2 WHERE id = 1")
        .execute(&db.pool)
        .await
        .unwrap();
    let ada = agent_in(db, &support, "Ada").await;
    let grace = agent_in(db, &support, "Grace").await;
    let alan = agent_in(db, &support, "Alan").await;
    let billing = space(db, "Billing").await;
    agent_in(db, &billing, "Otto").await;
    let customer = customer(db, "Casey").await;
    let queued = |space: &str, i: usize, since: i64| Queued {
        id: ConversationId::new(format!("{space}-{}", scrambled(i))),
        customer: customer.clone(),
        waiting_since: Timestamp(since),
    };
    let older: Vec<Queued> = (0..50)
        .map(|i| queued("billing", i, T0 - 60_000 + i as i64))
        .collect();
    backlog::fill(db, &billing, &Timers::default(), &older)
        .await
        .unwrap();
    let line: Vec<Queued> = (0..WAITING)
        .map(|i| queued("support", i, T0 - WAITING as i64 + i as i64))
        .collect();
    // Written in a scrambled order too (7919 is prime, so this visits every place once).
    let written: Vec<Queued> = (0..WAITING)
        .map(|i| line[(i * 7919) % WAITING].clone())
        .collect();
    backlog::fill(db, &support, &Timers::default(), &written)
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::starting_at(T0));
    Site {
        engine: Engine::new(db.clone(), Timers::default(), clock),
        ada,
        grace,
        alan,
        customer,
        queue: line.into_iter().map(|q| q.id).collect(),
    }
}

fn offers(effects: &[Effect]) -> Vec<(ConversationId, AgentId)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::OfferMade {
                conversation,
                agent,
                ..
            } => Some((conversation.clone(), agent.clone())),
            _ => None,
        })
        .collect()
}

impl Site {
    async fn run(&self, command: Command) -> Vec<(ConversationId, AgentId)> {
        offers(&self.engine.execute(command).await.unwrap().effects)
    }

    async fn availability(
        &self,
        agent: &AgentId,
        availability: Availability,
    ) -> Vec<(ConversationId, AgentId)> {
        self.run(Command::SetAvailability {
            agent: agent.clone(),
            scope: Scope::AllSpaces,
            availability,
        })
        .await
    }

    /// Accept, end and resolve: the agent's slot is free again (SPEC R-LIFE-4, R-ROUTE-10).
    async fn work_through(
        &self,
        agent: &AgentId,
        id: &ConversationId,
    ) -> Vec<(ConversationId, AgentId)> {
        let mut offered = self
            .run(Command::Accept {
                agent: agent.clone(),
                conversation: id.clone(),
            })
            .await;
        offered.extend(
            self.run(Command::EndConversation {
                conversation: id.clone(),
                by: Ender::Agent(agent.clone()),
            })
            .await,
        );
        offered.extend(
            self.run(Command::Resolve {
                agent: agent.clone(),
                conversation: id.clone(),
                resolution: "Done".into(),
            })
            .await,
        );
        offered
    }

    fn q(&self, place: usize) -> ConversationId {
        self.queue[place].clone()
    }

    /// The conversations holding an offer in a space, oldest first.
    async fn offered_in(&self, space: &str) -> Vec<String> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT c.id FROM conversations c JOIN spaces s ON s.id = c.space_id \
             WHERE s.name = $1 AND c.offer_agent_id IS NOT NULL ORDER BY c.waiting_since, c.id",
        )
        .bind(space)
        .fetch_all(&self.engine.db().pool)
        .await
        .unwrap();
        rows.into_iter().map(|(id,)| id).collect()
    }
}

// SPEC R-ROUTE-2, R-ROUTE-3, R-ROUTE-4, R-ROUTE-10, R-LIFE-4
async fn r_route_2_with_ten_thousand_waiting_the_oldest_are_offered_first_in_order(db: &Db) {
    let s = site(db).await;
    let (ada, grace, alan) = (&s.ada, &s.grace, &s.alan);

    // Agents coming in take the oldest, in order, up to their limit.
    assert_eq!(
        s.availability(ada, Availability::Available).await,
        vec![(s.q(0), ada.clone()), (s.q(1), ada.clone())]
    );
    assert_eq!(
        s.availability(grace, Availability::Available).await,
        vec![(s.q(2), grace.clone()), (s.q(3), grace.clone())]
    );

    // A freed slot takes the next oldest.
    assert_eq!(
        s.work_through(ada, &s.q(0)).await,
        vec![(s.q(4), ada.clone())]
    );

    // A declined conversation keeps its place: back to the decliner, the only one with room.
    assert_eq!(
        s.run(Command::Decline {
            agent: grace.clone(),
            conversation: s.q(2),
        })
        .await,
        vec![(s.q(2), grace.clone())]
    );

    assert_eq!(
        s.availability(alan, Availability::Available).await,
        vec![(s.q(5), alan.clone()), (s.q(6), alan.clone())]
    );
    // Going away hands the offers back to the line, still at its head…
    assert_eq!(
        s.availability(alan, Availability::Unavailable).await,
        vec![]
    );
    // …so the next free slot takes the oldest of them.
    assert_eq!(
        s.work_through(grace, &s.q(2)).await,
        vec![(s.q(5), grace.clone())]
    );

    // Raising the limit offers the next ones at once, still in order.
    let raised = s
        .run(Command::SetMaxConversations { max: 3 })
        .await
        .into_iter()
        .map(|(conversation, _)| conversation)
        .collect::<Vec<_>>();
    assert_eq!(raised, vec![s.q(6), s.q(7)]);

    let held: Vec<String> = [1, 3, 4, 5, 6, 7].map(|i| s.q(i).to_string()).into();
    assert_eq!(s.offered_in("Support").await, held);
    assert_eq!(
        s.offered_in("Billing").await,
        Vec::<String>::new(),
        "nobody is Available in Billing"
    );
    // The last in line is told its place: everyone still waiting is ahead of it.
    assert_eq!(
        widget::queue_position(db, &s.q(WAITING - 1), &s.customer)
            .await
            .unwrap(),
        Some(WAITING as i64 - 2)
    );
}
