//! The tab's delivery rules, without a browser: what is resent, resumed and shown.

use domain::protocol::{ClientFrame, ErrorCode, Principal, ServerFrame, Typist};
use domain::{Author, ConversationEvent, ConversationId, EventKind, Timestamp};

use super::{Connection, LiveState, RESEND_AFTER_MS};

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

#[test]
fn a_message_written_while_offline_is_kept_and_sent_after_reconnecting() {
    let mut state = online();
    state.on_close(1);

    let now = state.compose(&conv(), "m1".into(), "hello".into(), T0);
    let frames = state.on_open(me(), T0);

    assert_eq!(now, None, "nothing goes out while offline");
    assert!(frames.contains(&ClientFrame::Send {
        conversation: conv(),
        client_id: "m1".into(),
        body: "hello".into()
    }));
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

#[test]
fn a_confirmed_message_leaves_the_sending_list() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    state.apply(
        ServerFrame::Sent {
            conversation: conv(),
            client_id: "m1".into(),
            seq: 3,
        },
        T0,
    );

    assert!(state.threads[&conv()].pending.is_empty());
}

#[test]
fn a_refused_message_stays_visible_with_the_reason_and_is_not_sent_again() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    state.apply(
        ServerFrame::Error {
            code: ErrorCode::Refused,
            message: "The conversation has ended.".into(),
            client_id: Some("m1".into()),
            conversation: Some(conv()),
        },
        T0,
    );

    let pending = &state.threads[&conv()].pending[0];
    assert_eq!(
        pending.refused.as_deref(),
        Some("The conversation has ended.")
    );
    assert!(state.resend_due(T0.plus(RESEND_AFTER_MS * 2)).is_empty());
}

#[test]
fn an_unconfirmed_message_is_sent_again_after_a_while_and_not_before() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    assert!(state.resend_due(T0.plus(RESEND_AFTER_MS - 1)).is_empty());
    assert_eq!(state.resend_due(T0.plus(RESEND_AFTER_MS)).len(), 1);
}

#[test]
fn a_rate_limited_message_is_kept_for_the_next_try() {
    let mut state = online();
    state.compose(&conv(), "m1".into(), "hello".into(), T0);

    state.apply(
        ServerFrame::Error {
            code: ErrorCode::RateLimited,
            message: "Slow down".into(),
            client_id: Some("m1".into()),
            conversation: Some(conv()),
        },
        T0,
    );

    assert_eq!(state.threads[&conv()].pending.len(), 1);
    assert_eq!(state.resend_due(T0.plus(RESEND_AFTER_MS)).len(), 1);
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
