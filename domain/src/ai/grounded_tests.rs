//! SPEC R-HAND-1 with a language model: the built-in rules still decide every handoff; the
//! model only writes grounded answers, and a failed model never leaves the customer unanswered.

use super::*;
use crate::ai::HandoffSettings;

fn article(n: u32) -> Found {
    Found {
        title: format!("Article {n}"),
        passage: format!("Passage {n} text."),
        link: format!("https://help.example/a/{n}"),
    }
}

fn input<'a>(
    message: &'a str,
    settings: &'a HandoffSettings,
    found: Option<Found>,
) -> TurnInput<'a> {
    TurnInput {
        message,
        can_hand_off: true,
        settings,
        found,
        unconfident_before: 0,
        fallback_message: "Email us at help@example.com.",
    }
}

#[test]
fn the_prompt_holds_the_rules_the_numbered_passages_and_the_newest_lines() {
    let passages = [article(1), article(2)];
    let history = [
        Line::Customer("Hi"),
        Line::AiAgent("Hello!"),
        Line::Customer("Refunds?"),
    ];
    let prompt = grounded_prompt(&PromptInput {
        experience: "Acme",
        tone: "friendly",
        passages: &passages,
        history: &history,
        can_hand_off: true,
    });
    let system = &prompt[0];
    assert_eq!(system.role, Role::System);
    for expected in [
        "Acme",
        NO_ANSWER,
        HANDOFF_TOOL,
        "Tone: friendly",
        "[1] Article 1\nPassage 1 text.",
        "[2] Article 2",
    ] {
        assert!(
            system.content.contains(expected),
            "missing {expected:?} in {}",
            system.content
        );
    }
    let roles: Vec<Role> = prompt[1..].iter().map(|m| m.role).collect();
    assert_eq!(roles, [Role::User, Role::Assistant, Role::User]);
    assert_eq!(prompt.last().unwrap().content, "Refunds?");
}

#[test]
fn without_a_team_the_prompt_offers_no_handoff_tool() {
    let prompt = grounded_prompt(&PromptInput {
        experience: "Acme",
        tone: "",
        passages: &[],
        history: &[Line::Customer("?")],
        can_hand_off: false,
    });
    assert!(!prompt[0].content.contains(HANDOFF_TOOL));
    assert!(prompt[0].content.contains("(none found)"));
}

#[test]
fn a_long_conversation_shows_the_model_only_its_newest_lines() {
    let lines: Vec<String> = (0..30).map(|n| format!("line {n}")).collect();
    let history: Vec<Line<'_>> = lines.iter().map(|l| Line::Customer(l)).collect();
    let prompt = grounded_prompt(&PromptInput {
        experience: "Acme",
        tone: "",
        passages: &[],
        history: &history,
        can_hand_off: true,
    });
    assert_eq!(prompt.len(), 1 + HISTORY_LINES);
    assert_eq!(prompt[1].content, "line 18");
}

#[test]
fn a_model_answer_cites_the_articles_it_used_as_links() {
    let passages = [article(1), article(2), article(3)];
    let body = with_sources(
        "Refunds take 5 days [2]. Ask within 30 days [1][2].",
        &passages,
    );
    assert_eq!(
        body,
        "Refunds take 5 days. Ask within 30 days.\n\n\
         From our help article \u{201c}Article 2\u{201d}: https://help.example/a/2\n\n\
         From our help article \u{201c}Article 1\u{201d}: https://help.example/a/1"
    );
}

#[test]
fn an_answer_that_cites_nothing_names_the_best_article_and_odd_brackets_stay() {
    let body = with_sources("Use the [Settings] page, see [9].", &[article(1)]);
    assert_eq!(
        body,
        "Use the [Settings] page, see [9].\n\nFrom our help article \u{201c}Article 1\u{201d}: https://help.example/a/1"
    );
}

#[test]
fn an_answer_never_exceeds_a_message() {
    let long = "x".repeat(MAX_MESSAGE_CHARS * 2);
    assert!(with_sources(&long, &[article(1)]).chars().count() <= MAX_MESSAGE_CHARS);
}

#[test]
fn asking_for_a_person_hands_off_by_the_rules_whatever_the_model_wrote() {
    let settings = HandoffSettings::default();
    let turn = plan_model_turn(
        input("I want to talk to a human", &settings, None),
        &[article(1)],
        Some(ModelReply::Text("Here is an answer [1]".into())),
    );
    assert!(matches!(
        turn,
        Turn::HandOff {
            reason: HandoffReason::AskedForPerson,
            ..
        }
    ));
}

#[test]
fn an_admin_phrase_hands_off_before_the_model_answers() {
    let settings = HandoffSettings {
        unconfident_limit: 2,
        phrases: vec!["chargeback".into()],
    };
    let turn = plan_model_turn(
        input("I will file a chargeback", &settings, Some(article(1))),
        &[article(1)],
        Some(ModelReply::Text("Answer".into())),
    );
    assert!(matches!(
        turn,
        Turn::HandOff {
            reason: HandoffReason::Rule { .. },
            ..
        }
    ));
}

#[test]
fn the_models_handoff_tool_hands_off_when_a_team_can_take_over() {
    let settings = HandoffSettings::default();
    let turn = plan_model_turn(
        input("Can you help?", &settings, None),
        &[],
        Some(ModelReply::AskedForPerson),
    );
    assert!(matches!(
        turn,
        Turn::HandOff {
            reason: HandoffReason::AskedForPerson,
            ..
        }
    ));
    let mut alone = input("Can you help?", &settings, None);
    alone.can_hand_off = false;
    let turn = plan_model_turn(alone, &[], Some(ModelReply::AskedForPerson));
    assert!(
        matches!(turn, Turn::NotSure { ref body } if body.contains("help@example.com")),
        "{turn:?}"
    );
}

#[test]
fn a_grounded_model_answer_is_the_turn_even_without_a_confident_search() {
    let settings = HandoffSettings::default();
    let turn = plan_model_turn(
        input("How long do refunds take?", &settings, None),
        &[article(1)],
        Some(ModelReply::Text("Five days [1].".into())),
    );
    assert_eq!(
        turn,
        Turn::Answer {
            body: with_sources("Five days [1].", &[article(1)])
        }
    );
}

#[test]
fn the_model_not_knowing_counts_toward_the_handoff_limit() {
    let settings = HandoffSettings::default();
    let first = plan_model_turn(
        input("Quantum?", &settings, Some(article(1))),
        &[article(1)],
        Some(ModelReply::Text(NO_ANSWER.into())),
    );
    assert!(matches!(first, Turn::NotSure { .. }), "{first:?}");
    let mut again = input("Quantum?", &settings, Some(article(1)));
    again.unconfident_before = 1;
    let second = plan_model_turn(
        again,
        &[article(1)],
        Some(ModelReply::Text(format!(" {NO_ANSWER}. "))),
    );
    assert!(
        matches!(
            second,
            Turn::HandOff {
                reason: HandoffReason::CannotHelp,
                ..
            }
        ),
        "{second:?}"
    );
}

#[test]
fn a_failed_model_falls_back_to_the_built_in_answer() {
    let settings = HandoffSettings::default();
    let turn = plan_model_turn(
        input("Refunds?", &settings, Some(article(1))),
        &[article(1)],
        None,
    );
    assert!(
        matches!(turn, Turn::Answer { ref body } if body.contains("Passage 1 text.")),
        "{turn:?}"
    );
    let turn = plan_model_turn(input("Refunds?", &settings, None), &[article(1)], None);
    assert!(matches!(turn, Turn::NotSure { .. }));
}

#[test]
fn small_talk_is_answered_in_kind_without_the_model() {
    let settings = HandoffSettings::default();
    let turn = plan_model_turn(
        input("thanks!", &settings, None),
        &[],
        Some(ModelReply::Text("Sure [1]".into())),
    );
    assert!(matches!(turn, Turn::SmallTalk { .. }));
}

#[test]
fn a_draft_shows_nothing_while_it_may_be_the_no_answer_reply() {
    let mut draft = Draft::default();
    assert!(draft.push("NO_"));
    assert_eq!(draft.shown(1), None);
    draft.push("ANSWER");
    assert_eq!(draft.shown(1), None);
    let mut draft = Draft::default();
    draft.push("Refunds take ");
    draft.push("five days [1]");
    assert_eq!(draft.shown(1).as_deref(), Some("Refunds take five days "));
}

#[test]
fn what_a_draft_shows_only_ever_grows() {
    let text = "Go to [Settings] then [1], see [12] and [2][1].";
    let mut draft = Draft::default();
    let mut before = String::new();
    for piece in text.chars() {
        draft.push(&piece.to_string());
        let now = draft.shown(2).unwrap_or_default();
        assert!(now.starts_with(&before), "{before:?} then {now:?}");
        before = now;
    }
    assert_eq!(before, "Go to [Settings] then , see [12] and .");
}

#[test]
fn a_draft_stops_growing_at_the_longest_message() {
    let mut draft = Draft::default();
    assert!(draft.push(&"y".repeat(MAX_MESSAGE_CHARS + 10)));
    assert!(!draft.push("more"));
    assert_eq!(draft.text().chars().count(), MAX_MESSAGE_CHARS);
}
