//! `POST /api/v1/revoke` (RFC 7009) through real HTTP: whoever holds a token stops it at once,
//! with no session and from any origin; the answer never tells whether a token was known;
//! bad requests change nothing; the endpoint is rate-limited per address.

use crate::support;

use reqwest::header::{CONTENT_TYPE, ORIGIN, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::Value;
use support::TestServer;

const USER: &str = "svc-billing";

async fn revoke(server: &TestServer, body: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(server.url("/api/v1/revoke"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .expect("revoke");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn newest_event(server: &TestServer, admin: &reqwest::Client) -> Value {
    let (status, page) = server.call(admin, "audit_log", &[("page", "1")]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["entries"][0].clone()
}

#[tokio::test]
async fn the_holder_revokes_a_token_which_stops_at_once_and_is_shown_and_audited() {
    let (_db, server, admin) = support::console().await;
    let (token, row) = server.create(&admin, USER, "Leaked", "").await;
    assert_eq!(server.me(&token).await.0, StatusCode::OK);

    // From another site, without any cookie: the token is the credential.
    let response = reqwest::Client::new()
        .post(server.url("/api/v1/revoke"))
        .header(ORIGIN, "https://scanner.example")
        .form(&[
            ("token", token.as_str()),
            ("token_type_hint", "access_token"),
        ])
        .send()
        .await
        .expect("revoke");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );

    let (status, _, body) = server.me(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error_description"], "The token has been removed.");

    let shown = server
        .tokens(&admin)
        .await
        .into_iter()
        .find(|r| r["id"] == row["id"])
        .expect("the row stays");
    assert_eq!(shown["status"], "Removed", "{shown}");
    assert_eq!(shown["removal_reason"], "Holder", "{shown}");
    assert_eq!(shown["removed_on"], support::today().as_str(), "{shown}");

    let event = newest_event(&server, &admin).await;
    assert_eq!(event["action"], "TokenRevokedByHolder", "{event}");
    assert_eq!(event["actor"], "token holder", "{event}");
    assert_eq!(event["client"], "127.0.0.1", "{event}");
    assert_eq!(event["target"], format!("{USER} › Leaked"), "{event}");

    // Again: the same answer, and nothing more happens.
    let total = server.audit_total(&admin).await;
    assert_eq!(
        revoke(&server, &format!("token={token}")).await.0,
        StatusCode::OK
    );
    assert_eq!(server.audit_total(&admin).await, total);
}

#[tokio::test]
async fn unknown_and_malformed_tokens_get_the_same_answer_and_change_nothing() {
    let (_db, server, admin) = support::console().await;
    let (token, _) = server.create(&admin, USER, "Kept", "").await;
    // Well formed, and once ours: deleted since.
    let (unknown, gone) = server.create(&admin, USER, "Gone", "").await;
    let (status, body) = server
        .call(&admin, "delete_token", &[("id", &gone["id"].to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let before = server.state(&admin).await;
    for body in [
        format!("token={unknown}"),
        "token=jet_notatoken".to_owned(),
        "token=".to_owned(),
        "token=%20".to_owned(),
    ] {
        let (status, answer) = revoke(&server, &body).await;
        assert_eq!(status, StatusCode::OK, "{body}: {answer}");
    }
    assert_eq!(server.state(&admin).await, before);
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
}

#[tokio::test]
async fn requests_without_exactly_one_token_field_are_refused_and_change_nothing() {
    let (_db, server, admin) = support::console().await;
    let (token, _) = server.create(&admin, USER, "Kept", "").await;
    let before = server.state(&admin).await;
    for body in [
        String::new(),
        "hint=x".to_owned(),
        format!("token={token}&token={token}"),
    ] {
        let (status, answer) = revoke(&server, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}: {answer}");
        assert_eq!(answer["error"], "invalid_request", "{answer}");
    }
    let as_json = reqwest::Client::new()
        .post(server.url("/api/v1/revoke"))
        .json(&serde_json::json!({ "token": token }))
        .send()
        .await
        .expect("revoke");
    assert_eq!(as_json.status(), StatusCode::BAD_REQUEST);
    let answer: Value = as_json.json().await.unwrap_or(Value::Null);
    assert!(
        answer["error_description"]
            .as_str()
            .unwrap_or_default()
            .contains("application/x-www-form-urlencoded"),
        "{answer}"
    );
    assert_eq!(server.state(&admin).await, before);
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
}

#[tokio::test]
async fn one_address_is_limited_to_sixty_requests_a_minute() {
    let (_db, server, _admin) = support::console().await;
    for i in 0..60 {
        let (status, answer) = revoke(&server, "token=jet_unknown").await;
        assert_eq!(status, StatusCode::OK, "request {i}: {answer}");
    }
    let response = reqwest::Client::new()
        .post(server.url("/api/v1/revoke"))
        .form(&[("token", "jet_unknown")])
        .send()
        .await
        .expect("revoke");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(answer["error"], "too_many_requests", "{answer}");
}
