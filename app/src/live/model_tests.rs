//! The tab's delivery rules, without a browser: what is resent, resumed and shown.

use domain::protocol::{ClientFrame, ErrorCode, Principal, ServerFrame, Typist};
use domain::{Author, ConversationEvent, ConversationId, EventKind, Timestamp};

use super::{Connection, LiveState};
use crate::live::outbox::{GIVE_UP_AFTER_MS, NO_CONNECTION, RESEND_AFTER_MS, RETRY_FIRST_MS};

const T0: Timestamp = Timestamp(1_700_000_000_000);

fn conv() -> ConversationId {
    ConversationId::new("c1")
}

fn me() -> Principal {
    Principal::Customer {
        id: "u1".into(),
        name: "Robin".into(),
    }
}

fn message(seq: i64, author: Author, body: &str, client_id: &str) -> ServerFrame {
    ServerFrame::Event {
        event: ConversationEvent {
            conversation: conv(),
            seq,
            at: T0,
            kind: EventKind::Message {
                author,
                body: body.into(),
                client_id: client_id.into(),
                attachment: None,
            },
        },
        author_name: None,
    }
}

fn online() -> LiveState {
    let mut state = LiveState::default();
    state.follow(&conv());
    state.on_open(me(), T0);
    state
}

fn send(client_id: &str, body: &str) -> ClientFrame {
    ClientFrame::Send {
        conversation: conv(),
        client_id: client_id.into(),
        body: body.into(),
    }
}

fn sent(client_id: &str, seq: i64) -> ServerFrame {
    ServerFrame::Sent {
        conversation: conv(),
        client_id: client_id.into(),
        seq,
    }
}

fn error(code: ErrorCode, client_id: &str, message: &str) -> ServerFrame {
    ServerFrame::Error {
        code,
        message: message.into(),
        client_id: Some(client_id.into()),
        conversation: Some(conv()),
    }
}

/// The client ids in the conversation's outbox, in order.
fn outbox(state: &LiveState) -> Vec<String> {
    state.threads[&conv()]
        .outbox
        .items()
        .iter()
        .map(|p| p.client_id.clone())
        .collect()
}

#[test]
fn a_message_written_while_offline_is_kept_and_sent_after_reconnecting() {
    let mut state = online();
    state.on_close(1);

    let now = state.compose(&conv(), "m1".into(), "hello".into(), T0);
    let frames = state.on_open(me(), T0);

    assert_eq!(now, vec![], "nothing goes out while offline");
    assert!(frames.contains(&send("m1", "hello")));
}

#[test]
fn reconnecting_resumes_each_followed_conversation_from_its_last_seq() {
    let mut state = online();
    state.apply(message(1, Author::Customer, "a", "x1"), T0);
    state.apply(message(2, Author::Ai, "b", "x2"), T0);
    state.on_close(1);

    let frames = state.on_open(me(), T0);

    assert_eq!(
        frames.first(),
        Some(&ClientFrame::Resume {
            conversation: conv(),
            last_seq: 2
        })
    );
    assert_eq!(state.connection, Connection::Online);
}

#[test]
fn an_event_already_shown_is_not_shown_twice() {
    let mut state = online();
    state.apply(message(1, Author::Customer, "a", "x1"), T0);
    state.apply(message(1, Author::Customer, "a", "x1"), T0);

    assert_eq!(state.threads[&conv()].events.len(), 1);
}

// Issue 18: a fast typist's messages were stored out of order.
#[test]
fn a_fast_typists_messages_go_out_one_at_a_time_in_the_order_typed() {
    let mut state = online();
    let mut wire = Vec::new();
    for i in 1..=30 {
        wire.extend(state.compose(&conv(), format!("m{i}"), format!("line {i}"), T0));
    }
    assert_eq!(
        wire,
        vec![send("m1", "line 1")],
        "the rest wait for m1's answer"
    );

    for seq in 1..=30 {
        let id = format!("m{seq}");
        state.apply(sent(&id, seq), T0);
        state.apply(message(seq, Author::Customer, "", &id), T0);
        wire.extend(state.sends_due(T0));
    }

    let order: Vec<_> = wire
        .iter()
        .map(|f| match f {
            ClientFrame::Send { client_id, .. } => client_id.clone(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let typed: Vec<_> = (1..=30).map(|i| format!("m{i}")).collect();
    assert_eq!(order, typed);
    assert!(outbox(&state).is_empty());
}

#[test]
fn a_message_refused_for_rate_goes_again_before_the_ones_behind_it() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "one".into(), T0);
    state.compose(&conv(), "m2".into(), "two".into(), T0);

    state.apply(error(ErrorCode::RateLimited, "m1", "Slow down"), T0);

    assert_eq!(state.sends_due(T0), vec![], "m2 does not overtake m1");
    assert_eq!(
        state.sends_due(T0.plus(RETRY_FIRST_MS)),
        vec![send("m1", "one")],
        "m1 again, with the same client id"
    );
}

#[test]
fn a_message_the_server_could_not_store_just_now_is_tried_again_first() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "one".into(), T0);
    state.compose(&conv(), "m2".into(), "two".into(), T0);

    state.apply(error(ErrorCode::Unavailable, "m1", "Try again"), T0);

    assert_eq!(
        state.sends_due(T0.plus(RETRY_FIRST_MS)),
        vec![send("m1", "one")]
    );
}

#[test]
fn reconnecting_starts_each_outbox_again_from_its_first_message_after_the_resumes() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "one".into(), T0);
    state.compose(&conv(), "m2".into(), "two".into(), T0);
    state.on_close(1);

    let frames = state.on_open(me(), T0.plus(1));

    assert_eq!(
        frames,
        vec![
            ClientFrame::Resume {
                conversation: conv(),
                last_seq: 0
            },
            send("m1", "one"),
        ]
    );
}

#[test]
fn a_stored_message_stays_on_screen_until_its_event_arrives() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    state.apply(sent("m1", 3), T0);
    assert_eq!(
        outbox(&state),
        vec!["m1"],
        "no gap between `sent` and the event"
    );
    assert_eq!(
        state.threads[&conv()].outbox.items()[0].stored_as(),
        Some(3)
    );

    state.apply(message(3, Author::Customer, "hello", "m1"), T0);
    assert!(outbox(&state).is_empty());
}

#[test]
fn a_message_whose_answer_was_lost_leaves_the_outbox_when_its_event_is_replayed() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);
    state.on_close(1);
    state.on_open(me(), T0);

    state.apply(message(1, Author::Customer, "hello", "m1"), T0);

    assert!(outbox(&state).is_empty());
}

#[test]
fn someone_elses_message_with_the_same_client_id_does_not_confirm_mine() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    state.apply(message(1, Author::Ai, "hi", "m1"), T0);

    assert_eq!(outbox(&state), vec!["m1"]);
}

#[test]
fn a_refused_message_stays_visible_with_the_reason_and_is_not_sent_again() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    state.apply(
        error(ErrorCode::Refused, "m1", "The conversation has ended."),
        T0,
    );

    let pending = &state.threads[&conv()].outbox.items()[0];
    assert_eq!(pending.not_sent(), Some("The conversation has ended."));
    assert!(state.sends_due(T0.plus(RESEND_AFTER_MS * 2)).is_empty());
}

#[test]
fn an_unconfirmed_message_is_sent_again_after_a_while_and_not_before() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    assert!(state.sends_due(T0.plus(RESEND_AFTER_MS - 1)).is_empty());
    assert_eq!(
        state.sends_due(T0.plus(RESEND_AFTER_MS)),
        vec![send("m1", "hello")]
    );
}

#[test]
fn messages_stuck_offline_show_as_not_sent_and_retry_sends_them_with_their_client_id() {
    let mut state = online();
    state.on_close(1);
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    assert!(state.give_up_stuck(T0.plus(GIVE_UP_AFTER_MS)));
    let pending = &state.threads[&conv()].outbox.items()[0];
    assert_eq!(pending.not_sent(), Some(NO_CONNECTION));

    let later = T0.plus(GIVE_UP_AFTER_MS + 1);
    assert_eq!(state.on_open(me(), later).len(), 1, "only the resume");
    assert_eq!(state.retry(&conv(), "m1", later), vec![send("m1", "hello")]);
}

#[test]
fn nothing_changes_when_no_outbox_is_stuck() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    assert!(!state.give_up_stuck(T0.plus(GIVE_UP_AFTER_MS - 1)));
}

// SPEC R-CUST-3
#[test]
fn the_typing_indicator_goes_when_that_persons_message_arrives() {
    let mut state = online();
    state.apply(
        ServerFrame::Typing {
            conversation: conv(),
            who: Typist::Ai,
            typing: true,
        },
        T0,
    );
    assert_eq!(
        state.threads[&conv()].typing.typing(T0),
        vec!["The AI agent"]
    );

    state.apply(message(1, Author::Ai, "Here is how", "ai-1"), T0);

    assert!(state.threads[&conv()].typing.typing(T0).is_empty());
}

#[test]
fn a_dropped_connection_clears_typing_and_shows_reconnecting() {
    let mut state = online();
    state.apply(
        ServerFrame::Typing {
            conversation: conv(),
            who: Typist::Customer,
            typing: true,
        },
        T0,
    );

    state.on_close(1);

    assert!(state.threads[&conv()].typing.typing(T0).is_empty());
    assert_eq!(state.connection.label(), "Reconnecting…");
}

#[test]
fn an_agent_joining_ends_the_customers_wait() {
    let mut state = online();
    state.apply(
        ServerFrame::Synced {
            conversation: conv(),
            status: domain::ConversationStatus::Work(domain::WorkStatus::WaitingForAgent),
            last_seq: 0,
        },
        T0,
    );

    state.apply(
        ServerFrame::Event {
            event: ConversationEvent {
                conversation: conv(),
                seq: 1,
                at: T0,
                kind: EventKind::Assigned {
                    agent: domain::AgentId::new("ada"),
                },
            },
            author_name: Some("Ada".into()),
        },
        T0,
    );

    assert_eq!(
        state.threads[&conv()].status,
        Some(domain::ConversationStatus::Work(domain::WorkStatus::Active))
    );
}

#[test]
fn following_a_conversation_already_followed_and_synced_sends_nothing() {
    let mut state = online();
    state.apply(
        ServerFrame::Synced {
            conversation: conv(),
            status: domain::ConversationStatus::Work(domain::WorkStatus::Active),
            last_seq: 0,
        },
        T0,
    );

    assert_eq!(state.follow(&conv()), None);
}
