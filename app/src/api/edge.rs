//! Where the server functions meet HTTP: the request's cookies and address become a
//! [`Caller`]; results become statuses, `Retry-After`, cookies and redirects.

use std::net::IpAddr;

use axum::http::{header, request::Parts, HeaderName, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use super::cookies::ConsoleCookie;
use crate::backend::Console;
use crate::domain::device::DEVICE_COOKIE_DAYS;
use crate::model::{ConsoleError, LoginRefusal};
use crate::routes::{LOGIN_PATH, TOKENS_PATH};
use crate::service::{Caller, LoggedIn};

/// The caller's address, as the server decided it (the TCP peer, or the client a trusted
/// reverse proxy forwarded for). Put in the request's extensions by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    pub fn of(extensions: &axum::http::Extensions) -> Option<IpAddr> {
        extensions.get::<Self>().map(|client| client.0)
    }
}

/// The page's Content-Security-Policy: only this origin's script and WASM, plus the inline
/// hydration script, which carries this response's nonce.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub fn send_content_security_policy() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    else {
        tracing::error!(
            "page rendered without a nonce: the Content-Security-Policy is the default one"
        );
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Gives a failed call its HTTP status (and `Retry-After`, for the errors that pass).
fn give_status(error: &ConsoleError) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        if let Some(seconds) = error.retry_after() {
            response.insert_header(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
}

pub(crate) fn respond<T>(result: Result<T, ConsoleError>) -> Result<T, ConsoleError> {
    if let Err(error) = &result {
        give_status(error);
    }
    result
}

/// The console the server provided, and the caller as this request shows it.
pub(crate) fn request() -> Result<(Console, Caller), ConsoleError> {
    let console = use_context::<Console>().ok_or_else(|| {
        tracing::error!("server function called without a Console in context");
        ConsoleError::Internal
    });
    let console = respond(console)?;
    let caller = match use_context::<Parts>() {
        Some(parts) => Caller {
            session: ConsoleCookie::Session.read(console.secure_cookies, &parts.headers),
            device: ConsoleCookie::Device.read(console.secure_cookies, &parts.headers),
            client: ClientAddr::of(&parts.extensions),
            locale: crate::language::of_headers(&parts.headers),
        },
        None => Caller::default(),
    };
    Ok((console, caller))
}

fn append_header(name: HeaderName, value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        response.append_header(name, value);
    }
}

/// Hands the new session and device proof to the browser, and opens the console.
pub(crate) fn logged_in(console: &Console, logged_in: &LoggedIn) {
    let secure = console.secure_cookies;
    let session_seconds = console.sessions.lifetime.num_seconds();
    let device_seconds = chrono::Duration::days(DEVICE_COOKIE_DAYS).num_seconds();
    append_header(
        header::SET_COOKIE,
        &ConsoleCookie::Session.set(secure, &logged_in.session, session_seconds),
    );
    append_header(
        header::SET_COOKIE,
        &ConsoleCookie::Device.set(secure, &logged_in.device, device_seconds),
    );
    leptos_axum::redirect(TOKENS_PATH);
}

/// Deletes the session cookie and goes back to the login page.
pub(crate) fn logged_out(console: &Console) {
    append_header(
        header::SET_COOKIE,
        &ConsoleCookie::Session.set(console.secure_cookies, "", 0),
    );
    leptos_axum::redirect(LOGIN_PATH);
}

fn accepts_html() -> bool {
    use_context::<Parts>()
        .and_then(|parts| parts.headers.get(header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().map(|a| a.contains("text/html")).ok())
        .unwrap_or(false)
}

/// A failed login. A plain HTML form post (before WASM loads) that was refused is sent back
/// to the form, which says why; any other failure (the database down, say) keeps its status.
pub(crate) fn refuse_login(error: ConsoleError) -> ConsoleError {
    let Some(refusal) = LoginRefusal::of(&error).filter(|_| accepts_html()) else {
        give_status(&error);
        return error;
    };
    if let Some(seconds) = error.retry_after() {
        append_header(header::RETRY_AFTER, &seconds.to_string());
    }
    let code = refusal.code();
    leptos_axum::redirect(&format!("{LOGIN_PATH}?{}={code}", LoginRefusal::PARAMETER));
    error
}
