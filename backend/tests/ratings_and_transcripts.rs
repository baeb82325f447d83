//! Satisfaction ratings and transcripts on SQLite and PostgreSQL: only the conversation's own
//! customer rates it, once it has ended; a second rating replaces the first; the team sees it on
//! the conversation, the work item and the customer's profile (readers only), and averaged per
//! agent and space over a window. The customer's transcript never holds internal notes; the
//! team's does; anyone else is told the conversation is not found.

mod support;

use std::sync::Arc;

use backend::{
    BackendError, Db, Engine,
    clock::{Clock, ManualClock, now_ms},
    ratings, transcripts,
};
use domain::access::Reader;
use domain::time::HOUR;
use domain::{Command, ConversationId, Ender, Timers};
use support::chat::{accept, available, customer_says, start_direct};
use support::people::{agent_in, customer, site_with_space};

conformance!(
    only_the_customer_rates_an_ended_conversation_and_the_team_sees_it,
    the_customer_transcript_has_no_notes_and_the_team_transcript_does,
);

fn utc(ms: i64) -> String {
    format!("t{ms}")
}

fn decoded(href: &str) -> String {
    let text = href
        .strip_prefix("data:text/plain;charset=utf-8,")
        .expect("a data URL");
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

async fn only_the_customer_rates_an_ended_conversation_and_the_team_sees_it(db: &Db) {
    let clock = Arc::new(ManualClock::starting_at(now_ms()));
    let engine = Engine::new(db.clone(), Timers::default(), clock.clone());
    let space = site_with_space(db, "Ratings").await;
    let ada = agent_in(db, &space, "Ada Rating").await;
    let grace = agent_in(db, &space, "Grace Rating").await;
    let casey = customer(db, "Casey Rating").await;
    let bea = customer(db, "Bea Rating").await;
    let id = ConversationId::new("c-rated");
    available(&engine, &ada).await;
    start_direct(&engine, &id, &space, &casey).await;
    accept(&engine, &ada, &id).await;
    let casey_reads = [Reader::Customer(casey.clone())];

    // Not yet: the chat is still going on.
    let early = ratings::rate(db, &casey_reads, &id, 5, "", clock.now()).await;
    assert!(
        matches!(early, Err(BackendError::Invalid(ref m)) if m.contains("ended")),
        "{early:?}"
    );
    engine
        .execute(Command::EndConversation {
            conversation: id.clone(),
            by: Ender::Agent(ada.clone()),
        })
        .await
        .unwrap();
    // Someone else's conversation, or a score out of range, is refused and stores nothing.
    assert!(matches!(
        ratings::rate(
            db,
            &[Reader::Customer(bea.clone())],
            &id,
            5,
            "",
            clock.now()
        )
        .await,
        Err(BackendError::NotFound)
    ));
    assert!(matches!(
        ratings::rate(db, &[], &id, 5, "", clock.now()).await,
        Err(BackendError::NotFound)
    ));
    assert!(matches!(
        ratings::rate(db, &casey_reads, &id, 6, "", clock.now()).await,
        Err(BackendError::Invalid(_))
    ));
    assert_eq!(
        ratings::of_conversation(db, id.as_str()).await.unwrap(),
        None
    );

    // Rated while Wrapping up, then again after Closed: the second replaces the first.
    ratings::rate(db, &casey_reads, &id, 2, "Slow", clock.now())
        .await
        .unwrap();
    engine
        .execute(Command::Resolve {
            agent: ada.clone(),
            conversation: id.clone(),
            resolution: "Done".into(),
        })
        .await
        .unwrap();
    clock.advance(HOUR);
    let rated = ratings::rate(db, &casey_reads, &id, 4, "  Quick and kind ", clock.now())
        .await
        .unwrap();
    assert_eq!(rated.score, 4);
    assert_eq!(rated.comment.as_deref(), Some("Quick and kind"));
    assert_eq!(
        ratings::of_conversation(db, id.as_str()).await.unwrap(),
        Some(rated.clone())
    );

    // On the conversation's details and the customer's profile, for Ada who may read it.
    let details = backend::work::details(db, &ada, &id, 300_000)
        .await
        .unwrap();
    assert_eq!(details.rating, Some(rated.clone()));
    let profile = backend::work::customer_profile(db, &ada, casey.as_str(), None, 20)
        .await
        .unwrap();
    assert_eq!(profile.conversations[0].rating, Some(rated.clone()));
    assert!(matches!(
        backend::work::details(db, &grace, &id, 300_000).await,
        Err(BackendError::NotFound)
    ));

    // Averaged per agent and space within the window; an older rating is outside it.
    let (by_agent, by_space) = ratings::satisfaction_since(db, domain::Timestamp(0))
        .await
        .unwrap();
    assert_eq!(by_agent[ada.as_str()].count, 1);
    assert_eq!(by_agent[ada.as_str()].total, 4);
    assert_eq!(by_space[space.as_str()].label(), "4.0 of 5 (1 rating)");
    assert!(!by_agent.contains_key(grace.as_str()));
    let later = domain::Timestamp(clock.now().as_millis() + 1);
    let (by_agent, _) = ratings::satisfaction_since(db, later).await.unwrap();
    assert!(by_agent.is_empty());
}

async fn the_customer_transcript_has_no_notes_and_the_team_transcript_does(db: &Db) {
    let clock = Arc::new(ManualClock::starting_at(now_ms()));
    let engine = Engine::new(db.clone(), Timers::default(), clock.clone());
    let space = site_with_space(db, "Transcripts").await;
    let ada = agent_in(db, &space, "Ada Transcript").await;
    let grace = agent_in(db, &space, "Grace Transcript").await;
    let casey = customer(db, "Casey Transcript").await;
    let id = ConversationId::new("c-transcript");
    available(&engine, &ada).await;
    start_direct(&engine, &id, &space, &casey).await;
    accept(&engine, &ada, &id).await;
    customer_says(&engine, &id, "Hello,\nmy order is late & 50% off?").await;
    engine
        .execute(Command::SendMessage {
            conversation: id.clone(),
            author: domain::Author::Agent(ada.clone()),
            body: "Looking into it.".into(),
            client_id: "ada-1".into(),
            attachment: None,
        })
        .await
        .unwrap();
    engine
        .execute(Command::AddNote {
            agent: ada.clone(),
            conversation: id.clone(),
            body: "Refund approved".into(),
        })
        .await
        .unwrap();

    let customer_copy = transcripts::transcript(
        db,
        &id,
        transcripts::TranscriptRequest {
            readers: &[Reader::Customer(casey.clone())],
            time: &utc,
            accept_language: "de-DE,de;q=0.9",
        },
    )
    .await
    .unwrap();
    assert!(customer_copy.file_name.ends_with("-c-transcript.txt"));
    let text = decoded(&customer_copy.href);
    assert!(
        text.contains("Casey Transcript: Hello,\n    my order is late & 50% off?"),
        "{text}"
    );
    assert!(text.contains("Ada Transcript: Looking into it."), "{text}");
    assert!(!text.contains("Refund approved"), "{text}");
    assert!(!text.contains("Status:"), "{text}");
    // The customer's copy is in their chat's language, dates and times included.
    assert!(
        text.starts_with("Verlauf: Live chat mit Casey Transcript\n"),
        "{text}"
    );
    assert!(
        text.contains("Ada Transcript ist der Unterhaltung beigetreten."),
        "{text}"
    );
    assert!(text.contains("Begonnen am "), "{text}");
    assert!(
        !text.contains(" t1"),
        "the customer's times are not the team's: {text}"
    );

    let team_copy = transcripts::transcript(
        db,
        &id,
        transcripts::TranscriptRequest {
            readers: &[Reader::Agent(ada.clone())],
            time: &utc,
            accept_language: "de-DE",
        },
    )
    .await
    .unwrap();
    let text = decoded(&team_copy.href);
    assert!(
        text.contains("Internal note by Ada Transcript: Refund approved"),
        "{text}"
    );
    // The team's copy stays English with the team's times.
    assert!(
        text.contains("Ada Transcript joined the conversation."),
        "{text}"
    );
    assert!(text.contains("Started t"), "{text}");

    for outsider in [
        Reader::Agent(grace.clone()),
        Reader::Customer(customer(db, "Nosy Transcript").await),
    ] {
        let refused = transcripts::transcript(
            db,
            &id,
            transcripts::TranscriptRequest {
                readers: &[outsider],
                time: &utc,
                accept_language: "",
            },
        )
        .await;
        assert!(
            matches!(refused, Err(BackendError::NotFound)),
            "{refused:?}"
        );
    }
}
