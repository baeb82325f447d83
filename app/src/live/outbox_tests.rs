//! One conversation's outbox: messages go out one at a time, in the order typed, and none is
//! dropped (issue 18: a fast typist's messages were stored out of order, some never sent).

use domain::Timestamp;

use super::{
    Delivery, GIVE_UP_AFTER_MS, NO_ANSWER, NO_CONNECTION, Outbox, RESEND_AFTER_MS, RETRY_CAP_MS,
    RETRY_FIRST_MS, retry_pause,
};

const T0: Timestamp = Timestamp(1_700_000_000_000);

fn at(ms: i64) -> Timestamp {
    T0.plus(ms)
}

/// An outbox holding `ids` in the order typed, all typed at T0.
fn typed(ids: &[&str]) -> Outbox {
    let mut outbox = Outbox::default();
    for id in ids {
        outbox.push((*id).into(), format!("body of {id}"), T0);
    }
    outbox
}

fn sent(due: Option<(String, String)>) -> Option<String> {
    due.map(|(client_id, _)| client_id)
}

/// What goes out when every message is confirmed as soon as it is sent.
fn drain(outbox: &mut Outbox, now: Timestamp) -> Vec<String> {
    let mut order = Vec::new();
    while let Some((id, _)) = outbox.due(now) {
        outbox.shown(&id, now);
        order.push(id);
    }
    order
}

#[test]
fn only_the_first_message_is_on_the_wire_until_the_server_confirms_it() {
    let mut outbox = typed(&["m1", "m2", "m3"]);

    assert_eq!(sent(outbox.due(T0)), Some("m1".into()));
    assert_eq!(outbox.due(T0), None, "m2 waits for m1's confirmation");

    outbox.shown("m1", at(10));

    assert_eq!(sent(outbox.due(at(10))), Some("m2".into()));
}

#[test]
fn messages_go_out_in_the_order_they_were_typed() {
    let ids: Vec<String> = (1..=30).map(|i| format!("m{i}")).collect();
    let mut outbox = typed(&ids.iter().map(String::as_str).collect::<Vec<_>>());

    assert_eq!(drain(&mut outbox, T0), ids);
    assert!(outbox.is_empty());
}

#[test]
fn a_message_the_server_could_not_take_goes_again_before_the_ones_behind_it() {
    let mut outbox = typed(&["m1", "m2"]);
    outbox.due(T0);

    outbox.try_later("m1", T0);

    assert_eq!(
        outbox.due(at(RETRY_FIRST_MS - 1)),
        None,
        "nothing overtakes m1"
    );
    assert_eq!(
        sent(outbox.due(at(RETRY_FIRST_MS))),
        Some("m1".into()),
        "m1 again, with its own client id"
    );
}

#[test]
fn the_pause_after_each_try_later_doubles_up_to_a_cap() {
    assert_eq!(retry_pause(0), RETRY_FIRST_MS);
    assert_eq!(retry_pause(1), 2 * RETRY_FIRST_MS);
    assert_eq!(retry_pause(2), 4 * RETRY_FIRST_MS);
    assert_eq!(retry_pause(30), RETRY_CAP_MS);
}

#[test]
fn a_dropped_connection_puts_the_message_on_the_wire_back_first_in_line() {
    let mut outbox = typed(&["m1", "m2"]);
    outbox.due(T0);

    outbox.disconnected();

    assert_eq!(sent(outbox.due(at(1))), Some("m1".into()));
    outbox.shown("m1", at(2));
    assert_eq!(sent(outbox.due(at(2))), Some("m2".into()));
}

#[test]
fn a_message_without_an_answer_is_sent_again_after_a_while_and_not_before() {
    let mut outbox = typed(&["m1", "m2"]);
    outbox.due(T0);

    assert_eq!(outbox.due(at(RESEND_AFTER_MS - 1)), None);
    assert_eq!(sent(outbox.due(at(RESEND_AFTER_MS))), Some("m1".into()));
}

#[test]
fn a_message_a_rule_refused_is_not_sent_and_the_line_moves_on() {
    let mut outbox = typed(&["m1", "m2"]);
    outbox.due(T0);

    outbox.refused("m1", "The conversation has ended.".into(), at(5));

    assert_eq!(
        outbox.items()[0].not_sent(),
        Some("The conversation has ended.")
    );
    assert_eq!(sent(outbox.due(at(5))), Some("m2".into()));
    outbox.shown("m2", at(6));
    assert_eq!(
        outbox.due(at(RESEND_AFTER_MS * 10)),
        None,
        "m1 is not sent again"
    );
}

#[test]
fn a_line_stuck_while_offline_shows_every_waiting_message_as_not_sent() {
    let mut outbox = typed(&["m1", "m2"]);

    assert!(!outbox.give_up_if_stuck(false, at(GIVE_UP_AFTER_MS - 1)));
    assert!(outbox.give_up_if_stuck(false, at(GIVE_UP_AFTER_MS)));

    let reasons: Vec<_> = outbox.items().iter().map(|p| p.not_sent()).collect();
    assert_eq!(reasons, vec![Some(NO_CONNECTION), Some(NO_CONNECTION)]);
    assert_eq!(
        outbox.due(at(GIVE_UP_AFTER_MS)),
        None,
        "never resent by itself"
    );
}

#[test]
fn a_line_that_keeps_moving_never_gives_up_however_long_it_is() {
    let mut outbox = Outbox::default();
    for i in 0..100 {
        outbox.push(format!("m{i}"), "hi".into(), T0);
    }
    let mut now = T0;
    while let Some((id, _)) = outbox.due(now) {
        now = now.plus(GIVE_UP_AFTER_MS / 2);
        assert!(!outbox.give_up_if_stuck(true, now));
        outbox.shown(&id, now);
    }

    assert!(outbox.is_empty());
}

#[test]
fn an_unanswered_message_on_an_open_connection_gives_up_with_its_own_reason() {
    let mut outbox = typed(&["m1"]);
    outbox.due(T0);

    outbox.give_up_if_stuck(true, at(GIVE_UP_AFTER_MS));

    assert_eq!(outbox.items()[0].not_sent(), Some(NO_ANSWER));
}

#[test]
fn retrying_a_not_sent_message_puts_it_at_the_end_of_the_line_with_its_client_id() {
    let mut outbox = typed(&["m1"]);
    outbox.give_up_if_stuck(false, at(GIVE_UP_AFTER_MS));
    outbox.push("m2".into(), "later".into(), at(GIVE_UP_AFTER_MS + 1));

    assert!(outbox.retry("m1", at(GIVE_UP_AFTER_MS + 2)));

    let order: Vec<_> = outbox
        .items()
        .iter()
        .map(|p| p.client_id.as_str())
        .collect();
    assert_eq!(order, vec!["m2", "m1"], "shown where it will be stored");
    assert_eq!(
        drain(&mut outbox, at(GIVE_UP_AFTER_MS + 3)),
        vec!["m2".to_string(), "m1".to_string()]
    );
}

#[test]
fn a_retried_message_has_a_fresh_wait_before_it_gives_up_again() {
    let mut outbox = typed(&["m1"]);
    outbox.give_up_if_stuck(false, at(GIVE_UP_AFTER_MS));
    let retried = at(GIVE_UP_AFTER_MS * 3);

    outbox.retry("m1", retried);

    assert!(!outbox.give_up_if_stuck(false, retried.plus(GIVE_UP_AFTER_MS - 1)));
    assert_eq!(
        outbox.items()[0].delivery,
        Delivery::Waiting { not_before: None }
    );
}

#[test]
fn only_a_not_sent_message_can_be_retried() {
    let mut outbox = typed(&["m1"]);

    assert!(!outbox.retry("m1", T0), "m1 is still in line");
    assert!(!outbox.retry("unknown", T0));
}

#[test]
fn a_not_sent_message_the_server_stored_after_all_leaves_the_outbox() {
    let mut outbox = typed(&["m1"]);
    outbox.due(T0);
    outbox.give_up_if_stuck(true, at(GIVE_UP_AFTER_MS));

    outbox.shown("m1", at(GIVE_UP_AFTER_MS + 1));

    assert!(outbox.is_empty());
}

#[test]
fn a_stored_message_stays_on_screen_until_its_event_is_shown_and_lets_the_next_one_go() {
    let mut outbox = typed(&["m1", "m2"]);
    outbox.due(T0);

    outbox.stored("m1", 7, at(1));

    assert_eq!(outbox.items()[0].stored_as(), Some(7));
    assert_eq!(sent(outbox.due(at(1))), Some("m2".into()));
    outbox.shown_up_to(6);
    assert_eq!(outbox.items().len(), 2, "seq 7 is not shown yet");
    outbox.shown_up_to(7);
    assert_eq!(outbox.items()[0].client_id, "m2");
}
