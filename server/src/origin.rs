//! `JETONS_PUBLIC_ORIGIN`: the one origin browsers reach the console at. When it is set, the
//! server trusts no `Host` or `Origin` the client makes up: requests naming another host are
//! refused, state-changing ones must come from exactly this origin, and HTTPS is enforced
//! (`Strict-Transport-Security`).

use std::net::IpAddr;

use axum::http::uri::Authority;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "JETONS_PUBLIC_ORIGIN={0:?} must be an origin such as https://console.example.com: \
     http or https, a host and an optional port, nothing after"
)]
pub struct OriginError(String);

/// `scheme://host[:port]`, in lowercase, without the scheme's default port: as browsers write
/// `Origin`, and the authority as they write `Host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin {
    origin: String,
    authority: String,
    https: bool,
}

impl PublicOrigin {
    pub fn parse(text: &str) -> Result<Self, OriginError> {
        let refuse = || OriginError(text.to_owned());
        let trimmed = text.trim();
        let (scheme, rest) = trimmed.split_once("://").ok_or_else(refuse)?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(refuse()),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty() || rest.contains(['/', '?', '#', '@']) {
            return Err(refuse());
        }
        let authority: Authority = rest.parse().map_err(|_| refuse())?;
        let host = authority.host().to_ascii_lowercase();
        let written_port = rest
            .rsplit_once(':')
            .filter(|(host, _)| !host.ends_with('[') && !rest.ends_with(']'))
            .map(|(_, port)| port);
        if host.is_empty() || written_port.is_some_and(|port| port.parse::<u16>().is_err()) {
            return Err(refuse());
        }
        let default_port = if https { 443 } else { 80 };
        let authority = match authority.port_u16() {
            Some(port) if port != default_port => format!("{host}:{port}"),
            _ => host,
        };
        let scheme = if https { "https" } else { "http" };
        Ok(Self {
            origin: format!("{scheme}://{authority}"),
            authority,
            https,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.https
    }

    /// Whether an `Origin` header names exactly this origin (scheme included).
    pub fn is_origin(&self, origin: &str) -> bool {
        origin.eq_ignore_ascii_case(&self.origin)
    }

    /// Whether a `Host` header names this origin's host (and port).
    pub fn is_host(&self, host: &str) -> bool {
        let default_port = if self.https { ":443" } else { ":80" };
        let host = host.strip_suffix(default_port).unwrap_or(host);
        host.eq_ignore_ascii_case(&self.authority)
    }

    /// `localhost` or a loopback address: plain HTTP is acceptable there.
    pub fn is_loopback(&self) -> bool {
        let host = self
            .authority
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(self.authority.as_str(), |(host, _)| host);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_written_as_browsers_write_them() {
        for (text, origin) in [
            ("https://console.example.com", "https://console.example.com"),
            (
                "https://Console.Example.com/",
                "https://console.example.com",
            ),
            (
                "https://console.example.com:443",
                "https://console.example.com",
            ),
            (
                "https://console.example.com:8443",
                "https://console.example.com:8443",
            ),
            ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
            ("http://[::1]:3000", "http://[::1]:3000"),
        ] {
            assert_eq!(
                PublicOrigin::parse(text).map(|o| o.origin),
                Ok(origin.to_owned())
            );
        }
        for bad in [
            "console.example.com",
            "ftp://console.example.com",
            "https://",
            "https://console.example.com/admin",
            "https://console.example.com?x",
            "https://user@console.example.com",
            "https://console.example.com:99999",
        ] {
            assert!(PublicOrigin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn origin_and_host_must_match_exactly() {
        let public = PublicOrigin::parse("https://console.example.com").expect("origin");
        assert!(public.is_origin("https://console.example.com"));
        assert!(public.is_origin("HTTPS://console.example.com"));
        assert!(!public.is_origin("http://console.example.com"));
        assert!(!public.is_origin("https://console.example.com.evil.example"));
        assert!(!public.is_origin("https://console.example.com:8443"));
        assert!(public.is_host("console.example.com"));
        assert!(public.is_host("console.example.com:443"));
        assert!(!public.is_host("console.example.com:8443"));
        assert!(!public.is_host("evil.example"));
        assert!(public.is_https());
        assert!(!public.is_loopback());
        let local = PublicOrigin::parse("http://localhost:3000").expect("origin");
        assert!(local.is_loopback());
        assert!(local.is_host("localhost:3000"));
        assert!(!local.is_host("localhost"));
        assert!(PublicOrigin::parse("http://[::1]:3000")
            .expect("origin")
            .is_loopback());
    }
}
