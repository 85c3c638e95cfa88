//! Console sessions: log in (argon2id, throttled, session id rotated, only its hash stored),
//! look a session up (idle timeout, absolute lifetime) and log out.

use axum::http::{header, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use rand::RngCore;

use super::cookies::ConsoleCookie;
use super::{audit, client_ip, console, internal, request_parts, respond};
use crate::backend::{Console, Credentials, PersonRecord};
use crate::domain::device::{KnownDevice, DEVICE_COOKIE_DAYS, NONCE_BYTES};
use crate::domain::token::{sha256_hex, to_hex};
use crate::model::{AuditAction, ConsoleError};
use crate::routes::{LOGIN_PATH, TOKENS_PATH};

/// Where the login target is written in the audit log.
const CONSOLE_TARGET: &str = "Administration console";

/// How logins end, as counted for the metrics (fixed words only).
fn count_login(outcome: &'static str) {
    metrics::counter!("jetons_login_outcomes_total", "outcome" => outcome).increment(1);
}

fn set_header(name: header::HeaderName, value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        response.append_header(name, value);
    }
}

/// The caller's browser, when its device cookie proves it logged in as `login` before.
fn known_device(console: &Console, login: &str) -> Option<KnownDevice> {
    let value = request_parts()
        .and_then(|parts| ConsoleCookie::Device.read(console.secure_cookies, &parts.headers))?;
    console.device_key.verify(&value, login, console.now())
}

fn session_secret(console: &Console) -> Option<String> {
    request_parts()
        .and_then(|parts| ConsoleCookie::Session.read(console.secure_cookies, &parts.headers))
}

/// The person of the caller's live session, if any; the session counts as used now.
pub(crate) async fn session_person(
    console: &Console,
) -> Result<Option<PersonRecord>, ConsoleError> {
    let Some(secret) = session_secret(console) else {
        return Ok(None);
    };
    console
        .store
        .session_person(&sha256_hex(&secret), console.now(), console.sessions)
        .await
        .map_err(internal)
}

fn accepts_html() -> bool {
    request_parts()
        .and_then(|parts| parts.headers.get(header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().map(|a| a.contains("text/html")).ok())
        .unwrap_or(false)
}

/// A refused login. A plain HTML form post (before WASM loads) is sent back to the form.
fn refuse(error: ConsoleError) -> Result<(), ConsoleError> {
    if accepts_html() {
        if let Some(seconds) = error.retry_after() {
            set_header(header::RETRY_AFTER, &seconds.to_string());
        }
        let reason = match error {
            ConsoleError::TooManyAttempts { .. } => "throttled",
            ConsoleError::NotEmployed => "not_employed",
            ConsoleError::Busy { .. } => "busy",
            _ => "1",
        };
        leptos_axum::redirect(&format!("{LOGIN_PATH}?failed={reason}"));
        return Err(error);
    }
    respond(Err(error))
}

/// A login that matches nobody is not written down: it may be a password typed in the wrong
/// field, or a look-alike of a real login.
fn audit_actor(credentials: Option<&Credentials>) -> String {
    credentials.map_or_else(|| "unknown login".to_owned(), |c| c.person.login.clone())
}

async fn credentials(console: &Console, login: &str) -> Result<Option<Credentials>, ConsoleError> {
    respond(
        console
            .store
            .credentials(login.trim())
            .await
            .map_err(internal),
    )
}

/// A login refused by the throttle; the first refusal of each block is audited.
async fn refuse_throttled(
    console: &Console,
    login: &str,
    blocked: crate::throttle::Blocked,
) -> Result<(), ConsoleError> {
    let retry_after = blocked.retry_after;
    tracing::info!(retry_after, "console login refused: too many failures");
    count_login("throttled");
    if blocked.first {
        let actor = audit_actor(credentials(console, login).await?.as_ref());
        let event = audit(console, AuditAction::LoginThrottled, actor, CONSOLE_TARGET);
        respond(console.store.record_audit(event).await.map_err(internal))?;
    }
    refuse(ConsoleError::TooManyAttempts { retry_after })
}

/// Logs in. Unknown logins and wrong passwords take the same path, argon2 check included.
pub async fn login(login: &str, password: &str) -> Result<(), ConsoleError> {
    let console = respond(console())?;
    let ip = client_ip();
    let began = console.now();
    let device = known_device(&console, login);
    let admitted = respond(
        console
            .login_throttle
            .begin(login, ip, device.as_ref(), began)
            .await
            .map_err(internal),
    )?;
    let attempt = match admitted {
        Ok(attempt) => attempt,
        Err(blocked) => return refuse_throttled(&console, login, blocked).await,
    };
    let credentials = credentials(&console, login).await?;
    let stored = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let attempted = audit_actor(credentials.as_ref());
    let checks = &console.password_checks;
    let Some(verified) = checks.check(stored, password.to_owned()).await else {
        respond(
            console
                .login_throttle
                .abandon(attempt)
                .await
                .map_err(internal),
        )?;
        tracing::warn!("console login refused: every password check slot is busy");
        count_login("busy");
        let retry_after = checks.retry_after();
        return refuse(ConsoleError::Busy { retry_after });
    };
    let person = match (verified, credentials) {
        (true, Some(credentials))
            if super::may_use_console(&console, &credentials.person).is_ok() =>
        {
            credentials.person
        }
        (true, Some(credentials)) => {
            tracing::info!("console login refused: not working in the company today");
            count_login("not_employed");
            let event = audit(
                &console,
                AuditAction::LoginFailed,
                credentials.person.login,
                CONSOLE_TARGET,
            );
            respond(console.store.record_audit(event).await.map_err(internal))?;
            return refuse(ConsoleError::NotEmployed);
        }
        _ => {
            tracing::info!("console login failed");
            count_login("failed");
            let event = audit(
                &console,
                AuditAction::LoginFailed,
                attempted,
                CONSOLE_TARGET,
            );
            respond(console.store.record_audit(event).await.map_err(internal))?;
            return refuse(ConsoleError::InvalidCredentials);
        }
    };
    respond(
        console
            .login_throttle
            .succeed(attempt)
            .await
            .map_err(internal),
    )?;
    if let Some(previous) = session_secret(&console) {
        respond(
            console
                .store
                .delete_session(&sha256_hex(&previous), None)
                .await
                .map_err(internal),
        )?;
    }
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let session = to_hex(&secret);
    let event = audit(
        &console,
        AuditAction::LoginSucceeded,
        person.login.clone(),
        CONSOLE_TARGET,
    );
    respond(
        console
            .store
            .create_session(&sha256_hex(&session), person.id, console.sessions, event)
            .await
            .map_err(internal),
    )?;
    tracing::info!(login = %person.login, "console login succeeded");
    count_login("succeeded");
    metrics::counter!("jetons_sessions_opened_total").increment(1);
    set_header(
        header::SET_COOKIE,
        &ConsoleCookie::Session.set(
            console.secure_cookies,
            &session,
            console.sessions.lifetime.num_seconds(),
        ),
    );
    let mut nonce = [0u8; NONCE_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let proof = console.device_key.issue(login, nonce, began);
    let kept = chrono::Duration::days(DEVICE_COOKIE_DAYS).num_seconds();
    set_header(
        header::SET_COOKIE,
        &ConsoleCookie::Device.set(console.secure_cookies, &proof, kept),
    );
    leptos_axum::redirect(TOKENS_PATH);
    Ok(())
}

pub async fn logout() -> Result<(), ConsoleError> {
    let console = console()?;
    if let Some(secret) = session_secret(&console) {
        let hash = sha256_hex(&secret);
        let event = session_person(&console)
            .await?
            .map(|person| audit(&console, AuditAction::Logout, person.login, CONSOLE_TARGET));
        console
            .store
            .delete_session(&hash, event)
            .await
            .map_err(internal)?;
    }
    set_header(
        header::SET_COOKIE,
        &ConsoleCookie::Session.set(console.secure_cookies, "", 0),
    );
    leptos_axum::redirect(LOGIN_PATH);
    Ok(())
}
