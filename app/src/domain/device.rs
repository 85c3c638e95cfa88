//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser
//! that logged in successfully gets a signed proof of it. A later login attempt on the same
//! login from that browser is judged by that browser's own failures, so strangers failing on
//! the login cannot lock its administrator out. Pure: the key, the time and the randomness
//! come in as arguments.
//!
//! The value is `v1.<nonce>.<issued>.<mac>`: 16 random bytes and the issue time (Unix
//! seconds), signed with HMAC-SHA-256 over the login they were issued for. The login is not in
//! the cookie: a cookie only proves something about the login it is presented with.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::token::{from_hex, to_hex};

/// How long a browser stays known after its last successful login.
pub const DEVICE_COOKIE_DAYS: i64 = 180;
pub const NONCE_BYTES: usize = 16;
pub const KEY_BYTES: usize = 32;
const VERSION: &str = "v1";

/// The server's signing key (shared by every instance).
#[derive(Clone)]
pub struct DeviceKey([u8; KEY_BYTES]);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(…)")
    }
}

/// A browser proven to have logged in as the login it presents the cookie for: its failures
/// are counted under `nonce`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDevice {
    pub nonce: String,
}

/// The form logins are compared in (any case, surrounding spaces ignored).
pub fn login_form(login: &str) -> String {
    login.trim().to_lowercase()
}

impl DeviceKey {
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        Self(bytes)
    }

    fn mac(&self, login: &str, nonce: &str, issued: i64) -> Hmac<Sha256> {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            unreachable!("HMAC takes keys of any length")
        };
        for part in [
            "jetons device cookie",
            &login_form(login),
            nonce,
            &issued.to_string(),
        ] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }

    /// The cookie value for a browser that just logged in as `login`.
    pub fn issue(&self, login: &str, nonce: [u8; NONCE_BYTES], now: DateTime<Utc>) -> String {
        let nonce = to_hex(&nonce);
        let issued = now.timestamp();
        let tag = self.mac(login, &nonce, issued).finalize().into_bytes();
        format!("{VERSION}.{nonce}.{issued}.{}", to_hex(&tag))
    }

    /// The device a cookie value proves for `login`, if it was issued for that login by this
    /// key within [`DEVICE_COOKIE_DAYS`]. Anything else (malformed, another login, forged,
    /// too old, from the future) proves nothing.
    pub fn verify(&self, value: &str, login: &str, now: DateTime<Utc>) -> Option<KnownDevice> {
        let mut parts = value.split('.');
        let (Some(VERSION), Some(nonce), Some(issued), Some(tag), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        if nonce.len() != NONCE_BYTES * 2 || from_hex(nonce).is_none() {
            return None;
        }
        if issued.is_empty() || issued.len() > 12 || !issued.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let issued_at: i64 = issued.parse().ok()?;
        let age = now.timestamp() - issued_at;
        if !(0..=Duration::days(DEVICE_COOKIE_DAYS).num_seconds()).contains(&age) {
            return None;
        }
        let tag = from_hex(tag).filter(|tag| tag.len() == 32)?;
        self.mac(login, nonce, issued_at)
            .verify_slice(&tag)
            .ok()
            .map(|()| KnownDevice {
                nonce: nonce.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).expect("time")
    }

    fn key(byte: u8) -> DeviceKey {
        DeviceKey::from_bytes([byte; KEY_BYTES])
    }

    #[test]
    fn a_cookie_proves_its_login_only_with_its_key_and_within_its_lifetime() {
        let cookie = key(1).issue("Admin", [7; NONCE_BYTES], at(0));
        let known = key(1).verify(&cookie, " admin ", at(60));
        assert_eq!(known.map(|d| d.nonce), Some("07".repeat(NONCE_BYTES)));
        assert_eq!(key(1).verify(&cookie, "clerk", at(60)), None);
        assert_eq!(key(2).verify(&cookie, "admin", at(60)), None);
        let lifetime = Duration::days(DEVICE_COOKIE_DAYS).num_seconds();
        assert!(key(1).verify(&cookie, "admin", at(lifetime)).is_some());
        assert_eq!(key(1).verify(&cookie, "admin", at(lifetime + 1)), None);
        assert_eq!(key(1).verify(&cookie, "admin", at(-1)), None);
    }

    #[test]
    fn an_altered_cookie_proves_nothing() {
        let cookie = key(1).issue("admin", [7; NONCE_BYTES], at(0));
        let parts: Vec<&str> = cookie.split('.').collect();
        let altered = [
            format!("v2.{}.{}.{}", parts[1], parts[2], parts[3]),
            format!("v1.{}.{}.{}", "08".repeat(NONCE_BYTES), parts[2], parts[3]),
            format!("v1.{}.{}.{}", parts[1], at(1).timestamp(), parts[3]),
            format!("v1.{}.{}.{}", parts[1], parts[2], "0".repeat(64)),
            format!("v1.{}.{}.{}", parts[1], parts[2], parts[3].to_uppercase()),
            format!("{cookie}.x"),
            String::new(),
        ];
        for value in altered {
            assert_eq!(key(1).verify(&value, "admin", at(1)), None, "{value}");
        }
    }

    proptest! {
        #[test]
        fn any_text_is_refused_without_a_panic(value in any::<String>(), login in any::<String>()) {
            prop_assert_eq!(key(1).verify(&value, &login, at(0)), None);
        }
    }
}
