//! `/metrics`: after a scripted conversation, the Prometheus text a scraper reads holds the
//! expected figures (parsed with a Prometheus text-format parser, values checked, not names).
//!
//! Its own test binary: the metrics recorder is global to a process, so no other test's
//! conversations may be counted beside this one's.

#![allow(dead_code, unused_imports)] // the shared helpers serve the `api` tests too

#[path = "../api/client.rs"]
mod client;
#[path = "../api/helpers.rs"]
mod helpers;
#[path = "../api/ws_client.rs"]
mod ws_client;
#[path = "../api/ws_urls.rs"]
mod ws_urls;

use backend::{config::RawConfig, sessions::SignedIn};
use domain::protocol::{ClientFrame, ServerFrame};
use domain::{AgentId, Availability, Command, ConversationId, CustomerId, Scope, SpaceId, Start};
use prometheus_parse::{Scrape, Value};

use helpers::{TestApp, spawn_app_with};

/// The scraped figures, looked up by name and labels.
struct Figures(Scrape);

impl Figures {
    async fn scrape(app: &TestApp) -> Figures {
        let addr = app.server.metrics_addr.expect("metrics are served");
        let response = reqwest::get(format!("http://{addr}/metrics"))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("text/plain; version=0.0.4"),
            "{content_type}"
        );
        let text = response.text().await.unwrap();
        let lines = text.lines().map(|l| Ok(l.to_owned()));
        Figures(Scrape::parse(lines).expect("the Prometheus text format parses"))
    }

    /// The value of the sample named `name` whose labels include `labels` (0 when absent, as
    /// Prometheus reads a counter never incremented).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let found: Vec<f64> = self
            .0
            .samples
            .iter()
            .filter(|s| s.metric == name)
            .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match &s.value {
                Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
                Value::Histogram(_) | Value::Summary(_) => panic!("{name} is not a number"),
            })
            .collect();
        assert!(
            found.len() <= 1,
            "{name} {labels:?} is ambiguous: {found:?}"
        );
        found.first().copied().unwrap_or(0.0)
    }

    /// How many observations histogram `name` with `labels` holds, and its bucket bounds.
    fn histogram_count(&self, name: &str, labels: &[(&str, &str)]) -> (f64, usize) {
        self.0
            .samples
            .iter()
            .filter(|s| s.metric == name)
            .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .find_map(|s| match &s.value {
                Value::Histogram(buckets) => {
                    let count = buckets.last().map_or(0.0, |b| b.count);
                    Some((count, buckets.len()))
                }
                _ => None,
            })
            .unwrap_or((0.0, 0))
    }
}

async fn execute(app: &TestApp, command: Command) -> Result<(), String> {
    app.server
        .engine
        .execute(command)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn available(agent: &str, availability: Availability) -> Command {
    Command::SetAvailability {
        agent: AgentId::new(agent),
        scope: Scope::AllSpaces,
        availability,
    }
}

fn start(id: &str, space: &str, customer: &str) -> Command {
    Command::StartConversation {
        id: ConversationId::new(id),
        space: SpaceId::new(space),
        customer: Some(CustomerId::new(customer)),
        via: Start::Direct,
    }
}

#[tokio::test]
async fn metrics_count_offers_messages_sockets_and_the_waiting_queue_of_a_scripted_conversation() {
    let app = spawn_app_with(RawConfig {
        metrics_addr: Some("127.0.0.1:0".into()),
        ..RawConfig::default()
    })
    .await;
    let team = app.create_team("Metrics").await;
    let (ada, grace, casey) = (&team.ada.id, &team.grace.id, &team.casey.id);
    let other = app.create_customer("Robin Waiting").await;

    // Ada is offered the chat first and declines; Grace is offered it and accepts.
    execute(&app, available(ada, Availability::Available))
        .await
        .unwrap();
    execute(&app, available(grace, Availability::Available))
        .await
        .unwrap();
    execute(&app, Command::SetMaxConversations { max: 1 })
        .await
        .unwrap();
    execute(&app, start("c-metrics-1", &team.space, casey))
        .await
        .unwrap();
    let first = ConversationId::new("c-metrics-1");
    execute(
        &app,
        Command::Decline {
            agent: AgentId::new(ada),
            conversation: first.clone(),
        },
    )
    .await
    .unwrap();
    execute(
        &app,
        Command::Accept {
            agent: AgentId::new(grace),
            conversation: first.clone(),
        },
    )
    .await
    .unwrap();
    // A second Accept of the same offer is refused by the rules.
    let again = Command::Accept {
        agent: AgentId::new(grace),
        conversation: first.clone(),
    };
    assert!(execute(&app, again).await.is_err());

    // Over real websockets: two messages from Casey, one from Grace.
    let agent_session = app.session_for(SignedIn::Staff(grace.clone())).await;
    let customer_session = app.session_for(SignedIn::Customer(casey.clone())).await;
    let mut agent = app.connect(&agent_session).await;
    let mut customer = app.connect(&customer_session).await;
    for (socket, lines) in [
        (&mut customer, vec!["Hello", "My order is late"]),
        (&mut agent, vec!["Let me look"]),
    ] {
        socket
            .expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
            .await;
        for (n, body) in lines.into_iter().enumerate() {
            socket
                .send(&ClientFrame::Send {
                    conversation: first.clone(),
                    client_id: format!("m{n}"),
                    body: body.into(),
                })
                .await;
            socket
                .expect("sent", |f| matches!(f, ServerFrame::Sent { .. }))
                .await;
        }
    }

    // Ada steps away; Grace is at her limit, so Robin's chat waits in the queue.
    execute(&app, available(ada, Availability::Unavailable))
        .await
        .unwrap();
    execute(&app, start("c-metrics-2", &team.space, &other.id))
        .await
        .unwrap();

    let figures = Figures::scrape(&app).await;
    let offers = |outcome| figures.value("baton_offers_total", &[("outcome", outcome)]);
    assert_eq!(offers("made"), 2.0, "Ada's offer, then Grace's");
    assert_eq!(offers("declined"), 1.0);
    assert_eq!(offers("accepted"), 1.0);
    assert_eq!(offers("expired"), 0.0);
    let messages = |author| figures.value("baton_messages_persisted_total", &[("author", author)]);
    assert_eq!(messages("customer"), 2.0);
    assert_eq!(messages("agent"), 1.0);
    let sockets = |kind| figures.value("baton_websockets_open", &[("kind", kind)]);
    assert_eq!(sockets("agent"), 1.0);
    assert_eq!(sockets("customer"), 1.0);
    let conversations = |status| figures.value("baton_conversations", &[("status", status)]);
    assert_eq!(conversations("active"), 1.0);
    assert_eq!(conversations("waiting_for_agent"), 1.0);
    assert_eq!(conversations("closed"), 0.0);
    assert_eq!(figures.value("baton_queue_waiting", &[]), 1.0);
    let oldest = figures.value("baton_queue_oldest_wait_seconds", &[]);
    assert!((0.0..60.0).contains(&oldest), "Robin has waited {oldest} s");
    let commands = |command, result| {
        figures.value(
            "baton_commands_total",
            &[("command", command), ("result", result)],
        )
    };
    assert_eq!(commands("accept", "ok"), 1.0);
    assert_eq!(commands("accept", "refused"), 1.0);
    assert_eq!(commands("send_message", "ok"), 3.0);
    assert_eq!(commands("start_conversation", "ok"), 2.0);
    let (started, buckets) = figures.histogram_count(
        "baton_command_duration_seconds",
        &[("command", "start_conversation")],
    );
    assert_eq!(started, 2.0, "both starts are in the latency histogram");
    assert!(
        buckets >= 10,
        "a real histogram with buckets, not a summary"
    );
    assert_eq!(figures.value("baton_db_pool_max_connections", &[]), 8.0);
    assert!(figures.value("baton_db_pool_connections", &[("state", "idle")]) >= 1.0);

    // A closed socket is no longer counted.
    drop(customer);
    let mut closed = false;
    for _ in 0..50 {
        let figures = Figures::scrape(&app).await;
        if figures.value("baton_websockets_open", &[("kind", "customer")]) == 0.0 {
            closed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(closed, "the customer's closed socket still counts as open");
    drop(agent);
    app.stop().await;
}

#[tokio::test]
async fn metrics_are_not_served_on_the_public_port() {
    let app = spawn_app_with(RawConfig {
        metrics_addr: Some("127.0.0.1:0".into()),
        ..RawConfig::default()
    })
    .await;
    let public = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404);
    app.stop().await;
}

#[test]
fn the_grafana_dashboard_uses_every_metric_and_only_metrics_baton_serves() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy/grafana/baton-dashboard.json");
    let dashboard: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut used = std::collections::BTreeSet::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let expr = target["expr"].as_str().unwrap_or_default();
            for word in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                if let Some(name) = word.strip_prefix("baton_").map(|_| word) {
                    let name = ["_bucket", "_sum", "_count"]
                        .iter()
                        .fold(name, |n, suffix| n.strip_suffix(suffix).unwrap_or(n));
                    used.insert(name.to_string());
                }
            }
        }
    }
    let served: std::collections::BTreeSet<String> = backend::metrics::names::ALL
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        used, served,
        "the dashboard's queries and the served metrics differ"
    );
}
