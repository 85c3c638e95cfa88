//! Failed console logins, counted so that guessing is slow from anywhere while the people who
//! use the console keep getting in:
//! - per client address (IPv6: its /64, /56 and /48 together, so a host with a whole prefix
//!   gains nothing by changing addresses), a few guesses a minute;
//! - per login, from browsers not known for it: higher, so one address alone cannot lock an
//!   account out, while guesses spread over many addresses still run into it;
//! - on the whole server, from browsers not known for their login: a cap that keeps a crowd
//!   of addresses from using up the password checks;
//! - a browser known for the login (device cookie) is counted on its own instead of the last
//!   two: strangers failing on a login do not lock out the browser its administrator uses.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::backend::StoreResult;
use crate::domain::device::{login_form, KnownDevice};
use crate::failure_counts::{FailureCounts, Scope};
use crate::throttle::{address_key, Blocked};

/// The key of the whole server's count.
const EVERYWHERE: &str = "*";

/// The counts a client address belongs to: an IPv4 address alone; an IPv6 address by its /64,
/// /56 and /48.
pub fn address_scopes(ip: IpAddr) -> Vec<(Scope, String)> {
    match address_key(ip) {
        IpAddr::V4(v4) => vec![(Scope::LoginByAddress, v4.to_string())],
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let network = |prefix: u32| {
                let kept = bits & (u128::MAX << (128 - prefix));
                format!("{}/{prefix}", std::net::Ipv6Addr::from(kept))
            };
            vec![
                (Scope::LoginByAddress, network(64)),
                (Scope::LoginByNetwork56, network(56)),
                (Scope::LoginByNetwork48, network(48)),
            ]
        }
    }
}

pub struct LoginThrottle {
    counts: Arc<dyn FailureCounts>,
}

/// A login attempt under way: what it was counted under, until it is judged.
#[derive(Debug)]
#[must_use = "an attempt is counted as failed until it succeeds or is abandoned"]
pub struct Attempt {
    began: DateTime<Utc>,
    counted: Vec<(Scope, String)>,
}

impl LoginThrottle {
    pub fn new(counts: Arc<dyn FailureCounts>) -> Self {
        Self { counts }
    }

    /// Logins are compared in any case; the key is a digest, so a huge typed login costs no
    /// more memory than a short one.
    fn login_key(login: &str) -> String {
        crate::domain::token::sha256_hex(&login_form(login))
    }

    /// Starts a login attempt, counted as failed until [`LoginThrottle::succeed`] says
    /// otherwise. Refused when one of its counts is full. `device` is the caller's browser,
    /// when its device cookie proves it logged in as `login` before.
    pub async fn begin(
        &self,
        login: &str,
        ip: Option<IpAddr>,
        device: Option<&KnownDevice>,
        now: DateTime<Utc>,
    ) -> StoreResult<Result<Attempt, Blocked>> {
        // The address first: a blocked address is refused before anything else is counted.
        let mut planned = ip.map(address_scopes).unwrap_or_default();
        match device {
            Some(device) => planned.push((Scope::LoginByDevice, device.nonce.clone())),
            None => planned.extend([
                (Scope::LoginEverywhere, EVERYWHERE.to_owned()),
                (Scope::LoginByName, Self::login_key(login)),
            ]),
        }
        let mut attempt = Attempt {
            began: now,
            counted: Vec::with_capacity(planned.len()),
        };
        for (scope, key) in planned {
            if let Err(blocked) = self.counts.reserve(scope, &key, now).await? {
                self.abandon(attempt).await?;
                return Ok(Err(blocked));
            }
            attempt.counted.push((scope, key));
        }
        Ok(Ok(attempt))
    }

    /// The attempt succeeded: the login's (or the browser's) count starts again, and every
    /// other count gets the attempt back.
    pub async fn succeed(&self, attempt: Attempt) -> StoreResult<()> {
        for (scope, key) in &attempt.counted {
            match scope {
                Scope::LoginByName | Scope::LoginByDevice => {
                    self.counts.forget(*scope, key).await?;
                }
                _ => self.counts.release(*scope, key, attempt.began).await?,
            }
        }
        Ok(())
    }

    /// The attempt was never judged (the server was too busy): every count gets it back.
    pub async fn abandon(&self, attempt: Attempt) -> StoreResult<()> {
        for (scope, key) in &attempt.counted {
            self.counts.release(*scope, key, attempt.began).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
