//! Sessions, customer accounts, read markers and the replay read, on SQLite and PostgreSQL.

mod support;

use std::sync::Arc;

use backend::{
    Db, Engine,
    clock::SystemClock,
    customers, demo,
    realtime::{read_marks, reads},
    sessions::{DbSessionStore, SIGNED_IN_KEY, SignedIn},
};
use domain::{Author, Command, ConversationId, CustomerId, SpaceId, Start, Timers};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

conformance!(
    a_session_is_stored_loaded_and_deleted,
    an_expired_session_is_not_loaded_and_is_swept,
    a_customer_signs_up_and_signs_in_with_the_right_password_only,
    read_markers_only_move_forward,
    the_replay_read_returns_every_event_after_a_seq_in_order_across_pages,
);

async fn a_session_is_stored_loaded_and_deleted(db: &Db) {
    let store = DbSessionStore::new(db.clone());
    let who = SignedIn::Customer("c-1".into());

    let cookie = store.mint(&who, time::Duration::hours(1)).await.unwrap();
    let id: Id = cookie.parse().unwrap();
    let record = store.load(&id).await.unwrap().expect("stored");
    let stored: SignedIn = serde_json::from_value(record.data[SIGNED_IN_KEY].clone()).unwrap();
    store.delete(&id).await.unwrap();

    assert_eq!(stored, who);
    assert!(store.load(&id).await.unwrap().is_none());
}

async fn an_expired_session_is_not_loaded_and_is_swept(db: &Db) {
    let store = DbSessionStore::new(db.clone());
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() - time::Duration::minutes(1),
    };
    store.create(&mut record).await.unwrap();

    assert!(store.load(&record.id).await.unwrap().is_none());
    assert_eq!(store.delete_expired().await.unwrap(), 1);
}

// SPEC R-CUST-2
async fn a_customer_signs_up_and_signs_in_with_the_right_password_only(db: &Db) {
    let id = customers::sign_up(db, "Robin@Example.com", "Robin", "a long password")
        .await
        .unwrap();

    assert_eq!(
        customers::authenticate(db, "robin@example.com", "a long password")
            .await
            .unwrap(),
        Some(id)
    );
    assert_eq!(
        customers::authenticate(db, "robin@example.com", "wrong password")
            .await
            .unwrap(),
        None
    );
    let again = customers::sign_up(db, "robin@example.com", "Robin", "a long password")
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("already has an account"),
        "{again}"
    );
}

async fn a_chat(db: &Db) -> (Engine, ConversationId) {
    demo::seed_if_empty(db).await.unwrap();
    let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock));
    let (space,): (String,) = sqlx::query_as("SELECT id FROM spaces LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let customer = customers::sign_up(db, "sam@example.com", "Sam", "a long password")
        .await
        .unwrap();
    let id = ConversationId::new("c-replay");
    engine
        .execute(Command::StartConversation {
            id: id.clone(),
            space: SpaceId::new(space),
            customer: Some(CustomerId::new(customer)),
            via: Start::Ai { visitor: None },
        })
        .await
        .unwrap();
    (engine, id)
}

async fn read_markers_only_move_forward(db: &Db) {
    let (_engine, id) = a_chat(db).await;

    read_marks::mark_read(db, &id, "customer:x", 5)
        .await
        .unwrap();
    read_marks::mark_read(db, &id, "customer:x", 3)
        .await
        .unwrap();

    assert_eq!(
        read_marks::read_up_to(db, &id, "customer:x").await.unwrap(),
        5
    );
}

async fn the_replay_read_returns_every_event_after_a_seq_in_order_across_pages(db: &Db) {
    let (engine, id) = a_chat(db).await;
    let total = reads::REPLAY_PAGE as usize + 20;
    for i in 0..total {
        engine
            .execute(Command::SendMessage {
                conversation: id.clone(),
                author: Author::Customer,
                body: format!("m{i}"),
                client_id: format!("k{i}"),
                attachment: None,
            })
            .await
            .unwrap();
    }

    let first_page = reads::events_between(db, &id, 0, None).await.unwrap();
    let rest = reads::events_between(db, &id, first_page.last().unwrap().seq, None)
        .await
        .unwrap();
    let bounded = reads::events_between(db, &id, 2, Some(4)).await.unwrap();

    assert_eq!(first_page.len(), reads::REPLAY_PAGE as usize);
    assert_eq!(first_page.len() + rest.len(), total);
    let seqs: Vec<i64> = first_page.iter().chain(&rest).map(|e| e.seq).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
    assert_eq!(
        bounded.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![3, 4]
    );
}
