//! Signed webhooks against a real local HTTP receiver, on SQLite and PostgreSQL: deliveries
//! verify with the endpoint's secret and arrive in order; a receiver that is down for a while
//! gets every event once it is back; rows committed before a crash (or claimed by a node that
//! died) are still delivered; failures show in the delivery log with their status, the outbox
//! gives up after 24 hours, and Resend sends again.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use backend::{
    Db, Engine,
    clock::{Clock, ManualClock, now_ms},
    secrets::Sealer,
    store::Actor,
    webhooks::{Deliverer, endpoints, signing::verify},
};
use domain::views::webhooks::DeliveryState;
use domain::{AgentId, Command, ConversationId, CustomerId, SpaceId, Timers};
use support::chat::{available, customer_says, start_direct};
use support::people::{agent_in, customer, demo_admin, space};

conformance!(
    deliveries_are_signed_and_arrive_in_the_order_things_happened,
    a_receiver_that_was_down_gets_every_event_once_in_order_when_it_is_back,
    rows_committed_before_a_crash_or_claimed_by_a_dead_node_are_still_delivered,
    the_outbox_gives_up_after_24_hours_and_resend_sends_again,
    only_site_admins_manage_endpoints_and_deleting_one_stops_its_deliveries,
);

/// One request the receiver got, and what it answered.
#[derive(Clone, Debug)]
struct Received {
    id: String,
    event: String,
    signature: String,
    body: String,
    answered: u16,
}

/// A webhook receiver on a loopback port that answers with the status it is set to.
#[derive(Clone)]
struct Receiver {
    addr: SocketAddr,
    got: Arc<Mutex<Vec<Received>>>,
    answer: Arc<AtomicU16>,
}

impl Receiver {
    async fn start() -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(AtomicU16::new(200));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/hooks", post(receive))
            .with_state((got.clone(), answer.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { addr, got, answer }
    }

    fn url(&self) -> String {
        format!("http://{}/hooks", self.addr)
    }

    fn answer_with(&self, status: u16) {
        self.answer.store(status, Ordering::SeqCst);
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// The deliveries it accepted (2xx), in arrival order.
    fn accepted(&self) -> Vec<Received> {
        self.got()
            .into_iter()
            .filter(|r| r.answered == 200)
            .collect()
    }
}

type ReceiverState = (Arc<Mutex<Vec<Received>>>, Arc<AtomicU16>);

async fn receive(
    State((got, answer)): State<ReceiverState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let status = answer.load(Ordering::SeqCst);
    let header = |name: &str| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    got.lock().unwrap().push(Received {
        id: header("baton-webhook-id"),
        event: header("baton-event"),
        signature: header("baton-signature"),
        body: String::from_utf8(body.to_vec()).unwrap(),
        answered: status,
    });
    StatusCode::from_u16(status).unwrap()
}

struct Setup {
    admin: Actor,
    engine: Engine,
    clock: Arc<ManualClock>,
    sealer: Sealer,
    space: SpaceId,
    agent: AgentId,
    customer: CustomerId,
    receiver: Receiver,
    endpoint: String,
    secret: String,
}

async fn setup(db: &Db) -> Setup {
    let admin = demo_admin(db).await;
    let clock = Arc::new(ManualClock::starting_at(now_ms()));
    let engine = Engine::new(db.clone(), Timers::default(), clock.clone());
    let space = space(db, "Webhooks").await;
    let agent = agent_in(db, &space, "Ada Webhook").await;
    let customer = customer(db, "Casey Webhook").await;
    let sealer = Sealer::random();
    let receiver = Receiver::start().await;
    let every_event: Vec<String> = domain::webhooks::WebhookEvent::ALL
        .iter()
        .map(|e| e.code().to_string())
        .collect();
    let created = endpoints::create(db, &admin, &sealer, &receiver.url(), "CRM", &every_event)
        .await
        .unwrap();
    Setup {
        admin,
        engine,
        clock,
        sealer,
        space,
        agent,
        customer,
        receiver,
        endpoint: created.endpoint.id,
        secret: created.secret,
    }
}

impl Setup {
    fn deliverer(&self, db: &Db) -> Deliverer {
        Deliverer::new(db.clone(), self.sealer.clone(), self.clock.clone())
    }

    /// Ada is Available, Casey starts `id`, Ada accepts, Casey writes `lines`.
    async fn chat(&self, id: &str, lines: &[&str]) -> ConversationId {
        let conversation = ConversationId::new(id);
        available(&self.engine, &self.agent).await;
        start_direct(&self.engine, &conversation, &self.space, &self.customer).await;
        self.engine
            .execute(Command::Accept {
                agent: self.agent.clone(),
                conversation: conversation.clone(),
            })
            .await
            .unwrap();
        for line in lines {
            customer_says(&self.engine, &conversation, line).await;
        }
        conversation
    }

    async fn log_states(&self, db: &Db) -> Vec<(String, DeliveryState, Option<i64>)> {
        let mut rows = endpoints::deliveries(db, &self.admin, &self.endpoint)
            .await
            .unwrap();
        rows.reverse();
        rows.into_iter()
            .map(|r| (r.event, r.state, r.last_status))
            .collect()
    }
}

/// Runs delivery rounds until the receiver has accepted `n` deliveries (or 10 s pass).
async fn deliver_until_accepted(deliverer: &Deliverer, receiver: &Receiver, n: usize) {
    for _ in 0..200 {
        if receiver.accepted().len() >= n {
            // Let the last result be stored before the test reads the log.
            tokio::time::sleep(Duration::from_millis(100)).await;
            return;
        }
        deliverer.start_due().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the receiver accepted {} of {n} deliveries: {:?}",
        receiver.accepted().len(),
        receiver.got()
    );
}

/// Runs delivery rounds until the receiver has been asked `n` times in all.
async fn deliver_until_asked(deliverer: &Deliverer, receiver: &Receiver, n: usize) {
    for _ in 0..200 {
        if receiver.got().len() >= n {
            tokio::time::sleep(Duration::from_millis(100)).await;
            return;
        }
        deliverer.start_due().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the receiver was asked {} of {n} times",
        receiver.got().len()
    );
}

fn types(received: &[Received]) -> Vec<String> {
    received.iter().map(|r| r.event.clone()).collect()
}

const ONE_CHAT: [&str; 4] = [
    "conversation.started",
    "conversation.offered",
    "conversation.accepted",
    "message.created",
];

async fn deliveries_are_signed_and_arrive_in_the_order_things_happened(db: &Db) {
    let s = setup(db).await;
    s.chat("c-wh-1", &["Where is my parcel?"]).await;
    deliver_until_accepted(&s.deliverer(db), &s.receiver, 4).await;

    let got = s.receiver.accepted();
    assert_eq!(types(&got), ONE_CHAT);
    for delivery in &got {
        assert!(
            verify(&s.secret, &delivery.signature, &delivery.body),
            "the signature of {} verifies with the endpoint's secret",
            delivery.event
        );
        assert!(!verify(
            "whsec_someone_else",
            &delivery.signature,
            &delivery.body
        ));
        let body: serde_json::Value = serde_json::from_str(&delivery.body).unwrap();
        assert_eq!(
            body["id"],
            delivery.id.as_str(),
            "the body names its delivery id"
        );
        assert_eq!(body["type"], delivery.event.as_str());
        assert_eq!(body["data"]["conversation"], "c-wh-1");
    }
    let message: serde_json::Value = serde_json::from_str(&got[3].body).unwrap();
    assert_eq!(message["data"]["body"], "Where is my parcel?");
    assert_eq!(message["data"]["author"], "customer");
    assert!(
        s.log_states(db)
            .await
            .iter()
            .all(|(_, state, status)| *state == DeliveryState::Delivered && *status == Some(200))
    );
}

async fn a_receiver_that_was_down_gets_every_event_once_in_order_when_it_is_back(db: &Db) {
    let s = setup(db).await;
    s.receiver.answer_with(503);
    s.chat("c-wh-down", &["first", "second", "third"]).await;
    let deliverer = s.deliverer(db);
    // The line's head fails; nothing behind it overtakes it.
    deliver_until_asked(&deliverer, &s.receiver, 1).await;
    for _ in 0..5 {
        deliverer.start_due().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        s.receiver.got().len(),
        1,
        "retried only when due: {:?}",
        s.receiver.got()
    );
    let log = s.log_states(db).await;
    assert_eq!(
        log[0],
        (
            "conversation.started".into(),
            DeliveryState::Retrying,
            Some(503)
        )
    );
    assert!(
        log[1..]
            .iter()
            .all(|(_, state, _)| *state == DeliveryState::Queued)
    );

    // A few failed retries later, the receiver is back.
    for _ in 0..3 {
        s.clock.advance(2 * 60 * 1000);
        let asked = s.receiver.got().len();
        deliver_until_asked(&deliverer, &s.receiver, asked + 1).await;
    }
    s.receiver.answer_with(200);
    s.clock.advance(10 * 60 * 1000);
    deliver_until_accepted(&deliverer, &s.receiver, 6).await;

    let accepted = s.receiver.accepted();
    assert_eq!(
        types(&accepted),
        [&ONE_CHAT[..], &["message.created", "message.created"]].concat()
    );
    let bodies: Vec<String> = accepted[3..]
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["data"]["body"].to_string()
        })
        .collect();
    assert_eq!(bodies, ["\"first\"", "\"second\"", "\"third\""]);
    let mut ids: Vec<&str> = accepted.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "each event accepted exactly once");
    let all = s.receiver.got();
    assert!(
        all.iter()
            .filter(|r| r.answered == 503)
            .all(|r| r.id == accepted[0].id),
        "every failed attempt was the head of the line, sent again with the same id"
    );
}

async fn rows_committed_before_a_crash_or_claimed_by_a_dead_node_are_still_delivered(db: &Db) {
    let s = setup(db).await;
    // Committed while no worker runs: the server stopped right after the commit.
    s.chat("c-wh-crash", &[]).await;
    let (pending,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM webhook_outbox WHERE next_attempt_at IS NOT NULL")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(pending, 3, "the outbox rows committed with the commands");
    // Another node had claimed the first row and died before sending it.
    let lease_end = s.clock.now().as_millis() + domain::webhooks::DELIVERY_LEASE;
    sqlx::query(
        "UPDATE webhook_outbox SET claimed_until = $1 WHERE event = 'conversation.started'",
    )
    .bind(lease_end)
    .execute(&db.pool)
    .await
    .unwrap();

    // A restarted node leaves the claim alone until its lease is over, then delivers it all.
    let restarted = s.deliverer(db);
    for _ in 0..5 {
        restarted.start_due().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(s.receiver.got().is_empty(), "a live claim is respected");
    s.clock.advance(domain::webhooks::DELIVERY_LEASE + 1);
    deliver_until_accepted(&restarted, &s.receiver, 3).await;
    assert_eq!(types(&s.receiver.accepted()), ONE_CHAT[..3]);
}

async fn the_outbox_gives_up_after_24_hours_and_resend_sends_again(db: &Db) {
    let s = setup(db).await;
    s.receiver.answer_with(500);
    let conversation = ConversationId::new("c-wh-give-up");
    available(&s.engine, &s.agent).await;
    start_direct(&s.engine, &conversation, &s.space, &s.customer).await;
    let deliverer = s.deliverer(db);
    let mut asked = 0;
    while s.log_states(db).await[0].1 != DeliveryState::Failed {
        asked += 1;
        assert!(asked < 40, "still retrying after {asked} attempts");
        deliver_until_asked(&deliverer, &s.receiver, asked).await;
        s.clock.advance(60 * 60 * 1000);
    }
    let log = s.log_states(db).await;
    assert_eq!(
        log[0],
        (
            "conversation.started".into(),
            DeliveryState::Failed,
            Some(500)
        )
    );
    let listed = endpoints::list(db, &s.admin).await.unwrap();
    assert_eq!(
        (listed[0].pending, listed[0].failed),
        (1, 1),
        "the offer behind it waits; the start failed"
    );
    let rows = endpoints::deliveries(db, &s.admin, &s.endpoint)
        .await
        .unwrap();
    let row = rows
        .iter()
        .find(|r| r.event == "conversation.started")
        .unwrap();
    assert!(row.last_error.contains("500"), "{}", row.last_error);
    assert!(
        row.attempts >= 24,
        "hourly retries for a day: {}",
        row.attempts
    );

    // Resend, with the receiver fixed: the same delivery id arrives.
    s.receiver.answer_with(200);
    endpoints::resend(db, &s.admin, &s.endpoint, row.seq)
        .await
        .unwrap();
    deliver_until_accepted(&deliverer, &s.receiver, 1).await;
    assert_eq!(s.receiver.accepted()[0].id, row.id);
    assert_eq!(s.log_states(db).await[0].1, DeliveryState::Delivered);
}

async fn only_site_admins_manage_endpoints_and_deleting_one_stops_its_deliveries(db: &Db) {
    let s = setup(db).await;
    let agent = Actor::load(db, s.agent.as_str()).await.unwrap();
    let refused = endpoints::create(
        db,
        &agent,
        &s.sealer,
        &s.receiver.url(),
        "",
        &["message.created".into()],
    )
    .await;
    assert!(
        matches!(refused, Err(backend::BackendError::Forbidden)),
        "{refused:?}"
    );
    assert!(matches!(
        endpoints::list(db, &agent).await,
        Err(backend::BackendError::Forbidden)
    ));
    assert!(matches!(
        endpoints::resend(db, &agent, &s.endpoint, 1).await,
        Err(backend::BackendError::Forbidden)
    ));
    let bad = endpoints::create(
        db,
        &s.admin,
        &s.sealer,
        "ftp://x",
        "",
        &["message.created".into()],
    )
    .await;
    assert!(
        matches!(bad, Err(backend::BackendError::Invalid(_))),
        "{bad:?}"
    );

    s.receiver.answer_with(503);
    s.chat("c-wh-delete", &[]).await;
    deliver_until_asked(&s.deliverer(db), &s.receiver, 1).await;
    endpoints::delete(db, &s.admin, &s.endpoint).await.unwrap();
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_outbox")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "its undelivered rows went with it");
    // This node forgets the endpoint at once: new events write no rows.
    s.engine.webhook_subscriptions().forget();
    customer_says(
        &s.engine,
        &ConversationId::new("c-wh-delete"),
        "still there?",
    )
    .await;
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_outbox")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}
