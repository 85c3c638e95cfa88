//! One id per request, in every log line of that request and in the `X-Request-Id` response
//! header: the one a trusted reverse proxy sent, when it is well formed, else a fresh one.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderName;

use crate::client::TrustedProxies;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// 1 to 64 of `[A-Za-z0-9._-]`: safe in logs and headers.
fn well_formed(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub fn for_request(proxies: &TrustedProxies, request: &Request) -> String {
    let from_proxy = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|peer| proxies.trusts(peer.0.ip()));
    let given = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| from_proxy && well_formed(id));
    match given {
        Some(id) => id.to_owned(),
        None => format!("{:032x}", rand::random::<u128>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_and_plain() {
        assert!(well_formed("7f0c2b1e-2d4f-4a51-9c3e-0b6d5e8a9f10"));
        assert!(well_formed("req.42_a"));
        for bad in ["", "a b", "x\ny", "<script>", &"a".repeat(65)] {
            assert!(!well_formed(bad), "{bad:?}");
        }
    }
}
