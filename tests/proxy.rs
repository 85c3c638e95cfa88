//! Behind a reverse proxy the operator trusts (JETONS_TRUSTED_PROXIES), the client address is
//! the one the proxy forwarded for: in the audit log, in a token's last use and for the login
//! throttle. Without that setting, X-Forwarded-For is ignored.

use crate::support;

use reqwest::header::{ACCEPT, AUTHORIZATION, ORIGIN};
use reqwest::StatusCode;
use serde_json::Value;
use support::{TestDb, TestServer, ADMIN};

async fn login_via(server: &TestServer, forwarded_for: &str, who: (&str, &str)) -> StatusCode {
    server
        .client()
        .post(server.url("/api/login"))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .header("x-forwarded-for", forwarded_for)
        .form(&[("login", who.0), ("password", who.1)])
        .send()
        .await
        .expect("login")
        .status()
}

async fn me_via(server: &TestServer, forwarded_for: &str, token: &str) -> StatusCode {
    server
        .client()
        .get(server.url("/api/v1/me"))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .expect("me")
        .status()
}

async fn newest_event(server: &TestServer, admin: &reqwest::Client) -> Value {
    let (status, page) = server.call(admin, "audit_log", &[("page", "1")]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["entries"][0].clone()
}

#[tokio::test]
async fn a_trusted_proxy_names_the_client() {
    let db = TestDb::new().with_env("JETONS_TRUSTED_PROXIES", "127.0.0.1");
    db.seed();
    let server = db.start();

    // The client forged the first entry; the proxy appended the address it saw.
    assert_eq!(
        login_via(&server, "10.9.9.9, 203.0.113.7", (ADMIN.0, "wrong-1")).await,
        StatusCode::UNAUTHORIZED
    );
    let admin = server.login(ADMIN).await;
    let failed = {
        let (_, page) = server.call(&admin, "audit_log", &[("page", "1")]).await;
        page["entries"][1].clone()
    };
    assert_eq!(failed["action"], "LoginFailed", "{failed}");
    assert_eq!(failed["client"], "203.0.113.7", "{failed}");

    let (token, _) = server
        .create(&admin, "svc-billing", "Behind the proxy", "")
        .await;
    assert_eq!(
        me_via(&server, "198.51.100.4", &token).await,
        StatusCode::OK
    );
    let row = server.tokens(&admin).await[0].clone();
    assert_eq!(row["last_used_from"], "198.51.100.4", "{row}");

    // The throttle counts per forwarded client: one client's failures do not lock out another.
    for i in 0..5 {
        let login = format!("nobody-{i}");
        let status = login_via(&server, "203.0.113.66", (&login, "wrong-2")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        login_via(&server, "203.0.113.66", ADMIN).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_via(&server, "203.0.113.67", ADMIN).await,
        StatusCode::OK
    );
    let event = newest_event(&server, &admin).await;
    assert_eq!(
        (&event["action"], &event["client"]),
        (&Value::from("LoginSucceeded"), &Value::from("203.0.113.67")),
        "{event}"
    );
}

#[tokio::test]
async fn without_trusted_proxies_the_header_is_ignored() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    assert_eq!(
        login_via(&server, "203.0.113.7", (ADMIN.0, "wrong-1")).await,
        StatusCode::UNAUTHORIZED
    );
    let admin = server.login(ADMIN).await;
    let (_, page) = server.call(&admin, "audit_log", &[("page", "1")]).await;
    assert_eq!(page["entries"][1]["action"], "LoginFailed", "{page}");
    assert_eq!(page["entries"][1]["client"], "127.0.0.1", "{page}");
    let (token, _) = server.create(&admin, "svc-billing", "Direct", "").await;
    assert_eq!(
        me_via(&server, "198.51.100.4", &token).await,
        StatusCode::OK
    );
    assert_eq!(
        server.tokens(&admin).await[0]["last_used_from"],
        "127.0.0.1"
    );
}

#[tokio::test]
async fn a_proxy_list_that_is_not_addresses_is_refused_at_start() {
    let db = TestDb::new();
    let out = db
        .with_env("JETONS_TRUSTED_PROXIES", "10.0.0.0/8")
        .cli("migrate", None);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("JETONS_TRUSTED_PROXIES"), "{stderr}");
}
