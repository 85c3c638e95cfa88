//! Every setting, as a flag of its own (before the command: `server --time-zone Europe/Paris
//! migrate`) or, without it, its environment variable; `--help` lists them all. Values stay text here: [`super::Settings::from_args`] checks them, with
//! errors that name the variable.

use clap::Args;

/// Settings the server reads at start.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Settings (a flag, or its environment variable)")]
pub struct SettingArgs {
    /// sqlite://FILE (created if missing) or postgres://… [default: sqlite://data/jetons.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// IANA time zone that decides what "today" is [default: UTC]
    #[arg(
        long,
        env = "JETONS_TIME_ZONE",
        value_name = "ZONE",
        hide_env_values = true
    )]
    pub time_zone: Option<String>,
    /// Secure + __Host- cookies; false only when listening on loopback [default: true]
    #[arg(
        long,
        env = "JETONS_SECURE_COOKIES",
        value_name = "BOOL",
        hide_env_values = true
    )]
    pub secure_cookies: Option<String>,
    /// A console session ends after this long without a request (90s, 30m, 12h) [default: 30m]
    #[arg(
        long,
        env = "JETONS_SESSION_IDLE",
        value_name = "DURATION",
        hide_env_values = true
    )]
    pub session_idle: Option<String>,
    /// And this long after login, however active [default: 12h]
    #[arg(
        long,
        env = "JETONS_SESSION_LIFETIME",
        value_name = "DURATION",
        hide_env_values = true
    )]
    pub session_lifetime: Option<String>,
    /// Comma-separated addresses of reverse proxies whose X-Forwarded-For names the client
    #[arg(
        long,
        env = "JETONS_TRUSTED_PROXIES",
        value_name = "ADDRESSES",
        hide_env_values = true
    )]
    pub trusted_proxies: Option<String>,
    /// Failed logins a minute on the whole server before browsers not known for their login
    /// get 429 [default: 100]
    #[arg(
        long,
        env = "JETONS_LOGIN_FAILURES_PER_MINUTE",
        value_name = "COUNT",
        hide_env_values = true
    )]
    pub login_failures_per_minute: Option<String>,
    /// Password checks (argon2id, ~19 MiB each) running at once [default: 2]
    #[arg(
        long,
        env = "JETONS_PASSWORD_CHECKS",
        value_name = "COUNT",
        hide_env_values = true
    )]
    pub password_checks: Option<String>,
    /// A login waits at most this long for a check, then gets 503 busy [default: 2s]
    #[arg(
        long,
        env = "JETONS_PASSWORD_CHECK_WAIT",
        value_name = "DURATION",
        hide_env_values = true
    )]
    pub password_check_wait: Option<String>,
    /// Validated bearer tokens kept in memory at most [default: 100000]
    #[arg(
        long,
        env = "JETONS_TOKEN_CACHE_SIZE",
        value_name = "COUNT",
        hide_env_values = true
    )]
    pub token_cache_size: Option<String>,
    /// Production: the one origin browsers use, e.g. https://console.example.com
    #[arg(
        long,
        env = "JETONS_PUBLIC_ORIGIN",
        value_name = "ORIGIN",
        hide_env_values = true
    )]
    pub public_origin: Option<String>,
    /// A request's headers must arrive within this [default: 10s]
    #[arg(
        long,
        env = "JETONS_HEADER_READ_TIMEOUT",
        value_name = "DURATION",
        hide_env_values = true
    )]
    pub header_read_timeout: Option<String>,
    /// A request's body must arrive within this (408) [default: 10s]
    #[arg(
        long,
        env = "JETONS_BODY_READ_TIMEOUT",
        value_name = "DURATION",
        hide_env_values = true
    )]
    pub body_read_timeout: Option<String>,
    /// A whole request must be answered within this (408) [default: 30s]
    #[arg(
        long,
        env = "JETONS_REQUEST_TIMEOUT",
        value_name = "DURATION",
        hide_env_values = true
    )]
    pub request_timeout: Option<String>,
    /// Open connections at most, below the open-files limit minus 256 [default: 4096]
    #[arg(
        long,
        env = "JETONS_MAX_CONNECTIONS",
        value_name = "COUNT",
        hide_env_values = true
    )]
    pub max_connections: Option<String>,
    /// Serve Prometheus metrics at http://ADDR/metrics; unset: no metrics
    #[arg(
        long,
        env = "JETONS_METRICS_ADDR",
        value_name = "ADDR",
        hide_env_values = true
    )]
    pub metrics_addr: Option<String>,
    /// text, or json: one JSON object per log line [default: text]
    #[arg(
        long,
        env = "JETONS_LOG_FORMAT",
        value_name = "FORMAT",
        hide_env_values = true
    )]
    pub log_format: Option<String>,
    /// After SIGTERM or Ctrl-C, open connections get this long to finish [default: 10s]
    #[arg(
        long,
        env = "JETONS_SHUTDOWN_GRACE",
        value_name = "DURATION",
        hide_env_values = true
    )]
    pub shutdown_grace: Option<String>,
    /// A token expiring within this many days shows "Expires soon"; 0: never [default: 7]
    #[arg(
        long,
        env = "JETONS_EXPIRY_WARNING_DAYS",
        value_name = "DAYS",
        hide_env_values = true
    )]
    pub expiry_warning_days: Option<String>,
    /// The longest a token may live, e.g. 365d; unset: no maximum
    #[arg(
        long,
        env = "JETONS_MAX_TOKEN_LIFETIME",
        value_name = "DAYS",
        hide_env_values = true
    )]
    pub max_token_lifetime: Option<String>,
    /// Tests only: 1 allows the test clock below (never in production)
    #[arg(
        long,
        env = "JETONS_TEST_MODE",
        value_name = "1",
        hide_env_values = true
    )]
    pub test_mode: Option<String>,
    /// Tests only: a fixed clock, an RFC 3339 instant (needs JETONS_TEST_MODE=1)
    #[arg(
        long,
        env = "JETONS_TEST_CLOCK",
        value_name = "INSTANT",
        hide_env_values = true
    )]
    pub test_clock: Option<String>,
    /// Tests only: 1 makes the test clock run on from its instant
    #[arg(
        long,
        env = "JETONS_TEST_CLOCK_RUNS",
        value_name = "1",
        hide_env_values = true
    )]
    pub test_clock_runs: Option<String>,
}

/// What `--help` says of the variables other libraries read.
pub const OTHER_VARIABLES: &str = "Also read from the environment: \
    LEPTOS_SITE_ADDR (listening address, default 127.0.0.1:3000), \
    LEPTOS_SITE_ROOT (where the built site is, unless embedded), \
    RUST_LOG (log filter, default info; tokens and passwords are never logged).";
