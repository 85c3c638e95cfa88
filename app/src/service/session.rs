//! Console sessions: log in (argon2id, throttled, session id rotated, only its hash stored)
//! and log out. The edge turns a [`LoggedIn`] into cookies.

use std::fmt;

use rand::RngCore;

use super::audit::audit;
use super::{internal, may_use_console, session_holder, Caller};
use crate::backend::{Console, Credentials};
use crate::domain::device::{KnownDevice, NONCE_BYTES};
use crate::domain::token::{sha256_hex, to_hex};
use crate::model::{AuditAction, ConsoleError};
use crate::throttle::Blocked;

/// Where the login target is written in the audit log.
const CONSOLE_TARGET: &str = "Administration console";

/// A login that succeeded: the new session's id, and the proof that this browser logged in
/// (its device cookie). `Debug` never shows them.
pub struct LoggedIn {
    pub session: String,
    pub device: String,
}

impl fmt::Debug for LoggedIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoggedIn { .. }")
    }
}

/// How logins end, as counted for the metrics (fixed words only).
fn count_login(outcome: &'static str) {
    metrics::counter!("jetons_login_outcomes_total", "outcome" => outcome).increment(1);
}

/// The caller's browser, when its device cookie proves it logged in as `login` before.
fn known_device(console: &Console, caller: &Caller, login: &str) -> Option<KnownDevice> {
    let value = caller.device.as_deref()?;
    console.device_key.verify(value, login, console.now())
}

/// A login that matches nobody is not written down: it may be a password typed in the wrong
/// field, or a look-alike of a real login.
fn audit_actor(credentials: Option<&Credentials>) -> String {
    credentials.map_or_else(|| "unknown login".to_owned(), |c| c.person.login.clone())
}

async fn credentials(console: &Console, login: &str) -> Result<Option<Credentials>, ConsoleError> {
    console
        .store
        .credentials(login.trim())
        .await
        .map_err(internal)
}

/// The login failed: counted as `outcome`, audited as failed by `actor`, refused with `error`.
async fn failed(
    console: &Console,
    caller: &Caller,
    outcome: &'static str,
    actor: String,
    error: ConsoleError,
) -> Result<LoggedIn, ConsoleError> {
    count_login(outcome);
    let event = audit(
        console,
        caller,
        AuditAction::LoginFailed,
        actor,
        CONSOLE_TARGET,
    );
    console.store.record_audit(event).await.map_err(internal)?;
    Err(error)
}

/// A login refused by the throttle; the first refusal of each block is audited.
async fn refuse_throttled(
    console: &Console,
    caller: &Caller,
    login: &str,
    blocked: Blocked,
) -> Result<LoggedIn, ConsoleError> {
    let retry_after = blocked.retry_after;
    tracing::info!(retry_after, "console login refused: too many failures");
    count_login("throttled");
    if blocked.first {
        let actor = audit_actor(credentials(console, login).await?.as_ref());
        let event = audit(
            console,
            caller,
            AuditAction::LoginThrottled,
            actor,
            CONSOLE_TARGET,
        );
        console.store.record_audit(event).await.map_err(internal)?;
    }
    Err(ConsoleError::TooManyAttempts { retry_after })
}

/// Logs in. Unknown logins and wrong passwords take the same path, argon2 check included.
pub async fn login(
    console: &Console,
    caller: &Caller,
    login: &str,
    password: &str,
) -> Result<LoggedIn, ConsoleError> {
    let began = console.now();
    let device = known_device(console, caller, login);
    let admitted = console
        .login_throttle
        .begin(login, caller.client, device.as_ref(), began)
        .await
        .map_err(internal)?;
    let attempt = match admitted {
        Ok(attempt) => attempt,
        Err(blocked) => return refuse_throttled(console, caller, login, blocked).await,
    };
    let credentials = credentials(console, login).await?;
    let stored = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let checks = &console.password_checks;
    let Some(verified) = checks.check(stored, password.to_owned()).await else {
        console
            .login_throttle
            .abandon(attempt)
            .await
            .map_err(internal)?;
        tracing::warn!("console login refused: every password check slot is busy");
        count_login("busy");
        return Err(ConsoleError::Busy {
            retry_after: checks.retry_after(),
        });
    };
    let person = match credentials {
        Some(credentials) if verified => credentials.person,
        credentials => {
            tracing::info!("console login failed");
            let actor = audit_actor(credentials.as_ref());
            return failed(
                console,
                caller,
                "failed",
                actor,
                ConsoleError::InvalidCredentials,
            )
            .await;
        }
    };
    if may_use_console(console, &person).is_err() {
        tracing::info!("console login refused: not working in the company today");
        let error = ConsoleError::NotEmployed;
        return failed(console, caller, "not_employed", person.login, error).await;
    }
    console
        .login_throttle
        .succeed(attempt)
        .await
        .map_err(internal)?;
    if let Some(previous) = &caller.session {
        console
            .store
            .delete_session(&sha256_hex(previous), None)
            .await
            .map_err(internal)?;
    }
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let session = to_hex(&secret);
    let event = audit(
        console,
        caller,
        AuditAction::LoginSucceeded,
        person.login.clone(),
        CONSOLE_TARGET,
    );
    console
        .store
        .create_session(&sha256_hex(&session), person.id, console.sessions, event)
        .await
        .map_err(internal)?;
    tracing::info!(login = %person.login, "console login succeeded");
    count_login("succeeded");
    metrics::counter!("jetons_sessions_opened_total").increment(1);
    let mut nonce = [0u8; NONCE_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    Ok(LoggedIn {
        session,
        device: console.device_key.issue(login, nonce, began),
    })
}

/// Ends the caller's session, if it has one (and records the logout if it was live).
pub async fn logout(console: &Console, caller: &Caller) -> Result<(), ConsoleError> {
    let Some(secret) = &caller.session else {
        return Ok(());
    };
    let event = session_holder(console, caller).await?.map(|holder| {
        audit(
            console,
            caller,
            AuditAction::Logout,
            holder.person.login,
            CONSOLE_TARGET,
        )
    });
    console
        .store
        .delete_session(&sha256_hex(secret), event)
        .await
        .map_err(internal)
}
