//! Settings from the environment.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use app::backend::Clock;

use crate::store::DEFAULT_DATABASE_URL;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub zone: Tz,
    pub clock: Clock,
    /// `Secure` session cookies; off only when explicitly serving plain HTTP on loopback.
    pub secure_cookies: Option<bool>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        let database_url = var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let zone = match var("JETONS_TIME_ZONE") {
            None => Tz::UTC,
            Some(name) => Tz::from_str(name.trim()).map_err(|_| {
                format!(
                    "JETONS_TIME_ZONE={name:?} is not an IANA time zone (for example Europe/Paris)"
                )
            })?,
        };
        let clock = match (var("JETONS_TEST_CLOCK"), var("JETONS_TEST_MODE").as_deref()) {
            (None, _) => Clock::system(),
            (Some(at), Some("1")) => {
                let at = DateTime::parse_from_rfc3339(at.trim())
                    .map_err(|e| format!("JETONS_TEST_CLOCK={at:?} is not an RFC 3339 instant: {e}"))?
                    .with_timezone(&Utc);
                tracing::warn!(
                    "TEST MODE: the clock is fixed at {at}. Never run a production server with JETONS_TEST_MODE=1."
                );
                eprintln!("WARNING: TEST MODE — the clock is fixed at {at}; never use this in production.");
                Clock::fixed(at)
            }
            (Some(_), _) => {
                return Err(
                    "JETONS_TEST_CLOCK is set but JETONS_TEST_MODE=1 is not: refusing to run with a fake clock"
                        .into(),
                )
            }
        };
        let secure_cookies = match var("JETONS_SECURE_COOKIES").as_deref() {
            None => None,
            Some("1" | "true") => Some(true),
            Some("0" | "false") => Some(false),
            Some(other) => {
                return Err(format!(
                    "JETONS_SECURE_COOKIES={other:?} must be true or false"
                ))
            }
        };
        Ok(Self {
            database_url,
            zone,
            clock,
            secure_cookies,
        })
    }
}
