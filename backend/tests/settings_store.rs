//! Admin settings and the widget's customer side against SQLite and PostgreSQL: chat settings
//! checks with their audit entries, the Live chat guard inside the engine's transaction, the
//! place in the queue, and identity tokens (forged, expired, replayed).

mod support;

use std::{sync::Arc, time::Duration};

use backend::{
    Db, Engine,
    admin::{experiences, site, spaces},
    clock::SystemClock,
    demo,
    store::{self, Actor},
};
use domain::{Timers, experience::ChatSettings};
use support::{chat::available, people::demo_admin};

conformance!(
    an_experience_saves_only_with_a_live_chat_space_and_every_change_is_audited,
    live_chat_stays_on_while_an_experience_routes_to_the_space,
    customers_waiting_see_their_place_in_the_queue,
    an_identity_token_signs_in_once_and_forged_expired_or_replayed_ones_are_refused,
    the_first_admin_is_set_up_once_from_the_browser,
    an_invitation_link_makes_a_member_once,
    two_saves_at_once_each_audit_the_value_the_other_left,
);

async fn the_first_admin_is_set_up_once_from_the_browser(db: &Db) {
    let id = backend::store::users::create_first_admin(
        db,
        "Owner@Example.com",
        "Olive Owner",
        "a long password",
    )
    .await
    .unwrap();
    let owner = Actor::load(db, &id).await.unwrap();
    assert!(owner.roles.site_admin);
    let second = backend::store::users::create_first_admin(
        db,
        "late@example.com",
        "Late",
        "a long password",
    )
    .await;
    assert!(
        matches!(&second, Err(backend::BackendError::Invalid(m)) if m.contains("already set up")),
        "{second:?}"
    );
}

async fn an_invitation_link_makes_a_member_once(db: &Db) {
    use backend::{admin::space_members, store::invitations};
    let (admin, _) = seeded(db).await;
    let help = experience(db, "Baton Help").await;
    let space = help.settings.space.unwrap();
    let link = match space_members::invite(db, &admin, &space, "new@example.com", "agent")
        .await
        .unwrap()
    {
        space_members::Invited::Link { link } => link,
        other => panic!("a person without an account gets a link, not {other:?}"),
    };
    let token = link.trim_start_matches("/invite/");
    assert_eq!(
        invitations::find(db, token).await.unwrap().email,
        "new@example.com"
    );
    invitations::accept(db, token, "Nia New", "a long password")
        .await
        .unwrap();
    let members = space_members::members(db, &admin, &space).await.unwrap();
    assert!(
        members
            .iter()
            .any(|m| m.name == "Nia New" && m.role == "agent" && m.availability == "Unavailable")
    );
    assert!(
        invitations::accept(db, token, "Nia Again", "a long password")
            .await
            .is_err(),
        "a used link changes nothing"
    );
    // Inviting someone who already has an account adds them at once.
    assert!(matches!(
        space_members::invite(db, &admin, &space, "new@example.com", "space_admin").await,
        Err(backend::BackendError::Invalid(_))
    ));
}

async fn seeded(db: &Db) -> (Actor, Engine) {
    let actor = demo_admin(db).await;
    let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock));
    (actor, engine)
}

async fn experience(db: &Db, name: &str) -> store::experiences::Stored {
    let (id,): (String,) = sqlx::query_as("SELECT id FROM experiences WHERE name = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    store::experiences::stored(db, &id).await.unwrap()
}

async fn an_experience_saves_only_with_a_live_chat_space_and_every_change_is_audited(db: &Db) {
    let (admin, engine) = seeded(db).await;
    let quiet = spaces::create(db, &admin, "Quiet").await.unwrap();
    spaces::set_live_chat(&engine, &admin, &quiet, false)
        .await
        .unwrap();
    let help = experience(db, "Baton Help").await;
    let to_quiet = ChatSettings {
        space: Some(quiet.clone()),
        ..help.settings.clone()
    };
    // SPEC R-MODE-3
    let refused = experiences::save(db, &admin, &help.id, to_quiet).await;
    assert!(
        matches!(&refused, Err(backend::BackendError::Invalid(m)) if m.contains("Live chat is off in the space Quiet")),
        "{refused:?}"
    );
    let renamed = ChatSettings {
        name: "Baton Help Desk".into(),
        allowed_domains: vec!["https://Shop.Example.com/".into()],
        ..help.settings.clone()
    };
    let saved = experiences::save(db, &admin, &help.id, renamed)
        .await
        .unwrap();
    assert_eq!(saved.allowed_domains, vec!["shop.example.com".to_string()]);
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT field, old_value, new_value FROM audit_log WHERE subject = 'Customer experience Baton Help Desk' ORDER BY field",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "Allowed domains".to_string(),
                "127.0.0.1:3002, localhost:3002".to_string(),
                "shop.example.com".to_string()
            ),
            (
                "Name".to_string(),
                "Baton Help".to_string(),
                "Baton Help Desk".to_string()
            ),
        ],
        "only what changed is recorded"
    );
}

/// The audit's old value is read inside the save's write transaction: two saves that wait for
/// the same lock each record, as old, what the row held when they got it, so the entries chain
/// (A → B, then B → C). Read before the transaction, both would record the value they saw
/// before waiting, and one entry would name a value the row no longer held.
async fn two_saves_at_once_each_audit_the_value_the_other_left(db: &Db) {
    let (admin, _) = seeded(db).await;
    let help = experience(db, "Baton Help").await;
    // Another change holds the write lock (SQLite's one writer; the row on PostgreSQL) while
    // both saves start, so each has to wait for it.
    let mut other = db.begin_write().await.unwrap();
    if db.backend == backend::Backend::Postgres {
        sqlx::query("SELECT id FROM experiences WHERE id = $1 FOR UPDATE")
            .bind(&help.id)
            .fetch_one(&mut *other)
            .await
            .unwrap();
    }
    let saves: Vec<_> = ["Help One", "Help Two"]
        .into_iter()
        .map(|name| {
            let (db, admin, id) = (db.clone(), admin.clone(), help.id.clone());
            let settings = ChatSettings {
                name: name.into(),
                ..help.settings.clone()
            };
            tokio::spawn(async move { experiences::save(&db, &admin, &id, settings).await })
        })
        .collect();
    both_wait_for_the_lock(db).await;
    other.commit().await.unwrap();
    for save in saves {
        save.await.unwrap().unwrap();
    }
    let names: Vec<(String, String)> = sqlx::query_as(
        "SELECT old_value, new_value FROM audit_log WHERE field = 'Name' ORDER BY at, id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let now = store::experiences::stored(db, &help.id)
        .await
        .unwrap()
        .settings
        .name;
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0].0, "Baton Help", "{names:?}");
    assert_eq!(
        names[1].0, names[0].1,
        "the second save saw the first: {names:?}"
    );
    assert_eq!(
        names[1].1, now,
        "the last entry names what the row holds: {names:?}"
    );
}

/// Returns once two changes are queued behind the write lock the test holds, watching what each
/// database shows instead of waiting a fixed time (a deadline only turns a hang into a failure):
/// - PostgreSQL names a session blocked on a row lock as waiting on a `Lock` in
///   `pg_stat_activity` (read on a pool connection of its own, so each read is a fresh
///   snapshot): two such sessions are the two saves, exactly.
/// - SQLite has no view of a connection waiting in its busy handler, so the pool is the signal.
///   A save's first use of the database is `begin_write`, which holds its connection until it
///   commits: three connections in use (the test's and one per save) means both saves are in
///   `BEGIN IMMEDIATE`, where all that is left is to wait for the test's lock. The count is not
///   exact for a moment after any query: the pool counts a released connection as in use until
///   it has pinged it (well under a millisecond), so one save's finished read plus its
///   `begin_write` could look like two saves. Seeing three on consecutive polls rules that out.
///   A read put back before the transaction would have run while the lock was held, so the
///   stale value it returns is what the assertions catch.
async fn both_wait_for_the_lock(db: &Db) {
    let polls_in_a_row = match db.backend {
        backend::Backend::Postgres => 1,
        backend::Backend::Sqlite => 3,
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut seen = 0;
    loop {
        let waiting = match db.backend {
            backend::Backend::Postgres => {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM pg_stat_activity \
                     WHERE datname = current_database() AND wait_event_type = 'Lock'",
                )
                .fetch_one(&db.pool)
                .await
                .unwrap();
                usize::try_from(n).unwrap()
            }
            backend::Backend::Sqlite => {
                let in_use = (db.pool.size() as usize).saturating_sub(db.pool.num_idle());
                in_use.saturating_sub(1)
            }
        };
        seen = if waiting >= 2 { seen + 1 } else { 0 };
        if seen == polls_in_a_row {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "both saves should be waiting for the lock within 10 s ({waiting} are)"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn live_chat_stays_on_while_an_experience_routes_to_the_space(db: &Db) {
    let (admin, engine) = seeded(db).await;
    let help = experience(db, "Baton Help").await;
    let space = help.settings.space.clone().unwrap();
    let refused = spaces::set_live_chat(&engine, &admin, &space, false).await;
    assert!(
        matches!(&refused, Err(backend::BackendError::Invalid(m)) if m.contains("Baton Help") && m.contains("Baton Shop Assistant")),
        "{refused:?}"
    );
    // Route both elsewhere (the AI-only mode needs no space), and the switch goes off.
    for name in ["Baton Help", "Baton Shop Assistant"] {
        let e = experience(db, name).await;
        let ai_only = ChatSettings {
            mode: domain::experience::SupportMode::AiAgent,
            space: None,
            ..e.settings
        };
        experiences::save(db, &admin, &e.id, ai_only).await.unwrap();
    }
    spaces::set_live_chat(&engine, &admin, &space, false)
        .await
        .unwrap();
    let (old, new): (String, String) =
        sqlx::query_as("SELECT old_value, new_value FROM audit_log WHERE field = 'Live chat'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!((old.as_str(), new.as_str()), ("On", "Off"));
    // R-MODE-4 the other way round: Standard is refused while… nothing uses live chat now.
    let mut settings = store::site::load(db).await.unwrap();
    settings.plan = domain::experience::Plan::Standard;
    site::save(&engine, &admin, settings).await.unwrap();
}

async fn customers_waiting_see_their_place_in_the_queue(db: &Db) {
    let (_, engine) = seeded(db).await;
    // Nobody is Available, but an Available agent at their limit keeps conversations waiting;
    // simplest: make Ada Available with a limit of one and take her slot first.
    let (ada,): (String,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'ada@demo.baton.test'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    available(&engine, &domain::AgentId::new(ada)).await;
    let mut customers = Vec::new();
    for n in 0..3 {
        let id =
            backend::customers::sign_up(db, &format!("c{n}@example.com"), "C", "a long password")
                .await
                .unwrap();
        customers.push(domain::CustomerId::new(id));
    }
    let ai = backend::ai::AiAgent::new(
        engine.clone(),
        "http://baton.test",
        Duration::from_millis(1),
    );
    let chatter = |c: &domain::CustomerId| backend::widget::Chatter {
        customer: Some(c.clone()),
        visitor: None,
    };
    let mut conversations = Vec::new();
    for c in &customers {
        conversations.push(
            backend::widget::start(&engine, &ai, demo::DEMO_WIDGET_KEY, &chatter(c))
                .await
                .unwrap(),
        );
    }
    for (place, (conversation, customer)) in conversations.iter().zip(&customers).enumerate() {
        assert_eq!(
            backend::widget::queue_position(db, conversation, customer)
                .await
                .unwrap(),
            Some(place as i64 + 1)
        );
    }
    // Starting again returns the open conversation, not a second one.
    assert_eq!(
        backend::widget::start(&engine, &ai, demo::DEMO_WIDGET_KEY, &chatter(&customers[0]))
            .await
            .unwrap(),
        conversations[0]
    );
    // Someone else's conversation is not theirs to ask about.
    assert!(
        backend::widget::queue_position(db, &conversations[0], &customers[1])
            .await
            .is_err()
    );
}

fn token(secret: &str, sub: &str, jti: &str, exp_in_seconds: i64) -> String {
    let exp = time::OffsetDateTime::now_utc().unix_timestamp() + exp_in_seconds;
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &serde_json::json!({ "sub": sub, "exp": exp, "jti": jti, "name": "Sam Shopper", "email": "sam@example.com" }),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn an_identity_token_signs_in_once_and_forged_expired_or_replayed_ones_are_refused(db: &Db) {
    seeded(db).await;
    let help = experience(db, "Baton Help").await;
    let key = demo::DEMO_WIDGET_KEY;
    let first =
        backend::widget::identify(db, key, &token(&help.identity_secret, "user-7", "t1", 600))
            .await
            .unwrap();
    let again =
        backend::widget::identify(db, key, &token(&help.identity_secret, "user-7", "t2", 600))
            .await
            .unwrap();
    assert_eq!(first, again, "the same site user is the same customer");
    let refusal = |r: Result<domain::CustomerId, backend::BackendError>| match r {
        Err(backend::BackendError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let replayed = refusal(
        backend::widget::identify(db, key, &token(&help.identity_secret, "user-7", "t1", 600))
            .await,
    );
    assert!(replayed.contains("already used"), "{replayed}");
    let forged = refusal(
        backend::widget::identify(db, key, &token("not the secret", "user-7", "t3", 600)).await,
    );
    assert!(forged.contains("could not be verified"), "{forged}");
    let expired = refusal(
        backend::widget::identify(
            db,
            key,
            &token(&help.identity_secret, "user-7", "t4", -3600),
        )
        .await,
    );
    assert!(expired.contains("expired"), "{expired}");
    let garbage = refusal(backend::widget::identify(db, key, "not.a.token").await);
    assert!(garbage.contains("malformed"), "{garbage}");
}
