//! Where a request comes from: the client's network address, for rate limits. Every use goes
//! through [`client_address`].

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;

/// The client's address for the request a server function is answering: the TCP peer, unless
/// the peer is one of `BATON_TRUSTED_PROXIES`; then the address that proxy forwarded
/// (`backend::proxies`). `X-Forwarded-For` from any other peer is ignored, so a client cannot
/// pick its own address. `None` when the server was not given the peer (in-process tests).
pub async fn client_address() -> Option<IpAddr> {
    let ConnectInfo(peer) = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()?;
    let Some(state) = leptos::prelude::use_context::<crate::state::AppState>() else {
        return Some(peer.ip());
    };
    let proxies = &state.config.trusted_proxies;
    if !proxies.trusts(peer.ip()) {
        return Some(peer.ip().to_canonical());
    }
    let headers = leptos_axum::extract::<HeaderMap>()
        .await
        .unwrap_or_default();
    // Each proxy appends the address it received from (`backend::proxies` reads them).
    let forwarded_for = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok());
    Some(proxies.client_address(peer.ip(), forwarded_for))
}
