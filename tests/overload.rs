//! Password checks under a crowd: concurrent failed logins from as many addresses are each
//! answered 401 (checked) or `503 busy` with `Retry-After` (no check slot freed up in time,
//! which a test provokes with one slot and a second's wait), and the server's memory stays
//! bounded afterwards.

use crate::support;

use reqwest::header::{ACCEPT, ORIGIN, RETRY_AFTER};
use reqwest::StatusCode;
use support::{TestDb, TestServer};

/// Resident memory allowed after the crowd (the target).
const MAX_RSS_KIB: u64 = 200 * 1024;

/// `count` concurrent failed logins, each from its own address (behind a proxy on loopback):
/// how many were checked (401) and how many were told to come back (503 with `Retry-After`).
async fn crowd(server: &TestServer, count: u32) -> (u32, u32) {
    let client = reqwest::Client::new();
    let mut attempts = tokio::task::JoinSet::new();
    for n in 0..count {
        let request = client
            .post(server.url("/api/login"))
            .header(ORIGIN, &server.base)
            .header(ACCEPT, "application/json")
            .header(
                "X-Forwarded-For",
                format!("10.1.{}.{}", n / 200, n % 200 + 1),
            )
            .form(&[
                ("login", format!("nobody-{n}").as_str()),
                ("password", "not-it"),
            ]);
        attempts.spawn(async move { request.send().await });
    }
    let (mut checked, mut busy) = (0, 0);
    while let Some(answer) = attempts.join_next().await {
        let answer = answer.expect("task").expect("an answer");
        match answer.status() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                let wait = answer.headers().get(RETRY_AFTER).cloned();
                let body = answer.text().await.unwrap_or_default();
                assert!(body.contains("\"busy\""), "{body}");
                assert!(wait.is_some(), "no Retry-After: {body}");
                busy += 1;
            }
            other => panic!("{other}: {:?}", answer.text().await),
        }
    }
    assert_eq!(checked + busy, count);
    (checked, busy)
}

#[tokio::test]
async fn a_hundred_concurrent_failed_logins_are_answered_and_leave_memory_bounded() {
    let db = TestDb::new();
    db.seed();
    let server = TestServer::start_with(&db, &[("JETONS_TRUSTED_PROXIES", "127.0.0.1")]);
    let (checked, busy) = crowd(&server, 100).await;
    assert!(checked > 0, "no password was checked");
    let rss = server.rss_kib();
    eprintln!("{checked} checked, {busy} told to come back; resident memory after: {rss} KiB");
    assert!(rss < MAX_RSS_KIB, "{rss} KiB resident after the crowd");
}

#[tokio::test]
async fn a_login_that_finds_no_check_slot_in_time_is_told_to_come_back() {
    let db = TestDb::new();
    db.seed();
    // One check at a time, a second's wait: two hundred checks of a few milliseconds each
    // cannot all start within it.
    let server = TestServer::start_with(
        &db,
        &[
            ("JETONS_TRUSTED_PROXIES", "127.0.0.1"),
            ("JETONS_PASSWORD_CHECKS", "1"),
            ("JETONS_PASSWORD_CHECK_WAIT", "1s"),
            ("JETONS_LOGIN_FAILURES_PER_MINUTE", "1000"),
        ],
    );
    let (checked, busy) = crowd(&server, 200).await;
    eprintln!("{checked} checked, {busy} told to come back");
    assert!(checked > 0, "no password was checked");
    assert!(busy > 0, "every login found a check slot in time");
    // The server is not left busy: the administrator gets in right after.
    server.login(support::ADMIN).await;
}
