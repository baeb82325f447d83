//! Issue 15, item 11, through the real store on SQLite and PostgreSQL: resends are recognised
//! per author, a long history is read in bounded pages, and a failing timer neither blocks the
//! others nor is retried in a tight loop.

mod support;

use std::sync::Arc;

use backend::{
    Db, Engine,
    clock::ManualClock,
    engine::scheduler::{RETRY_FIRST, RETRY_MAX},
    realtime::reads::{self, REPLAY_PAGE},
    store::spaces,
};
use domain::{
    AgentId, Author, Command, ConversationEvent, ConversationId, CustomerId, EventKind, SECOND,
    SpaceId, Timers, Timestamp,
};
use support::{
    chat::{available, start_direct},
    people::{agent_in, customer, site_with_space},
};

conformance!(
    an_agents_message_with_the_customers_client_id_is_stored_not_taken_for_a_resend,
    the_database_refuses_one_author_reusing_a_client_id_but_not_two_authors_sharing_one,
    a_long_history_is_read_in_pages_no_larger_than_the_page_limit,
    a_due_timer_fires_even_when_five_hundred_failing_conversations_are_due_before_it,
    a_conversation_whose_tick_keeps_failing_is_retried_later_and_later_up_to_a_minute,
);

const T0: i64 = 1_800_000_000_000;

struct Site {
    engine: Engine,
    clock: Arc<ManualClock>,
    space: SpaceId,
    agent: AgentId,
    customer: CustomerId,
}

async fn site(db: &Db) -> Site {
    let space = site_with_space(db, "Support").await;
    let agent = agent_in(db, &space, "Ada").await;
    let customer = customer(db, "Casey").await;
    let clock = Arc::new(ManualClock::starting_at(T0));
    Site {
        engine: Engine::new(db.clone(), Timers::default(), clock.clone()),
        clock,
        space,
        agent,
        customer,
    }
}

impl Site {
    async fn available(&self) {
        available(&self.engine, &self.agent).await;
    }

    async fn start(&self, id: &str) -> ConversationId {
        let id = ConversationId::new(id);
        start_direct(&self.engine, &id, &self.space, &self.customer).await;
        id
    }

    async fn active_chat(&self, id: &str) -> ConversationId {
        self.available().await;
        let id = self.start(id).await;
        self.engine
            .execute(Command::Accept {
                agent: self.agent.clone(),
                conversation: id.clone(),
            })
            .await
            .unwrap();
        id
    }

    async fn say(&self, id: &ConversationId, author: Author, client_id: &str, body: &str) -> i64 {
        self.engine
            .execute(Command::SendMessage {
                conversation: id.clone(),
                author,
                body: body.into(),
                client_id: client_id.into(),
                attachment: None,
            })
            .await
            .unwrap()
            .message_seq()
            .unwrap()
    }

    /// Conversations that can never tick: their stored state is not JSON.
    async fn corrupt_conversations(&self, db: &Db, count: usize, deadline: i64) {
        let mut tx = db.pool.begin().await.unwrap();
        for n in 0..count {
            sqlx::query(
                "INSERT INTO conversations (id, space_id, status, started_at, next_deadline, state) \
                 VALUES ($1, $2, 'active', $3, $4, 'not json')",
            )
            .bind(format!("corrupt-{n:04}"))
            .bind(self.space.as_str())
            .bind(T0)
            .bind(deadline)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
}

async fn next_deadline_of(db: &Db, id: &str) -> Option<i64> {
    let (deadline,): (Option<i64>,) =
        sqlx::query_as("SELECT next_deadline FROM conversations WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    deadline
}

async fn an_agents_message_with_the_customers_client_id_is_stored_not_taken_for_a_resend(db: &Db) {
    let site = site(db).await;
    let id = site.active_chat("c-ids").await;

    let customers = site
        .say(&id, Author::Customer, "m-1", "Where is my order?")
        .await;
    let agents = site
        .say(
            &id,
            Author::Agent(site.agent.clone()),
            "m-1",
            "Let me look it up.",
        )
        .await;
    let resent = site
        .say(&id, Author::Customer, "m-1", "Where is my order?")
        .await;
    let agent_resent = site
        .say(
            &id,
            Author::Agent(site.agent.clone()),
            "m-1",
            "Let me look it up.",
        )
        .await;

    assert_ne!(agents, customers, "the agent's message is stored");
    assert_eq!(resent, customers, "the customer's resend is recognised");
    assert_eq!(agent_resent, agents, "the agent's resend is recognised");
    let events = reads::events_between(db, &id, 0, None).await.unwrap();
    let messages: Vec<(Author, String)> = events
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Message { author, body, .. } => Some((author, body)),
            _ => None,
        })
        .collect();
    assert_eq!(
        messages,
        vec![
            (Author::Customer, "Where is my order?".to_string()),
            (
                Author::Agent(site.agent.clone()),
                "Let me look it up.".to_string()
            ),
        ]
    );
}

async fn the_database_refuses_one_author_reusing_a_client_id_but_not_two_authors_sharing_one(
    db: &Db,
) {
    let site = site(db).await;
    let id = site.start("c-unique").await;
    let insert = |seq: i64, author: &'static str| {
        sqlx::query(
            "INSERT INTO conversation_events (conversation_id, seq, at, kind, author, client_id, body) \
             VALUES ($1, $2, 0, 'message', $3, 'client-1', '{}')",
        )
        .bind(id.to_string())
        .bind(seq)
        .bind(author)
        .execute(&db.pool)
    };

    insert(100, "customer").await.unwrap();
    insert(101, "agent:ada").await.unwrap();
    assert!(
        insert(102, "customer").await.is_err(),
        "the same author's client id twice must be refused"
    );
}

async fn a_long_history_is_read_in_pages_no_larger_than_the_page_limit(db: &Db) {
    let site = site(db).await;
    let id = site.start("c-long").await;
    let (first,): (i64,) =
        sqlx::query_as("SELECT MAX(seq) FROM conversation_events WHERE conversation_id = $1")
            .bind(id.as_str())
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let mut tx = db.pool.begin().await.unwrap();
    for seq in first + 1..=first + 1_000 {
        let event = ConversationEvent {
            conversation: id.clone(),
            seq,
            at: Timestamp(T0),
            kind: EventKind::Message {
                author: Author::Customer,
                body: format!("m{seq}"),
                client_id: format!("k{seq}"),
                attachment: None,
            },
        };
        sqlx::query(
            "INSERT INTO conversation_events (conversation_id, seq, at, kind, author, client_id, body) \
             VALUES ($1, $2, $3, 'message', 'customer', $4, $5)",
        )
        .bind(id.as_str())
        .bind(seq)
        .bind(T0)
        .bind(format!("k{seq}"))
        .bind(serde_json::to_string(&event).unwrap())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let mut replay = reads::Replay::new(id.clone(), 0, None);
    let mut pages = Vec::new();
    while let Some(page) = replay.next_page(db).await.unwrap() {
        pages.push(page.iter().map(|e| e.seq).collect::<Vec<_>>());
    }
    let mut bounded = reads::Replay::new(id.clone(), 10, Some(15));
    let only = bounded.next_page(db).await.unwrap().unwrap();

    assert!(
        pages.iter().all(|p| p.len() <= REPLAY_PAGE as usize),
        "page sizes {:?}",
        pages.iter().map(Vec::len).collect::<Vec<_>>()
    );
    assert!(pages.len() >= 1_000 / REPLAY_PAGE as usize);
    let seqs: Vec<i64> = pages.concat();
    assert_eq!(seqs, (1..=first + 1_000).collect::<Vec<_>>());
    assert_eq!(
        only.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![11, 12, 13, 14, 15]
    );
    assert!(bounded.next_page(db).await.unwrap().is_none());
}

// SPEC R-ROUTE-5: the offer still expires on time, whatever else is broken.
async fn a_due_timer_fires_even_when_five_hundred_failing_conversations_are_due_before_it(db: &Db) {
    let site = site(db).await;
    site.available().await;
    site.start("c-healthy").await;
    site.corrupt_conversations(db, 500, T0).await;
    site.clock.advance(121 * SECOND);

    // Two scheduler rounds: the failing ones came first (oldest deadline) and are postponed.
    let ticked = site.engine.tick_due().await.unwrap() + site.engine.tick_due().await.unwrap();

    assert_eq!(ticked, 1, "the healthy conversation ticked");
    assert_eq!(
        spaces::availability(db, site.space.as_str(), site.agent.as_str())
            .await
            .unwrap(),
        "Unavailable",
        "the unanswered offer expired (SPEC R-ROUTE-5)"
    );
    let now = site.engine.now().as_millis();
    assert!(
        next_deadline_of(db, "corrupt-0000").await.unwrap() > now,
        "a failing conversation is not due again at once"
    );
    assert_eq!(
        site.engine.tick_due().await.unwrap(),
        0,
        "nothing is retried in the same instant"
    );
}

async fn a_conversation_whose_tick_keeps_failing_is_retried_later_and_later_up_to_a_minute(
    db: &Db,
) {
    let site = site(db).await;
    site.corrupt_conversations(db, 1, T0).await;
    let mut waits = Vec::new();
    for _ in 0..6 {
        let now = site.engine.now().as_millis();
        site.engine.tick_due().await.unwrap();
        let retry_at = next_deadline_of(db, "corrupt-0000").await.unwrap();
        waits.push((retry_at - now) / SECOND);
        site.clock.set(retry_at);
    }

    let first = RETRY_FIRST.as_secs() as i64;
    let max = RETRY_MAX.as_secs() as i64;
    assert_eq!(
        waits,
        vec![first, 2 * first, 4 * first, 8 * first, max, max]
    );
}
