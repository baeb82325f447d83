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

/// The answered commands' latencies, and how many failed (a failed routing command ends its
/// cycle; the next starts afresh).
#[derive(Default)]
pub struct Record {
    pub latencies: Vec<Duration>,
    pub failed: usize,
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
    /// Commands answered with an error (on SQLite: a write lock not had within the busy timeout).
    pub failed: usize,
}

async fn timed(bench: &Bench, command: Command, into: &mut Record) -> Option<Vec<domain::Effect>> {
    let started = Instant::now();
    match bench.engine.execute(command).await {
        Ok(outcome) => {
            into.latencies.push(started.elapsed());
            Some(outcome.effects)
        }
        Err(_) => {
            into.failed += 1;
            None
        }
    }
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
async fn cycle(bench: &Bench, agent: &AgentId, into: &mut Record) -> Option<()> {
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
    .await?;
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
        .await?;
    }
    let declined = oldest_offer(bench, agent).await?;
    let effects = timed(
        bench,
        Command::Decline {
            agent: agent.clone(),
            conversation: declined.clone(),
        },
        into,
    )
    .await?;
    let holder = offered_to(&effects, &declined)?;
    timed(
        bench,
        Command::Accept {
            agent: holder.clone(),
            conversation: declined.clone(),
        },
        into,
    )
    .await?;
    timed(
        bench,
        Command::EndConversation {
            conversation: declined.clone(),
            by: Ender::Agent(holder.clone()),
        },
        into,
    )
    .await?;
    timed(
        bench,
        Command::Resolve {
            agent: holder,
            conversation: declined,
            resolution: "Done".into(),
        },
        into,
    )
    .await?;
    Some(())
}

pub async fn routing_alone(bench: &Bench, cycles: usize) -> Routing {
    let mut record = Record::default();
    let started = Instant::now();
    for n in 0..cycles {
        let agent = &bench.agents[n % bench.agents.len()];
        cycle(bench, agent, &mut record).await;
    }
    let elapsed = started.elapsed();
    assert_eq!(
        record.failed, 0,
        "a routing command failed with nothing else running"
    );
    let mut latencies = record.latencies;
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
                let mut record = Record::default();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= messages {
                        break;
                    }
                    let (id, agent) = &chats[n % chats.len()];
                    let author = if (n / chats.len()).is_multiple_of(2) {
                        Author::Customer
                    } else {
                        Author::Agent(agent.clone())
                    };
                    let t = Instant::now();
                    let sent = engine
                        .execute(Command::SendMessage {
                            conversation: id.clone(),
                            author,
                            body: format!("message {n}"),
                            client_id: uuid::Uuid::now_v7().to_string(),
                            attachment: None,
                        })
                        .await;
                    match sent {
                        Ok(_) => record.latencies.push(t.elapsed()),
                        Err(_) => record.failed += 1,
                    }
                }
                record
            })
        })
        .collect();
    let routing = {
        let done = done.clone();
        async move {
            let mut record = Record::default();
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                cycle(bench, &bench.agents[n % bench.agents.len()], &mut record).await;
                n += 1;
            }
            record
        }
    };
    let messages_done = async {
        let mut all = Record::default();
        for sender in senders {
            let record = sender.await.expect("a sender ran to its end");
            all.latencies.extend(record.latencies);
            all.failed += record.failed;
        }
        done.store(true, Ordering::Relaxed);
        (all, started.elapsed())
    };
    let ((sent, messages_elapsed), routed) = tokio::join!(messages_done, routing);
    let elapsed = started.elapsed();
    let persisted = stored_messages(bench).await - before;
    let failed = sent.failed + routed.failed;
    let (mut message_latencies, mut routing_latencies) = (sent.latencies, routed.latencies);
    message_latencies.sort();
    routing_latencies.sort();
    Mixed {
        commands: message_latencies.len() + routing_latencies.len(),
        elapsed,
        persisted,
        messages_elapsed,
        message_latencies,
        routing_latencies,
        failed,
    }
}
