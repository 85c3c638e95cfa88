//! Limits, through real HTTP against the real server: console login throttling (per login and
//! per client address) and request size limits (the bearer API's are in bearer_limits.rs). A
//! second client address on loopback is 127.0.0.2 (`local_address`).

use crate::support;

use std::net::IpAddr;

use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use support::{answer, client_from, retry_after, TestDb, TestServer, ADMIN, NO_RIGHT};

const HOME: &str = "127.0.0.1";
const AWAY: &str = "127.0.0.2";

/// A login call built like support's `call`, from `ip`.
async fn login_from(
    server: &TestServer,
    ip: &str,
    login: &str,
    password: &str,
) -> (StatusCode, HeaderMap, Value) {
    let response = client_from(ip)
        .post(server.url("/api/login"))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .form(&[("login", login), ("password", password)])
        .send()
        .await
        .expect("login");
    answer(response).await
}

fn assert_throttled(what: &str, (status, headers, body): (StatusCode, HeaderMap, Value)) {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{what}: {body}");
    assert_eq!(body["error"], "too_many_attempts", "{what}");
    assert_eq!(body["retry_after"], retry_after(what, &headers), "{what}");
    assert!(
        headers.get(SET_COOKIE).is_none(),
        "{what}: a refused login set a cookie"
    );
}

fn assert_refused(what: &str, (status, headers, body): &(StatusCode, HeaderMap, Value)) {
    assert_eq!(*status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert_eq!(body["error"], "invalid_credentials", "{what}");
    assert!(headers.get(SET_COOKIE).is_none(), "{what}");
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_address_even_for_the_right_password() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    for attempt in 1..=5 {
        let password = format!("wrong-password-{attempt}");
        assert_refused(
            &format!("attempt {attempt}"),
            &login_from(&server, HOME, ADMIN.0, &password).await,
        );
    }
    let right = |ip: &'static str, login: &'static str, password: &'static str| {
        login_from(&server, ip, login, password)
    };
    assert_throttled("admin, same address", right(HOME, ADMIN.0, ADMIN.1).await);
    // The address has had its five failures: nobody logs in from it.
    assert_throttled(
        "clerk, same address",
        right(HOME, NO_RIGHT.0, NO_RIGHT.1).await,
    );
    // One address alone cannot lock the account out: from elsewhere, admin logs in.
    let (status, headers, body) = right(AWAY, ADMIN.0, ADMIN.1).await;
    assert_eq!(status, StatusCode::OK, "admin, other address: {body}");
    assert!(headers.get(SET_COOKIE).is_some());

    // The login form without JavaScript is sent back to the form, which says why.
    let response = client_from(HOME)
        .post(server.url("/api/login"))
        .header(ORIGIN, "null")
        .header("sec-fetch-site", "same-origin")
        .header(ACCEPT, "text/html")
        .header("referer", server.url("/login"))
        .form(&[("login", ADMIN.0), ("password", ADMIN.1)])
        .send()
        .await
        .expect("form post");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[LOCATION], "/login?failed=throttled");
    assert!(response.headers().get(SET_COOKIE).is_none());

    // Three refused attempts, one block: the audit log records it once, with its first login.
    let away = Client::builder()
        .local_address(AWAY.parse::<IpAddr>().expect("ip"))
        .cookie_store(true)
        .build()
        .expect("client");
    let (status, body) = server
        .call(&away, "login", &[("login", ADMIN.0), ("password", ADMIN.1)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = server.call(&away, "audit_log", &[("page", "1")]).await;
    let blocked: Vec<&Value> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "LoginThrottled")
        .collect();
    assert_eq!(blocked.len(), 1, "{page}");
    assert_eq!(
        (&blocked[0]["actor"], &blocked[0]["client"]),
        (&Value::from(ADMIN.0), &Value::from(HOME))
    );
}

/// Twenty failures for one login within a minute, from however many addresses, lock that
/// login everywhere (and only that login).
#[tokio::test]
async fn guesses_spread_over_addresses_lock_the_login_everywhere() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    for n in 0..20 {
        let from = format!("127.0.0.{}", 10 + n / 5);
        let refused = login_from(&server, &from, ADMIN.0, &format!("guess-{n}")).await;
        assert_refused(&format!("guess {n} from {from}"), &refused);
    }
    assert_throttled(
        "admin from a fresh address",
        login_from(&server, "127.0.0.30", ADMIN.0, ADMIN.1).await,
    );
    assert_throttled(
        "' ADMIN ' from a fresh address",
        login_from(&server, "127.0.0.31", " ADMIN ", ADMIN.1).await,
    );
    let (status, _, body) = login_from(&server, "127.0.0.30", NO_RIGHT.0, NO_RIGHT.1).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another login is not affected: {body}"
    );
}

#[tokio::test]
async fn five_failures_from_one_address_lock_it_for_every_login() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let mut unknown = Vec::new();
    for n in 1..=5 {
        let refused = login_from(&server, HOME, &format!("nobody-{n}"), "some-password").await;
        assert_refused(&format!("unknown login {n}"), &refused);
        unknown.push(refused);
    }
    // A wrong password answers exactly like an unknown login.
    let wrong = login_from(&server, AWAY, NO_RIGHT.0, "some-password").await;
    assert_refused("wrong password", &wrong);
    assert_eq!(wrong.2, unknown[0].2);

    // Five different logins, none at its own limit: the address is what is locked.
    assert_throttled(
        "admin from the address",
        login_from(&server, HOME, ADMIN.0, ADMIN.1).await,
    );
    let (status, _, body) = login_from(&server, AWAY, ADMIN.0, ADMIN.1).await;
    assert_eq!(status, StatusCode::OK, "admin from another address: {body}");
}

/// Five failures per minute means five guesses, however many are sent at once.
#[tokio::test]
async fn concurrent_guesses_do_not_get_past_the_limit() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let client = client_from(HOME);
    let guesses: Vec<_> = (0..20)
        .map(|n| {
            let password = format!("guess-{n}");
            let request = client
                .post(server.url("/api/login"))
                .header(ORIGIN, &server.base)
                .header(ACCEPT, "application/json")
                .form(&[("login", ADMIN.0), ("password", password.as_str())]);
            tokio::spawn(async move { request.send().await.expect("guess").status() })
        })
        .collect();
    let mut checked = 0;
    for guess in guesses {
        let status = guess.await.expect("task");
        if status != StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            checked += 1;
        }
    }
    assert!(
        checked <= 5,
        "{checked} passwords were checked for admin within a minute"
    );
    assert_throttled(
        "admin afterwards",
        login_from(&server, HOME, ADMIN.0, ADMIN.1).await,
    );
}

#[tokio::test]
async fn oversized_requests_are_refused_before_anything_runs() {
    let (_db, server, admin) = support::console().await;
    let (token, _) = server.create(&admin, "svc-billing", "Size probe", "").await;
    let id = server.user_id(&admin, "svc-billing").await;
    // The server answers 413 without reading the body and may then drop the connection: the
    // oversized requests go through clients of their own, never through `admin`'s pool.
    let sender = server.login(ADMIN).await;
    let create = |user_id: String, name: &str| {
        sender
            .post(server.url("/api/create_token"))
            .header(ORIGIN, &server.base)
            .header(ACCEPT, "application/json")
            .form(&[
                ("user_id", user_id),
                ("name", name.to_owned()),
                ("expiration", String::new()),
            ])
            .send()
    };
    // Leading zeros still name the user: at a normal size this creates a token...
    let response = create(format!("000{id}"), "Padded").await.expect("post");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // ...and just over 64 KiB it is refused, and nothing is stored.
    let padded = format!("{}{id}", "0".repeat(66 * 1024));
    let response = create(padded, "Too big").await.expect("big post");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"], "too_large");
    let mut names: Vec<String> = server
        .tokens(&admin)
        .await
        .iter()
        .map(|t| t["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Padded", "Size probe"]);
    // Any path.
    let response = Client::new()
        .post(server.url("/login"))
        .body(vec![b'x'; 66 * 1024])
        .send()
        .await
        .expect("big post to a page");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");

    // A 20 KiB header: 431 for pages, server functions and the bearer API alike.
    let padding = "x".repeat(20 * 1024);
    let plain = Client::new();
    let requests = [
        ("a page", plain.get(server.url("/login"))),
        (
            "a server function",
            plain
                .post(server.url("/api/current_admin"))
                .header(ORIGIN, &server.base),
        ),
        (
            "the bearer API",
            plain
                .get(server.url("/api/v1/me"))
                .header(AUTHORIZATION, format!("Bearer {token}")),
        ),
    ];
    for (what, request) in requests {
        let response = request
            .header("x-padding", &padding)
            .send()
            .await
            .expect(what);
        let (status, _, body) = answer(response).await;
        assert_eq!(
            status,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "{what}: {body}"
        );
        assert_eq!(body["error"], "headers_too_large", "{what}");
    }
    assert_eq!(server.me(&token).await.0, StatusCode::OK);

    // Server functions are POST only, and a GET runs nothing.
    for name in ["create_token", "logout"] {
        let response = admin
            .get(server.url(&format!("/api/{name}")))
            .send()
            .await
            .expect("get");
        let (status, headers, body) = answer(response).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{name}: {body}");
        assert_eq!(body["error"], "method_not_allowed", "{name}");
        assert_eq!(
            headers.get("allow").map(|v| v.as_bytes()),
            Some(&b"POST"[..]),
            "{name}"
        );
    }
    let (status, body) = server.call(&admin, "current_admin", &[]).await;
    assert_eq!(status, StatusCode::OK, "GET /api/logout logged out: {body}");
}
