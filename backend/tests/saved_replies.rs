//! Saved replies on SQLite and PostgreSQL: a space's admins add and remove them (audited), a
//! shortcut is unique in its space, agents who are not admins cannot change them, and an agent
//! in a conversation gets its space's replies with the customer's and their own name filled in;
//! anyone else is told the conversation is not found (SPEC R-VIEW-3).

mod support;

use std::sync::Arc;

use backend::{
    BackendError, Db, Engine,
    clock::{ManualClock, now_ms},
    saved_replies,
    store::{Actor, spaces},
};
use domain::{ConversationId, Timers};
use support::chat::{accept, available, start_direct};
use support::people::{agent_in, customer, demo_admin, space};

conformance!(
    space_admins_manage_saved_replies_and_agents_get_them_filled_in_for_their_conversation,
);

/// A third space where Sid is only an agent, so his admin role is the other space's alone.
async fn space_of_sid_as_agent(db: &Db) -> domain::SpaceId {
    space(db, "Sid's desk").await
}

async fn space_admins_manage_saved_replies_and_agents_get_them_filled_in_for_their_conversation(
    db: &Db,
) {
    let site_admin = demo_admin(db).await;
    let other = space(db, "Elsewhere").await;
    let space = space(db, "Replies").await;
    let ada = agent_in(db, &space, "Ada Replies").await;
    let grace = agent_in(db, &space, "Grace Replies").await;
    // Sid is the admin of the other space only.
    let sid = agent_in(db, &space_of_sid_as_agent(db).await, "Sid Replies").await;
    spaces::add_member(db, other.as_str(), sid.as_str(), spaces::Role::SpaceAdmin)
        .await
        .unwrap();
    let ada_actor = Actor::load(db, ada.as_str()).await.unwrap();
    let sid_actor = Actor::load(db, sid.as_str()).await.unwrap();

    let added = saved_replies::add(
        db,
        &site_admin,
        space.as_str(),
        "/Refund",
        "Hi {customer}, {agent} here: your refund is on its way.",
    )
    .await
    .unwrap();
    assert_eq!(added.shortcut, "refund");
    saved_replies::add(
        db,
        &site_admin,
        space.as_str(),
        "bye",
        "Goodbye {customer}!",
    )
    .await
    .unwrap();

    // The same shortcut again in the space is refused; in another space it is fine.
    let again = saved_replies::add(db, &site_admin, space.as_str(), "refund", "Other text").await;
    assert!(
        matches!(again, Err(BackendError::Invalid(ref m)) if m.contains("/refund")),
        "{again:?}"
    );
    saved_replies::add(db, &sid_actor, other.as_str(), "refund", "Sid's text")
        .await
        .unwrap();
    // Bad input and people without the role change nothing.
    assert!(matches!(
        saved_replies::add(db, &site_admin, space.as_str(), "two words", "x").await,
        Err(BackendError::Invalid(_))
    ));
    assert!(matches!(
        saved_replies::add(db, &site_admin, space.as_str(), "empty", "   ").await,
        Err(BackendError::Invalid(_))
    ));
    assert!(matches!(
        saved_replies::add(db, &ada_actor, space.as_str(), "mine", "x").await,
        Err(BackendError::Forbidden)
    ));
    assert!(matches!(
        saved_replies::add(db, &sid_actor, space.as_str(), "sids", "x").await,
        Err(BackendError::Forbidden)
    ));
    assert!(matches!(
        saved_replies::list(db, &ada_actor, space.as_str()).await,
        Err(BackendError::Forbidden)
    ));
    let listed = saved_replies::list(db, &site_admin, space.as_str())
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|r| r.shortcut.as_str())
            .collect::<Vec<_>>(),
        ["bye", "refund"]
    );

    // Ada takes Casey's conversation and gets the replies filled in; Grace is not in it.
    let clock = Arc::new(ManualClock::starting_at(now_ms()));
    let engine = Engine::new(db.clone(), Timers::default(), clock);
    let casey = customer(db, "Casey Replies").await;
    let conversation = ConversationId::new("c-replies");
    available(&engine, &ada).await;
    start_direct(&engine, &conversation, &space, &casey).await;
    accept(&engine, &ada, &conversation).await;
    let filled = saved_replies::for_conversation(db, &ada, &conversation)
        .await
        .unwrap();
    assert_eq!(
        filled.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(),
        [
            "Goodbye Casey Replies!",
            "Hi Casey Replies, Ada Replies here: your refund is on its way."
        ]
    );
    assert!(matches!(
        saved_replies::for_conversation(db, &grace, &conversation).await,
        Err(BackendError::NotFound)
    ));

    // Removing: not by an agent, not through another space, then by the admin, audited.
    assert!(matches!(
        saved_replies::remove(db, &ada_actor, space.as_str(), &added.id).await,
        Err(BackendError::Forbidden)
    ));
    assert!(matches!(
        saved_replies::remove(db, &sid_actor, other.as_str(), &added.id).await,
        Err(BackendError::NotFound)
    ));
    saved_replies::remove(db, &site_admin, space.as_str(), &added.id)
        .await
        .unwrap();
    assert!(matches!(
        saved_replies::remove(db, &site_admin, space.as_str(), &added.id).await,
        Err(BackendError::NotFound)
    ));
    let left = saved_replies::for_conversation(db, &ada, &conversation)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    let audit = backend::store::audit::newest(db, 20).await.unwrap();
    let saved: Vec<_> = audit
        .iter()
        .filter(|e| e.field == "Saved reply")
        .map(|e| (e.old_value.as_str(), e.new_value.as_str()))
        .collect();
    assert!(saved.contains(&("", "/refund")), "{saved:?}");
    assert!(saved.contains(&("/refund", "")), "{saved:?}");
}
