//! Attachments on SQLite and PostgreSQL: a file's bytes are stored (once per content) before
//! the message that carries it commits, and read back only by people who may read the
//! conversation (SPEC R-VIEW-3); a refused file stores nothing, a refused message leaves no
//! file behind, and the sweep removes files that no message names.

mod support;

use std::sync::Arc;
use std::time::Duration;

use backend::attachments::{self, Files, Upload, key_of};
use backend::{
    BackendError, Db, Engine,
    clock::{ManualClock, now_ms},
    store::Actor,
};
use bytes::Bytes;
use domain::access::Reader;
use domain::{Command, ConversationId, Ender, EventKind, Timers};
use support::chat::{accept, available, start_direct};
use support::people::{agent_in, customer, demo_admin, site_with_space};

conformance!(
    a_file_is_stored_with_its_message_and_read_only_by_the_conversations_readers,
    a_refused_file_or_message_leaves_nothing_behind,
    the_same_file_is_kept_once_and_files_no_message_names_are_swept,
    a_site_admin_sets_the_attachment_policy_and_an_agent_cannot,
);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n a picture of a broken toaster";

fn upload(name: &str, bytes: &[u8]) -> Upload {
    Upload {
        name: name.into(),
        bytes: Bytes::copy_from_slice(bytes),
        client_id: uuid::Uuid::now_v7().to_string(),
    }
}

struct Chat {
    engine: Engine,
    files: Files,
    id: ConversationId,
    customer: Vec<Reader>,
    ada: Vec<Reader>,
    grace: Vec<Reader>,
    stranger: Vec<Reader>,
    _dir: std::path::PathBuf,
}

/// Casey chats with Ada; Grace is in the same space; Bea is another customer.
async fn chat(db: &Db, name: &str) -> Chat {
    let clock = Arc::new(ManualClock::starting_at(now_ms()));
    let engine = Engine::new(db.clone(), Timers::default(), clock);
    let space = site_with_space(db, name).await;
    let ada = agent_in(db, &space, &format!("Ada {name}")).await;
    let grace = agent_in(db, &space, &format!("Grace {name}")).await;
    let casey = customer(db, &format!("Casey {name}")).await;
    let bea = customer(db, &format!("Bea {name}")).await;
    let id = ConversationId::new(format!("c-{name}"));
    available(&engine, &ada).await;
    start_direct(&engine, &id, &space, &casey).await;
    accept(&engine, &ada, &id).await;
    let dir = support::scratch_dir();
    Chat {
        engine,
        files: Files::local(&dir.join("attachments")).unwrap(),
        id,
        customer: vec![Reader::Customer(casey)],
        ada: vec![Reader::Agent(ada)],
        grace: vec![Reader::Agent(grace)],
        stranger: vec![Reader::Customer(bea)],
        _dir: dir,
    }
}

async fn stored_keys(files: &Files) -> Vec<String> {
    files.keys_older_than(Duration::ZERO).await.unwrap()
}

async fn a_file_is_stored_with_its_message_and_read_only_by_the_conversations_readers(db: &Db) {
    let c = chat(db, "Readers").await;
    let (file, seq) = attachments::send(
        &c.engine,
        &c.files,
        &c.customer,
        &c.id,
        upload("C:\\photos\\toaster.PNG", PNG),
    )
    .await
    .unwrap();
    assert_eq!(file.name, "toaster.PNG");
    assert_eq!(file.content_type, "image/png");
    assert!(file.is_image());
    assert!(c.files.exists(&key_of(PNG)).await.unwrap());

    // The message carries the file, named by its body for every plain-text reader.
    let events = backend::realtime::reads::all_events(db, &c.id)
        .await
        .unwrap();
    let message = events.iter().find(|e| e.seq == seq).unwrap();
    match &message.kind {
        EventKind::Message {
            body, attachment, ..
        } => {
            assert_eq!(body, "toaster.PNG");
            assert_eq!(attachment.as_ref(), Some(&file));
        }
        other => panic!("expected the file's message, got {other:?}"),
    }

    // The customer and the assignee read it; another agent and another customer are told
    // there is no such file.
    for readers in [&c.customer, &c.ada] {
        let got = attachments::open(db, &c.files, readers, &file.id)
            .await
            .unwrap();
        assert_eq!(&got.bytes[..], PNG);
        assert_eq!(got.attachment, file);
    }
    for readers in [&c.grace, &c.stranger, &Vec::new()] {
        assert!(matches!(
            attachments::open(db, &c.files, readers, &file.id).await,
            Err(BackendError::NotFound)
        ));
    }
    assert!(matches!(
        attachments::open(db, &c.files, &c.customer, "no-such-file").await,
        Err(BackendError::NotFound)
    ));

    // The agent sends one back: a PDF, served as a download.
    let (pdf, _) = attachments::send(
        &c.engine,
        &c.files,
        &c.ada,
        &c.id,
        upload("invoice.pdf", b"%PDF-1.4 ..."),
    )
    .await
    .unwrap();
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(!pdf.is_image());
}

async fn a_refused_file_or_message_leaves_nothing_behind(db: &Db) {
    let c = chat(db, "Refusals").await;
    // Types the site does not accept, and empty files, are refused before anything is stored.
    let exe = attachments::send(
        &c.engine,
        &c.files,
        &c.customer,
        &c.id,
        upload("setup.exe", b"MZ"),
    )
    .await;
    assert!(
        matches!(&exe, Err(BackendError::Invalid(m)) if m.starts_with("setup.exe is a type of file this chat does not accept.")),
        "{exe:?}"
    );
    let empty = attachments::send(
        &c.engine,
        &c.files,
        &c.customer,
        &c.id,
        upload("empty.txt", b""),
    )
    .await;
    assert!(matches!(empty, Err(BackendError::Invalid(_))), "{empty:?}");
    // Past the site's largest file.
    sqlx::query("UPDATE site_settings SET attachment_max_bytes = 1048576 WHERE id = 1")
        .execute(&db.pool)
        .await
        .unwrap();
    let big = vec![7u8; 2 * 1024 * 1024];
    let too_big = attachments::send(
        &c.engine,
        &c.files,
        &c.customer,
        &c.id,
        upload("logs.zip", &big),
    )
    .await;
    assert!(
        matches!(&too_big, Err(BackendError::Invalid(m)) if m == "logs.zip is 2.0 MB; files can be at most 1.0 MB. Send a smaller file."),
        "{too_big:?}"
    );
    // Someone who may not read the conversation learns nothing.
    let grace = attachments::send(&c.engine, &c.files, &c.grace, &c.id, upload("a.png", PNG)).await;
    assert!(matches!(grace, Err(BackendError::NotFound)), "{grace:?}");
    assert!(stored_keys(&c.files).await.is_empty());

    // The engine refuses the message (the chat has ended): the file written for it is removed.
    c.engine
        .execute(Command::EndConversation {
            conversation: c.id.clone(),
            by: Ender::Customer,
        })
        .await
        .unwrap();
    let late = attachments::send(
        &c.engine,
        &c.files,
        &c.customer,
        &c.id,
        upload("late.png", PNG),
    )
    .await;
    assert!(matches!(late, Err(BackendError::Rule(_))), "{late:?}");
    assert!(stored_keys(&c.files).await.is_empty());
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attachments")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

async fn the_same_file_is_kept_once_and_files_no_message_names_are_swept(db: &Db) {
    let c = chat(db, "Sweep").await;
    let (first, _) = attachments::send(
        &c.engine,
        &c.files,
        &c.customer,
        &c.id,
        upload("a.png", PNG),
    )
    .await
    .unwrap();
    let (second, _) = attachments::send(&c.engine, &c.files, &c.ada, &c.id, upload("b.png", PNG))
        .await
        .unwrap();
    assert_ne!(first.id, second.id);
    assert_eq!(stored_keys(&c.files).await, [key_of(PNG)]);

    // A file left by a server stopped between the bytes and the message.
    let orphan = b"written, then the server stopped";
    c.files
        .put(&key_of(orphan), Bytes::from_static(orphan))
        .await
        .unwrap();
    // Young files are left alone: their message may be committing right now.
    assert_eq!(
        attachments::sweep(db, &c.files, Duration::from_secs(3600))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        attachments::sweep(db, &c.files, Duration::ZERO)
            .await
            .unwrap(),
        1
    );
    assert_eq!(stored_keys(&c.files).await, [key_of(PNG)]);
    // Both messages still read their file.
    for file in [&first, &second] {
        assert!(
            attachments::open(db, &c.files, &c.customer, &file.id)
                .await
                .is_ok()
        );
    }
}

async fn a_site_admin_sets_the_attachment_policy_and_an_agent_cannot(db: &Db) {
    let admin = demo_admin(db).await;
    let saved = attachments::save_policy(db, &admin, 5, "pdf, .PNG png")
        .await
        .unwrap();
    assert_eq!(saved.max_bytes, 5 * 1024 * 1024);
    assert_eq!(saved.types, ["pdf", "png"]);
    assert_eq!(attachments::policy(db).await.unwrap(), saved);
    let refused = attachments::save_policy(db, &admin, 5, "pdf exe").await;
    assert!(matches!(refused, Err(BackendError::Invalid(m)) if m.contains(".exe")));
    assert!(
        attachments::save_policy(db, &admin, 26, "pdf")
            .await
            .is_err()
    );
    let (entries,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE field = 'Attachment types'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(entries, 1);

    let (ada,): (String,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'ada@demo.baton.test'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let agent = Actor::load(db, &ada).await.unwrap();
    // The role is checked first: even a bad value is answered with Forbidden.
    assert!(matches!(
        attachments::save_policy(db, &agent, 0, "exe").await,
        Err(BackendError::Forbidden)
    ));
}
