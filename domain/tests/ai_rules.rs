//! The AI agent's decisions (SPEC R-HAND-1, R-HAND-4, R-MODE-1): when it answers, when it says
//! it does not know, and when it hands off.

use domain::ai::{
    Found, HandoffReason, HandoffSettings, Turn, TurnInput, asks_for_person,
    check_handoff_settings, matching_rule, plan_turn, unconfident_in_a_row,
};

fn found() -> Found {
    Found {
        title: "Returns".into(),
        passage: "You can return any item within 30 days.".into(),
        link: "http://127.0.0.1:3000/support/wk/articles/a1".into(),
    }
}

fn input<'a>(message: &'a str, settings: &'a HandoffSettings) -> TurnInput<'a> {
    TurnInput {
        message,
        can_hand_off: true,
        settings,
        found: None,
        unconfident_before: 0,
        fallback_message: "Email help@example.com.",
    }
}

fn reason(turn: &Turn) -> Option<&HandoffReason> {
    match turn {
        Turn::HandOff { reason, .. } => Some(reason),
        _ => None,
    }
}

// SPEC R-HAND-1
#[test]
fn customers_asking_for_a_person_in_many_ways_are_understood() {
    for ask in [
        "Can I talk to a person?",
        "I want to speak to someone",
        "HUMAN PLEASE",
        "get me a real person",
        "connect me with your support team",
        "agent",
        "Is there a live agent?",
        "I'd like a representative",
    ] {
        assert!(asks_for_person(ask), "{ask:?} should ask for a person");
    }
}

// SPEC R-HAND-1
#[test]
fn mentioning_a_person_is_not_asking_for_one() {
    for text in [
        "The delivery person left my parcel outside",
        "How do I return an item someone gave me as a gift?",
        "What is your returns policy?",
        "Can I change the address on my order?",
    ] {
        assert!(!asks_for_person(text), "{text:?} is not a request");
    }
}

// SPEC R-HAND-1
#[test]
fn asking_for_a_person_hands_off_at_once_even_when_an_answer_was_found() {
    let settings = HandoffSettings::default();
    let mut turn_input = input("Please let me talk to a human", &settings);
    turn_input.found = Some(found());

    let turn = plan_turn(turn_input);

    assert_eq!(reason(&turn), Some(&HandoffReason::AskedForPerson));
}

// SPEC R-HAND-4
#[test]
fn a_handoff_phrase_matches_whole_words_in_order() {
    let phrases = vec!["legal complaint".to_string(), "chargeback".to_string()];

    assert_eq!(
        matching_rule("I am filing a LEGAL complaint!", &phrases),
        Some("legal complaint")
    );
    assert_eq!(matching_rule("complaint, legal one", &phrases), None);
    assert_eq!(matching_rule("chargebacks", &phrases), None);
    assert_eq!(
        matching_rule("I'll do a chargeback", &phrases),
        Some("chargeback")
    );
}

// SPEC R-HAND-1, R-HAND-4
#[test]
fn a_handoff_phrase_hands_off_with_the_phrase_as_the_reason() {
    let settings = HandoffSettings {
        unconfident_limit: 2,
        phrases: vec!["chargeback".into()],
    };

    let turn = plan_turn(input("I will open a chargeback", &settings));

    assert_eq!(
        reason(&turn),
        Some(&HandoffReason::Rule {
            phrase: "chargeback".into()
        })
    );
}

#[test]
fn a_confident_match_is_answered_with_the_passage_and_a_link_to_the_article() {
    let settings = HandoffSettings::default();
    let mut turn_input = input("Can I send something back?", &settings);
    turn_input.found = Some(found());

    let turn = plan_turn(turn_input);

    let Turn::Answer { body } = turn else {
        panic!("expected an answer, got {turn:?}")
    };
    assert!(body.starts_with("You can return any item within 30 days."));
    assert!(body.contains("\u{201c}Returns\u{201d}: http://127.0.0.1:3000/support/wk/articles/a1"));
}

// SPEC R-HAND-1: "when it cannot help"
#[test]
fn without_confidence_it_says_so_and_hands_off_when_the_limit_is_reached() {
    let settings = HandoffSettings {
        unconfident_limit: 2,
        phrases: vec![],
    };

    let first = plan_turn(input("What's the airspeed of a swallow?", &settings));
    let mut second_input = input("And of a duck?", &settings);
    second_input.unconfident_before = 1;
    let second = plan_turn(second_input);

    assert!(matches!(first, Turn::NotSure { ref body } if body.contains("not sure")));
    assert_eq!(reason(&second), Some(&HandoffReason::CannotHelp));
}

// SPEC R-MODE-1: in AI agent mode there is nobody to hand off to.
#[test]
fn in_ai_agent_mode_it_never_hands_off_and_points_to_the_fallback_message() {
    let settings = HandoffSettings {
        unconfident_limit: 1,
        phrases: vec!["refund".into()],
    };
    for message in ["talk to a person", "refund now", "unknown question"] {
        let mut turn_input = input(message, &settings);
        turn_input.can_hand_off = false;
        turn_input.unconfident_before = 5;

        let turn = plan_turn(turn_input);

        match turn {
            Turn::NotSure { body } => {
                assert!(body.contains("Email help@example.com."), "{body}")
            }
            Turn::Answer { .. } => {}
            other => panic!("{message:?} must not hand off in AI agent mode: {other:?}"),
        }
    }
}

// SPEC R-HAND-4
#[test]
fn handoff_settings_are_checked_and_tidied() {
    let settings = check_handoff_settings(3, "  chargeback \n\nLegal   complaint\nCHARGEBACK\n")
        .expect("valid settings");

    assert_eq!(settings.unconfident_limit, 3);
    assert_eq!(settings.phrases, vec!["chargeback", "Legal complaint"]);
    assert!(check_handoff_settings(0, "").is_err());
    assert!(check_handoff_settings(11, "").is_err());
    assert!(check_handoff_settings(2, "?!").is_err());
    assert!(check_handoff_settings(2, &"x".repeat(101)).is_err());
}

#[test]
fn thanks_and_greetings_are_answered_in_kind_and_do_not_count_against_the_ai() {
    let settings = HandoffSettings {
        unconfident_limit: 1,
        phrases: vec![],
    };

    let thanks = plan_turn(input("Thanks, that helped!", &settings));
    let hello = plan_turn(input("Hi there", &settings));

    assert!(matches!(thanks, Turn::SmallTalk { ref body } if body.starts_with("You're welcome")));
    assert!(matches!(hello, Turn::SmallTalk { ref body } if body.starts_with("Hello")));
    assert_eq!(
        unconfident_in_a_row(["answer", "not_sure", "small_talk", "not_sure"].into_iter()),
        2
    );
    assert_eq!(unconfident_in_a_row(["not_sure", "answer"].into_iter()), 0);
}

// SPEC R-VIEW-5
#[test]
fn conversation_review_tells_resolved_handed_off_and_abandoned_apart() {
    use domain::ai::{ReviewOutcome, review_outcome};
    use domain::{ConversationStatus, WorkStatus};
    let ended = ConversationStatus::EndedWithAi;

    assert_eq!(
        review_outcome(ended, &["greeting", "answer", "small_talk"]),
        ReviewOutcome::ResolvedByAi
    );
    assert_eq!(
        review_outcome(ended, &["greeting", "answer", "not_sure"]),
        ReviewOutcome::Abandoned
    );
    assert_eq!(
        review_outcome(ended, &["greeting"]),
        ReviewOutcome::Abandoned
    );
    assert_eq!(
        review_outcome(ended, &["greeting", "handoff"]),
        ReviewOutcome::Abandoned
    );
    assert_eq!(
        review_outcome(
            ConversationStatus::Work(WorkStatus::Closed),
            &["greeting", "handoff"]
        ),
        ReviewOutcome::HandedOff
    );
    assert_eq!(
        review_outcome(ConversationStatus::WithAi, &["greeting"]),
        ReviewOutcome::InProgress
    );
}
