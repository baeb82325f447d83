//! The browser's reading of frames agrees with the server's writing of them, for every frame
//! and every variant of every tagged part.

use super::server_frame;
use crate::agent::{Availability, UnavailableReason};
use crate::conversation::{ConversationStatus, EndReason, HandoffReason, WorkStatus};
use crate::effect::WithdrawReason;
use crate::event::{Author, ConversationEvent, EventKind};
use crate::ids::{AgentId, ConversationId, SpaceId};
use crate::protocol::{ErrorCode, OfferView, Principal, ServerFrame, SpaceAvailability, Typist};
use crate::time::Timestamp;

fn conversation() -> ConversationId {
    ConversationId::new("c-1")
}

fn event(kind: EventKind) -> ServerFrame {
    ServerFrame::Event {
        event: ConversationEvent {
            conversation: conversation(),
            seq: 7,
            at: Timestamp(1_795_340_460_000),
            kind,
        },
        author_name: Some("Ada \"the agent\" <Lovelace>".into()),
    }
}

fn every_event_kind() -> Vec<EventKind> {
    let agent = AgentId::new("a-1");
    vec![
        EventKind::Message {
            author: Author::Customer,
            body: "Hi \u{1f44b}\nthere".into(),
            client_id: "m1".into(),
            attachment: None,
        },
        EventKind::Message {
            author: Author::Agent(agent.clone()),
            body: "Hello".into(),
            client_id: "m2".into(),
            attachment: None,
        },
        EventKind::Message {
            author: Author::Ai,
            body: "{\"type\":\"pong\"}".into(),
            client_id: "m3".into(),
            attachment: None,
        },
        EventKind::Note {
            agent: agent.clone(),
            body: "internal".into(),
        },
        EventKind::StatusChanged {
            from: None,
            to: WorkStatus::WaitingForAgent,
        },
        EventKind::StatusChanged {
            from: Some(WorkStatus::Active),
            to: WorkStatus::WrappingUp,
        },
        EventKind::Assigned {
            agent: agent.clone(),
        },
        EventKind::FallbackShown,
        EventKind::InactivityWarning,
        EventKind::Ended {
            reason: EndReason::NoAcceptInTime,
        },
        EventKind::Resolved {
            resolution: "Solved".into(),
            agent,
        },
        EventKind::HandedOff { reason: None },
        EventKind::HandedOff {
            reason: Some(HandoffReason::Button),
        },
        EventKind::HandedOff {
            reason: Some(HandoffReason::CannotHelp),
        },
        EventKind::HandoffRequested {
            reason: HandoffReason::AskedForPerson,
        },
        EventKind::HandoffRequested {
            reason: HandoffReason::Rule {
                phrase: "refund".into(),
            },
        },
    ]
}

fn every_frame() -> Vec<ServerFrame> {
    let offer = OfferView {
        conversation: conversation(),
        space: SpaceId::new("s-1"),
        customer_name: "Grace".into(),
        from_ai: true,
        expires_at: Timestamp(5),
    };
    let mut frames = vec![
        ServerFrame::Hello {
            version: 1,
            you: Principal::Customer {
                id: "u".into(),
                name: "Grace".into(),
            },
            heartbeat_ms: 25_000,
        },
        ServerFrame::Hello {
            version: 1,
            you: Principal::Agent {
                id: "a".into(),
                name: "Ada".into(),
            },
            heartbeat_ms: 25_000,
        },
        ServerFrame::Synced {
            conversation: conversation(),
            status: ConversationStatus::WithAi,
            last_seq: 3,
        },
        ServerFrame::Synced {
            conversation: conversation(),
            status: ConversationStatus::Work(WorkStatus::Closed),
            last_seq: 0,
        },
        ServerFrame::Sent {
            conversation: conversation(),
            client_id: "m1".into(),
            seq: 9,
        },
        ServerFrame::Typing {
            conversation: conversation(),
            who: Typist::Customer,
            typing: true,
        },
        ServerFrame::Typing {
            conversation: conversation(),
            who: Typist::Ai,
            typing: false,
        },
        ServerFrame::Typing {
            conversation: conversation(),
            who: Typist::Agent {
                id: "a".into(),
                name: "Ada".into(),
            },
            typing: true,
        },
        ServerFrame::Draft {
            conversation: conversation(),
            offset: 12,
            text: "refunds \u{e9}".into(),
        },
        ServerFrame::AgentState {
            spaces: vec![SpaceAvailability {
                space: SpaceId::new("s-1"),
                space_name: "Help".into(),
                availability: Availability::Available,
            }],
            unavailable_reason: None,
            offers: vec![offer.clone()],
        },
        ServerFrame::AgentState {
            spaces: vec![],
            unavailable_reason: Some(UnavailableReason::MissedOffer {
                conversation: conversation(),
                at: Timestamp(4),
            }),
            offers: vec![],
        },
        ServerFrame::Offer { offer },
        ServerFrame::OfferWithdrawn {
            conversation: conversation(),
            reason: WithdrawReason::NoAcceptInTime,
        },
        ServerFrame::Availability {
            space: SpaceId::new("s-1"),
            availability: Availability::Unavailable,
            reason: UnavailableReason::SetByAgent,
        },
        ServerFrame::Availability {
            space: SpaceId::new("s-1"),
            availability: Availability::Unavailable,
            reason: UnavailableReason::Disconnected { at: Timestamp(8) },
        },
        ServerFrame::Resync {
            conversation: conversation(),
        },
        ServerFrame::error(ErrorCode::RateLimited, "Slow down"),
        ServerFrame::Error {
            code: ErrorCode::Unavailable,
            message: "Try again".into(),
            client_id: Some("m1".into()),
            conversation: Some(conversation()),
        },
        ServerFrame::Pong,
        ServerFrame::OperationsChanged,
    ];
    frames.extend(every_event_kind().into_iter().map(event));
    frames
}

#[test]
fn every_frame_the_server_writes_is_read_back_unchanged() {
    for frame in every_frame() {
        let text = serde_json::to_string(&frame).unwrap();
        assert_eq!(server_frame(&text), Ok(frame), "{text}");
    }
}

#[test]
fn an_event_without_an_author_name_is_read() {
    let text =
        r#"{"type":"event","event":{"conversation":"c","seq":1,"at":2,"type":"fallback_shown"}}"#;
    let Ok(ServerFrame::Event { author_name, .. }) = server_frame(text) else {
        panic!("not read");
    };
    assert_eq!(author_name, None);
}

#[test]
fn a_handoff_recorded_before_reasons_existed_is_read_without_one() {
    let text =
        r#"{"type":"event","event":{"conversation":"c","seq":1,"at":2,"type":"handed_off"}}"#;
    let Ok(ServerFrame::Event { event, .. }) = server_frame(text) else {
        panic!("not read");
    };
    assert_eq!(event.kind, EventKind::HandedOff { reason: None });
}

#[test]
fn fields_a_newer_server_adds_are_ignored() {
    let text = r#"{"type":"sent","conversation":"c","client_id":"m","seq":4,"shard":{"x":[1]}}"#;
    assert!(matches!(
        server_frame(text),
        Ok(ServerFrame::Sent { seq: 4, .. })
    ));
}

#[test]
fn a_frame_missing_what_its_type_needs_is_refused_with_the_field_named() {
    let error = server_frame(r#"{"type":"sent","conversation":"c","seq":4}"#).unwrap_err();
    assert!(error.contains("client_id"), "{error}");
}

#[test]
fn unknown_types_and_broken_json_are_refused() {
    assert!(
        server_frame(r#"{"type":"teleport"}"#)
            .unwrap_err()
            .contains("teleport")
    );
    assert!(server_frame(r#"{"type":"event","event":{"conversation":"c","seq":1,"at":2,"type":"message","author":{"kind":"robot"},"body":"","client_id":""}}"#).unwrap_err().contains("robot"));
    assert!(server_frame("{\"type\":").is_err());
    assert!(server_frame("[]").is_err());
    assert!(server_frame(r#"{"seq":1}"#).is_err());
}
