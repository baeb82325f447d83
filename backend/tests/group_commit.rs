//! Commands applied together: on SQLite the writer's group commit (many commands, one
//! transaction, a savepoint each), on PostgreSQL concurrent transactions. Either way every
//! sender gets its own answer, only after commit, and nothing is half stored.

mod support;

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use backend::{Alongside, BackendError, Db, Engine, clock::ManualClock};
use domain::{AgentId, Author, Command, ConversationId, CustomerId, DomainError, SpaceId, Timers};
use support::{
    chat::{available, start_direct, start_direct_command},
    people::{agent_in, customer, site_with_space},
};

conformance!(
    a_batch_with_a_stale_accept_commits_the_others_and_answers_the_accept_with_its_own_error,
    two_hundred_concurrent_senders_in_one_conversation_get_gap_free_seqs_and_one_ack_each,
    a_command_that_fails_while_writing_leaves_nothing_and_the_rest_of_its_batch_commits,
);

/// One agent in an Active conversation with a signed-in customer.
struct Chat {
    engine: Engine,
    agent: AgentId,
    conversation: ConversationId,
}

async fn active_chat(db: &Db, engine: Engine) -> Chat {
    let space = site_with_space(db, "Support").await;
    let agent = agent_in(db, &space, "Ada").await;
    let customer = customer(db, "Casey").await;
    let conversation = ConversationId::new(uuid::Uuid::now_v7().to_string());
    available(&engine, &agent).await;
    start_direct(&engine, &conversation, &space, &customer).await;
    engine
        .execute(Command::Accept {
            agent: agent.clone(),
            conversation: conversation.clone(),
        })
        .await
        .unwrap();
    Chat {
        engine,
        agent,
        conversation,
    }
}

fn engine_for(db: &Db) -> Engine {
    let clock = Arc::new(ManualClock::starting_at(1_800_000_000_000));
    Engine::new(db.clone(), Timers::default(), clock)
}

impl Chat {
    fn customer_says(&self, client_id: &str) -> Command {
        Command::SendMessage {
            conversation: self.conversation.clone(),
            author: Author::Customer,
            body: format!("message {client_id}"),
            client_id: client_id.into(),
            attachment: None,
        }
    }

    /// The client ids of the stored messages, in seq order.
    async fn stored(&self) -> Vec<String> {
        let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
            "SELECT seq, client_id FROM conversation_events WHERE conversation_id = $1 ORDER BY seq",
        )
        .bind(self.conversation.as_str())
        .fetch_all(&self.engine.db().pool)
        .await
        .unwrap();
        rows.into_iter().filter_map(|(_, id)| id).collect()
    }
}

async fn a_batch_with_a_stale_accept_commits_the_others_and_answers_the_accept_with_its_own_error(
    db: &Db,
) {
    let chat = active_chat(db, engine_for(db)).await;
    let stale_accept = Command::Accept {
        agent: chat.agent.clone(),
        conversation: chat.conversation.clone(),
    };
    let results = chat
        .engine
        .execute_batch(vec![
            (chat.customer_says("before"), Alongside::default()),
            (stale_accept, Alongside::default()),
            (chat.customer_says("after"), Alongside::default()),
        ])
        .await;

    assert_eq!(results.len(), 3, "one answer per command");
    let first = results[0].as_ref().expect("the first message is stored");
    let last = results[2].as_ref().expect("the last message is stored");
    assert_eq!(
        last.message_seq(),
        first.message_seq().map(|seq| seq + 1),
        "the refused command left no gap between the two messages"
    );
    assert!(
        matches!(results[1], Err(BackendError::Rule(DomainError::NotOffered))),
        "the stale Accept gets its own refusal, got {:?}",
        results[1]
    );
    assert_eq!(chat.stored().await, ["before", "after"]);
}

async fn a_command_that_fails_while_writing_leaves_nothing_and_the_rest_of_its_batch_commits(
    db: &Db,
) {
    let chat = active_chat(db, engine_for(db)).await;
    let (space, customer): (String, String) =
        sqlx::query_as("SELECT space_id, customer_id FROM conversations WHERE id = $1")
            .bind(chat.conversation.as_str())
            .fetch_one(&chat.engine.db().pool)
            .await
            .unwrap();
    let doomed = ConversationId::new(uuid::Uuid::now_v7().to_string());
    // The conversation row is written first; the experience it names does not exist, so the
    // write beside it fails on the foreign key.
    let start_through_a_missing_experience = (
        start_direct_command(&doomed, &SpaceId::new(space), &CustomerId::new(customer)),
        Alongside {
            experience: Some("no-such-experience".into()),
            ..Alongside::default()
        },
    );
    let results = chat
        .engine
        .execute_batch(vec![
            (chat.customer_says("before"), Alongside::default()),
            start_through_a_missing_experience,
            (chat.customer_says("after"), Alongside::default()),
        ])
        .await;

    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    assert!(
        matches!(results[1], Err(BackendError::Database(_))),
        "the failed command gets its own error: {:?}",
        results[1]
    );
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM conversations WHERE id = $1")
        .bind(doomed.as_str())
        .fetch_one(&chat.engine.db().pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "no half-written conversation");
    assert_eq!(chat.stored().await, ["before", "after"]);
}

async fn two_hundred_concurrent_senders_in_one_conversation_get_gap_free_seqs_and_one_ack_each(
    db: &Db,
) {
    let chat = Arc::new(active_chat(db, engine_for(db)).await);
    let senders: Vec<_> = (0..200)
        .map(|n| {
            let chat = chat.clone();
            tokio::spawn(async move {
                chat.engine
                    .execute(chat.customer_says(&format!("sender-{n}")))
                    .await
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for sender in senders {
        let outcome = sender.await.unwrap().expect("every sender is acknowledged");
        seqs.push(outcome.message_seq().expect("an ack carries its seq"));
    }
    seqs.sort_unstable();
    let first = seqs[0];
    let expected: Vec<i64> = (first..first + 200).collect();
    assert_eq!(seqs, expected, "200 different seqs with no gap");
    assert_eq!(chat.stored().await.len(), 200, "each message stored once");
}

/// SQLite only: the group-commit writer is what can stop between a batch and its commit.
#[tokio::test]
async fn a_writer_that_stops_before_commit_loses_no_acknowledged_message_and_acknowledges_nothing_uncommitted()
 {
    let test_db = support::sqlite().await;
    let db = &test_db.db;
    let crash = Arc::new(AtomicBool::new(false));
    let hook_crash = crash.clone();
    let engine = engine_for(db).with_before_commit(Arc::new(move |_batch| {
        if hook_crash.load(Ordering::SeqCst) {
            panic!("the writer stops between the batch and its commit");
        }
    }));
    let chat = active_chat(db, engine).await;
    let acknowledged = chat
        .engine
        .execute(chat.customer_says("acknowledged"))
        .await
        .expect("a message before the crash is acknowledged");

    crash.store(true, Ordering::SeqCst);
    let batch = || {
        vec![
            (chat.customer_says("lost-1"), Alongside::default()),
            (chat.customer_says("lost-2"), Alongside::default()),
        ]
    };
    for result in chat.engine.execute_batch(batch()).await {
        let error = result.expect_err("nothing uncommitted is acknowledged");
        assert!(
            error.is_unavailable(),
            "the sender is told to retry: {error}"
        );
    }
    assert_eq!(
        chat.stored().await,
        ["acknowledged"],
        "the acknowledged message survives the crash; the uncommitted batch left nothing"
    );

    crash.store(false, Ordering::SeqCst);
    let resent = chat.engine.execute_batch(batch()).await;
    assert!(resent.iter().all(Result::is_ok), "a new writer takes over");
    assert_eq!(
        chat.stored().await,
        ["acknowledged", "lost-1", "lost-2"],
        "resending stores each once, in order"
    );
    assert_eq!(
        resent[0].as_ref().unwrap().message_seq(),
        acknowledged.message_seq().map(|seq| seq + 1)
    );
    test_db.cleanup().await;
}
