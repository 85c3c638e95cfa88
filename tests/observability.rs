//! What an operator watches: Prometheus metrics on their own address, one request id per
//! request (in its log lines and in `X-Request-Id`), and JSON logs on demand.

use crate::support;

use reqwest::header::{ACCEPT, ORIGIN};
use reqwest::StatusCode;
use support::{TestDb, TestServer, ADMIN};

/// A loopback port free right now.
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    probe.local_addr().expect("addr").port()
}

/// A failed login with its response's request id.
async fn failed_login(server: &TestServer, request_id: Option<&str>) -> String {
    let mut request = support::plain_client()
        .post(server.url("/api/login"))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .form(&[("login", ADMIN.0), ("password", "not-the-password")]);
    if let Some(id) = request_id {
        request = request.header("X-Request-Id", id);
    }
    let response = request.send().await.expect("login");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    response.headers()["x-request-id"]
        .to_str()
        .expect("an id")
        .to_owned()
}

#[tokio::test]
async fn metrics_count_requests_and_outcomes_on_their_own_address_and_name_no_one() {
    let db = TestDb::new();
    db.seed();
    let port = free_port();
    let server = TestServer::start_with(
        &db,
        &[("JETONS_METRICS_ADDR", &format!("127.0.0.1:{port}"))],
    );
    let admin = server.login(ADMIN).await;
    let (token, _) = server.create(&admin, "svc-billing", "Watched", "").await;
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
    let mistyped = format!(
        "{}{}",
        &token[..token.len() - 1],
        if token.ends_with('A') { 'B' } else { 'A' }
    );
    assert_eq!(server.me(&mistyped).await.0, StatusCode::UNAUTHORIZED);
    failed_login(&server, None).await;

    let scrape = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .expect("metrics");
    assert_eq!(scrape.status(), StatusCode::OK);
    let text = scrape.text().await.expect("text");
    for expected in [
        r#"jetons_bearer_outcomes_total{outcome="valid"} 1"#,
        r#"jetons_bearer_outcomes_total{outcome="checksum"} 1"#,
        r#"jetons_login_outcomes_total{outcome="succeeded"} 1"#,
        r#"jetons_login_outcomes_total{outcome="failed"} 1"#,
        "jetons_sessions_opened_total 1",
        r#"jetons_http_requests_total{class="api",status="200"} 1"#,
        r#"jetons_http_requests_total{class="server_function",status="200"}"#,
        r#"jetons_http_request_duration_seconds_bucket{class="api",le="0.01"}"#,
        r#"jetons_db_pool_connections{state="idle"}"#,
        r#"jetons_db_pool_connections{state="in_use"}"#,
    ] {
        assert!(text.contains(expected), "no {expected} in:\n{text}");
    }
    for secret in [
        token.as_str(),
        "admin",
        "svc-billing",
        "127.0.0.1",
        "Watched",
    ] {
        assert!(!text.contains(secret), "the metrics name {secret:?}");
    }
    // Not on the console's own address.
    let console = support::plain_client()
        .get(server.url("/metrics"))
        .send()
        .await
        .expect("console");
    assert_ne!(console.status(), StatusCode::OK);
}

#[tokio::test]
async fn each_request_has_an_id_in_its_answer_and_its_log_lines() {
    let db = TestDb::new();
    db.seed();
    // The test client stands for a trusted reverse proxy on loopback.
    let trusted = TestServer::start_with(&db, &[("JETONS_TRUSTED_PROXIES", "127.0.0.1")]);
    let given = failed_login(&trusted, Some("edge-7f3a.1")).await;
    assert_eq!(given, "edge-7f3a.1");
    let fresh = failed_login(&trusted, Some("bad id with spaces")).await;
    assert!(
        fresh.len() == 32 && fresh.bytes().all(|b| b.is_ascii_hexdigit()),
        "{fresh}"
    );
    let logs = trusted.logs();
    let line = logs
        .lines()
        .find(|line| line.contains("console login failed") && line.contains("edge-7f3a.1"))
        .unwrap_or_else(|| panic!("no log line of that request carries its id:\n{logs}"));
    assert!(line.contains("request"), "{line}");

    // From an untrusted peer, the client's id is not taken.
    let untrusted = TestServer::start_with(&db, &[]);
    let own = failed_login(&untrusted, Some("edge-7f3a.1")).await;
    assert_ne!(own, "edge-7f3a.1");
}

#[tokio::test]
async fn logs_can_be_json_one_object_per_line() {
    let db = TestDb::new();
    db.seed();
    let server =
        TestServer::start_with(&db, &[("JETONS_LOG_FORMAT", "json"), ("RUST_LOG", "info")]);
    let id = failed_login(&server, None).await;
    let logs = server.logs();
    let mut found = false;
    for line in logs.lines().filter(|line| !line.trim().is_empty()) {
        let event: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        if event["fields"]["message"] == "console login failed" {
            assert_eq!(event["span"]["id"], id.as_str(), "{line}");
            found = true;
        }
    }
    assert!(found, "no login failure in:\n{logs}");
    let refused = TestDb::new().with_env("JETONS_LOG_FORMAT", "xml");
    let out = refused.cli("migrate", None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JETONS_LOG_FORMAT"));
}
