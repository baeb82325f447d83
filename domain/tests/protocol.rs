//! The websocket protocol's frames: their JSON shape and the errors for bad input.

use domain::ConversationId;
use domain::protocol::Typist;
use domain::protocol::{
    ClientFrame, MAX_FRAME_BYTES, MAX_SESSION_TOKEN_CHARS, ServerFrame, parse_client_frame,
};

#[test]
fn a_send_frame_reads_from_plain_json() {
    let frame =
        parse_client_frame(r#"{"type":"send","conversation":"c1","client_id":"m1","body":"Hi"}"#)
            .unwrap();

    assert_eq!(
        frame,
        ClientFrame::Send {
            conversation: ConversationId::new("c1"),
            client_id: "m1".into(),
            body: "Hi".into(),
        }
    );
}

#[test]
fn resume_without_a_seq_replays_from_the_start() {
    let frame = parse_client_frame(r#"{"type":"resume","conversation":"c1"}"#).unwrap();

    assert_eq!(
        frame,
        ClientFrame::Resume {
            conversation: ConversationId::new("c1"),
            last_seq: 0
        }
    );
}

#[test]
fn text_that_is_not_json_is_named_as_such() {
    let err = parse_client_frame("{not json").unwrap_err();

    assert!(err.contains("not valid JSON"), "{err}");
}

#[test]
fn an_unknown_type_is_named_as_an_unknown_message() {
    let err = parse_client_frame(r#"{"type":"shout","body":"hi"}"#).unwrap_err();

    assert!(err.contains("not a known message"), "{err}");
    assert!(err.contains("shout"), "{err}");
}

#[test]
fn a_missing_field_is_named() {
    let err = parse_client_frame(r#"{"type":"send","conversation":"c1","body":"x"}"#).unwrap_err();

    assert!(err.contains("client_id"), "{err}");
}

#[test]
fn an_oversized_frame_is_refused_with_the_limit() {
    let body = "x".repeat(MAX_FRAME_BYTES);
    let text = format!(r#"{{"type":"send","conversation":"c1","client_id":"m","body":"{body}"}}"#);

    let err = parse_client_frame(&text).unwrap_err();

    assert!(err.contains(&MAX_FRAME_BYTES.to_string()), "{err}");
}

#[test]
fn an_empty_client_id_is_refused() {
    let err =
        parse_client_frame(r#"{"type":"send","conversation":"c1","client_id":" ","body":"x"}"#)
            .unwrap_err();

    assert!(err.contains("client_id"), "{err}");
}

#[test]
fn server_frames_are_tagged_by_type() {
    let frame = ServerFrame::Typing {
        conversation: ConversationId::new("c1"),
        who: Typist::Customer,
        typing: true,
    };

    let json = serde_json::to_value(&frame).unwrap();

    assert_eq!(json["type"], "typing");
    assert_eq!(json["who"]["kind"], "customer");
    let back: ServerFrame = serde_json::from_value(json).unwrap();
    assert_eq!(back, frame);
}

#[test]
fn the_widgets_auth_frame_carries_its_session_token() {
    let frame = parse_client_frame(r#"{"type":"auth","session":"E7d_2WaCtdNigvXZGl2wGA"}"#);
    assert_eq!(
        frame,
        Ok(ClientFrame::Auth {
            session: "E7d_2WaCtdNigvXZGl2wGA".into()
        })
    );
}

#[test]
fn an_auth_frame_with_an_overlong_token_is_refused_before_any_lookup() {
    let token = "a".repeat(MAX_SESSION_TOKEN_CHARS + 1);
    let problem = parse_client_frame(&format!(r#"{{"type":"auth","session":"{token}"}}"#))
        .expect_err("refused");
    assert!(problem.contains("at most 64 characters"), "{problem}");
}

mod timing {
    use domain::protocol::timing::{
        ClientTiming, HEARTBEAT_MS, MAX_HEARTBEAT_MS, MIN_HEARTBEAT_MS, SERVER_SILENCE_LIMIT_MS,
    };

    #[test]
    fn the_client_pings_at_four_fifths_of_the_announced_heartbeat_and_gives_up_after_two() {
        let timing = ClientTiming::for_heartbeat(25_000);

        assert_eq!(timing.ping_every, 20_000);
        assert_eq!(timing.silence_limit, 50_000);
    }

    #[test]
    fn before_hello_the_client_goes_by_this_builds_heartbeat() {
        assert_eq!(
            ClientTiming::default(),
            ClientTiming::for_heartbeat(HEARTBEAT_MS)
        );
    }

    #[test]
    fn an_announced_heartbeat_out_of_bounds_is_held_to_them() {
        assert_eq!(
            ClientTiming::for_heartbeat(0),
            ClientTiming::for_heartbeat(MIN_HEARTBEAT_MS)
        );
        assert_eq!(
            ClientTiming::for_heartbeat(u64::MAX),
            ClientTiming::for_heartbeat(MAX_HEARTBEAT_MS)
        );
        assert_eq!(ClientTiming::for_heartbeat(1).ping_every, 4_000);
    }

    #[test]
    fn whatever_the_server_announces_the_client_pings_before_the_server_gives_up_on_it() {
        for announced in [
            0,
            1,
            4_999,
            5_000,
            25_000,
            59_999,
            60_000,
            600_000,
            u64::MAX,
        ] {
            let timing = ClientTiming::for_heartbeat(announced);
            let ping_every = u64::try_from(timing.ping_every).unwrap();
            assert!(ping_every > 0, "{announced}");
            assert!(
                ping_every < SERVER_SILENCE_LIMIT_MS,
                "{announced}: pings every {ping_every} ms"
            );
            assert!(timing.silence_limit > timing.ping_every, "{announced}");
        }
    }
}
