//! Realtime delivery rules: stream ordering, typing indicators, throttling and reconnect backoff
//! (SPEC R-CUST-3, R-AGENT-1; DESIGN "Realtime").

use domain::realtime::{
    Delivery, TYPING_EXPIRY, TYPING_REPEAT, TypingIndicators, TypingThrottle, place,
    reconnect_delay,
};
use domain::{SECOND, Timestamp};

const T0: Timestamp = Timestamp(1_700_000_000_000);

fn at(ms: i64) -> Timestamp {
    T0.plus(ms)
}

#[test]
fn the_next_seq_is_delivered() {
    assert_eq!(place(4, 5), Delivery::Next);
    assert_eq!(place(0, 1), Delivery::Next);
}

#[test]
fn a_seq_already_delivered_is_dropped_as_a_duplicate() {
    assert_eq!(place(5, 5), Delivery::Duplicate);
    assert_eq!(place(5, 2), Delivery::Duplicate);
}

#[test]
fn a_seq_beyond_the_next_names_the_gap_to_read_first() {
    assert_eq!(place(4, 8), Delivery::Gap { from: 5, to: 7 });
}

// SPEC R-CUST-3
#[test]
fn a_typing_indicator_shows_until_the_person_stops() {
    let mut shown = TypingIndicators::default();
    shown.signal("agent", true, at(0));
    assert_eq!(shown.typing(at(SECOND)), vec!["agent"]);

    shown.signal("agent", false, at(2 * SECOND));

    assert!(shown.typing(at(2 * SECOND)).is_empty());
}

// SPEC R-CUST-3
#[test]
fn a_typing_indicator_disappears_by_itself_when_signals_stop_coming() {
    let mut shown = TypingIndicators::default();
    shown.signal("customer", true, at(0));

    assert_eq!(shown.typing(at(TYPING_EXPIRY - 1)), vec!["customer"]);
    assert!(shown.typing(at(TYPING_EXPIRY)).is_empty());
    assert_eq!(shown.next_expiry(), Some(at(TYPING_EXPIRY)));
}

#[test]
fn a_repeated_typing_signal_keeps_the_indicator_up() {
    let mut shown = TypingIndicators::default();
    shown.signal("customer", true, at(0));
    shown.signal("customer", true, at(TYPING_REPEAT));

    assert_eq!(shown.typing(at(TYPING_EXPIRY + 1)), vec!["customer"]);
}

// SPEC R-AGENT-1
#[test]
fn the_indicator_goes_at_once_when_that_persons_message_arrives() {
    let mut shown = TypingIndicators::default();
    shown.signal("customer", true, at(0));
    shown.signal("ada", true, at(0));

    shown.message_from(&"customer");

    assert_eq!(shown.typing(at(1)), vec!["ada"]);
}

#[test]
fn the_first_keystroke_sends_typing_and_further_ones_are_throttled() {
    let mut throttle = TypingThrottle::default();

    assert_eq!(throttle.input(false, at(0)), Some(true));
    assert_eq!(throttle.input(false, at(500)), None);
    assert_eq!(throttle.input(false, at(TYPING_REPEAT - 1)), None);
    assert_eq!(throttle.input(false, at(TYPING_REPEAT)), Some(true));
}

#[test]
fn clearing_the_composer_or_sending_stops_typing_once() {
    let mut throttle = TypingThrottle::default();
    throttle.input(false, at(0));

    assert_eq!(throttle.input(true, at(100)), Some(false));
    assert_eq!(throttle.input(true, at(200)), None);

    throttle.input(false, at(300));
    assert_eq!(throttle.stop(), Some(false));
    assert_eq!(throttle.stop(), None);
}

#[test]
fn the_repeat_interval_refreshes_the_indicator_well_before_it_expires() {
    // Checked when the tests compile: both are constants.
    const { assert!(TYPING_REPEAT * 2 < TYPING_EXPIRY) };
}

#[test]
fn reconnect_delays_grow_and_are_capped() {
    let first = reconnect_delay(0, 0.0);
    let later = reconnect_delay(4, 0.0);
    let far = reconnect_delay(30, 0.999);

    assert_eq!(first, 250);
    assert!(later > first);
    assert!(far <= 15 * SECOND);
    assert!(far >= 15 * SECOND / 2);
}

#[test]
fn reconnect_delays_are_spread_by_jitter() {
    let low = reconnect_delay(3, 0.0);
    let high = reconnect_delay(3, 0.99);

    assert!(high > low);
    assert!(high <= 2 * low);
}

mod drafts {
    use domain::realtime::DraftView;

    #[test]
    fn pieces_of_an_answer_are_shown_in_order_as_they_arrive() {
        let mut draft = DraftView::default();
        assert!(draft.piece(0, "Refunds "));
        assert!(draft.piece(8, "take fünf"));
        assert_eq!(draft.text(), "Refunds take fünf");
        assert!(draft.piece(17, " days"));
        assert_eq!(draft.text(), "Refunds take fünf days");
    }

    #[test]
    fn a_repeated_piece_is_shown_once() {
        let mut draft = DraftView::default();
        draft.piece(0, "abc");
        assert!(!draft.piece(0, "abc"));
        assert!(!draft.piece(1, "bc"));
        assert_eq!(draft.text(), "abc");
    }

    #[test]
    fn after_a_lost_piece_the_draft_waits_for_the_whole_answer() {
        let mut draft = DraftView::default();
        draft.piece(0, "abc");
        assert!(!draft.piece(5, "fg"));
        assert!(!draft.piece(7, "h"));
        assert_eq!(draft.text(), "abc");
    }

    #[test]
    fn an_empty_piece_at_the_start_clears_the_draft() {
        let mut draft = DraftView::default();
        draft.piece(0, "abc");
        assert!(draft.piece(0, ""));
        assert_eq!(draft.text(), "");
        assert!(!draft.piece(0, ""));
    }
}
