//! Who is calling: the TCP peer, or — when the peer is a reverse proxy the operator trusts
//! (`JETONS_TRUSTED_PROXIES`) — the address that proxy says it forwarded for.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;

use app::api::ClientAddr;

/// An entry of `JETONS_TRUSTED_PROXIES` that is not an IP address.
#[derive(Debug, thiserror::Error)]
#[error("JETONS_TRUSTED_PROXIES: {0:?} is not an IP address")]
pub struct ProxyListError(String);

/// Addresses of the reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpAddr>);

impl TrustedProxies {
    /// A comma-separated list of IP addresses.
    pub fn parse(list: &str) -> Result<Self, ProxyListError> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpAddr>()
                    .map_err(|_| ProxyListError(item.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|proxy| proxy.to_canonical() == ip)
    }

    /// The client behind `peer`: walking `X-Forwarded-For` from the right (what our own
    /// proxies appended), the first entry that is not one of our proxies. Entries to its left
    /// are whatever the client chose to send, and are not read.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer.to_canonical();
        }
        let values: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        for item in values.iter().rev().flat_map(|value| value.rsplit(',')) {
            match item.trim().parse::<IpAddr>() {
                Ok(ip) if self.trusts(ip) => continue,
                Ok(ip) => return ip.to_canonical(),
                Err(_) => break,
            }
        }
        peer.to_canonical()
    }
}

/// Records the request's client address (see [`TrustedProxies::client`]) in its extensions.
pub fn identify(proxies: &TrustedProxies, request: &mut Request) {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let client = proxies.client(peer, request.headers());
        request.extensions_mut().insert(ClientAddr(client));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("192.0.2.1"), &forwarded(&["203.0.113.9"])),
            ip("192.0.2.1")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.1, 10.0.0.2").unwrap();
        let proxy = ip("10.0.0.1");
        assert_eq!(
            proxies.client(proxy, &forwarded(&["203.0.113.9"])),
            ip("203.0.113.9")
        );
        // The client forged the first entry; the proxies appended the real one.
        assert_eq!(
            proxies.client(proxy, &forwarded(&["1.2.3.4, 203.0.113.9", "10.0.0.2"])),
            ip("203.0.113.9")
        );
        assert_eq!(proxies.client(proxy, &forwarded(&[])), proxy);
        assert_eq!(proxies.client(proxy, &forwarded(&["not-an-ip"])), proxy);
        // Garbage the client put on the left does not hide the address the proxy appended.
        assert_eq!(
            proxies.client(proxy, &forwarded(&["x, 203.0.113.9"])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn ipv4_mapped_addresses_are_the_same_address() {
        let proxies = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(
            proxies.client(ip("::ffff:10.0.0.1"), &forwarded(&["::ffff:203.0.113.9"])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_list_must_hold_addresses() {
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
        assert!(TrustedProxies::parse("10.0.0.1,proxy.local").is_err());
        assert!(TrustedProxies::parse("10.0.0.0/8").is_err());
    }
}
