//! Saved replies: what a shortcut and a text may be, how placeholders are filled, and when the
//! composer's picker opens and what it offers.

use domain::saved_replies::{
    BODY_MAX, SavedReply, check_body, check_shortcut, fill, matching, shortcut_query,
};

fn reply(shortcut: &str) -> SavedReply {
    SavedReply {
        id: shortcut.into(),
        shortcut: shortcut.into(),
        body: format!("text of {shortcut}"),
    }
}

#[test]
fn a_shortcut_is_one_lower_case_word_and_a_leading_slash_is_dropped() {
    assert_eq!(check_shortcut(" /Refund ").unwrap(), "refund");
    assert_eq!(check_shortcut("opening-hours").unwrap(), "opening-hours");
    assert!(check_shortcut("").is_err());
    assert!(check_shortcut("/").is_err());
    assert!(check_shortcut("two words").is_err());
    assert!(check_shortcut("semi;colon").is_err());
    assert!(check_shortcut(&"x".repeat(33)).is_err());
}

#[test]
fn a_reply_text_is_not_blank_and_not_too_long() {
    assert_eq!(check_body("  Hello  ").unwrap(), "Hello");
    assert!(check_body("   ").is_err());
    assert!(check_body(&"x".repeat(BODY_MAX + 1)).is_err());
    assert!(check_body(&"x".repeat(BODY_MAX)).is_ok());
}

#[test]
fn placeholders_become_the_customer_and_the_agent_every_time_they_appear() {
    assert_eq!(
        fill(
            "Hi {customer}, {agent} here. Thanks {customer}!",
            "Casey",
            "Ada"
        ),
        "Hi Casey, Ada here. Thanks Casey!"
    );
    assert_eq!(fill("No placeholders", "Casey", "Ada"), "No placeholders");
    assert_eq!(fill("{x} {customer", "Casey", "Ada"), "{x} {customer");
    // A name that looks like a placeholder is inserted as it is.
    assert_eq!(fill("Hi {customer}", "{agent}", "Ada"), "Hi {agent}");
}

#[test]
fn the_picker_opens_only_for_a_slash_and_one_word() {
    assert_eq!(shortcut_query("/"), Some(""));
    assert_eq!(shortcut_query("/ref"), Some("ref"));
    assert_eq!(shortcut_query("/ref more"), None);
    assert_eq!(shortcut_query("a/b"), None);
    assert_eq!(shortcut_query("hello"), None);
    assert_eq!(shortcut_query(""), None);
}

#[test]
fn replies_starting_with_the_query_come_before_those_containing_it() {
    let replies = [
        reply("thanks"),
        reply("refund-late"),
        reply("partial-refund"),
        reply("refund"),
    ];
    let shortcuts = |q: &str| {
        matching(&replies, q)
            .into_iter()
            .map(|r| r.shortcut.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shortcuts("refund"),
        ["refund", "refund-late", "partial-refund"]
    );
    assert_eq!(
        shortcuts("REF"),
        ["refund", "refund-late", "partial-refund"]
    );
    assert_eq!(
        shortcuts(""),
        ["partial-refund", "refund", "refund-late", "thanks"]
    );
    assert!(shortcuts("nothing").is_empty());
}
