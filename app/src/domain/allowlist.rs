//! A token's address allowlist: the IPv4 and IPv6 addresses and CIDR ranges it may be used
//! from. Empty means any address.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

/// What the API tells a caller whose address the token's allowlist does not hold.
pub const REFUSED: &str = "The token cannot be used from this address.";

/// The most entries one allowlist holds.
pub const MAX_ENTRIES: usize = 100;

/// A parsed allowlist, in the order given, without repeats. Empty: any address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowlist(Vec<IpNet>);

/// Why one entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("“{0}” is not an IP address or a CIDR range (such as 203.0.113.7 or 10.0.0.0/8).")]
    Malformed(String),
    #[error("“{0}” allows every address; leave the field empty for that.")]
    Everything(String),
}

/// Every refused entry, or too many entries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllowlistError {
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))]
    Entries(Vec<EntryError>),
    #[error("At most {MAX_ENTRIES} addresses or ranges (there are {0}).")]
    TooMany(usize),
}

impl Allowlist {
    /// Entries one per line or separated by commas; blank ones are ignored. A range is kept
    /// as its network (`10.1.2.3/8` is `10.0.0.0/8`); an IPv4-mapped IPv6 address or range is
    /// kept as the IPv4 one it stands for.
    pub fn parse(input: &str) -> Result<Self, AllowlistError> {
        let entries: Vec<&str> = input
            .split([',', '\n', '\r'])
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .collect();
        if entries.len() > MAX_ENTRIES {
            return Err(AllowlistError::TooMany(entries.len()));
        }
        let mut nets = Vec::with_capacity(entries.len());
        let mut errors = Vec::new();
        for entry in entries {
            match parse_entry(entry) {
                Ok(net) if !nets.contains(&net) => nets.push(net),
                Ok(_) => {}
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            Ok(Self(nets))
        } else {
            Err(AllowlistError::Entries(errors))
        }
    }

    /// Whether a call from `client` may use the token; an unknown client address only passes
    /// an empty list.
    pub fn allows(&self, client: Option<IpAddr>) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let Some(client) = client.map(canonical) else {
            return false;
        };
        self.0.iter().any(|net| net.contains(&client))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// As stored and shown; `None` for any address.
    pub fn listed(&self) -> Option<String> {
        (!self.is_empty()).then(|| self.to_string())
    }
}

/// As stored and shown: the entries separated by ", ".
impl fmt::Display for Allowlist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Vec<String> = self.0.iter().map(show).collect();
        f.write_str(&text.join(", "))
    }
}

fn parse_entry(entry: &str) -> Result<IpNet, EntryError> {
    let net = match entry.parse::<IpNet>() {
        Ok(net) => net,
        Err(_) => entry
            .parse::<IpAddr>()
            .map(IpNet::from)
            .map_err(|_| EntryError::Malformed(entry.chars().take(60).collect()))?,
    };
    let net = unmapped(net.trunc());
    if net.prefix_len() == 0 {
        return Err(EntryError::Everything(entry.to_owned()));
    }
    Ok(net)
}

/// `::ffff:a.b.c.d` as `a.b.c.d`: a dual-stack server sees IPv4 clients that way.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

fn unmapped(net: IpNet) -> IpNet {
    match net {
        IpNet::V6(v6) if v6.prefix_len() >= 96 => match v6.addr().to_ipv4_mapped() {
            Some(v4) => ipnet::Ipv4Net::new(v4, v6.prefix_len() - 96)
                .map(IpNet::V4)
                .unwrap_or(net),
            None => net,
        },
        _ => net,
    }
}

/// A single address without its `/32` or `/128`.
fn show(net: &IpNet) -> String {
    if net.prefix_len() == net.max_prefix_len() {
        net.addr().to_string()
    } else {
        net.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().expect("test address"))
    }

    #[test]
    fn empty_allows_any_address_even_an_unknown_one() {
        let list = Allowlist::parse(" \n , ").unwrap();
        assert!(list.is_empty());
        assert!(list.allows(ip("203.0.113.7")));
        assert!(list.allows(None));
    }

    #[test]
    fn ranges_include_their_first_and_last_address_and_nothing_beyond() {
        let list = Allowlist::parse("10.1.0.0/16\n2001:db8::/32").unwrap();
        assert!(list.allows(ip("10.1.0.0")));
        assert!(list.allows(ip("10.1.255.255")));
        assert!(!list.allows(ip("10.0.255.255")));
        assert!(!list.allows(ip("10.2.0.0")));
        assert!(list.allows(ip("2001:db8::")));
        assert!(list.allows(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
        assert!(!list.allows(ip("2001:db9::")));
        assert!(!list.allows(None));
    }

    #[test]
    fn a_single_address_is_a_range_of_one() {
        let list = Allowlist::parse("203.0.113.7, 2001:db8::1").unwrap();
        assert!(list.allows(ip("203.0.113.7")));
        assert!(!list.allows(ip("203.0.113.8")));
        assert!(list.allows(ip("2001:db8::1")));
        assert!(!list.allows(ip("2001:db8::2")));
        assert_eq!(list.to_string(), "203.0.113.7, 2001:db8::1");
    }

    #[test]
    fn ipv4_mapped_ipv6_is_the_ipv4_address_both_ways() {
        let list = Allowlist::parse("192.0.2.0/24").unwrap();
        assert!(list.allows(ip("::ffff:192.0.2.10")));
        assert!(!list.allows(ip("::ffff:192.0.3.10")));
        let mapped = Allowlist::parse("::ffff:192.0.2.0/120").unwrap();
        assert_eq!(mapped.to_string(), "192.0.2.0/24");
        assert!(mapped.allows(ip("192.0.2.200")));
        assert!(!mapped.allows(ip("192.0.3.1")));
    }

    #[test]
    fn ranges_are_kept_as_their_network_and_repeats_once() {
        let list = Allowlist::parse("10.1.2.3/8, 10.0.0.0/8\n10.9.9.9/8").unwrap();
        assert_eq!(list.to_string(), "10.0.0.0/8");
    }

    #[test]
    fn every_bad_entry_is_named_and_nothing_is_kept() {
        let error = Allowlist::parse("10.0.0.0/8, 300.1.1.1, 0.0.0.0/0\n::/0, 10.0.0.0/33, host")
            .unwrap_err();
        let AllowlistError::Entries(errors) = error else {
            panic!("{error:?}");
        };
        assert_eq!(
            errors,
            [
                EntryError::Malformed("300.1.1.1".into()),
                EntryError::Everything("0.0.0.0/0".into()),
                EntryError::Everything("::/0".into()),
                EntryError::Malformed("10.0.0.0/33".into()),
                EntryError::Malformed("host".into()),
            ]
        );
    }

    #[test]
    fn at_most_a_hundred_entries() {
        let hundred: Vec<String> = (0..100).map(|i| format!("10.0.{i}.1")).collect();
        assert!(Allowlist::parse(&hundred.join(",")).is_ok());
        let more: Vec<String> = (0..101).map(|i| format!("10.0.{i}.1")).collect();
        assert_eq!(
            Allowlist::parse(&more.join("\n")),
            Err(AllowlistError::TooMany(101))
        );
    }

    proptest::proptest! {
        #[test]
        fn an_address_is_allowed_by_exactly_the_ranges_holding_it(
            a in proptest::prelude::any::<u32>(),
            b in proptest::prelude::any::<u32>(),
            prefix in 1u8..=32,
        ) {
            let net = ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(a), prefix).unwrap().trunc();
            let list = Allowlist::parse(&net.to_string()).unwrap();
            let client = std::net::Ipv4Addr::from(b);
            let shift = 32 - u32::from(prefix);
            let same_prefix = a.checked_shr(shift) == b.checked_shr(shift);
            proptest::prop_assert_eq!(list.allows(Some(IpAddr::V4(client))), same_prefix);
        }
    }
}
