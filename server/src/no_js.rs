//! "Create" posted by a plain HTML form (no JavaScript ran): answered with a page that shows
//! the token this once, instead of Leptos's redirect back (which would lose the token).

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::created_page;
use app::language;
use app::model::{ConsoleError, CreatedToken};
use app::token_query::TOKENS_PATH;

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
pub async fn create_token_page(mut request: Request, next: Next, stylesheet: &str) -> Response {
    let locale = language::of_headers(request.headers());
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
            Ok(created) => (status, created_page::created(&created, stylesheet, locale)),
            Err(error) => {
                tracing::error!(%error, "unreadable answer of create_token");
                let error = ConsoleError::Internal;
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    created_page::refused(&error, stylesheet, locale),
                )
            }
        }
    } else {
        let error =
            serde_json::from_slice::<ConsoleError>(&bytes).unwrap_or(ConsoleError::Internal);
        let status = StatusCode::from_u16(error.status()).unwrap_or(status);
        (status, created_page::refused(&error, stylesheet, locale))
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

/// Where a server function sends a browser after a plain form post: only to this console's
/// own pages. Leptos sends it back to the `Referer`, which the client wrote.
pub fn own_redirect(mut response: Response) -> Response {
    let Some(location) = response.headers().get(LOCATION) else {
        return response;
    };
    let own = location
        .to_str()
        .ok()
        .filter(|path| is_own_path(path))
        .map(str::to_owned);
    let target = own.unwrap_or_else(|| TOKENS_PATH.to_owned());
    if let Ok(value) = HeaderValue::from_str(&target) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// A path on this server: `/…`, not `//host…` nor `/\host…` (which browsers read as another
/// host), nothing that is not printable ASCII.
pub fn is_own_path(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.starts_with("/\\")
        && location.bytes().all(|b| b.is_ascii_graphic())
}
