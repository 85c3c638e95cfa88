//! Settings: read at start from flags or environment variables (see [`SettingArgs`]), checked
//! once, then fixed.

mod args;
mod policy;

pub use args::{SettingArgs, OTHER_VARIABLES};

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use app::backend::{Clock, Limits, SessionPolicy};
use app::domain::policy::MAX_POLICY_DAYS;
use app::domain::LifetimePolicy;
use app::failure_counts::DEFAULT_FAILURES_EVERYWHERE_PER_MINUTE;
use app::password_checks::{DEFAULT_PASSWORD_CHECKS, DEFAULT_PASSWORD_CHECK_WAIT};

use crate::client::{ProxyListError, TrustedProxies};
use crate::listener::ConnectionLimits;
use crate::origin::{OriginError, PublicOrigin};
use crate::store::DEFAULT_DATABASE_URL;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub zone: Tz,
    pub clock: Clock,
    /// `Secure` session cookies: on unless explicitly turned off, which is refused anywhere but
    /// on a loopback address (plain-HTTP local use).
    pub secure_cookies: bool,
    pub sessions: SessionPolicy,
    pub trusted_proxies: TrustedProxies,
    /// Validated bearer tokens kept in memory at most.
    pub token_cache_size: usize,
    /// Failed logins a minute on the whole server before only browsers known for their login
    /// get in.
    pub login_limits: Limits,
    /// Password checks at once, and how long a login waits for one.
    pub password_checks: usize,
    pub password_check_wait: std::time::Duration,
    /// Where browsers reach the console (production): see [`PublicOrigin`].
    pub public_origin: Option<PublicOrigin>,
    pub connections: ConnectionLimits,
    /// A request's body must arrive within this, and the whole answer within `request_timeout`.
    pub body_read_timeout: std::time::Duration,
    pub request_timeout: std::time::Duration,
    /// Where `/metrics` is served (Prometheus), apart from the console; none without it.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// The latest expiration date allowed, and when a token "Expires soon".
    pub policy: LifetimePolicy,
}

/// Descriptors kept for the database pools, the logs and the files the server opens.
const RESERVED_DESCRIPTORS: u64 = 256;
const DEFAULT_MAX_CONNECTIONS: u64 = 4096;

/// A setting that cannot be used as given.
#[derive(Debug, thiserror::Error)]
pub enum SettingError {
    #[error("{name}={value:?} must be a duration such as 90s, 30m or 12h (at most a year)")]
    Duration { name: &'static str, value: String },
    #[error("cannot read the open-files limit (ulimit -n): {0}")]
    OpenFilesLimit(#[source] std::io::Error),
    #[error(
        "JETONS_MAX_CONNECTIONS={value:?} must be a number from 1 to {room}: the process may \
         open {soft} files (ulimit -n), {RESERVED_DESCRIPTORS} of them kept for its own use"
    )]
    MaxConnections { value: String, room: u64, soft: u64 },
    #[error("{name}={value:?} must be a number from 1 to {max}")]
    Count {
        name: &'static str,
        value: String,
        max: usize,
    },
    #[error("JETONS_EXPIRY_WARNING_DAYS={0:?} must be a number of days from 0 (no warning) to {MAX_POLICY_DAYS}")]
    WarningDays(String),
    #[error("JETONS_MAX_TOKEN_LIFETIME={0:?} must be a number of days such as 365d (1d to {MAX_POLICY_DAYS}d)")]
    MaxLifetime(String),
    #[error("JETONS_TIME_ZONE={0:?} is not an IANA time zone (for example Europe/Paris)")]
    TimeZone(String),
    #[error("JETONS_TEST_CLOCK={value:?} is not an RFC 3339 instant: {source}")]
    TestClock {
        value: String,
        #[source]
        source: chrono::ParseError,
    },
    #[error(
        "JETONS_TEST_CLOCK is set but JETONS_TEST_MODE=1 is not: refusing to run with a fake clock"
    )]
    FakeClockOutsideTestMode,
    #[error("JETONS_SECURE_COOKIES={0:?} must be true or false")]
    SecureCookies(String),
    #[error(transparent)]
    TrustedProxies(#[from] ProxyListError),
    #[error(transparent)]
    PublicOrigin(#[from] OriginError),
    #[error("JETONS_PUBLIC_ORIGIN={0} is https: JETONS_SECURE_COOKIES=false contradicts it")]
    HttpsWithoutSecureCookies(String),
    #[error("JETONS_PUBLIC_ORIGIN={0} must be https (plain http only on a loopback address)")]
    PlainHttpOrigin(String),
    #[error("JETONS_METRICS_ADDR={0:?} must be an address and port, such as 127.0.0.1:9100")]
    MetricsAddr(String),
}

/// A whole number from 1 to `max`, or `default` when unset.
fn count_var(
    name: &'static str,
    value: &Option<String>,
    default: usize,
    max: usize,
) -> Result<usize, SettingError> {
    let Some(value) = given(value) else {
        return Ok(default);
    };
    value
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or(SettingError::Count { name, value, max })
}

/// Open connections at most: `JETONS_MAX_CONNECTIONS`, below the process's descriptor limit.
fn max_connections(value: &Option<String>) -> Result<usize, SettingError> {
    let (soft, _) = rlimit::Resource::NOFILE
        .get()
        .map_err(SettingError::OpenFilesLimit)?;
    let room = soft.saturating_sub(RESERVED_DESCRIPTORS).max(1);
    let chosen = match given(value) {
        None => DEFAULT_MAX_CONNECTIONS.min(room),
        Some(value) => value
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=room).contains(n))
            .ok_or(SettingError::MaxConnections { value, room, soft })?,
    };
    // `room` came from a u64 limit; on a 32-bit target, as many as a usize holds.
    Ok(usize::try_from(chosen).unwrap_or(usize::MAX))
}

/// A duration setting (see [`parse_duration`]), or its default.
fn duration_var(
    name: &'static str,
    value: &Option<String>,
    default: u64,
) -> Result<std::time::Duration, SettingError> {
    match given(value) {
        None => Ok(std::time::Duration::from_secs(default)),
        Some(value) => parse_duration(name, &value)?
            .to_std()
            .map_err(|_| SettingError::Duration { name, value }),
    }
}

/// `90s`, `30m`, `12h`: a positive number and a unit.
fn parse_duration(name: &'static str, value: &str) -> Result<chrono::Duration, SettingError> {
    let value = value.trim();
    let unit_seconds = |unit: char| match unit {
        's' => Some(1),
        'm' => Some(60),
        'h' => Some(3600),
        _ => None,
    };
    value
        .char_indices()
        .last()
        .and_then(|(at, unit)| Some((value[..at].parse::<i64>().ok()?, unit_seconds(unit)?)))
        .filter(|(number, _)| *number > 0)
        .and_then(|(number, unit)| number.checked_mul(unit))
        .filter(|seconds| *seconds <= 366 * 24 * 3600)
        .map(chrono::Duration::seconds)
        .ok_or_else(|| SettingError::Duration {
            name,
            value: value.to_owned(),
        })
}

/// A setting's value; a blank one counts as unset.
fn given(value: &Option<String>) -> Option<String> {
    value.clone().filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub fn from_args(args: &SettingArgs) -> Result<Self, SettingError> {
        let database_url =
            given(&args.database_url).unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let zone = match given(&args.time_zone) {
            None => Tz::UTC,
            Some(name) => Tz::from_str(name.trim()).map_err(|_| SettingError::TimeZone(name))?,
        };
        let clock = match (given(&args.test_clock), given(&args.test_mode).as_deref()) {
            (None, _) => Clock::system(),
            (Some(at), Some("1")) => {
                let at = DateTime::parse_from_rfc3339(at.trim())
                    .map_err(|source| SettingError::TestClock { value: at, source })?
                    .with_timezone(&Utc);
                tracing::warn!(
                    "TEST MODE: the clock is fixed at {at}. Never run a production server with JETONS_TEST_MODE=1."
                );
                eprintln!("WARNING: TEST MODE — the clock is fixed at {at}; never use this in production.");
                if given(&args.test_clock_runs).as_deref() == Some("1") {
                    Clock::running_from(at)
                } else {
                    Clock::fixed(at)
                }
            }
            (Some(_), _) => return Err(SettingError::FakeClockOutsideTestMode),
        };
        let secure_cookies = match given(&args.secure_cookies).as_deref() {
            None | Some("1" | "true") => true,
            Some("0" | "false") => false,
            Some(other) => return Err(SettingError::SecureCookies(other.to_owned())),
        };
        let defaults = SessionPolicy::default();
        let sessions = SessionPolicy {
            idle: given(&args.session_idle)
                .map(|v| parse_duration("JETONS_SESSION_IDLE", &v))
                .transpose()?
                .unwrap_or(defaults.idle),
            lifetime: given(&args.session_lifetime)
                .map(|v| parse_duration("JETONS_SESSION_LIFETIME", &v))
                .transpose()?
                .unwrap_or(defaults.lifetime),
        };
        let trusted_proxies = match given(&args.trusted_proxies) {
            None => TrustedProxies::default(),
            Some(list) => TrustedProxies::parse(&list)?,
        };
        let token_cache_size = count_var(
            "JETONS_TOKEN_CACHE_SIZE",
            &args.token_cache_size,
            crate::store::DEFAULT_TOKEN_CACHE_SIZE,
            10_000_000,
        )?;
        let login_limits = Limits {
            failures_everywhere: count_var(
                "JETONS_LOGIN_FAILURES_PER_MINUTE",
                &args.login_failures_per_minute,
                DEFAULT_FAILURES_EVERYWHERE_PER_MINUTE,
                1_000_000,
            )?,
        };
        let public_origin = given(&args.public_origin)
            .map(|text| PublicOrigin::parse(&text))
            .transpose()?;
        match &public_origin {
            Some(origin) if origin.is_https() && !secure_cookies => {
                return Err(SettingError::HttpsWithoutSecureCookies(
                    origin.as_str().to_owned(),
                ))
            }
            Some(origin) if !origin.is_https() && !origin.is_loopback() => {
                return Err(SettingError::PlainHttpOrigin(origin.as_str().to_owned()))
            }
            _ => {}
        }
        let connections = ConnectionLimits {
            header_read: duration_var("JETONS_HEADER_READ_TIMEOUT", &args.header_read_timeout, 10)?,
            max_connections: max_connections(&args.max_connections)?,
            shutdown_grace: duration_var("JETONS_SHUTDOWN_GRACE", &args.shutdown_grace, 10)?,
        };
        let metrics_addr = given(&args.metrics_addr)
            .map(|value| {
                value
                    .trim()
                    .parse()
                    .map_err(|_| SettingError::MetricsAddr(value.clone()))
            })
            .transpose()?;
        Ok(Self {
            policy: policy::lifetime_policy(args)?,
            password_checks: count_var(
                "JETONS_PASSWORD_CHECKS",
                &args.password_checks,
                DEFAULT_PASSWORD_CHECKS,
                64,
            )?,
            password_check_wait: duration_var(
                "JETONS_PASSWORD_CHECK_WAIT",
                &args.password_check_wait,
                DEFAULT_PASSWORD_CHECK_WAIT.as_secs(),
            )?,
            metrics_addr,
            connections,
            body_read_timeout: duration_var(
                "JETONS_BODY_READ_TIMEOUT",
                &args.body_read_timeout,
                10,
            )?,
            request_timeout: duration_var("JETONS_REQUEST_TIMEOUT", &args.request_timeout, 30)?,
            public_origin,
            token_cache_size,
            login_limits,
            database_url,
            zone,
            clock,
            secure_cookies,
            sessions,
            trusted_proxies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_need_a_positive_number_and_a_unit() {
        assert_eq!(parse_duration("X", "90s").unwrap().num_seconds(), 90);
        assert_eq!(parse_duration("X", "30m").unwrap().num_seconds(), 1800);
        assert_eq!(parse_duration("X", " 12h ").unwrap().num_seconds(), 43_200);
        for bad in [
            "", "30", "m", "0m", "-5m", "1.5h", "10d", "9999h", "30 m", "é",
        ] {
            assert!(parse_duration("X", bad).is_err(), "{bad:?}");
        }
    }
}
