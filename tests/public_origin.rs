//! `JETONS_PUBLIC_ORIGIN`: the console answers only at that origin. Another `Host` gets 421,
//! a state-changing request must carry exactly that `Origin` (scheme included), cookies are
//! `Secure`, and `Strict-Transport-Security` is sent. Health checks pass by address.

use crate::support;

use serde_json::Value;
use support::{TestDb, TestServer, ADMIN};

const PUBLIC: &str = "https://console.example.com";

/// One request over a bare connection; returns the status, the head and the body.
async fn exchange(server: &TestServer, head: &str, body: &str) -> (u16, String, Value) {
    let request = format!(
        "{head}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    support::raw_exchange(server, request.as_bytes()).await
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
}

fn login_post(host: &str, origin: &str) -> String {
    format!(
        "POST /api/login HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\
         Accept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    )
}

#[tokio::test]
async fn with_a_public_origin_only_its_host_and_its_origin_are_served() {
    let db = TestDb::new();
    db.seed();
    let server = TestServer::start_with(
        &db,
        &[
            ("JETONS_PUBLIC_ORIGIN", PUBLIC),
            ("JETONS_SECURE_COOKIES", "true"),
        ],
    );
    let credentials = format!("login={}&password={}", ADMIN.0, ADMIN.1);

    // The public host: served, with HSTS.
    let (status, head, _) = exchange(
        &server,
        "GET /login HTTP/1.1\r\nHost: console.example.com\r\n",
        "",
    )
    .await;
    assert_eq!(status, 200, "{head}");
    assert_eq!(
        header(&head, "strict-transport-security"),
        Some("max-age=63072000")
    );

    // Another host, or none that matches: 421, whatever the path.
    for host in [
        "evil.example",
        "127.0.0.1",
        "console.example.com.evil.example",
    ] {
        for path in ["/login", "/api/v1/me", "/security/api-tokens"] {
            let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n");
            let (status, _, body) = exchange(&server, &request, "").await;
            assert_eq!(status, 421, "{host}{path}: {body}");
            assert_eq!(body["error"], "misdirected_request", "{body}");
        }
    }
    // A load balancer's health checks, by address, pass.
    for path in ["/healthz", "/readyz"] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: 10.0.0.7:8080\r\n");
        assert_eq!(exchange(&server, &request, "").await.0, 200, "{path}");
    }

    // Logging in: only from exactly the public origin.
    for origin in [
        "http://console.example.com",
        "https://evil.example",
        "https://console.example.com:8443",
    ] {
        let (status, _, body) = exchange(
            &server,
            &login_post("console.example.com", origin),
            &credentials,
        )
        .await;
        assert_eq!(status, 403, "{origin}: {body}");
    }
    let (status, head, body) = exchange(
        &server,
        &login_post("console.example.com", PUBLIC),
        &credentials,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let cookie = header(&head, "set-cookie").unwrap_or_default();
    assert!(cookie.starts_with("__Host-"), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[test]
fn a_public_origin_that_cannot_work_is_refused_at_start() {
    for (origin, secure, says) in [
        ("console.example.com", "true", "must be an origin"),
        (
            "https://console.example.com/admin",
            "true",
            "must be an origin",
        ),
        ("http://console.example.com", "true", "must be https"),
        ("https://console.example.com", "false", "contradicts"),
    ] {
        let db = TestDb::new()
            .with_env("JETONS_PUBLIC_ORIGIN", origin)
            .with_env("JETONS_SECURE_COOKIES", secure);
        let out = db.cli("migrate", None);
        assert!(!out.status.success(), "{origin} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{origin}: {err}");
    }
}
