//! Console sessions: log in (argon2id, session id rotated, only its hash stored) and log out.

use axum::http::{header, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use rand::RngCore;

use super::{console, cookie_value, internal, request_parts, respond, SESSION_COOKIE};
use crate::backend::Console;
use crate::domain::password;
use crate::domain::token::{sha256_hex, to_hex};
use crate::model::ConsoleError;

pub const SESSION_HOURS: i64 = 12;
pub const HOME: &str = "/security/api-tokens";

static PASSWORD_CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

fn set_header(name: header::HeaderName, value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        response.append_header(name, value);
    }
}

fn session_cookie(console: &Console, value: &str, max_age_seconds: i64) -> String {
    let secure = if console.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}")
}

fn accepts_html() -> bool {
    request_parts()
        .and_then(|parts| parts.headers.get(header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().map(|a| a.contains("text/html")).ok())
        .unwrap_or(false)
}

/// Logs in. A plain HTML form post (before WASM loads) is answered with redirects.
pub async fn login(login: &str, password: &str) -> Result<(), ConsoleError> {
    let console = respond(console())?;
    let credentials = console
        .store
        .credentials(login.trim())
        .await
        .map_err(internal);
    let credentials = respond(credentials)?;
    let stored = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let password = password.to_owned();
    // argon2id costs ~19 MiB and tens of ms per check: bound how many run at once.
    let _permit = PASSWORD_CHECKS
        .acquire()
        .await
        .map_err(|_| ConsoleError::Internal);
    let verified = tokio::task::spawn_blocking(move || {
        password::verify_password(stored.as_deref(), &password)
    })
    .await
    .unwrap_or(false);
    let person = match (verified, credentials) {
        (true, Some(credentials)) => credentials.person,
        _ => {
            tracing::info!("console login failed");
            if accepts_html() {
                leptos_axum::redirect("/login?failed=1");
                return Err(ConsoleError::InvalidCredentials);
            }
            return respond(Err(ConsoleError::InvalidCredentials));
        }
    };
    if let Some(previous) =
        request_parts().and_then(|parts| cookie_value(&parts.headers, SESSION_COOKIE))
    {
        respond(
            console
                .store
                .delete_session(&sha256_hex(&previous))
                .await
                .map_err(internal),
        )?;
    }
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let session = to_hex(&secret);
    let now = console.now();
    respond(
        console
            .store
            .create_session(
                &sha256_hex(&session),
                person.id,
                now,
                now + chrono::Duration::hours(SESSION_HOURS),
            )
            .await
            .map_err(internal),
    )?;
    tracing::info!(login = %person.login, "console login succeeded");
    set_header(
        header::SET_COOKIE,
        &session_cookie(&console, &session, SESSION_HOURS * 3600),
    );
    leptos_axum::redirect(HOME);
    Ok(())
}

pub async fn logout() -> Result<(), ConsoleError> {
    let console = console()?;
    if let Some(session) =
        request_parts().and_then(|parts| cookie_value(&parts.headers, SESSION_COOKIE))
    {
        console
            .store
            .delete_session(&sha256_hex(&session))
            .await
            .map_err(internal)?;
    }
    set_header(header::SET_COOKIE, &session_cookie(&console, "", 0));
    leptos_axum::redirect("/login");
    Ok(())
}
