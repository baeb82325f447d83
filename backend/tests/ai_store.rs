//! The AI agent against SQLite and PostgreSQL: an anonymous visitor's conversation, answers with
//! their `ai_replies` rows, the handoff limit, silence while the handoff waits for sign-in
//! (SPEC R-HAND-2), the claim after sign-in routing the same thread (R-CUST-2, R-HAND-3), the
//! knowledge base settings with their audit entries and publishing rules (R-MODE-2), and
//! Conversation review (R-VIEW-5).

mod support;

use std::{sync::Arc, time::Duration};

use backend::{
    Db, Engine,
    ai::{AiAgent, knowledge, review},
    clock::SystemClock,
    store::Actor,
    widget::{self, Chatter},
};
use domain::{
    ConversationStatus, CustomerId, Timers, VisitorId,
    ai::{HandoffReason, ReviewOutcome, Turn},
};
use support::{chat::customer_says, people::demo_admin};

conformance!(
    a_visitor_is_answered_then_handed_off_after_two_unsure_answers_and_claimed_after_sign_in,
    the_knowledge_base_is_edited_with_audit_entries_and_publishing_needs_an_article,
);

async fn seeded(db: &Db) -> (Actor, Engine, AiAgent) {
    let actor = demo_admin(db).await;
    let engine = Engine::new(db.clone(), Timers::default(), Arc::new(SystemClock));
    let ai = AiAgent::new(
        engine.clone(),
        "http://baton.test",
        Duration::from_millis(1),
    );
    (actor, engine, ai)
}

async fn a_visitor_is_answered_then_handed_off_after_two_unsure_answers_and_claimed_after_sign_in(
    db: &Db,
) {
    let (admin, engine, ai) = seeded(db).await;
    let visitor = VisitorId::new("v-1");
    let anonymous = Chatter {
        customer: None,
        visitor: Some(visitor.clone()),
    };
    let id = widget::start(&engine, &ai, "wk_demo_shop", &anonymous)
        .await
        .unwrap();
    // A second start (a double click) finds the same conversation.
    assert_eq!(
        widget::start(&engine, &ai, "wk_demo_shop", &anonymous)
            .await
            .unwrap(),
        id
    );

    customer_says(&engine, &id, "Can I pay with PayPal?").await;
    let answer = ai.reply(&id).await.unwrap();
    assert!(
        matches!(&answer, Some(Turn::Answer { body }) if body.contains("PayPal") && body.contains("http://baton.test/support/wk_demo_shop/articles/")),
        "{answer:?}"
    );
    // Nothing new from the customer: nothing to answer.
    assert_eq!(ai.reply(&id).await.unwrap(), None);

    customer_says(&engine, &id, "What is the capital of Australia?").await;
    assert!(matches!(
        ai.reply(&id).await.unwrap(),
        Some(Turn::NotSure { .. })
    ));
    customer_says(&engine, &id, "Tell me a joke").await;
    assert!(matches!(
        ai.reply(&id).await.unwrap(),
        Some(Turn::HandOff {
            reason: HandoffReason::CannotHelp,
            ..
        })
    ));
    // Waiting for sign-in, the AI says nothing more (SPEC R-HAND-2).
    customer_says(&engine, &id, "hello?").await;
    assert_eq!(ai.reply(&id).await.unwrap(), None);
    let kinds: Vec<(String,)> =
        sqlx::query_as("SELECT kind FROM ai_replies WHERE conversation_id = $1 ORDER BY seq")
            .bind(id.as_str())
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let kinds: Vec<String> = kinds.into_iter().map(|(k,)| k).collect();
    assert_eq!(kinds, ["greeting", "answer", "not_sure", "handoff"]);

    let (casey,): (String,) =
        sqlx::query_as("SELECT id FROM customers WHERE email = 'casey@demo.baton.test'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let claimed = widget::claim(&engine, "wk_demo_shop", &CustomerId::new(&casey), &visitor)
        .await
        .unwrap();
    assert_eq!(claimed, Some(id.clone()));
    let conv = backend::realtime::reads::conversation(db, &id)
        .await
        .unwrap()
        .unwrap();
    // Nobody is Available in the demo: the handed-off chat gets the Fallback message and closes,
    // as a new live chat would (SPEC R-HAND-3, R-ROUTE-6).
    assert!(
        matches!(conv.status, ConversationStatus::Work(_)),
        "{conv:?}"
    );
    assert_eq!(conv.customer, Some(CustomerId::new(casey)));

    let handed_off = review::list(db, &admin, Some(ReviewOutcome::HandedOff))
        .await
        .unwrap();
    assert_eq!(handed_off.len(), 1);
    assert_eq!(handed_off[0].answers, 1);
    assert_eq!(
        handed_off[0].handoff_reason.as_deref(),
        Some("The AI agent could not help")
    );
    assert!(handed_off[0].work_item.is_some());
    let detail = review::detail(db, &admin, &id).await.unwrap();
    assert!(detail.lines.iter().any(|l| l.body.contains("PayPal")));
}

async fn the_knowledge_base_is_edited_with_audit_entries_and_publishing_needs_an_article(db: &Db) {
    let (admin, _, _) = seeded(db).await;
    let (help,): (String,) = sqlx::query_as("SELECT id FROM experiences WHERE name = 'Baton Help'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    // Baton Help is Support team: no AI agent to publish.
    let refused = knowledge::set_published(db, &admin, &help, true).await;
    assert!(
        matches!(&refused, Err(backend::BackendError::Invalid(m)) if m.contains("Support mode")),
        "{refused:?}"
    );
    sqlx::query("UPDATE experiences SET support_mode = 'ai_agent' WHERE id = $1")
        .bind(&help)
        .execute(&db.pool)
        .await
        .unwrap();
    let no_article = knowledge::set_published(db, &admin, &help, true).await;
    assert!(
        matches!(&no_article, Err(backend::BackendError::Invalid(m)) if m.contains("at least one article")),
        "{no_article:?}"
    );
    let draft = knowledge::save_article(
        db,
        &admin,
        &help,
        None,
        "Opening hours",
        "We answer from 9 to 5.",
        false,
    )
    .await
    .unwrap();
    assert!(
        knowledge::set_published(db, &admin, &help, true)
            .await
            .is_err()
    );
    knowledge::save_article(
        db,
        &admin,
        &help,
        Some(&draft),
        "Opening hours",
        "We answer from 9 to 5.",
        true,
    )
    .await
    .unwrap();
    knowledge::set_published(db, &admin, &help, true)
        .await
        .unwrap();
    knowledge::save_settings(db, &admin, &help, 3, "refund\nRefund\nlegal action")
        .await
        .unwrap();
    let view = knowledge::view(db, &admin, &help).await.unwrap();
    assert!(view.published);
    assert_eq!(view.settings.unconfident_limit, 3);
    assert_eq!(view.settings.phrases, ["refund", "legal action"]);
    let bad = knowledge::save_settings(db, &admin, &help, 0, "").await;
    assert!(bad.is_err());
    let audit: Vec<(String, String)> = sqlx::query_as(
        "SELECT field, new_value FROM audit_log WHERE subject = 'AI agent of Baton Help' ORDER BY at, id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(
        audit.contains(&("AI agent".into(), "Published".into())),
        "{audit:?}"
    );
    assert!(
        audit.contains(&("Handoff phrases".into(), "refund, legal action".into())),
        "{audit:?}"
    );
    knowledge::delete_article(db, &admin, &help, &draft)
        .await
        .unwrap();
    assert!(
        knowledge::view(db, &admin, &help)
            .await
            .unwrap()
            .articles
            .is_empty()
    );
}
