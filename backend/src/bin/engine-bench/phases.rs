//! What is measured: routing cycles on the pre-filled queue, and message senders.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use domain::{AgentId, Author, Availability, Command, ConversationId, Ender, Scope, Start};

use crate::setup::{Bench, offered_to};

/// Routing commands timed one by one, nothing else running.
pub struct Routing {
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
}

/// Concurrent senders with routing cycles beside them.
pub struct Mixed {
    pub commands: usize,
    /// Until every command, routing included, was answered.
    pub elapsed: Duration,
    pub persisted: i64,
    /// Until the last message was answered.
    pub messages_elapsed: Duration,
    pub message_latencies: Vec<Duration>,
    pub routing_latencies: Vec<Duration>,
}

async fn timed(bench: &Bench, command: Command, into: &mut Vec<Duration>) -> Vec<domain::Effect> {
    let started = Instant::now();
    let outcome = bench.engine.execute(command).await.unwrap();
    into.push(started.elapsed());
    outcome.effects
}

/// The oldest conversation offered to `agent`, if any.
async fn oldest_offer(bench: &Bench, agent: &AgentId) -> Option<ConversationId> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM conversations WHERE offer_agent_id = $1 AND status = 'waiting_for_agent' \
         ORDER BY waiting_since, id LIMIT 1",
    )
    .bind(agent.as_str())
    .fetch_optional(&bench.db.pool)
    .await
    .unwrap();
    row.map(|(id,)| ConversationId::new(id))
}

/// One cycle for one agent, every command timed: a new customer joins the back of the queue;
/// the agent goes Unavailable (their offers move on) and Available again (offers come back,
/// oldest first); declines their oldest offer (offered on: back to them when everyone else is
/// full, SPEC R-ROUTE-4); whoever holds it accepts, ends and resolves it, which frees a slot
/// for the next oldest. The queue keeps its length: one in, one out.
async fn cycle(bench: &Bench, agent: &AgentId, into: &mut Vec<Duration>) {
    timed(
        bench,
        Command::StartConversation {
            id: ConversationId::new(uuid::Uuid::now_v7().to_string()),
            space: bench.space.clone(),
            customer: Some(bench.customer.clone()),
            via: Start::Direct,
        },
        into,
    )
    .await;
    for availability in [Availability::Unavailable, Availability::Available] {
        timed(
            bench,
            Command::SetAvailability {
                agent: agent.clone(),
                scope: Scope::AllSpaces,
                availability,
            },
            into,
        )
        .await;
    }
    let Some(declined) = oldest_offer(bench, agent).await else {
        return;
    };
    let effects = timed(
        bench,
        Command::Decline {
            agent: agent.clone(),
            conversation: declined.clone(),
        },
        into,
    )
    .await;
    let Some(holder) = offered_to(&effects, &declined) else {
        return;
    };
    timed(
        bench,
        Command::Accept {
            agent: holder.clone(),
            conversation: declined.clone(),
        },
        into,
    )
    .await;
    timed(
        bench,
        Command::EndConversation {
            conversation: declined.clone(),
            by: Ender::Agent(holder.clone()),
        },
        into,
    )
    .await;
    timed(
        bench,
        Command::Resolve {
            agent: holder,
            conversation: declined,
            resolution: "Done".into(),
        },
        into,
    )
    .await;
}

pub async fn routing_alone(bench: &Bench, cycles: usize) -> Routing {
    let mut latencies = Vec::new();
    let started = Instant::now();
    for n in 0..cycles {
        let agent = &bench.agents[n % bench.agents.len()];
        cycle(bench, agent, &mut latencies).await;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Routing { latencies, elapsed }
}

async fn stored_messages(bench: &Bench) -> i64 {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM conversation_events WHERE kind = 'message'")
            .fetch_one(&bench.db.pool)
            .await
            .unwrap();
    count
}

/// `concurrency` senders share `messages` messages over the chat conversations (customer and
/// agent in turn), each through `Engine::execute` and acknowledged after commit, while one
/// task keeps running routing cycles. Persisted messages are counted in the database.
pub async fn mixed(bench: &Bench, messages: usize, concurrency: usize) -> Mixed {
    let before = stored_messages(bench).await;
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let senders: Vec<_> = (0..concurrency)
        .map(|_| {
            let engine = bench.engine.clone();
            let chats = bench.chats.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= messages {
                        break;
                    }
                    let (id, agent) = &chats[n % chats.len()];
                    let author = if (n / chats.len()) % 2 == 0 {
                        Author::Customer
                    } else {
                        Author::Agent(agent.clone())
                    };
                    let t = Instant::now();
                    engine
                        .execute(Command::SendMessage {
                            conversation: id.clone(),
                            author,
                            body: format!("message {n}"),
                            client_id: uuid::Uuid::now_v7().to_string(),
                        })
                        .await
                        .unwrap();
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let routing = {
        let done = done.clone();
        async move {
            let mut latencies = Vec::new();
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                cycle(bench, &bench.agents[n % bench.agents.len()], &mut latencies).await;
                n += 1;
            }
            latencies
        }
    };
    let messages_done = async {
        let mut all = Vec::new();
        for sender in senders {
            all.extend(sender.await.unwrap());
        }
        done.store(true, Ordering::Relaxed);
        (all, started.elapsed())
    };
    let ((mut message_latencies, messages_elapsed), mut routing_latencies) =
        tokio::join!(messages_done, routing);
    let elapsed = started.elapsed();
    let persisted = stored_messages(bench).await - before;
    message_latencies.sort();
    routing_latencies.sort();
    Mixed {
        commands: message_latencies.len() + routing_latencies.len(),
        elapsed,
        persisted,
        messages_elapsed,
        message_latencies,
        routing_latencies,
    }
}
