//! The bearer API's limits, through real HTTP against the real server: refused attempts per
//! client address, and the record of a token's last use. A second client address on loopback
//! is 127.0.0.2 (`local_address`).

use crate::support;

use reqwest::header::{HeaderMap, AUTHORIZATION};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use support::{answer, client_from, retry_after, TestDb, TestServer, ADMIN};

const HOME: &str = "127.0.0.1";
const AWAY: &str = "127.0.0.2";

async fn me_from(
    server: &TestServer,
    client: &Client,
    authorization: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = client.get(server.url("/api/v1/me"));
    if let Some(value) = authorization {
        request = request.header(AUTHORIZATION, value);
    }
    answer(request.send().await.expect("me")).await
}

fn assert_too_many_requests(what: &str, (status, headers, body): (StatusCode, HeaderMap, Value)) {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{what}: {body}");
    assert_eq!(body["error"], "too_many_requests", "{what}");
    retry_after(what, &headers);
}

#[tokio::test]
async fn refused_tokens_lock_an_address_out_of_the_api() {
    let (_db, server, admin) = support::console().await;
    let (token, _) = server
        .create(&admin, "svc-billing", "Throttle probe", "")
        .await;
    let valid = format!("Bearer {token}");
    let home = client_from(HOME);
    // Calls without credentials are not guesses.
    for n in 1..=30 {
        let (status, _, body) = me_from(&server, &home, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "bare call {n}: {body}");
    }
    for n in 1..=20 {
        let (status, _, body) = me_from(&server, &home, Some("Bearer jet_nope")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "guess {n}: {body}");
        assert_eq!(body["error"], "invalid_token", "guess {n}");
    }
    let guess = me_from(&server, &home, Some("Bearer jet_nope")).await;
    assert_too_many_requests("guess 21", guess);
    let good = me_from(&server, &home, Some(valid.as_str())).await;
    assert_too_many_requests("a valid token from the address", good);
    let (status, _, body) = me_from(&server, &client_from(AWAY), Some(valid.as_str())).await;
    assert_eq!(status, StatusCode::OK, "from another address: {body}");
    assert_eq!(body["login"], "svc-billing");
}

#[tokio::test]
async fn a_token_records_its_last_use_at_most_once_a_minute() {
    let db = TestDb::new();
    db.seed();
    let token = {
        let server = db.start_at("2026-11-28T10:15:30Z");
        let admin = server.login(ADMIN).await;
        let (token, row) = server
            .create(&admin, "svc-billing", "Usage probe", "2026-12-31")
            .await;
        assert_eq!(row["last_used"], Value::Null);
        assert_eq!(row["last_used_from"], Value::Null);
        let bearer = format!("Bearer {token}");
        let (status, _, body) = me_from(&server, &client_from(HOME), Some(bearer.as_str())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let row = server.tokens(&admin).await[0].clone();
        assert_eq!(row["last_used"], "2026-11-28 10:15", "{row}");
        assert_eq!(row["last_used_from"], "127.0.0.1", "{row}");
        // Within the minute: accepted, not recorded again.
        let (status, _, body) = me_from(&server, &client_from(AWAY), Some(bearer.as_str())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(server.tokens(&admin).await[0], row);
        token
    };
    let server = db.start_at("2026-11-28T10:17:00Z");
    let admin = server.login(ADMIN).await;
    let bearer = format!("Bearer {token}");
    let (status, _, body) = me_from(&server, &client_from(AWAY), Some(bearer.as_str())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let row = server.tokens(&admin).await[0].clone();
    assert_eq!(row["last_used"], "2026-11-28 10:17", "{row}");
    assert_eq!(row["last_used_from"], "127.0.0.2", "{row}");
}
