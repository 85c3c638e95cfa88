//! Password checks under a crowd: a hundred concurrent failed logins from a hundred addresses
//! are each answered 401 (checked) or 503 with `Retry-After` (no check slot freed up in
//! time), and the server's memory stays bounded afterwards.

mod support;

use reqwest::header::{ACCEPT, ORIGIN, RETRY_AFTER};
use reqwest::StatusCode;
use support::{TestDb, TestServer};

/// Resident memory allowed after the crowd (the target).
const MAX_RSS_KIB: u64 = 200 * 1024;

#[tokio::test]
async fn a_hundred_concurrent_failed_logins_are_answered_and_leave_memory_bounded() {
    let db = TestDb::new();
    db.seed();
    // Behind a proxy on loopback, each attempt names its own client address.
    let server = TestServer::start_with(&db, &[("JETONS_TRUSTED_PROXIES", "127.0.0.1")]);
    let client = reqwest::Client::new();
    let mut attempts = tokio::task::JoinSet::new();
    for n in 0..100u32 {
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
                assert!(answer.headers().contains_key(RETRY_AFTER));
                busy += 1;
            }
            other => panic!("{other}: {:?}", answer.text().await),
        }
    }
    assert_eq!(checked + busy, 100);
    assert!(checked > 0, "no password was checked");
    let rss = server.rss_kib();
    eprintln!("{checked} checked, {busy} told to come back; resident memory after: {rss} KiB");
    assert!(rss < MAX_RSS_KIB, "{rss} KiB resident after the crowd");
}
