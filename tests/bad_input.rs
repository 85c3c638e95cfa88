//! Bad input to the console's server functions, through real HTTP: every case gets a clear 4xx
//! naming what is wrong, and nothing is stored. Names that only look dangerous are legitimate:
//! they are stored, served and shown exactly as typed.

use crate::support;

use reqwest::StatusCode;
use serde_json::Value;

const FORM: &str = "application/x-www-form-urlencoded";
/// 2^70: no i64 holds it.
const TOO_BIG: &str = "1180591620717411303424";
/// Followed by the character: "(it contains U+202E)."
const CONTROL: &str =
    "The token name must not contain control, invisible or text-direction characters (it \
     contains U+";
const MALFORMED: &str = "Enter the expiration date as YYYY-MM-DD.";
const TOO_FAR: &str = "The expiration date must be in year 9999 or earlier.";

/// How text appears in the page's HTML text nodes.
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[tokio::test]
async fn malformed_forms_get_400_bad_request_and_store_nothing() {
    let (_db, server, admin) = support::console().await;
    let (_, row) = server
        .create(&admin, "svc-billing", "Target", "2099-12-31")
        .await;
    let id = row["id"].to_string();
    let billing = server.user_id(&admin, "svc-billing").await;
    let before = server.state(&admin).await;
    // (function, form body, what the message must say; "" = any explanation)
    let mut cases: Vec<(&str, String, &str)> = vec![
        ("create_token", String::new(), ""),
        ("create_token", "name=X&expiration=".into(), ""),
        ("create_token", format!("user_id={billing}&name=X"), ""),
        ("create_token", format!("user_id={billing}&expiration="), ""),
        (
            "create_token",
            format!("user_id={billing}&name=X&expiration=&admin=1"),
            "unknown field",
        ),
        (
            "create_token",
            format!("user_id={billing}&name=X&expiration=&user_id=4"),
            "more than once",
        ),
        (
            "create_token",
            format!("user_id={billing}&name=X&name=Y&expiration="),
            "more than once",
        ),
    ];
    for function in ["remove_token", "delete_token"] {
        cases.push((function, String::new(), ""));
        for bad in ["abc", "1.5", "", TOO_BIG, "1e3", "0x10"] {
            cases.push((function, format!("id={bad}"), ""));
        }
        cases.push((function, format!("id={id}&id={id}"), "more than once"));
        cases.push((function, format!("id={id}&confirm=yes"), "unknown field"));
    }
    for (function, body, says) in cases {
        let what = format!("{function} {body:?}");
        let (status, answer) = support::post_raw(&server, &admin, function, FORM, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
        assert_eq!(answer["error"], "bad_request", "{what}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(
            !message.is_empty() && message.contains(says),
            "{what}: {answer}"
        );
    }
    // Server functions take forms only.
    let json = format!(r#"{{"user_id":"{billing}","name":"X","expiration":""}}"#);
    let (status, answer) =
        support::post_raw(&server, &admin, "create_token", "application/json", json).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["error"], "bad_request", "{answer}");
    assert_eq!(
        server.state(&admin).await,
        before,
        "a malformed request changed something"
    );
}

#[tokio::test]
async fn bad_values_get_422_on_the_right_field_and_store_nothing() {
    let (_db, server, admin) = support::console().await;
    let billing = server.user_id(&admin, "svc-billing").await.to_string();
    let b = billing.as_str();
    let huge_name = "n".repeat(10_000);
    let before = server.state(&admin).await;
    // (user_id, name, expiration, field, start of the message)
    let cases: Vec<(&str, &str, &str, &str, &str)> = vec![
        (b, "", "", "name", "Enter a token name."),
        (b, "   ", "", "name", "Enter a token name."),
        (
            b,
            huge_name.as_str(),
            "",
            "name",
            "The token name must be at most 100 characters.",
        ),
        (b, "\u{202E}evil", "", "name", CONTROL),
        (b, "invoice\u{2067}exe\u{2069}", "", "name", CONTROL),
        (b, "mark\u{200F}", "", "name", CONTROL),
        (b, "ad\u{200B}min", "", "name", CONTROL),
        (b, "\u{FEFF}bom", "", "name", CONTROL),
        (b, "para\u{2029}sep", "", "name", CONTROL),
        (b, "arabic\u{061C}mark", "", "name", CONTROL),
        (b, "a\u{0007}b", "", "name", CONTROL),
        (b, "tab\there", "", "name", CONTROL),
        (b, "line\nbreak", "", "name", CONTROL),
        // Names that show nothing, or look like another name.
        (b, "\u{200D}", "", "name", CONTROL),
        (b, "\u{200C}\u{200C}", "", "name", CONTROL),
        (b, "\u{3164}", "", "name", CONTROL),
        (b, "\u{17B4}", "", "name", CONTROL),
        (b, "\u{2800}", "", "name", "Enter a token name."),
        (b, "de\u{AD}ploy", "", "name", CONTROL),
        (b, "deploy\u{2062}", "", "name", CONTROL),
        (b, "de\u{34F}ploy", "", "name", CONTROL),
        (b, "deploy\u{FE0F}", "", "name", CONTROL),
        (b, "deploy\u{E0041}", "", "name", CONTROL),
        (b, "deploy\u{FFF9}", "", "name", CONTROL),
        (b, "deploy\u{200D}", "", "name", CONTROL),
        (
            b,
            "Name",
            "2000-01-01",
            "expiration",
            "The expiration date cannot be before today",
        ),
        (b, "Name", "2026-13-01", "expiration", MALFORMED),
        (b, "Name", "2027-02-29", "expiration", MALFORMED),
        (b, "Name", "tomorrow", "expiration", MALFORMED),
        (b, "Name", "01/02/2027", "expiration", MALFORMED),
        (b, "Name", "2099-12-31T00:00", "expiration", MALFORMED),
        (b, "Name", "10000-01-01", "expiration", TOO_FAR),
        (b, "Name", "275760-09-13", "expiration", TOO_FAR),
        ("", "Name", "", "user", "Select a user."),
        ("999", "Name", "", "user", "This user does not exist."),
        ("abc", "Name", "", "user", "This user does not exist."),
        (TOO_BIG, "Name", "", "user", "This user does not exist."),
        (
            "1",
            "Name",
            "",
            "user",
            "This user is not a technical user.",
        ), // the admin
        (
            "2",
            "Name",
            "",
            "user",
            "This user is not a technical user.",
        ), // clerk
        (
            "6",
            "Name",
            "",
            "user",
            "This user is not a technical user.",
        ), // jdupont
        (
            "4",
            "Name",
            "",
            "user",
            "This user no longer works in the company on that date.",
        ),
        (
            "5",
            "Name",
            "",
            "user",
            "This user is not yet working in the company on that date.",
        ),
    ];
    for (user_id, name, expiration, field, message) in cases {
        let form = [
            ("user_id", user_id),
            ("name", name),
            ("expiration", expiration),
        ];
        let (status, body) = server.call(&admin, "create_token", &form).await;
        let shown: String = name.chars().take(40).collect();
        let what = format!("user {user_id:?}, name {shown:?}, expiration {expiration:?}");
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        assert_eq!(body["error"], "invalid", "{what}: {body}");
        assert_eq!(
            body["errors"].as_array().map(Vec::len),
            Some(1),
            "{what}: {body}"
        );
        assert_eq!(body["errors"][0]["field"], field, "{what}: {body}");
        let actual = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(actual.starts_with(message), "{what}: {body}");
    }
    assert_eq!(
        server.state(&admin).await,
        before,
        "a refused create stored something"
    );
}

#[tokio::test]
async fn names_that_look_dangerous_are_stored_served_and_shown_exactly_as_typed() {
    let (_db, server, admin) = support::console().await;
    let longest = "é".repeat(100);
    let names = [
        "<script>alert(1)</script>",
        "\"'><img src=x onerror=alert(1)>",
        "مفتاح 🔑 テスト",
        "'; DROP TABLE api_tokens; --",
        "%_\\",
        r"%_\\",
        "Robert'); DELETE FROM people WHERE ('1'='1",
        longest.as_str(),
    ];
    for name in names {
        let (token, row) = server.create(&admin, "svc-billing", name, "").await;
        assert_eq!(row["name"], name, "the created row");
        // The bearer API reads the name back from the database.
        let (status, _, me) = server.me(&token).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        assert_eq!(me["token"]["name"], name, "{me}");
    }
    // The longest date the rules accept.
    let (_, far) = server
        .create(&admin, "svc-billing", "Far future", "9999-12-31")
        .await;
    assert_eq!(far["expires_on"], "9999-12-31", "{far}");

    let tokens = server.tokens(&admin).await;
    assert_eq!(tokens.len(), names.len() + 1);
    for name in names {
        let stored: Vec<&Value> = tokens.iter().filter(|t| t["name"] == name).collect();
        assert_eq!(
            stored.len(),
            1,
            "{name:?} is not stored byte for byte: {tokens:?}"
        );
    }

    let html = server.html(&admin, "/security/api-tokens").await;
    for name in names {
        assert!(
            html.contains(&html_text(name)),
            "{name:?} is not shown as typed: {html}"
        );
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    for markup in ["<script>alert(1)", "<img src=x"] {
        assert!(
            !html.contains(markup),
            "{markup:?} reached the page as markup: {html}"
        );
    }

    // The database is intact and still takes writes.
    server
        .create(&admin, "svc-billing", "After the odd names", "")
        .await;
    assert_eq!(server.tokens(&admin).await.len(), names.len() + 2);
    let logins: Vec<String> = server.eligible_logins(&admin).await;
    assert_eq!(logins, ["svc-billing"]);
}

#[tokio::test]
async fn remove_and_delete_refuse_targets_that_are_gone_and_change_nothing() {
    let (_db, server, admin) = support::console().await;
    let (_, doomed) = server.create(&admin, "svc-billing", "Doomed", "").await;
    let (_, kept) = server.create(&admin, "svc-billing", "Kept", "").await;
    let id = doomed["id"].to_string();

    let (status, body) = server.call(&admin, "remove_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let before = server.state(&admin).await;
    let (status, body) = server.call(&admin, "remove_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "removed twice: {body}");
    assert_eq!(body["error"], "conflict", "{body}");
    assert_eq!(body["message"], "This token has already been removed.");
    assert_eq!(
        server.state(&admin).await,
        before,
        "the second removal changed something"
    );

    let (status, body) = server.call(&admin, "delete_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let before = server.state(&admin).await;
    let gone = [
        id.as_str(),
        "0",
        "-1",
        "-9223372036854775808",
        "9223372036854775807",
    ];
    for function in ["remove_token", "delete_token"] {
        for target in gone {
            let (status, body) = server.call(&admin, function, &[("id", target)]).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{function} {target}: {body}");
            assert_eq!(body["error"], "not_found", "{function} {target}: {body}");
            assert_eq!(
                body["message"], "This token does not exist (it may have been deleted).",
                "{function} {target}"
            );
        }
    }
    let after = server.state(&admin).await;
    assert_eq!(
        after, before,
        "a refused remove or delete changed something"
    );
    assert_eq!(after.0.len(), 1);
    assert_eq!(after.0[0]["id"], kept["id"]);
    // Still usable (it expires at the end of today).
    assert_eq!(after.0[0]["status"], "ExpiresSoon");
}

#[tokio::test]
async fn a_name_typed_in_another_unicode_form_is_the_same_name() {
    let (_db, server, admin) = support::console().await;
    let billing = server.user_id(&admin, "svc-billing").await.to_string();
    let (_, row) = server.create(&admin, "svc-billing", "Caf\u{E9}", "").await;
    assert_eq!(row["name"], "Caf\u{E9}");
    let before = server.state(&admin).await;
    // "é" as e + U+0301 (NFD): stored as NFC, so it is the name already taken.
    let form = [
        ("user_id", billing.as_str()),
        ("name", "Cafe\u{301}"),
        ("expiration", ""),
    ];
    let (status, body) = server.call(&admin, "create_token", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "name", "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.ends_with("already has a token named “Café”."),
        "{body}"
    );
    assert_eq!(server.state(&admin).await, before);
    // Stored in NFC however it was typed.
    let (_, row) = server
        .create(&admin, "svc-billing", "Re\u{301}sume\u{301}", "")
        .await;
    assert_eq!(row["name"], "R\u{E9}sum\u{E9}");
}
