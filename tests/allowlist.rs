//! Address allowlists per token through real HTTP: a token limited to addresses and ranges
//! works only from them (the client address as the server trusts it, here through a trusted
//! proxy's X-Forwarded-For), a change applies at once and is audited, and bad lists are
//! refused entry by entry without changing anything.

use crate::support;

use reqwest::header::AUTHORIZATION;
use reqwest::StatusCode;
use serde_json::Value;
use support::{TestDb, TestServer, ADMIN};

const USER: &str = "svc-billing";

async fn console_behind_proxy() -> (TestDb, TestServer, reqwest::Client) {
    let db = TestDb::new();
    db.seed();
    let server = TestServer::start_with(&db, &[("JETONS_TRUSTED_PROXIES", "127.0.0.1")]);
    let admin = server.login(ADMIN).await;
    (db, server, admin)
}

/// `/api/v1/me` as a call from `client` through the trusted proxy (none: from the proxy).
async fn me_from(server: &TestServer, token: &str, client: Option<&str>) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .get(server.url("/api/v1/me"))
        .header(AUTHORIZATION, format!("Bearer {token}"));
    if let Some(client) = client {
        request = request.header("x-forwarded-for", client);
    }
    let response = request.send().await.expect("me");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn create_limited(
    server: &TestServer,
    admin: &reqwest::Client,
    name: &str,
    allowed: &str,
) -> (StatusCode, Value) {
    let id = server.user_id(admin, USER).await.to_string();
    server
        .call(
            admin,
            "create_token",
            &[
                ("user_id", &id),
                ("name", name),
                ("expiration", ""),
                ("allowed_addresses", allowed),
            ],
        )
        .await
}

const REFUSED: &str = "The token cannot be used from this address.";

#[tokio::test]
async fn a_limited_token_works_only_from_its_addresses_and_ranges() {
    let (_db, server, admin) = console_behind_proxy().await;
    let (status, created) =
        create_limited(&server, &admin, "Limited", "203.0.113.0/24\n2001:db8::1").await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(
        created["row"]["allowed_addresses"], "203.0.113.0/24, 2001:db8::1",
        "{created}"
    );
    let token = created["token"].as_str().expect("token");
    for allowed in [
        "203.0.113.0",
        "203.0.113.255",
        "::ffff:203.0.113.9",
        "2001:db8::1",
    ] {
        let (status, body) = me_from(&server, token, Some(allowed)).await;
        assert_eq!(status, StatusCode::OK, "{allowed}: {body}");
    }
    for refused in [
        Some("203.0.112.255"),
        Some("203.0.114.0"),
        Some("2001:db8::2"),
        None,
    ] {
        let (status, body) = me_from(&server, token, refused).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{refused:?}: {body}");
        assert_eq!(body["error"], "invalid_token", "{body}");
        assert_eq!(body["error_description"], REFUSED, "{body}");
    }
    // The refusals are not guesses: the right address still gets in at once.
    assert_eq!(
        me_from(&server, token, Some("203.0.113.1")).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_change_of_addresses_applies_at_once_and_is_audited() {
    let (_db, server, admin) = console_behind_proxy().await;
    let (token, row) = server.create(&admin, USER, "Anywhere", "").await;
    assert_eq!(row["allowed_addresses"], Value::Null, "{row}");
    assert_eq!(
        me_from(&server, &token, Some("198.51.100.1")).await.0,
        StatusCode::OK
    );

    let id = row["id"].to_string();
    let (status, changed) = server
        .call(
            &admin,
            "set_allowed_addresses",
            &[("id", &id), ("allowed_addresses", "203.0.113.7")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["allowed_addresses"], "203.0.113.7", "{changed}");
    let (status, body) = me_from(&server, &token, Some("198.51.100.1")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(
        me_from(&server, &token, Some("203.0.113.7")).await.0,
        StatusCode::OK
    );

    let (_, page) = server.call(&admin, "audit_log", &[("page", "1")]).await;
    let event = &page["entries"][0];
    assert_eq!(event["action"], "AllowedAddressesChanged", "{event}");
    assert_eq!(event["actor"], "admin", "{event}");
    assert_eq!(
        event["target"],
        format!("{USER} › Anywhere (any address → 203.0.113.7)"),
        "{event}"
    );

    // Empty again: any address.
    let (status, changed) = server
        .call(
            &admin,
            "set_allowed_addresses",
            &[("id", &id), ("allowed_addresses", " ")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["allowed_addresses"], Value::Null, "{changed}");
    assert_eq!(
        me_from(&server, &token, Some("198.51.100.1")).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_lists_are_refused_entry_by_entry_and_change_nothing() {
    let (_db, server, admin) = console_behind_proxy().await;
    let (_, kept) = server.create(&admin, USER, "Kept", "").await;
    let before = server.state(&admin).await;

    let (status, body) =
        create_limited(&server, &admin, "Bad", "10.0.0.0/8, 300.1.1.1\n0.0.0.0/0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "allowed_addresses", "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("“300.1.1.1” is not an IP address"),
        "{message}"
    );
    assert!(
        message.contains("“0.0.0.0/0” allows every address"),
        "{message}"
    );
    assert!(!message.contains("“10.0.0.0/8”"), "{message}");

    let many: Vec<String> = (0..101).map(|i| format!("10.1.{i}.1")).collect();
    let (status, body) = create_limited(&server, &admin, "Many", &many.join(",")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["errors"][0]["message"], "At most 100 addresses or ranges (there are 101).",
        "{body}"
    );

    let id = kept["id"].to_string();
    let (status, body) = server
        .call(
            &admin,
            "set_allowed_addresses",
            &[("id", &id), ("allowed_addresses", "::/0")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = server
        .call(
            &admin,
            "set_allowed_addresses",
            &[("id", "999999"), ("allowed_addresses", "10.0.0.1")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(server.state(&admin).await, before);

    let (status, _) = server.call(&admin, "remove_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = server
        .call(
            &admin,
            "set_allowed_addresses",
            &[("id", &id), ("allowed_addresses", "10.0.0.1")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}
