//! People leave; rights end. Console access needs right 090201 and employment today, at
//! login and on every request; the operator CLI takes rights and passwords away, and any
//! change to a person ends that person's console sessions at once.

use crate::support;

use std::time::Duration;

use reqwest::StatusCode;
use support::{TestDb, TestServer, ADMIN};

const LEAVER: (&str, &str) = ("leaver", "leaver-password-1");

/// The seeded people, and an administrator employed until `until` (`None`: no end).
fn with_leaver(db: &TestDb, until: Option<&str>) {
    db.seed();
    let until = until.map_or_else(String::new, |day| format!(" --employed-until {day}"));
    db.cli_ok(
        &format!(
            "user add --login {} --name 'Lea Leaver' --right 090201 --employed-from 2020-01-01{until} \
             --password-stdin",
            LEAVER.0
        ),
        Some(LEAVER.1),
    );
}

/// A login attempt's status and answer.
async fn try_login(server: &TestServer, who: (&str, &str)) -> (StatusCode, serde_json::Value) {
    server
        .call(
            &server.client(),
            "login",
            &[("login", who.0), ("password", who.1)],
        )
        .await
}

#[tokio::test]
async fn an_administrator_who_has_left_cannot_log_in() {
    let db = TestDb::new();
    with_leaver(&db, Some("2021-12-31"));
    let server = db.start();
    let (status, body) = try_login(&server, LEAVER).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "not_employed", "{body}");
    let admin = server.login(ADMIN).await;
    let (_, log) = server.call(&admin, "audit_log", &[("page", "1")]).await;
    let entries = log["entries"].as_array().cloned().unwrap_or_default();
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "LoginFailed" && e["actor"] == LEAVER.0),
        "{log}"
    );
}

#[tokio::test]
async fn a_session_stops_working_when_the_employment_ends_at_midnight() {
    let db = TestDb::new().with_env("JETONS_TIME_ZONE", "Europe/Paris");
    // The last working day is 2026-11-30; it is 23:59:58 in Paris, and the clock runs.
    with_leaver(&db, Some("2026-11-30"));
    let server = TestServer::start_with(&db, &support::BEFORE_MIDNIGHT_IN_PARIS);
    let leaver = server.login(LEAVER).await;
    let (status, body) = server.call(&leaver, "list_tokens", &[]).await;
    assert_eq!(status, StatusCode::OK, "on the last day: {body}");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let (status, body) = server.call(&leaver, "list_tokens", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the day after: {body}");
    assert_eq!(body["error"], "not_employed", "{body}");
}

#[tokio::test]
async fn the_cli_takes_a_right_away_and_ends_the_sessions_at_once() {
    let db = TestDb::new();
    with_leaver(&db, None);
    let server = db.start();
    let leaver = server.login(LEAVER).await;
    let admin = server.login(ADMIN).await;
    let total = server.audit_total(&admin).await;
    assert_eq!(
        server.call(&leaver, "list_tokens", &[]).await.0,
        StatusCode::OK
    );

    let out = db.cli_ok("user set --login leaver --revoke-right 090201", None);
    assert!(out.contains("1 console session ended"), "{out}");
    let (status, body) = server.call(&leaver, "list_tokens", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    // Logging in again works, but the console is closed without the right.
    let leaver = server.login(LEAVER).await;
    let (status, body) = server.call(&leaver, "list_tokens", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "forbidden", "{body}");

    db.cli_ok("user set --login leaver --right 090201", None);
    let leaver = server.login(LEAVER).await;
    assert_eq!(
        server.call(&leaver, "list_tokens", &[]).await.0,
        StatusCode::OK
    );

    db.cli_ok("user set --login leaver --no-password", None);
    assert_eq!(
        server.call(&leaver, "list_tokens", &[]).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = try_login(&server, LEAVER).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    // Three changes, three logins (one refused), each written down.
    let (_, log) = server.call(&admin, "audit_log", &[("page", "1")]).await;
    let changes: Vec<String> = log["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|e| e["action"] == "UserChanged")
        .map(|e| e["target"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert!(
        changes.iter().any(|c| c.contains("right 090201 revoked")),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|c| c.contains("right 090201 granted")),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|c| c.contains("password cleared")),
        "{changes:?}"
    );
    assert!(server.audit_total(&admin).await >= total + 6);
}

#[tokio::test]
async fn disabling_a_technical_user_stops_its_tokens_and_refuses_bad_input() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let admin = server.login(ADMIN).await;
    let (token, _) = server
        .create(&admin, "svc-billing", "Disabled soon", "")
        .await;
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
    let out = db.cli_ok("user set --login svc-billing --disable", None);
    let changed = std::time::Instant::now();
    assert!(out.contains("disabled"), "{out}");
    let (status, _, body) = server.me_once_stopped(&token, changed, "disabled").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    // The admin's own session was not touched by a change to someone else.
    assert_eq!(
        server.call(&admin, "list_tokens", &[]).await.0,
        StatusCode::OK
    );

    for (line, says) in [
        ("user set --login admin --right 9", "six digits"),
        ("user set --login admin --revoke-right x90201", "six digits"),
        (
            "user set --login admin --disable --right 090201",
            "--disable",
        ),
        ("user set --login ghost --no-password", "no person"),
    ] {
        let out = db.cli(line, None);
        assert!(!out.status.success(), "{line} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{line}: {err}");
    }
    assert_eq!(
        server.call(&admin, "list_tokens", &[]).await.0,
        StatusCode::OK
    );
}
