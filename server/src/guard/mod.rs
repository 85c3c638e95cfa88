//! Request guards: size limits, the client's address and the security headers in front of
//! everything; POST-only server functions from the console's own origin with exactly their
//! declared fields.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use tracing::Instrument;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, ORIGIN,
    REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use server_fn::ServerFn;

use app::model::ConsoleError;
use app::{api, FAVICON};

use crate::client::{self, TrustedProxies};
use crate::form;
use crate::health::{HEALTH_PATH, READY_PATH};
use crate::metrics;
use crate::no_js;
use crate::origin::PublicOrigin;
use crate::request_id;

pub const MAX_BODY_BYTES: usize = 64 * 1024;
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// For responses that did not set their own policy (error pages, files): nothing may run.
const FALLBACK_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
                            base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A console error, as the server functions' client decodes it.
pub fn refuse(error: ConsoleError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(error)).into_response();
    response
        .headers_mut()
        .insert("serverfnerror", HeaderValue::from_static("refused"));
    response
}

fn is_server_fn(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/v1/")
}

fn limit_exceeded(status: StatusCode, error: &str, message: String) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": error, "message": message })),
    )
        .into_response()
}

/// Oversized addresses get 414, oversized header sets 431; bodies announced larger than the
/// limit get 413 before a byte of them is read (bodies without a length are cut by the body
/// limit layer); a query string that is not text (see [`form`]) gets 400.
fn size_refusal(request: &Request) -> Option<Response> {
    let uri = request.uri();
    let uri_bytes = uri.path_and_query().map_or(0, |pq| pq.as_str().len())
        + uri.authority().map_or(0, |a| a.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return Some(limit_exceeded(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("Request addresses are limited to {MAX_URI_BYTES} bytes."),
        ));
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return Some(limit_exceeded(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!("Request headers are limited to {MAX_HEADER_BYTES} bytes."),
        ));
    }
    let announced = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Some(refuse(ConsoleError::TooLarge));
    }
    let query = uri.query().unwrap_or_default();
    form::decode(query.as_bytes()).err().map(|error| {
        refuse(ConsoleError::BadRequest {
            message: format!("in the address: {error}"),
        })
    })
}

/// What the layers in front of everything know of the deployment.
#[derive(Debug, Clone, Default)]
pub struct Edge {
    pub proxies: TrustedProxies,
    pub public_origin: Option<PublicOrigin>,
    /// Whether requests are counted (`JETONS_METRICS_ADDR` is set).
    pub metrics: bool,
    /// The site's stylesheet, for the pages answered outside Leptos.
    pub stylesheet: String,
}

/// In front of everything, in one layer (every API call pays for it): size limits, the host
/// asked for, the client's address, and the security headers on the way out.
pub async fn front(State(edge): State<Arc<Edge>>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let class = edge
        .metrics
        .then(|| metrics::route_class(request.uri().path()));
    let is_asset = request.uri().path().starts_with("/pkg/") || request.uri().path() == FAVICON;
    let id = request_id::for_request(&edge.proxies, &request);
    let refusal = size_refusal(&request).or_else(|| misdirected(&edge, &request));
    let mut response = match refusal {
        Some(refusal) => refusal,
        None => {
            client::identify(&edge.proxies, &mut request);
            let span = tracing::info_span!("request", id = %id);
            next.run(request).instrument(span).await
        }
    };
    let https = edge
        .public_origin
        .as_ref()
        .is_some_and(PublicOrigin::is_https);
    add_security_headers(response.headers_mut(), is_asset, https);
    if let Ok(id) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(request_id::REQUEST_ID, id);
    }
    if let Some(class) = class {
        metrics::record_request(class, response.status().as_u16(), started.elapsed());
    }
    response
}

/// With a public origin, a request must name its host (one `Host`, or the HTTP/2 authority):
/// `421` otherwise. Health checks come from load balancers by address: they pass.
fn misdirected(edge: &Edge, request: &Request) -> Option<Response> {
    let public = edge.public_origin.as_ref()?;
    if matches!(request.uri().path(), HEALTH_PATH | READY_PATH) {
        return None;
    }
    let mut hosts = request.headers().get_all(HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().ok(),
        (None, None) => request.uri().authority().map(|a| a.as_str()),
        _ => None,
    };
    if host.is_some_and(|host| public.is_host(host)) {
        return None;
    }
    Some(limit_exceeded(
        StatusCode::MISDIRECTED_REQUEST,
        "misdirected_request",
        format!("This console answers at {} only.", public.as_str()),
    ))
}

/// Whether a state-changing request comes from the console's own pages: `Origin` names this
/// host or, when the browser sent no usable `Origin` (a form post under
/// `Referrer-Policy: no-referrer` says `null`), `Sec-Fetch-Site` says same-origin.
/// A header given more than once (which one would count?) makes the request cross-site. With
/// a public origin, `Origin` must be exactly it.
pub fn same_origin(headers: &HeaderMap, public: Option<&PublicOrigin>) -> bool {
    if [HOST, ORIGIN]
        .iter()
        .any(|name| headers.get_all(name).iter().nth(1).is_some())
    {
        return false;
    }
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let origin = headers
        .get(ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| *o != "null");
    if let (Some(origin), Some(public)) = (origin, public) {
        return public.is_origin(origin);
    }
    if let Some(origin) = origin {
        return origin.split_once("://").is_some_and(|(scheme, authority)| {
            matches!(scheme, "http" | "https")
                && host.is_some_and(|h| authority.eq_ignore_ascii_case(h))
        });
    }
    headers
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes() == b"same-origin")
}

/// The fields each server function takes, read off the argument structs the `#[server]`
/// macro generates, so a renamed argument cannot leave this list stale.
fn declared_fields() -> &'static HashMap<&'static str, Vec<String>> {
    static FIELDS: OnceLock<HashMap<&'static str, Vec<String>>> = OnceLock::new();
    fn entry<F: ServerFn + serde::Serialize>(args: F) -> (&'static str, Vec<String>) {
        let fields = match serde_json::to_value(&args) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        (F::PATH, fields)
    }
    FIELDS.get_or_init(|| {
        HashMap::from([
            entry(api::CurrentAdmin {}),
            entry(api::ListTokens {
                status: None,
                user: None,
                q: None,
                sort: None,
                dir: None,
                after: None,
                before: None,
            }),
            entry(api::EligibleUsers {
                search: String::new(),
            }),
            entry(api::CreateToken {
                user_id: String::new(),
                user: String::new(),
                name: String::new(),
                expiration: String::new(),
                allowed_addresses: String::new(),
            }),
            entry(api::RotateToken {
                id: 0,
                expiration: String::new(),
                overlap: String::new(),
            }),
            entry(api::SetAllowedAddresses {
                id: 0,
                allowed_addresses: String::new(),
            }),
            entry(api::LatestExpiration {}),
            entry(api::RemoveToken { id: 0 }),
            entry(api::DeleteToken { id: 0 }),
            entry(api::AuditLog { page: 1 }),
            entry(api::Login {
                login: String::new(),
                password: String::new(),
            }),
            entry(api::Logout {}),
        ])
    })
}

fn check_fields(path: &str, body: &[u8]) -> Result<(), ConsoleError> {
    let bad = |message: String| ConsoleError::BadRequest { message };
    let Some(declared) = declared_fields().get(path) else {
        return Err(ConsoleError::NotFound {
            message: format!("There is no server function at {path}."),
        });
    };
    let pairs = form::decode(body).map_err(|error| bad(error.to_string()))?;
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in &pairs {
        if !declared.iter().any(|d| d == name) {
            return Err(bad(format!(
                "unknown field “{}”",
                name.chars().take(40).collect::<String>()
            )));
        }
        if seen.contains(&name.as_str()) {
            return Err(bad(format!("field “{name}” given more than once")));
        }
        seen.push(name);
    }
    Ok(())
}

/// Server functions: POST only (405 otherwise), from the console's own origin (403), with a
/// form-encoded body holding only the function's declared fields, each once (400). Other
/// requests pass straight through.
pub async fn server_functions(
    State(edge): State<Arc<Edge>>,
    request: Request,
    next: Next,
) -> Response {
    if !is_server_fn(request.uri().path()) {
        return next.run(request).await;
    }
    let request = match check_server_fn_request(request, edge.public_origin.as_ref()).await {
        Ok(request) => request,
        Err(refusal) => return refusal,
    };
    if request.uri().path() == api::CreateToken::PATH
        && no_js::is_plain_form_post(request.headers())
    {
        return no_js::create_token_page(request, next, &edge.stylesheet).await;
    }
    let response = with_error_status(next.run(request).await).await;
    no_js::own_redirect(response)
}

async fn check_server_fn_request(
    request: Request,
    public: Option<&PublicOrigin>,
) -> Result<Request, Response> {
    if request.method() != Method::POST {
        let mut response = refuse(ConsoleError::MethodNotAllowed);
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return Err(response);
    }
    if !same_origin(request.headers(), public) {
        return Err(refuse(ConsoleError::CrossOrigin));
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) if is_timeout(&error) => return Err(refuse(ConsoleError::TooSlow)),
        Err(_) => return Err(refuse(ConsoleError::TooLarge)),
    };
    let mut content_types = parts.headers.get_all(CONTENT_TYPE).iter();
    let form = match (content_types.next(), content_types.next()) {
        (Some(value), None) => value.to_str().ok().is_some_and(|value| {
            let media_type = value.split(';').next().unwrap_or_default().trim();
            media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        }),
        _ => false,
    };
    if !bytes.is_empty() && !form {
        return Err(refuse(ConsoleError::BadRequest {
            message: "server functions take application/x-www-form-urlencoded bodies".into(),
        }));
    }
    check_fields(parts.uri.path(), &bytes).map_err(refuse)?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Whether reading a body failed because it arrived too slowly.
fn is_timeout(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// A server function that failed before its body ran (bad arguments) answers 500 in Leptos;
/// give it the status its error deserves.
async fn with_error_status(response: Response) -> Response {
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

fn add_security_headers(headers: &mut HeaderMap, is_asset: bool, https: bool) {
    if https {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000"),
        );
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FALLBACK_CSP),
        );
    }
    if !is_asset {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

#[cfg(test)]
mod tests;
