//! The bearer check's memory: validated tokens are served without the database, and every way
//! a token can stop reaches it at once on the instance that made the change and within a
//! second elsewhere (the CLI is another process; a second server is another instance).

use crate::support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use support::{TestDb, TestServer, ADMIN};

async fn refused_within_bound(server: &TestServer, token: &str, since: Instant, what: &str) {
    let (status, _, body) = server.me_once_stopped(token, since, what).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert_eq!(body["error"], "invalid_token", "{what}: {body}");
}

/// Two calls: the first fills the server's cache, the second is served from it.
async fn accepted_twice(server: &TestServer, token: &str, what: &str) {
    for n in 1..=2 {
        let (status, _, body) = server.me(token).await;
        assert_eq!(status, StatusCode::OK, "{what} (call {n}): {body}");
    }
}

#[tokio::test]
async fn remove_and_delete_stop_a_cached_token_at_once() {
    let (_db, server, admin) = support::console().await;
    let (removed, removed_row) = server.create(&admin, "svc-billing", "To remove", "").await;
    let (deleted, deleted_row) = server.create(&admin, "svc-billing", "To delete", "").await;
    accepted_twice(&server, &removed, "before Remove").await;
    accepted_twice(&server, &deleted, "before Delete").await;

    let (status, body) = server
        .call(
            &admin,
            "remove_token",
            &[("id", &removed_row["id"].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = server.me(&removed).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "right after Remove: {body}"
    );
    assert_eq!(body["error_description"], "The token has been removed.");

    let (status, body) = server
        .call(
            &admin,
            "delete_token",
            &[("id", &deleted_row["id"].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = server.me(&deleted).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "right after Delete: {body}"
    );
    assert_eq!(body["error_description"], "The token is not valid.");
}

async fn cli_changes_stop_cached_tokens(db: TestDb) {
    db.seed();
    let server = db.start();
    let admin = server.login(ADMIN).await;
    let (token, _) = server.create(&admin, "svc-billing", "CLI probe", "").await;

    accepted_twice(&server, &token, "before the owner stops being technical").await;
    let at = db.cli_change("user set --login svc-billing --technical false");
    refused_within_bound(&server, &token, at, "owner no longer technical").await;
    db.cli_ok("user set --login svc-billing --technical true", None);

    accepted_twice(&server, &token, "before the owner leaves").await;
    let at = db.cli_change("user set --login svc-billing --employed-until 2021-01-01");
    refused_within_bound(&server, &token, at, "owner no longer employed").await;
    db.cli_ok("user set --login svc-billing --employed-until none", None);

    accepted_twice(&server, &token, "before the flag is disabled").await;
    let at = db.cli_change("flag disable Technique 'Jetons Api'");
    refused_within_bound(&server, &token, at, "feature flag disabled").await;
    db.cli_ok("flag enable Technique 'Jetons Api'", None);
    accepted_twice(&server, &token, "after the flag is enabled again").await;
}

#[tokio::test]
async fn cli_changes_stop_cached_tokens_within_a_second_on_sqlite() {
    cli_changes_stop_cached_tokens(TestDb::sqlite()).await;
}

#[tokio::test]
async fn cli_changes_stop_cached_tokens_within_a_second_on_postgresql() {
    cli_changes_stop_cached_tokens(TestDb::postgres()).await;
}

#[tokio::test]
async fn a_cached_token_stops_at_midnight_of_its_expiration_day() {
    let db = TestDb::new().with_env("JETONS_TIME_ZONE", "Europe/Paris");
    db.seed();
    // 23:59:58 in Paris on 2026-11-30, and the clock runs on from there.
    let server = TestServer::start_with(&db, &support::BEFORE_MIDNIGHT_IN_PARIS);
    let admin = server.login(ADMIN).await;
    let (token, row) = server
        .create(&admin, "svc-billing", "Until midnight", "")
        .await;
    assert_eq!(row["expires_on"], "2026-11-30");
    let (status, _, body) = server.me(&token).await;
    assert_eq!(status, StatusCode::OK, "before midnight: {body}");

    tokio::time::sleep(Duration::from_millis(2500)).await;
    let (status, _, body) = server.me(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "after midnight: {body}");
    assert_eq!(body["error_description"], "The token has expired.");
}

fn well_formed_unknown_token(n: u32) -> String {
    let mut entropy = [0u8; app::domain::token::ENTROPY_BYTES];
    entropy[..4].copy_from_slice(&n.to_le_bytes());
    entropy[4] = 0xA5;
    app::domain::TokenSecret::from_entropy(entropy).into_exposed()
}

#[tokio::test]
async fn a_burst_of_unknown_tokens_reaches_the_database_at_most_twenty_times() {
    let (_db, server, _admin) = support::console().await;
    let client = support::plain_client();
    let mut calls = tokio::task::JoinSet::new();
    for n in 0..1000 {
        let request = client
            .get(server.url("/api/v1/me"))
            .bearer_auth(well_formed_unknown_token(n));
        calls.spawn(async move { request.send().await.map(|r| r.status()) });
    }
    let statuses: Vec<StatusCode> = calls
        .join_all()
        .await
        .into_iter()
        .map(|s| s.expect("answer"))
        .collect();
    let looked_up = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(looked_up + throttled, 1000, "{statuses:?}");
    assert!(
        looked_up <= 20,
        "{looked_up} unknown tokens reached the database"
    );
    assert!(looked_up >= 1, "nothing was looked up: {statuses:?}");
}

#[tokio::test]
async fn two_instances_on_one_postgresql_share_sessions_tokens_and_revocations() {
    let db = TestDb::postgres();
    db.seed();
    let one = db.start();
    let two = db.start();
    // Both listen on 127.0.0.1: the session cookie from one goes to the other too.
    let admin = one.login(ADMIN).await;
    assert_eq!(two.call(&admin, "list_tokens", &[]).await.0, StatusCode::OK);

    let (removed, removed_row) = one
        .create(&admin, "svc-billing", "Removed on one", "")
        .await;
    let (deleted, deleted_row) = one
        .create(&admin, "svc-billing", "Deleted on one", "")
        .await;
    accepted_twice(&two, &removed, "created on one, used on two").await;
    accepted_twice(&two, &deleted, "created on one, used on two").await;

    let (status, _) = one
        .call(
            &admin,
            "remove_token",
            &[("id", &removed_row["id"].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    refused_within_bound(&two, &removed, Instant::now(), "removed on one").await;
    let (status, _) = one
        .call(
            &admin,
            "delete_token",
            &[("id", &deleted_row["id"].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    refused_within_bound(&two, &deleted, Instant::now(), "deleted on one").await;

    let (token, _) = two.create(&admin, "svc-billing", "Used on both", "").await;
    accepted_twice(&one, &token, "on one").await;
    accepted_twice(&two, &token, "on two").await;
    let at = db.cli_change("user set --login svc-billing --technical false");
    refused_within_bound(&one, &token, at, "owner ineligible, on one").await;
    refused_within_bound(&two, &token, at, "owner ineligible, on two").await;
    db.cli_ok("user set --login svc-billing --technical true", None);
    accepted_twice(&one, &token, "on one").await;
    accepted_twice(&two, &token, "on two").await;
    let at = db.cli_change("flag disable Technique 'Jetons Api'");
    refused_within_bound(&one, &token, at, "flag disabled, on one").await;
    refused_within_bound(&two, &token, at, "flag disabled, on two").await;
}

#[tokio::test]
async fn parallel_first_calls_with_a_valid_token_are_one_lookup_not_many_guesses() {
    let (_db, server, admin) = support::console().await;
    let (token, _) = server.create(&admin, "svc-billing", "Parallel", "").await;
    let client = support::plain_client();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let request = client.get(server.url("/api/v1/me")).bearer_auth(&token);
        calls.spawn(async move { request.send().await.map(|r| r.status()) });
    }
    for status in calls.join_all().await {
        assert_eq!(status.expect("answer"), StatusCode::OK);
    }
}

// Several workers: the relay keeps running while the test waits for the server synchronously.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_cannot_hear_changes_stops_trusting_its_cache() {
    let db = TestDb::postgres();
    db.seed();
    let (relay, through_relay) = support::relay::Relay::in_front_of(&db).await;
    let server = TestServer::start_with(&db, &[("DATABASE_URL", &through_relay)]);
    let admin = server.login(ADMIN).await;
    let (token, _) = server
        .create(&admin, "svc-billing", "Behind a relay", "")
        .await;
    accepted_twice(&server, &token, "before the cut").await;

    // The server loses its database (and with it the change feed); the CLI, connected
    // directly, removes the token meanwhile. The cached token must not outlive the bound.
    relay.cut();
    let at = db.cli_change("user set --login svc-billing --technical false");
    let (status, _, body) = server.me_once_stopped(&token, at, "change feed cut").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");

    relay.restore();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, _, body) = server.me(&token).await;
        if status == StatusCode::UNAUTHORIZED {
            assert_eq!(body["error"], "invalid_token", "{body}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never recovered: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
