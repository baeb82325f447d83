//! Customer satisfaction ratings: what a rating may be, when the customer may give one, and how
//! many become one figure.

mod support;

use domain::ratings::{COMMENT_MAX, Satisfaction, check_rating, may_rate};
use support::*;

#[test]
fn a_rating_is_a_whole_score_from_1_to_5_with_an_optional_comment() {
    assert_eq!(
        check_rating(5, "  Great help  ").unwrap(),
        (5, Some("Great help".into()))
    );
    assert_eq!(check_rating(1, "   ").unwrap(), (1, None));
    for bad in [0, 6, -1, 256, i64::MAX] {
        assert!(check_rating(bad, "").is_err(), "{bad}");
    }
    assert!(check_rating(3, &"x".repeat(COMMENT_MAX + 1)).is_err());
    assert!(check_rating(3, &"x".repeat(COMMENT_MAX)).is_ok());
}

#[test]
fn the_customer_may_rate_once_the_conversation_has_ended_for_them_and_after_it_is_closed() {
    let mut w = Sim::new().space("s", &["ada"]).available("ada", "s");
    w.start("c", "s");
    assert!(!may_rate(w.conv("c")), "waiting for agent");
    w.accept("ada", "c");
    assert!(!may_rate(w.conv("c")), "active");
    w.end_by_agent("ada", "c");
    assert!(may_rate(w.conv("c")), "ended: wrapping up");
    w.resolve("ada", "c");
    assert!(may_rate(w.conv("c")), "closed");
}

#[test]
fn satisfaction_is_the_mean_of_the_scores_with_their_count() {
    let mut s = Satisfaction::default();
    assert_eq!(s.mean(), None);
    assert_eq!(s.label(), "No ratings yet");
    s.add(5);
    assert_eq!(s.label(), "5.0 of 5 (1 rating)");
    s.add(4);
    s.add(4);
    assert_eq!(s.count, 3);
    assert_eq!(s.label(), "4.3 of 5 (3 ratings)");
}
