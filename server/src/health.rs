//! `GET /healthz` (the process answers; no I/O) and `GET /readyz` (this instance can serve:
//! the database answers and holds every migration this binary carries), for load balancers
//! and orchestrators. Unauthenticated, cheap, and not logged per call (`no-store`, like every
//! answer, comes from the front layer).

use axum::extract::State;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::store::Db;

pub const HEALTH_PATH: &str = "/healthz";
pub const READY_PATH: &str = "/readyz";
/// Seconds a client waits before asking again when not ready.
const RETRY_SECONDS: u32 = 5;

pub async fn healthz() -> Response {
    Json(serde_json::json!({ "status": "alive" })).into_response()
}

pub async fn readyz(State(db): State<Db>) -> Response {
    match db.readiness().await {
        Ok(()) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        Err(reason) => {
            tracing::warn!(error = %reason, "not ready");
            let body = serde_json::json!({ "status": "not ready", "reason": reason.to_string() });
            let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(RETRY_SECONDS));
            response
        }
    }
}
