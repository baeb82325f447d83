//! Where a request comes from: the client's network address, for rate limits.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;

/// The TCP peer's address of the request a server function is answering, or `None` when the
/// server was not given it (in-process tests). `X-Forwarded-For` is not trusted: behind a proxy
/// every client has the proxy's address until a trusted-proxy setting exists.
pub async fn client_address() -> Option<IpAddr> {
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|ConnectInfo(peer)| peer.ip())
}
