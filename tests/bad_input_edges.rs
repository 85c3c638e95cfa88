//! More bad input, through real HTTP and the real CLI: double submits, oversized requests, and
//! operator commands that must be refused. Every case gets a clear refusal and stores nothing.

use crate::support;

use reqwest::header::{ACCEPT, ORIGIN};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use support::{TestServer, ADMIN};

/// Two answers, the lower status first.
fn sorted(a: (StatusCode, Value), b: (StatusCode, Value)) -> [(StatusCode, Value); 2] {
    let mut answers = [a, b];
    answers.sort_by_key(|(status, _)| status.as_u16());
    answers
}

#[tokio::test]
async fn the_same_create_submitted_twice_at_once_stores_one_token() {
    let (_db, server, admin) = support::console().await;
    let billing = server.user_id(&admin, "svc-billing").await.to_string();
    let (tokens, total) = server.state(&admin).await;
    let form = [
        ("user_id", billing.as_str()),
        ("name", "Double click"),
        ("expiration", ""),
    ];
    let (a, b) = tokio::join!(
        server.call(&admin, "create_token", &form),
        server.call(&admin, "create_token", &form)
    );
    let [(first, created), (second, refused)] = sorted(a, b);
    assert_eq!(first, StatusCode::OK, "{created}");
    assert_eq!(second, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"], "invalid", "{refused}");
    assert_eq!(refused["errors"][0]["field"], "name", "{refused}");
    let after = server.tokens(&admin).await;
    assert_eq!(after.len(), tokens.len() + 1, "{after:?}");
    assert_eq!(
        after.iter().filter(|t| t["name"] == "Double click").count(),
        1
    );
    assert_eq!(
        server.audit_total(&admin).await,
        total + 1,
        "one creation is recorded"
    );
}

#[tokio::test]
async fn the_same_remove_or_delete_submitted_twice_at_once_happens_once() {
    let (_db, server, admin) = support::console().await;
    let (_, row) = server.create(&admin, "svc-billing", "Twice", "").await;
    let id = row["id"].to_string();
    let total = server.audit_total(&admin).await;

    let form = [("id", id.as_str())];
    let (a, b) = tokio::join!(
        server.call(&admin, "remove_token", &form),
        server.call(&admin, "remove_token", &form)
    );
    let [(first, removed), (second, refused)] = sorted(a, b);
    assert_eq!(first, StatusCode::OK, "{removed}");
    assert_eq!(removed["status"], "Removed", "{removed}");
    assert_eq!(second, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"], "conflict", "{refused}");
    assert_eq!(
        server.audit_total(&admin).await,
        total + 1,
        "one removal is recorded"
    );

    let (a, b) = tokio::join!(
        server.call(&admin, "delete_token", &form),
        server.call(&admin, "delete_token", &form)
    );
    let [(first, deleted), (second, refused)] = sorted(a, b);
    assert_eq!(first, StatusCode::OK, "{deleted}");
    assert_eq!(second, StatusCode::NOT_FOUND, "{refused}");
    assert_eq!(refused["error"], "not_found", "{refused}");
    assert_eq!(
        server.audit_total(&admin).await,
        total + 2,
        "one deletion is recorded"
    );
    assert!(server.tokens(&admin).await.is_empty());
}

/// A form POST over a bare connection, announcing `length` body bytes but sending only
/// `body` (the server must answer on the announced length alone). Returns (status, JSON).
async fn raw_post(
    server: &TestServer,
    path: &str,
    cookie: &str,
    length: usize,
    body: &str,
) -> (u16, Value) {
    let host = server.base.trim_start_matches("http://");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nCookie: {cookie}\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n",
        server.base
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(body.as_bytes());
    let (status, _, body) = support::raw_exchange(server, &request).await;
    (status, body)
}

#[tokio::test]
async fn an_oversized_body_gets_413_before_it_is_read_and_stores_nothing() {
    let (_db, server, admin) = support::console().await;
    let billing = server.user_id(&admin, "svc-billing").await;
    let cookie = support::session_cookie(&server, ADMIN).await;
    let before = server.state(&admin).await;

    // A ~100 KB name: the announced length alone gets the answer, the body is never sent.
    let huge = format!("user_id={billing}&name={}&expiration=", "n".repeat(100_000));
    assert!(huge.len() > 65_536);
    for path in ["/api/create_token", "/login"] {
        let (status, body) = raw_post(&server, path, &cookie, huge.len(), "").await;
        assert_eq!(status, 413, "{path}: {body}");
        assert_eq!(body["error"], "too_large", "{path}: {body}");
    }
    assert_eq!(
        server.state(&admin).await,
        before,
        "an oversized request changed something"
    );

    // Control: the same request at a normal size, over the same kind of connection, is served.
    let normal = format!("user_id={billing}&name=Normal-size&expiration=");
    let (status, body) =
        raw_post(&server, "/api/create_token", &cookie, normal.len(), &normal).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["row"]["name"], "Normal-size", "{body}");
}

#[tokio::test]
async fn an_oversized_header_set_gets_431_and_stores_nothing() {
    let (_db, server, admin) = support::console().await;
    let billing = server.user_id(&admin, "svc-billing").await.to_string();
    let before = server.state(&admin).await;
    let form = [
        ("user_id", billing.as_str()),
        ("name", "Padded"),
        ("expiration", ""),
    ];
    let send = |padding: usize| {
        admin
            .post(server.url("/api/create_token"))
            .header(ORIGIN, &server.base)
            .header(ACCEPT, "application/json")
            .header("x-padding", "a".repeat(padding))
            .form(&form)
            .send()
    };
    let response = send(20_000).await.expect("padded request");
    assert_eq!(
        response.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );
    let body: Value = response.json().await.expect("a JSON answer");
    assert_eq!(body["error"], "headers_too_large", "{body}");
    assert_eq!(
        server.state(&admin).await,
        before,
        "an oversized request changed something"
    );

    // Control: a modest header set goes through.
    let response = send(2_000).await.expect("padded request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(server.tokens(&admin).await.len(), before.0.len() + 1);
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What the console shows of the people and flags the CLI manages.
async fn cli_visible(server: &TestServer, admin: &Client) -> (Value, usize, u64) {
    let (status, eligible) = server.call(admin, "eligible_users", &[]).await;
    assert_eq!(status, StatusCode::OK, "the flag is still on: {eligible}");
    (
        eligible,
        server.tokens(admin).await.len(),
        server.audit_total(admin).await,
    )
}

#[tokio::test]
async fn the_cli_refuses_bad_input_with_a_clear_message_and_changes_nothing() {
    let (db, server, admin) = support::console().await;
    let before = cli_visible(&server, &admin).await;

    // (command line, the argument clap must name as missing)
    let missing = [
        ("user add --login svc-new --technical", "--name"),
        ("user add --name 'New connector' --technical", "--login"),
        ("user set --technical true", "--login"),
        ("flag disable Technique", "<LABEL>"),
        ("flag disable", "<DOMAIN>"),
    ];
    for (line, argument) in missing {
        let out = db.cli(line, None);
        assert!(!out.status.success(), "{line} succeeded");
        let text = stderr(&out);
        let named = text
            .split("were not provided:")
            .nth(1)
            .and_then(|rest| rest.split("Usage:").next())
            .unwrap_or_default();
        assert!(named.contains(argument), "{line}: {text}");
    }

    // (command line, what stderr must say)
    let refused = [
        ("user", "Usage: server user <COMMAND>"),
        ("frobnicate", "unrecognized subcommand 'frobnicate'"),
        (
            "user remove --login svc-billing",
            "unrecognized subcommand 'remove'",
        ),
        (
            "flag toggle Technique 'Jetons Api'",
            "unrecognized subcommand 'toggle'",
        ),
        (
            "user add --login svc-new --name New --technical --employed-from 2026-02-30",
            "--employed-from \"2026-02-30\": expected a date as YYYY-MM-DD",
        ),
        (
            "user add --login svc-new --name New --technical --employed-from 10000-01-01",
            "--employed-from \"10000-01-01\": expected a date as YYYY-MM-DD",
        ),
        (
            "user set --login svc-billing --employed-from 10000-01-01",
            "--employed-from \"10000-01-01\"",
        ),
        (
            "user set --login svc-billing --employed-until 2026-02-30",
            "--employed-until \"2026-02-30\"",
        ),
        (
            "user set --login ghost --technical true",
            "no person has the login \"ghost\"",
        ),
        (
            "user add --login svc-billing --name 'Billing again' --technical",
            "a person with login \"svc-billing\" already exists",
        ),
        (
            "flag disable '' 'Jetons Api'",
            "a feature flag needs a domain and a label",
        ),
        (
            "flag disable Technique ''",
            "a feature flag needs a domain and a label",
        ),
        (
            "flag disable ' ' ' '",
            "a feature flag needs a domain and a label",
        ),
    ];
    for (line, message) in refused {
        let out = db.cli(line, None);
        assert!(!out.status.success(), "{line} succeeded");
        assert!(stderr(&out).contains(message), "{line}: {}", stderr(&out));
    }
    assert_eq!(
        cli_visible(&server, &admin).await,
        before,
        "a refused command changed something"
    );

    // None of the refused `user add --login svc-new` stored anything: the login is still free,
    // and the console sees the change once a valid command is run.
    let out = db.cli_ok(
        "user add --login svc-new --name 'New connector' --technical --employed-from 2020-01-01",
        None,
    );
    assert!(out.starts_with("added svc-new"), "{out}");
    let logins: Vec<String> = server.eligible_logins(&admin).await;
    assert_eq!(logins, ["svc-billing", "svc-new"]);
}

#[tokio::test]
async fn an_address_longer_than_8_kib_gets_414() {
    let (_db, server, admin) = support::console().await;
    let long = format!("/security/api-tokens?q={}", "a".repeat(9000));
    let response = admin
        .get(server.url(&long))
        .send()
        .await
        .expect("long address");
    assert_eq!(response.status(), reqwest::StatusCode::URI_TOO_LONG);
    let fine = format!("/security/api-tokens?note={}", "a".repeat(1000));
    let response = admin.get(server.url(&fine)).send().await.expect("address");
    assert_eq!(response.status(), reqwest::StatusCode::OK);
}
