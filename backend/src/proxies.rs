//! Which address a request comes from, behind reverse proxies (`BATON_TRUSTED_PROXIES`).
//!
//! Limits count per client address. Behind nginx every request's TCP peer is the proxy, so the
//! client's address has to come from `X-Forwarded-For`, a header any client can also send. It is
//! read only when the peer is a proxy the operator listed, and then from the right: each trusted
//! proxy appends the address it received from, so the right-most entry that is not a trusted
//! proxy is the first address no trusted proxy vouches for, the client. What a client wrote
//! itself stays to the left of that and is never used.

use std::net::IpAddr;

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed: addresses and networks. Empty (the default)
/// believes no one: the client is always the TCP peer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads a comma-separated list of IP addresses and CIDR networks (`10.0.0.1, 10.1.0.0/16,
    /// ::1`); blank entries are ignored. The error names the first entry that is neither.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        text.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| format!("{entry:?} is not an IP address or a CIDR network"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `address` is one of the trusted proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address: the TCP `peer` unless it is a trusted proxy; then the right-most
    /// `X-Forwarded-For` entry that is not a trusted proxy (`forwarded_for` are the header's
    /// values in the order received). When every entry is a trusted proxy, or an entry cannot
    /// be read, the last address a trusted proxy vouched for.
    pub fn client_address<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl IntoIterator<Item = &'a str>,
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let entries: Vec<&str> = forwarded_for
            .into_iter()
            .flat_map(|value| value.split(','))
            .collect();
        let mut client = peer;
        for entry in entries.iter().rev() {
            let Some(address) = parse_entry(entry) else {
                break;
            };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`), as some proxies write it.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(|address| address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nginx_on_loopback() -> TrustedProxies {
        TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap()
    }

    #[test]
    fn with_no_trusted_proxy_the_client_is_the_peer_whatever_the_header_says() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_address(ip("127.0.0.1"), ["203.0.113.9"]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn a_trusted_proxy_forwards_the_address_it_received_from() {
        let proxies = nginx_on_loopback();
        assert_eq!(
            proxies.client_address(ip("127.0.0.1"), ["203.0.113.9"]),
            ip("203.0.113.9")
        );
        // Through two trusted proxies.
        assert_eq!(
            proxies.client_address(ip("127.0.0.1"), ["203.0.113.9, 10.1.2.3"]),
            ip("203.0.113.9")
        );
        // In two header lines, and with a port.
        assert_eq!(
            proxies.client_address(ip("127.0.0.1"), ["198.51.100.1", "203.0.113.9:5123"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn what_a_client_wrote_before_the_proxys_entry_is_ignored() {
        let proxies = nginx_on_loopback();
        assert_eq!(
            proxies.client_address(ip("127.0.0.1"), ["1.1.1.1, 10.9.9.9, 203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            proxies.client_address(ip("127.0.0.1"), ["not an address, 203.0.113.9"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_pick_its_address_with_the_header() {
        let proxies = nginx_on_loopback();
        assert_eq!(
            proxies.client_address(ip("203.0.113.9"), ["198.51.100.1"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn without_a_usable_entry_the_last_trusted_address_is_the_client() {
        let proxies = nginx_on_loopback();
        assert_eq!(proxies.client_address(ip("127.0.0.1"), []), ip("127.0.0.1"));
        assert_eq!(
            proxies.client_address(ip("127.0.0.1"), ["garbage"]),
            ip("127.0.0.1")
        );
        assert_eq!(
            proxies.client_address(ip("127.0.0.1"), ["junk, 10.0.0.7"]),
            ip("10.0.0.7")
        );
    }

    #[test]
    fn ipv4_mapped_ipv6_peers_match_ipv4_proxies() {
        let proxies = nginx_on_loopback();
        assert_eq!(
            proxies.client_address(ip("::ffff:127.0.0.1"), ["2001:db8::1"]),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn a_bad_entry_is_named() {
        assert_eq!(TrustedProxies::parse(" , "), Ok(TrustedProxies::default()));
        assert!(TrustedProxies::parse("::1, 192.168.0.0/16").is_ok());
        let error = TrustedProxies::parse("127.0.0.1, nginx").unwrap_err();
        assert!(error.contains("\"nginx\""), "{error}");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }
}
