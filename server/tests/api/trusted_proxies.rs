//! Behind a reverse proxy (`BATON_TRUSTED_PROXIES`): a request from a trusted proxy is limited by
//! the address the proxy forwarded, so two clients behind one nginx get a quota each; the same
//! header from any other peer is ignored, so a client cannot pick a fresh address per request.

use std::net::{IpAddr, Ipv4Addr};

use backend::config::RawConfig;

use crate::helpers::{TestApp, spawn_app_with};

/// Where the test's "nginx" connects from; the untrusted client uses 127.0.0.1.
const PROXY: [u8; 4] = [127, 0, 0, 2];

fn client_from(address: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::from(address)))
        .build()
        .unwrap()
}

/// Two new anonymous visitors an hour per address, and 127.0.0.2 trusted as a proxy.
async fn behind_a_proxy() -> TestApp {
    spawn_app_with(RawConfig {
        visitor_rate: Some("2/h".into()),
        trusted_proxies: Some("127.0.0.2".into()),
        ..RawConfig::default()
    })
    .await
}

/// A new anonymous visitor (`widget/visit` without a cookie), with `X-Forwarded-For` as given.
async fn new_visitor(app: &TestApp, client: &reqwest::Client, forwarded_for: &str) -> u16 {
    client
        .post(app.url("/api/widget/visit"))
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_limited_by_their_forwarded_address() {
    let app = behind_a_proxy().await;
    let nginx = client_from(PROXY);

    let mut first = Vec::new();
    for _ in 0..3 {
        first.push(new_visitor(&app, &nginx, "203.0.113.1").await);
    }
    let mut second = Vec::new();
    for _ in 0..3 {
        // What the client wrote itself stays left of what the proxy appended, and is ignored.
        second.push(new_visitor(&app, &nginx, "203.0.113.1, 203.0.113.2").await);
    }

    assert_eq!(first, [200, 200, 429], "one client's quota");
    assert_eq!(second, [200, 200, 429], "the other client's own quota");
    app.stop().await;
}

#[tokio::test]
async fn x_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let app = behind_a_proxy().await;
    let direct = client_from([127, 0, 0, 1]);

    let mut statuses = Vec::new();
    for n in 0..3 {
        statuses.push(new_visitor(&app, &direct, &format!("198.51.100.{n}")).await);
    }

    assert_eq!(
        statuses,
        [200, 200, 429],
        "a new header per request buys nothing"
    );
    app.stop().await;
}
