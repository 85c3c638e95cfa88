//! "Create" posted by a plain HTML form (no JavaScript ran): answered with a page that shows
//! the token this once, instead of Leptos's redirect back (which would lose the token).

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::created_page;
use app::model::{ConsoleError, CreatedToken};

use crate::guard::MAX_BODY_BYTES;

/// A browser navigating (a form without script) asks for HTML; the console's own calls ask
/// for JSON.
pub fn is_plain_form_post(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// Runs "Create" as the console's own pages do, then shows its answer as a page.
pub async fn create_token_page(mut request: Request, next: Next) -> Response {
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static("application/json"));
    let answer = next.run(request).await;
    let status = answer.status();
    let bytes = to_bytes(answer.into_body(), MAX_BODY_BYTES)
        .await
        .unwrap_or_default();
    let (status, page) = if status.is_success() {
        match serde_json::from_slice::<CreatedToken>(&bytes) {
            Ok(created) => (status, created_page::created(&created)),
            Err(error) => {
                tracing::error!(%error, "unreadable answer of create_token");
                let error = ConsoleError::Internal;
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    created_page::refused(&error),
                )
            }
        }
    } else {
        let error =
            serde_json::from_slice::<ConsoleError>(&bytes).unwrap_or(ConsoleError::Internal);
        let status = StatusCode::from_u16(error.status()).unwrap_or(status);
        (status, created_page::refused(&error))
    };
    (
        status,
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        page,
    )
        .into_response()
}
