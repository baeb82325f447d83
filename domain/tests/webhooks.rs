//! Webhooks' rules: what a committed command tells receivers, the retry schedule, and what an
//! endpoint may be.

mod support;

use domain::webhooks::{
    RETRY_FOR, WebhookEvent, check_endpoint_url, delivery_body, happened, next_attempt,
    parse_events,
};
use domain::{Author, Command, Start, Timestamp, time::SECOND};
use support::*;

fn kinds(command: &Command, effects: &[domain::Effect]) -> Vec<&'static str> {
    happened(command, effects)
        .iter()
        .map(|h| h.event.code())
        .collect()
}

#[test]
fn a_started_chat_tells_receivers_it_started_and_whom_it_was_offered_to() {
    let mut sim = Sim::new().space("s", &["ada"]).available("ada", "s");
    let start = start_cmd("c1", "s", Start::Direct);
    let effects = sim.ok(start.clone());
    assert_eq!(
        kinds(&start, &effects),
        ["conversation.started", "conversation.offered"]
    );
    let offered = &happened(&start, &effects)[1];
    assert_eq!(offered.data["agent"], "ada");
    assert_eq!(offered.conversation.as_str(), "c1");
}

#[test]
fn accepting_messages_ending_and_resolving_each_tell_receivers_once() {
    let mut sim = Sim::new().space("s", &["ada"]).available("ada", "s");
    sim.start("c1", "s");
    let accept = Command::Accept {
        agent: aid("ada"),
        conversation: cid("c1"),
    };
    let effects = sim.ok(accept.clone());
    assert_eq!(kinds(&accept, &effects), ["conversation.accepted"]);

    let say = message_cmd("c1", Author::Customer, "Where is my parcel?");
    let effects = sim.ok(say.clone());
    let told = happened(&say, &effects);
    assert_eq!(kinds(&say, &effects), ["message.created"]);
    assert_eq!(told[0].data["body"], "Where is my parcel?");
    assert_eq!(told[0].data["author"], "customer");

    let end = Command::EndConversation {
        conversation: cid("c1"),
        by: domain::Ender::Agent(aid("ada")),
    };
    let effects = sim.ok(end.clone());
    assert_eq!(kinds(&end, &effects), ["conversation.ended"]);

    let resolve = resolve_cmd("ada", "c1", "Done");
    let effects = sim.ok(resolve.clone());
    assert_eq!(kinds(&resolve, &effects), ["conversation.resolved"]);
}

#[test]
fn internal_notes_are_never_sent_to_receivers() {
    let mut sim = Sim::new().space("s", &["ada"]).available("ada", "s");
    sim.active("c1", "s", "ada");
    let note = note_cmd("ada", "c1", "Customer sounds upset");
    let effects = sim.ok(note.clone());
    assert!(kinds(&note, &effects).is_empty());
}

#[test]
fn a_refused_start_tells_nothing() {
    let start = start_cmd("c1", "s", Start::Direct);
    assert!(kinds(&start, &[]).is_empty());
}

#[test]
fn a_delivery_carries_its_id_type_time_and_the_events_fields() {
    let mut sim = Sim::new().space("s", &["ada"]).available("ada", "s");
    let start = start_cmd("c1", "s", Start::Direct);
    let effects = sim.ok(start.clone());
    let body = delivery_body("d-1", &happened(&start, &effects)[0], Timestamp(42));
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["id"], "d-1");
    assert_eq!(json["type"], "conversation.started");
    assert_eq!(json["created_at"], 42);
    assert_eq!(json["data"]["conversation"], "c1");
    assert_eq!(json["data"]["space"], "s");
}

#[test]
fn failed_deliveries_are_retried_with_doubling_delays_up_to_an_hour() {
    let created = Timestamp(T0);
    let delays: Vec<i64> = (1..=12)
        .map(|n| next_attempt(created, n, created).unwrap().as_millis() - T0)
        .collect();
    assert_eq!(
        &delays[..4],
        &[10 * SECOND, 20 * SECOND, 40 * SECOND, 80 * SECOND]
    );
    assert_eq!(*delays.last().unwrap(), 3_600 * SECOND, "capped at an hour");
    assert!(delays.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_outbox_gives_up_on_a_delivery_24_hours_after_its_event() {
    let created = Timestamp(T0);
    let almost = Timestamp(T0 + RETRY_FOR - 20 * SECOND);
    assert!(
        next_attempt(created, 3, almost).is_none(),
        "40 s would pass 24 h"
    );
    assert!(
        next_attempt(created, 1, almost).is_some(),
        "10 s still fits"
    );
    assert!(next_attempt(created, 30, Timestamp(T0 + RETRY_FOR)).is_none());
}

#[test]
fn an_endpoint_url_must_be_http_with_a_host_and_no_credentials() {
    assert_eq!(
        check_endpoint_url(" https://crm.example.com/hooks/baton ").unwrap(),
        "https://crm.example.com/hooks/baton"
    );
    assert!(check_endpoint_url("http://127.0.0.1:9000/in").is_ok());
    for bad in [
        "",
        "ftp://crm.example.com",
        "https://user:pw@crm.example.com/",
        "https:///path",
        "https://crm.example.com/a b",
        &format!("https://x.example/{}", "a".repeat(2_100)),
    ] {
        assert!(check_endpoint_url(bad).is_err(), "{bad:?} was accepted");
    }
}

#[test]
fn an_endpoint_subscribes_to_known_events_each_once_in_a_fixed_order() {
    let events = parse_events(["message.created", "conversation.started", "message.created"]);
    assert_eq!(
        events.unwrap(),
        [
            WebhookEvent::ConversationStarted,
            WebhookEvent::MessageCreated
        ]
    );
    assert!(parse_events([]).is_err(), "at least one event");
    assert!(parse_events(["conversation.deleted"]).is_err());
    for event in WebhookEvent::ALL {
        assert_eq!(WebhookEvent::from_code(event.code()), Some(event));
    }
}
