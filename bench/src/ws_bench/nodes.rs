//! Where each socket connects. One node: every socket on it. Several nodes (`--nodes`): pair
//! `i`'s customer on node `i mod n` and its agent on the next node, so every message goes from
//! a socket on one node to a socket on another, through the nodes' shared bus.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::report::Row;

/// One node's websocket URL and the address a socket connects to.
#[derive(Clone, Debug)]
pub struct Node {
    pub url: String,
    pub addr: SocketAddr,
}

#[derive(Clone, Debug)]
pub struct Placement {
    nodes: Arc<[Node]>,
}

impl Placement {
    /// The worker's `--url`: one websocket URL or several, comma-separated.
    pub fn parse(urls: &str) -> Result<Self, String> {
        let nodes = urls
            .split(',')
            .map(|url| {
                let addr = url
                    .trim_start_matches("ws://")
                    .split('/')
                    .next()
                    .and_then(|a| a.parse().ok())
                    .ok_or_else(|| format!("bad url {url}: want ws://IP:PORT/…"))?;
                Ok(Node {
                    url: url.to_string(),
                    addr,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if nodes.is_empty() {
            return Err("no url".into());
        }
        Ok(Self {
            nodes: nodes.into(),
        })
    }

    /// The node of pair `index`'s customer (`'c'`) or agent (`'a'`).
    pub fn node(&self, index: usize, side: char) -> &Node {
        let n = self.nodes.len();
        let shift = usize::from(side != 'c');
        &self.nodes[(index % n + shift) % n]
    }
}

/// The websocket URL of a node at `IP:PORT`.
pub fn ws_url(authority: &str) -> String {
    format!("ws://{authority}/ws?v=1")
}

/// `--nodes http://127.0.0.1:3101,http://127.0.0.1:3102`: the nodes' `IP:PORT`s.
pub fn authorities(list: &str) -> Vec<String> {
    list.split(',')
        .map(|node| {
            let node = node.trim();
            let node = node.strip_prefix("http://").unwrap_or(node);
            node.trim_end_matches('/').to_string()
        })
        .filter(|node| !node.is_empty())
        .collect()
}

/// The same load on one node and across nodes, rate by rate.
pub fn print_comparison(nodes: usize, single: &[Row], across: &[Row]) {
    println!();
    println!("  | rate msg/s | sockets on | p50 ms | p99 ms | p99.9 ms | lost | errors |");
    println!("  |---|---|---|---|---|---|---|");
    for (one, many) in single.iter().zip(across) {
        for (row, placement) in [
            (one, "one node".to_string()),
            (many, format!("{nodes} nodes")),
        ] {
            println!(
                "  | {} | {placement} | {:.2} | {:.2} | {:.2} | {} | {} |",
                row.rate,
                row.p[0],
                row.p[1],
                row.p[2],
                row.lost,
                row.errors_text()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_one_node_both_sides_of_every_pair_share_it() {
        let one = Placement::parse("ws://127.0.0.1:3101/ws?v=1").unwrap();
        for index in 0..4 {
            assert_eq!(one.node(index, 'c').addr, one.node(index, 'a').addr);
        }
    }

    #[test]
    fn across_nodes_every_customer_and_its_agent_are_on_different_nodes() {
        let urls = ["127.0.0.1:3101", "127.0.0.1:3102", "127.0.0.1:3103"].map(ws_url);
        let three = Placement::parse(&urls.join(",")).unwrap();
        for index in 0..9 {
            assert_ne!(three.node(index, 'c').addr, three.node(index, 'a').addr);
        }
        // Customers spread over every node.
        let ports: std::collections::BTreeSet<u16> =
            (0..3).map(|i| three.node(i, 'c').addr.port()).collect();
        assert_eq!(ports.len(), 3);
    }

    #[test]
    fn nodes_are_named_by_their_http_addresses() {
        let nodes = authorities("http://127.0.0.1:3101/, 127.0.0.1:3102");
        assert_eq!(nodes, ["127.0.0.1:3101", "127.0.0.1:3102"]);
        assert_eq!(ws_url(&nodes[0]), "ws://127.0.0.1:3101/ws?v=1");
    }

    #[test]
    fn a_url_without_an_ip_and_port_is_refused() {
        assert!(Placement::parse("ws://localhost/ws").is_err());
    }
}
