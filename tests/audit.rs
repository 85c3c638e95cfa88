//! The audit log through real HTTP: which events it records, with whom, from where and on what;
//! newest first, 50 a page; who may read it; and how its page shows it.

use crate::support;

use reqwest::StatusCode;
use serde_json::Value;
use support::{TestDb, TestServer, ADMIN, NO_RIGHT};

const CLOCK: &str = "2026-11-28T10:15:30Z";
const SHOWN_AT: &str = "2026-11-28 10:15:30";
const CONSOLE: &str = "Administration console";
const FLAG: &str = "Technique > Jetons Api";
const LOCAL: &str = "127.0.0.1";
const CLI_CLIENT: &str = "local (CLI)";

/// How the audit log names whoever ran a CLI command: the operating-system account.
fn cli_operator() -> String {
    match std::env::var("USER").or_else(|_| std::env::var("LOGNAME")) {
        Ok(account) if !account.trim().is_empty() => format!("operator {} (CLI)", account.trim()),
        _ => "operator (CLI)".to_owned(),
    }
}

async fn audit_page(
    server: &TestServer,
    client: &reqwest::Client,
    page: &str,
) -> (StatusCode, Value) {
    server.call(client, "audit_log", &[("page", page)]).await
}

fn entries(page: &Value) -> Vec<Value> {
    page["entries"].as_array().cloned().unwrap_or_default()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn ids(entries: &[Value]) -> Vec<i64> {
    entries
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect()
}

fn assert_strictly_decreasing(ids: &[i64]) {
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "ids not newest first: {ids:?}"
    );
}

async fn failed_login(server: &TestServer, login: &str, password: &str) {
    let (status, body) = server
        .call(
            &server.client(),
            "login",
            &[("login", login), ("password", password)],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "invalid_credentials");
}

#[tokio::test]
async fn every_console_and_cli_event_is_recorded_with_its_actor_client_and_target() {
    // The CLI runs with the same fixed clock as the server, so every event has the same time.
    let db = TestDb::new()
        .with_env("JETONS_TEST_MODE", "1")
        .with_env("JETONS_TEST_CLOCK", CLOCK);
    db.seed();
    let server = db.start_at(CLOCK);

    let typed = "  Admin\u{7}Typo  ";
    let long: String = (0..100)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    failed_login(&server, typed, "typo-password-1").await;
    failed_login(&server, &long, "long-password-1").await;
    failed_login(&server, NO_RIGHT.0, "clerk-wrong-password").await;
    let admin = server.login(ADMIN).await;
    let (token, row) = server.create(&admin, "svc-billing", "Audited", "").await;
    let id = row["id"].to_string();
    let (status, body) = server.call(&admin, "remove_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = server.call(&admin, "delete_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    db.cli_ok("flag disable Technique 'Jetons Api'", None);
    let (status, body) = server.call(&admin, "list_tokens", &[]).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::FORBIDDEN, &Value::from("feature_disabled"))
    );
    let (status, while_off) = audit_page(&server, &admin, "1").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the flag does not hide the audit log: {while_off}"
    );
    assert_eq!(
        entries(&while_off)[0]["action"],
        "FlagDisabled",
        "{while_off}"
    );
    db.cli_ok("flag enable Technique 'Jetons Api'", None);

    let (status, body) = server.call(&admin, "logout", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let admin = server.login(ADMIN).await;
    let (html_token, _) = server.create(&admin, "svc-billing", "<b>x</b>", "").await;

    let (status, page) = audit_page(&server, &admin, "1").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let found = entries(&page);
    let cli_operator = cli_operator();
    let operator = cli_operator.as_str();
    let created = "svc-billing › Audited";
    let expected: Vec<[&str; 4]> = vec![
        ["TokenCreated", "admin", LOCAL, "svc-billing › <b>x</b>"],
        ["LoginSucceeded", "admin", LOCAL, CONSOLE],
        ["Logout", "admin", LOCAL, CONSOLE],
        ["FlagEnabled", operator, CLI_CLIENT, FLAG],
        ["FlagDisabled", operator, CLI_CLIENT, FLAG],
        ["TokenDeleted", "admin", LOCAL, created],
        ["TokenRemoved", "admin", LOCAL, created],
        ["TokenCreated", "admin", LOCAL, created],
        ["LoginSucceeded", "admin", LOCAL, CONSOLE],
        ["LoginFailed", "clerk", LOCAL, CONSOLE],
        // A typed login that matches nobody is not written down (it may be a password).
        ["LoginFailed", "unknown login", LOCAL, CONSOLE],
        ["LoginFailed", "unknown login", LOCAL, CONSOLE],
        // db.seed(): six people added, then the flag enabled, all by the CLI.
        ["FlagEnabled", operator, CLI_CLIENT, FLAG],
        ["UserAdded", operator, CLI_CLIENT, "jdupont: not a technical user, employed from 2020-01-01 (no end date)"],
        ["UserAdded", operator, CLI_CLIENT, "svc-future: technical user, employed from 2999-01-01 (no end date)"],
        ["UserAdded", operator, CLI_CLIENT, "svc-gone: technical user, employed from 2020-01-01 (until 2021-12-31)"],
        ["UserAdded", operator, CLI_CLIENT, "svc-billing: technical user, employed from 2020-01-01 (no end date)"],
        ["UserAdded", operator, CLI_CLIENT, "clerk: not a technical user, employed from 2020-01-01 (no end date), may log in"],
        ["UserAdded", operator, CLI_CLIENT, "admin: not a technical user, employed from 2020-01-01 (no end date), rights 090201, may log in"],
    ];
    let actual: Vec<[String; 4]> = found
        .iter()
        .map(|e| {
            [
                text(&e["action"]),
                text(&e["actor"]),
                text(&e["client"]),
                text(&e["target"]),
            ]
        })
        .collect();
    assert_eq!(actual.len(), expected.len(), "{actual:#?}");
    for (i, (actual, expected)) in actual.iter().zip(&expected).enumerate() {
        assert_eq!(actual[1], expected[1], "actor of entry {i}: {actual:?}");
        assert_eq!(
            [&actual[0], &actual[2], &actual[3]],
            [expected[0], expected[2], expected[3]],
            "entry {i} (newest first): {actual:?}"
        );
    }
    for entry in &found {
        assert_eq!(entry["at"], SHOWN_AT, "{entry}");
    }
    assert_strictly_decreasing(&ids(&found));
    assert_eq!(
        (&page["page"], &page["pages"], &page["total"]),
        (&Value::from(1), &Value::from(1), &Value::from(19))
    );

    let json = page.to_string();
    for secret in [
        token.as_str(),
        html_token.as_str(),
        "typo-password-1",
        "long-password-1",
        ADMIN.1,
        "Typo",
        long.as_str(),
    ] {
        assert!(
            !json.contains(secret),
            "{secret} is in the audit log: {json}"
        );
    }

    let html = server.html(&admin, "/security/audit-log").await;
    for column in ["Date", "Event", "By", "From", "Target"] {
        assert!(
            html.contains(&format!(">{column}<")),
            "no column {column}: {html}"
        );
    }
    assert!(
        html.contains("svc-billing › &lt;b&gt;x&lt;/b&gt;"),
        "newest target, escaped: {html}"
    );
    assert!(
        !html.contains("<b>x</b>"),
        "a token name is markup on the page: {html}"
    );
    assert!(
        html.contains(&format!(r#"datetime="{}""#, SHOWN_AT.replace(' ', "T")))
            && html.contains("Nov 28, 2026 10:15:30")
            && html.contains("Audited"),
        "{html}"
    );
    assert!(!html.contains(&token) && !html.contains(&html_token));
}

#[tokio::test]
async fn the_log_is_paged_by_fifty_newest_first() {
    let (_db, server, admin) = support::console().await;
    let billing = server.user_id(&admin, "svc-billing").await.to_string();
    // db.seed()'s six UserAdded and FlagEnabled, the admin's LoginSucceeded, then one
    // TokenCreated per token: 68 events.
    for n in 1..=60 {
        let name = format!("Token {n:02}");
        let (status, body) = server
            .call(
                &admin,
                "create_token",
                &[("user_id", &billing), ("name", &name), ("expiration", "")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, first) = audit_page(&server, &admin, "1").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, second) = audit_page(&server, &admin, "2").await;
    assert_eq!(status, StatusCode::OK, "{second}");
    for (page, number) in [(&first, 1), (&second, 2)] {
        assert_eq!(page["page"], number);
        assert_eq!(page["pages"], 2, "{page}");
        assert_eq!(page["total"], 68, "{page}");
    }
    let (first, second) = (entries(&first), entries(&second));
    assert_eq!((first.len(), second.len()), (50, 18));
    let all: Vec<Value> = first.iter().chain(&second).cloned().collect();
    assert_strictly_decreasing(&ids(&all));
    let created: Vec<String> = all
        .iter()
        .filter(|e| e["action"] == "TokenCreated")
        .map(|e| text(&e["target"]))
        .collect();
    let expected: Vec<String> = (1..=60)
        .rev()
        .map(|n| format!("svc-billing › Token {n:02}"))
        .collect();
    assert_eq!(created, expected, "every creation, newest first");
    assert_eq!(first[0]["target"], "svc-billing › Token 60");
    let oldest: Vec<&Value> = second
        .iter()
        .rev()
        .skip(6)
        .take(2)
        .map(|e| &e["action"])
        .collect();
    assert_eq!(
        oldest,
        [&Value::from("FlagEnabled"), &Value::from("LoginSucceeded")]
    );

    let (status, beyond) = audit_page(&server, &admin, "3").await;
    assert_eq!(status, StatusCode::OK, "{beyond}");
    assert!(entries(&beyond).is_empty(), "{beyond}");
    assert_eq!(
        (&beyond["page"], &beyond["pages"], &beyond["total"]),
        (&Value::from(3), &Value::from(2), &Value::from(68))
    );

    let (status, body) = audit_page(&server, &admin, "0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "bad_request");

    let html = server.html(&admin, "/security/audit-log?page=2").await;
    assert!(
        html.contains("svc-billing › Token 10") && !html.contains("svc-billing › Token 11"),
        "{html}"
    );
}

#[tokio::test]
async fn only_right_090201_reads_the_log_and_the_flag_does_not_hide_it() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();

    let (status, body) = audit_page(&server, &server.client(), "1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "not_logged_in");
    assert!(body.get("entries").is_none(), "{body}");

    let clerk = server.login(NO_RIGHT).await;
    let (status, body) = audit_page(&server, &clerk, "1").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "forbidden");
    assert!(body.get("entries").is_none(), "{body}");
    let page = clerk
        .get(server.url("/security/audit-log"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let html = page.text().await.unwrap();
    for hidden in [
        "Feature flag enabled",
        "FlagEnabled",
        cli_operator().as_str(),
    ] {
        assert!(
            !html.contains(hidden),
            "the 403 page shows {hidden}: {html}"
        );
    }

    db.cli_ok("flag disable Technique 'Jetons Api'", None);
    let admin = server.login(ADMIN).await;
    let (status, page) = audit_page(&server, &admin, "1").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let actions: Vec<String> = entries(&page).iter().map(|e| text(&e["action"])).collect();
    assert_eq!(actions[..2], ["LoginSucceeded", "FlagDisabled"], "{page}");
    let html = server.html(&admin, "/security/audit-log").await;
    assert!(html.contains("Feature flag disabled"), "{html}");
}
