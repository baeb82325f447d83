//! The agent's Conversations view (SPEC R-VIEW-1): live conversations and recently closed ones
//! with their resolution, and the view's filter.

use domain::Timestamp;
use domain::time::{HOUR, MINUTE};
use domain::views::conversations::{
    ConversationFilter, ConversationSummary, RECENTLY_CLOSED_FOR, Showing, recently_closed,
};

fn live(name: &str) -> ConversationSummary {
    ConversationSummary {
        id: format!("c-{name}"),
        customer_name: name.into(),
        status: "Active".into(),
        started_at: 0,
        closed_at: None,
        resolution: None,
    }
}

fn closed(name: &str, resolution: &str) -> ConversationSummary {
    ConversationSummary {
        status: "Closed".into(),
        closed_at: Some(HOUR),
        resolution: Some(resolution.into()),
        ..live(name)
    }
}

#[test]
fn r_view_1_a_conversation_closed_within_the_week_is_recent_and_one_closed_longer_ago_is_not() {
    let closed_at = Timestamp(10 * HOUR);
    assert!(recently_closed(closed_at, closed_at));
    assert!(recently_closed(
        closed_at,
        closed_at.plus(RECENTLY_CLOSED_FOR)
    ));
    assert!(!recently_closed(
        closed_at,
        closed_at.plus(RECENTLY_CLOSED_FOR + MINUTE)
    ));
}

#[test]
fn r_view_1_the_filter_shows_live_closed_or_both() {
    let list = [live("Ada"), closed("Bo", "Solved")];
    let keep = |showing| {
        let filter = ConversationFilter {
            showing,
            text: String::new(),
        };
        list.iter()
            .filter(|c| filter.keeps(c))
            .map(|c| c.customer_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(keep(Showing::All), ["Ada", "Bo"]);
    assert_eq!(keep(Showing::Live), ["Ada"]);
    assert_eq!(keep(Showing::Closed), ["Bo"]);
}

#[test]
fn r_view_1_filter_words_match_the_customer_status_or_resolution_in_any_case() {
    let list = [
        live("Ada Lovelace"),
        closed("Bo Brown", "Solved"),
        closed("Cy Ada", "Duplicate"),
    ];
    let keep = |text: &str| {
        let filter = ConversationFilter {
            showing: Showing::All,
            text: text.into(),
        };
        list.iter()
            .filter(|c| filter.keeps(c))
            .map(|c| c.customer_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(keep("ada"), ["Ada Lovelace", "Cy Ada"]);
    assert_eq!(keep("SOLVED"), ["Bo Brown"]);
    assert_eq!(keep("ada duplicate"), ["Cy Ada"]);
    assert_eq!(keep("active"), ["Ada Lovelace"]);
    assert_eq!(keep("  "), ["Ada Lovelace", "Bo Brown", "Cy Ada"]);
    assert!(keep("nobody").is_empty());
}

#[test]
fn r_view_1_the_showing_choice_reads_back_from_its_label_and_defaults_to_all() {
    for showing in Showing::ALL {
        assert_eq!(Showing::from_label(showing.label()), showing);
    }
    assert_eq!(Showing::from_label("garbage"), Showing::All);
}
