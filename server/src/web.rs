//! The HTTP server: the console (SSR + server functions), static files, the bearer API.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{DefaultBodyLimit, FromRef, Request};
use axum::http::header::{
    CACHE_CONTROL, HOST, ORIGIN, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;

use app::backend::Console;
use app::model::ConsoleError;
use app::{shell, App};

use crate::bearer::{ApiCaller, BearerAuth};
use crate::config::Settings;
use crate::store::Db;

const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub bearer: BearerAuth,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for BearerAuth {
    fn from_ref(state: &AppState) -> Self {
        state.bearer.clone()
    }
}

/// `GET /api/v1/me`: who the bearer token belongs to.
async fn me(caller: ApiCaller) -> impl IntoResponse {
    let mut response = Json(serde_json::json!({
        "login": caller.login,
        "name": caller.name,
        "token": {
            "name": caller.token_name,
            "expiration_date": caller.expires_on.to_string(),
        },
    }))
    .into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether a state-changing request comes from the console's own pages. Browsers send
/// `Sec-Fetch-Site`; when present it decides alone (a plain form post from a page with
/// `Referrer-Policy: no-referrer` carries `Origin: null`). Otherwise `Origin` must name this host.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    headers
        .get(ORIGIN)
        .and_then(|o| o.to_str().ok())
        .and_then(|o| o.split_once("://").map(|(_, authority)| authority))
        .is_some_and(|authority| host.is_some_and(|host| authority.eq_ignore_ascii_case(host)))
}

/// Server functions and the login form change state with cookies: only the console's own
/// pages may call them (Leptos itself has no CSRF protection).
async fn same_origin_only(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path();
    if safe
        || !path.starts_with("/api/")
        || path.starts_with("/api/v1/")
        || same_origin(request.headers())
    {
        return next.run(request).await;
    }
    let error = ConsoleError::CrossOrigin;
    let mut response = (StatusCode::FORBIDDEN, Json(error)).into_response();
    response
        .headers_mut()
        .insert("serverfnerror", HeaderValue::from_static("cross-origin"));
    response
}

/// A server function that failed before its body ran (bad arguments) answers 500 in Leptos;
/// give it the status its error deserves.
async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<ConsoleError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn security_headers(request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !is_asset {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Gzip for the WASM, JS and CSS bundles. Pages and server-function answers stay
/// uncompressed: they can carry a secret next to text the caller chose (BREACH).
fn static_asset_compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(
        DefaultPredicate::new()
            .and(NotForContentType::const_new("text/html"))
            .and(NotForContentType::const_new("application/json")),
    )
}

pub async fn serve(settings: Settings, db: Db) -> Result<(), String> {
    let conf = get_configuration(None).map_err(|e| format!("Leptos configuration: {e}"))?;
    let leptos_options = conf.leptos_options;
    let addr: SocketAddr = leptos_options.site_addr;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let secure_cookies = settings.secure_cookies.unwrap_or(!local.ip().is_loopback());

    let console = Console {
        store: Arc::new(db.clone()),
        clock: settings.clock,
        zone: settings.zone,
        secure_cookies,
    };
    let state = AppState {
        leptos_options: leptos_options.clone(),
        bearer: BearerAuth {
            db: db.clone(),
            clock: settings.clock,
            zone: settings.zone,
        },
    };
    let routes = generate_route_list(App);
    let app = Router::new()
        .route("/api/v1/me", get(me))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let console = console.clone();
                move || provide_context(console.clone())
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(same_origin_only))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(static_asset_compression())
        .with_state(state);

    println!("Jetons console listening on http://{local}");
    tracing::info!(%local, secure_cookies, "listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_the_browser_sends_it() {
        assert!(same_origin(&headers(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "null"),
            ("host", "a:1")
        ])));
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://a:1"),
            ("host", "a:1")
        ])));
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "same-site"),
            ("host", "a:1")
        ])));
    }

    #[test]
    fn otherwise_the_origin_must_name_this_host() {
        assert!(same_origin(&headers(&[
            ("origin", "http://a:1"),
            ("host", "a:1")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "http://evil:1"),
            ("host", "a:1")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "null"),
            ("host", "a:1")
        ])));
        assert!(!same_origin(&headers(&[("host", "a:1")])));
        assert!(!same_origin(&headers(&[("origin", "http://a:1")])));
    }
}
