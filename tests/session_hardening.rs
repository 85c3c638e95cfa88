//! Console sessions, through real HTTP against the real server: idle timeout and absolute
//! lifetime, rotation and logout, cookie attributes, and refusal to start on unsafe session
//! settings. The security headers are in `headers.rs`; login throttling, the bearer API's limits
//! and request size limits are in `limits.rs`.

use crate::support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::Value;
use support::{call_as, plain_client, TestDb, TestServer, ADMIN};
use tokio::time::{sleep, sleep_until, Instant};

static RUNS: AtomicU32 = AtomicU32::new(0);

/// The one session `Set-Cookie` of a response (a login also sets the device cookie).
fn set_cookie(headers: &HeaderMap) -> String {
    let all: Vec<_> = headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter(|value| value.contains("jetons_session="))
        .collect();
    assert_eq!(all.len(), 1, "expected one session Set-Cookie: {all:?}");
    all[0].to_owned()
}

/// `name=value` of a `Set-Cookie`, as a browser sends it back.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The admin's login answer (sending `cookie` if given, like a browser that already has one).
async fn log_admin_in(server: &TestServer, cookie: Option<&str>) -> (StatusCode, HeaderMap, Value) {
    let form = [("login", ADMIN.0), ("password", ADMIN.1)];
    call_as(server, &plain_client(), "login", &form, cookie).await
}

/// Logs the admin in; returns the new session cookie as `name=value`.
async fn login_cookie(server: &TestServer, cookie: Option<&str>) -> String {
    let (status, headers, body) = log_admin_in(server, cookie).await;
    assert_eq!(status, StatusCode::OK, "login: {body}");
    cookie_pair(&set_cookie(&headers))
}

/// `current_admin` with nothing but this cookie (a fresh client: a copied cookie).
async fn whoami(server: &TestServer, cookie: &str) -> (StatusCode, Value) {
    let (status, _, body) =
        call_as(server, &plain_client(), "current_admin", &[], Some(cookie)).await;
    (status, body)
}

fn assert_logged_out(what: &str, (status, body): (StatusCode, Value)) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert_eq!(body["error"], "not_logged_in", "{what}");
}

#[tokio::test]
async fn an_idle_session_ends_and_each_call_keeps_it_alive() {
    let db = TestDb::new().with_env("JETONS_SESSION_IDLE", "2s");
    db.seed();
    let server = db.start();
    let cookie = login_cookie(&server, None).await;
    let logged_in = Instant::now();
    // Last use is kept to the second: calls less than a second apart always find the session
    // fresh, and the last one, 2.4 s after login, only works because each call refreshed it.
    for step in 1..=4u64 {
        sleep_until(logged_in + Duration::from_millis(600 * step)).await;
        let (status, body) = whoami(&server, &cookie).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "call {step}, {} ms after login: {body}",
            600 * step
        );
    }
    // Unused for more than 2 s (whatever the fractions of seconds): the session is over.
    sleep(Duration::from_millis(2500)).await;
    assert_logged_out("after 2.5 s idle", whoami(&server, &cookie).await);
}

#[tokio::test]
async fn a_session_ends_at_its_lifetime_however_active() {
    let db = TestDb::new()
        .with_env("JETONS_SESSION_IDLE", "1h")
        .with_env("JETONS_SESSION_LIFETIME", "3s");
    db.seed();
    let server = db.start();
    let (status, headers, body) = log_admin_in(&server, None).await;
    let logged_in = Instant::now();
    assert_eq!(status, StatusCode::OK, "{body}");
    let set = set_cookie(&headers);
    assert!(set.split("; ").any(|a| a == "Max-Age=3"), "{set}");
    let cookie = cookie_pair(&set);
    // Well inside the lifetime, even with second-rounded timestamps.
    for ms in [800, 1600] {
        sleep_until(logged_in + Duration::from_millis(ms)).await;
        let (status, body) = whoami(&server, &cookie).await;
        assert_eq!(status, StatusCode::OK, "{ms} ms after login: {body}");
    }
    sleep_until(logged_in + Duration::from_millis(3200)).await;
    assert_logged_out("3.2 s after login, active", whoami(&server, &cookie).await);
}

/// An operator who shortens the lifetime (a stolen laptop) ends the sessions already open.
#[tokio::test]
async fn a_shorter_lifetime_applies_to_sessions_already_open() {
    let mut db = TestDb::new();
    db.seed();
    let server = db.start();
    let cookie = login_cookie(&server, None).await;
    assert_eq!(whoami(&server, &cookie).await.0, StatusCode::OK);
    drop(server);
    sleep(Duration::from_millis(2200)).await;
    db.env.push(("JETONS_SESSION_LIFETIME".into(), "1s".into()));
    let server = db.start();
    assert_logged_out(
        "2.2 s after login, the lifetime now 1 s",
        whoami(&server, &cookie).await,
    );
}

#[tokio::test]
async fn login_rotates_the_session_and_logout_ends_it_on_the_server() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let first = login_cookie(&server, None).await;
    assert!(first.starts_with("jetons_session="), "{first}");
    assert_eq!(whoami(&server, &first).await.0, StatusCode::OK);

    // The same browser logs in again: the id it had is replaced, and dies.
    let second = login_cookie(&server, Some(first.as_str())).await;
    assert_ne!(second, first);
    assert_logged_out("the cookie before login", whoami(&server, &first).await);
    assert_eq!(whoami(&server, &second).await.0, StatusCode::OK);

    let (status, headers, body) = call_as(
        &server,
        &plain_client(),
        "logout",
        &[],
        Some(second.as_str()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cleared = set_cookie(&headers);
    assert!(cleared.split("; ").any(|a| a == "Max-Age=0"), "{cleared}");
    // A copy of the cookie kept from before the logout opens nothing.
    assert_logged_out("the cookie after logout", whoami(&server, &second).await);
}

#[tokio::test]
async fn session_cookies_are_secure_host_only_and_strict_by_default() {
    // "" is the variable unset (the server ignores empty values); support sets "false".
    for setting in ["true", ""] {
        let db = TestDb::new().with_env("JETONS_SECURE_COOKIES", setting);
        db.seed();
        let server = db.start();
        let (status, headers, body) = log_admin_in(&server, None).await;
        assert_eq!(status, StatusCode::OK, "{setting:?}: {body}");
        let set = set_cookie(&headers);
        let mut parts = set.split("; ");
        let pair = parts.next().unwrap_or_default().to_owned();
        let attributes: Vec<&str> = parts.collect();
        assert!(
            pair.starts_with("__Host-jetons_session="),
            "{setting:?}: {set}"
        );
        for expected in [
            "Secure",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/",
            "Max-Age=43200",
        ] {
            assert!(
                attributes.contains(&expected),
                "{setting:?}: {expected} missing in {set}"
            );
        }
        assert!(
            !attributes
                .iter()
                .any(|a| a.to_ascii_lowercase().starts_with("domain")),
            "{setting:?}: a __Host- cookie has no Domain: {set}"
        );
        // The device cookie (see login_limits.rs) is host-only and Secure as well.
        let device = headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.contains("jetons_device="))
            .unwrap_or_default();
        assert!(device.starts_with("__Host-jetons_device=v1."), "{device}");
        assert!(
            device.contains("; Secure") && device.contains("; HttpOnly"),
            "{device}"
        );
        assert_eq!(
            whoami(&server, &pair).await.0,
            StatusCode::OK,
            "{setting:?}"
        );
        // Only the __Host- name is read: a plain cookie (which a sibling host or a plain-HTTP
        // page could plant) is not a session.
        let value = pair.split_once('=').map(|(_, v)| v).unwrap_or_default();
        assert_logged_out(
            "the value under the unprefixed name",
            whoami(&server, &format!("jetons_session={value}")).await,
        );
    }
}

enum Start {
    /// Exited with a failure; its stderr.
    Refused(String),
    /// Printed its listening address (then killed).
    Listening,
}

/// Runs `server serve` with support's environment plus `env`, until it either exits (it must
/// fail) or starts listening.
async fn try_serve(db: &TestDb, env: &[(&str, &str)]) -> Start {
    let log = db.dir.join(format!(
        "try-serve-{}.log",
        RUNS.fetch_add(1, Ordering::SeqCst)
    ));
    let support::Started {
        mut child,
        address: rx,
        ..
    } = support::spawn_server(support::serve_command(db, &log).envs(env.iter().copied()));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if rx.try_recv().is_ok() {
            let _ = child.kill();
            let _ = child.wait();
            return Start::Listening;
        }
        if let Some(status) = child.try_wait().expect("wait for the server") {
            let stderr = std::fs::read_to_string(&log).unwrap_or_default();
            assert!(!status.success(), "serve exited successfully: {stderr}");
            return Start::Refused(stderr);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server neither started nor exited within 30 s");
        }
        sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn cookies_without_secure_are_refused_off_loopback() {
    let db = TestDb::new();
    match try_serve(&db, &[("LEPTOS_SITE_ADDR", "0.0.0.0:0")]).await {
        Start::Refused(stderr) => {
            assert!(stderr.contains("JETONS_SECURE_COOKIES"), "{stderr}")
        }
        Start::Listening => panic!("served cookies without Secure on 0.0.0.0"),
    }
    // The same address with Secure cookies starts: the refusal is about the cookies.
    let secure = [
        ("LEPTOS_SITE_ADDR", "0.0.0.0:0"),
        ("JETONS_SECURE_COOKIES", "true"),
    ];
    assert!(
        matches!(try_serve(&db, &secure).await, Start::Listening),
        "Secure cookies on 0.0.0.0 should start"
    );
}

#[tokio::test]
async fn malformed_session_durations_stop_the_server() {
    let db = TestDb::new();
    let bad = [
        ("JETONS_SESSION_IDLE", "30"),
        ("JETONS_SESSION_IDLE", "0m"),
        ("JETONS_SESSION_IDLE", "10d"),
        ("JETONS_SESSION_LIFETIME", "12"),
    ];
    for (name, value) in bad {
        match try_serve(&db, &[(name, value)]).await {
            Start::Refused(stderr) => assert!(stderr.contains(name), "{name}={value}: {stderr}"),
            Start::Listening => panic!("started with {name}={value:?}"),
        }
    }
}
