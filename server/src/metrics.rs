//! Prometheus metrics, served on their own address (`JETONS_METRICS_ADDR`), never on the
//! console's. Labels are fixed words: never a token, a login or an address. Without that
//! setting no recorder is installed and recording costs nothing.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

use crate::health::{HEALTH_PATH, READY_PATH};
use crate::listener::{self, ConnectionLimits};
use crate::store::Db;

pub const METRICS_PATH: &str = "/metrics";
const REQUESTS: &str = "jetons_http_requests_total";
const LATENCY: &str = "jetons_http_request_duration_seconds";
const BEARER: &str = "jetons_bearer_outcomes_total";
const POOL: &str = "jetons_db_pool_connections";
/// Seconds: from a cached bearer call to a page at its slowest.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("cannot set up the metrics: {0}")]
    Recorder(#[from] BuildError),
    #[error("cannot listen for metrics on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// What kind of route a path is, as requests are counted.
pub fn route_class(path: &str) -> &'static str {
    if path.starts_with("/api/v1/") {
        "api"
    } else if path.starts_with("/api/") {
        "server_function"
    } else if path.starts_with("/pkg/") || path == "/favicon.svg" {
        "asset"
    } else if path == HEALTH_PATH || path == READY_PATH {
        "health"
    } else {
        "page"
    }
}

/// One answered request.
pub fn record_request(class: &'static str, status: u16, elapsed: Duration) {
    metrics::counter!(REQUESTS, "class" => class, "status" => status.to_string()).increment(1);
    metrics::histogram!(LATENCY, "class" => class).record(elapsed.as_secs_f64());
}

/// How a bearer call ended: `valid`, `missing`, `malformed`, `checksum`, `unknown`,
/// `unusable`, `throttled` or `unavailable`.
pub fn record_bearer(outcome: &'static str) {
    metrics::counter!(BEARER, "outcome" => outcome).increment(1);
}

/// Installs the recorder and serves `/metrics` on `addr`; returns the address it listens on.
pub async fn serve(
    addr: SocketAddr,
    db: Db,
    limits: ConnectionLimits,
) -> Result<SocketAddr, MetricsError> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(LATENCY.to_owned()), LATENCY_BUCKETS)?
        .install_recorder()?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| MetricsError::Listen { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| MetricsError::Listen { addr, source })?;
    let app = Router::new()
        .route(METRICS_PATH, get(scrape))
        .with_state((handle.clone(), db));
    tokio::spawn(listener::serve(
        listener,
        app,
        limits,
        std::future::pending(),
    ));
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            handle.run_upkeep();
        }
    });
    Ok(local)
}

async fn scrape(State((handle, db)): State<(PrometheusHandle, Db)>) -> impl IntoResponse {
    let (open, idle) = db.pool_connections();
    let (open, idle) = (f64::from(open), idle as f64);
    metrics::gauge!(POOL, "state" => "in_use").set((open - idle).max(0.0));
    metrics::gauge!(POOL, "state" => "idle").set(idle);
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        handle.render(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_counted_by_kind() {
        assert_eq!(route_class("/api/v1/me"), "api");
        assert_eq!(route_class("/api/list_tokens"), "server_function");
        assert_eq!(route_class("/pkg/jetons.wasm"), "asset");
        assert_eq!(route_class("/healthz"), "health");
        assert_eq!(route_class("/security/api-tokens"), "page");
        assert_eq!(route_class("/anything/else"), "page");
    }
}
