//! The store conformance suite: the same stories against SQLite and PostgreSQL.

mod support;

use backend::{
    Backend, Db,
    accounts::authenticate,
    demo,
    store::{
        site,
        users::{NewStaff, create_staff},
    },
};

conformance!(
    migrations_create_the_schema_and_running_them_again_changes_nothing,
    the_demo_seed_fills_an_empty_database_once,
    a_staff_member_signs_in_with_the_right_password_only,
    a_second_account_with_the_same_email_is_refused_clearly,
    a_resent_client_message_id_is_refused_by_the_database,
    a_conversation_work_items_assignee_cannot_be_edited_outside_routing,
    maximum_conversations_outside_one_to_one_hundred_is_refused_by_the_database,
);

async fn migrations_create_the_schema_and_running_them_again_changes_nothing(db: &Db) {
    db.migrate().await.expect("second migration run is a no-op");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM conversations")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

async fn the_demo_seed_fills_an_empty_database_once(db: &Db) {
    assert!(demo::seed_if_empty(db).await.unwrap(), "first start seeds");
    let first = site::overview(db).await.unwrap();
    assert!(
        !demo::seed_if_empty(db).await.unwrap(),
        "second start re-seeds nothing"
    );
    let second = site::overview(db).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(first.spaces, 1);
    assert_eq!(first.staff, 3);
}

async fn a_staff_member_signs_in_with_the_right_password_only(db: &Db) {
    let id = create_staff(db, staff("Ada@Example.com")).await.unwrap();
    assert_eq!(
        authenticate(db, "ada@example.com", "a long password")
            .await
            .unwrap(),
        Some(id)
    );
    assert_eq!(
        authenticate(db, "ada@example.com", "wrong password")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        authenticate(db, "nobody@example.com", "a long password")
            .await
            .unwrap(),
        None
    );
}

async fn a_second_account_with_the_same_email_is_refused_clearly(db: &Db) {
    create_staff(db, staff("grace@example.com")).await.unwrap();
    let error = create_staff(db, staff("GRACE@example.com"))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "An account for grace@example.com already exists."
    );
}

async fn a_resent_client_message_id_is_refused_by_the_database(db: &Db) {
    let conversation = insert_conversation(db).await;
    let insert = |seq: i64| {
        sqlx::query(
            "INSERT INTO conversation_events (conversation_id, seq, at, kind, client_id, body) \
             VALUES ($1, $2, 0, 'message', 'client-1', '{}')",
        )
        .bind(conversation.clone())
        .bind(seq)
        .execute(&db.pool)
    };
    insert(1).await.unwrap();
    assert!(
        insert(2).await.is_err(),
        "the same client message id twice must be refused"
    );
}

// SPEC R-ROUTE-9
async fn a_conversation_work_items_assignee_cannot_be_edited_outside_routing(db: &Db) {
    let conversation = insert_conversation(db).await;
    let agent = create_staff(db, staff("agent@example.com")).await.unwrap();
    sqlx::query(
        "INSERT INTO work_items (id, space_id, work_type, title, status, conversation_id, created_at, updated_at) \
         SELECT 'w1', space_id, 'Conversation', 'Chat', 'Waiting for agent', id, 0, 0 FROM conversations WHERE id = $1",
    )
    .bind(&conversation)
    .execute(&db.pool)
    .await
    .unwrap();
    let edit = sqlx::query("UPDATE work_items SET assignee_id = $1 WHERE id = 'w1'")
        .bind(&agent)
        .execute(&db.pool)
        .await;
    let message = edit
        .expect_err("a queue edit of the assignee is refused")
        .to_string();
    assert!(message.contains("set only by routing"), "{message}");

    // Routing sets the conversation's assignee first; mirroring it onto the work item is allowed.
    sqlx::query("UPDATE conversations SET assignee_id = $1 WHERE id = $2")
        .bind(&agent)
        .bind(&conversation)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE work_items SET assignee_id = $1 WHERE id = 'w1'")
        .bind(&agent)
        .execute(&db.pool)
        .await
        .expect("mirroring the routed assignee is allowed");
}

// SPEC R-SPACE-3
async fn maximum_conversations_outside_one_to_one_hundred_is_refused_by_the_database(db: &Db) {
    site::ensure_site(db, "Test").await.unwrap();
    for bad in [0_i64, 101] {
        let result = sqlx::query("UPDATE site_settings SET max_conversations = $1 WHERE id = 1")
            .bind(bad)
            .execute(&db.pool)
            .await;
        assert!(result.is_err(), "{bad} must be refused");
    }
}

fn staff(email: &str) -> NewStaff {
    NewStaff {
        email: email.into(),
        display_name: "Test Agent".into(),
        password: "a long password".into(),
        site_admin: false,
    }
}

async fn insert_conversation(db: &Db) -> String {
    let space = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO spaces (id, name, created_at) VALUES ($1, $2, 0)")
        .bind(&space)
        .bind(format!("Space {space}"))
        .execute(&db.pool)
        .await
        .unwrap();
    let conversation = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO conversations (id, space_id, status, started_at, state) VALUES ($1, $2, 'waiting_for_agent', 0, '{}')",
    )
    .bind(&conversation)
    .bind(&space)
    .execute(&db.pool)
    .await
    .unwrap();
    conversation
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys_on() {
    let test_db = support::sqlite().await;
    assert_eq!(test_db.db.backend, Backend::Sqlite);
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&test_db.db.pool)
        .await
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
        .fetch_one(&test_db.db.pool)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    test_db.cleanup().await;
}

#[tokio::test]
async fn a_modified_migration_stops_start_up_with_a_clear_message() {
    let test_db = support::sqlite().await;
    sqlx::query("UPDATE _sqlx_migrations SET checksum = $1 WHERE version = 1")
        .bind(vec![0_u8; 48])
        .execute(&test_db.db.pool)
        .await
        .unwrap();
    let error = test_db.db.migrate().await.unwrap_err().to_string();
    assert!(error.starts_with("migration failed:"), "{error}");
    assert!(error.contains("1"), "names the migration: {error}");
    test_db.cleanup().await;
}

#[tokio::test]
async fn a_database_url_with_an_unknown_scheme_is_refused() {
    let error = Db::open("mysql://localhost/x", 1)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("sqlite:// or postgres://"), "{error}");
}

/// Without a database, the PostgreSQL half of every conformance test fails under CI rather
/// than passing silently, so a green CI run means both databases were checked.
#[test]
#[should_panic(expected = "NOT RUN under CI")]
fn a_conformance_test_without_a_database_fails_under_ci() {
    support::not_run_without_postgres("a_conformance_test", true);
}
