//! Requests built to slip past the checks: text that is not text, NUL characters, headers
//! given twice, look-alike media types, and a `Referer` that would send the browser away.
//! Each is refused with a clear 4xx before it reaches the database, and changes nothing.

use crate::support;

use reqwest::header::{ACCEPT, LOCATION, ORIGIN, REFERER};
use reqwest::StatusCode;
use serde_json::Value;
use support::TestServer;

const FORM: &str = "application/x-www-form-urlencoded";

fn assert_bad_request(what: &str, status: StatusCode, body: &Value, says: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert_eq!(body["error"], "bad_request", "{what}: {body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains(says), "{what}: {body}");
}

#[tokio::test]
async fn text_that_is_not_text_is_refused_before_it_reaches_the_database() {
    let (_db, server, admin) = support::console().await;
    let billing = server.user_id(&admin, "svc-billing").await;
    let before = server.state(&admin).await;

    let anonymous = server.client();
    let (status, body) = support::post_raw(
        &server,
        &anonymous,
        "login",
        FORM,
        b"login=ad%00min&password=x".to_vec(),
    )
    .await;
    assert_bad_request("a NUL in the login", status, &body, "NUL");

    let mut raw = format!("user_id={billing}&expiration=&name=").into_bytes();
    raw.extend_from_slice(b"\xff\xfe");
    let (status, body) = support::post_raw(&server, &admin, "create_token", FORM, raw).await;
    assert_bad_request("raw invalid UTF-8", status, &body, "UTF-8");

    let encoded = format!("user_id={billing}&expiration=&name=%ff%fe-x").into_bytes();
    let (status, body) = support::post_raw(&server, &admin, "create_token", FORM, encoded).await;
    assert_bad_request("percent-encoded invalid UTF-8", status, &body, "UTF-8");

    let searched = b"q=a%00b".to_vec();
    let (status, body) = support::post_raw(&server, &admin, "list_tokens", FORM, searched).await;
    assert_bad_request("a NUL in a search", status, &body, "NUL");

    for address in ["/security/api-tokens?q=a%00b", "/security/api-tokens?q=%ff"] {
        let response = admin.get(server.url(address)).send().await.expect("page");
        let (status, _, body) = support::answer(response).await;
        assert_bad_request(address, status, &body, "in the address");
    }
    assert_eq!(server.state(&admin).await, before, "something was stored");
}

/// A request over a bare connection, with the admin's session, and these extra header lines.
async fn raw_create(server: &TestServer, cookie: &str, extra: &str) -> (u16, Value) {
    let host = server.base.trim_start_matches("http://");
    let body = "name=Smuggled&user_id=2&expiration=";
    let request = format!(
        "POST /api/create_token HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\
         Cookie: {cookie}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
        body.len()
    );
    let (status, _, answer) = support::raw_exchange(server, request.as_bytes()).await;
    (status, answer)
}

#[tokio::test]
async fn the_cross_site_check_takes_one_host_one_origin_and_the_exact_media_type() {
    let (_db, server, admin) = support::console().await;
    let cookie = support::session_cookie(&server, support::ADMIN).await;
    let before = server.state(&admin).await;
    let origin = &server.base;
    let form = format!("Content-Type: {FORM}\r\n");

    let cases = [
        (
            "two Host headers",
            format!("Host: evil.example\r\nOrigin: {origin}\r\n{form}"),
            403,
        ),
        (
            "two Origin headers",
            format!("Origin: {origin}\r\nOrigin: https://evil.example\r\n{form}"),
            403,
        ),
        (
            "a look-alike media type",
            format!("Origin: {origin}\r\nContent-Type: {FORM}XYZ\r\n"),
            400,
        ),
        (
            "two content types",
            format!("Origin: {origin}\r\n{form}Content-Type: text/plain\r\n"),
            400,
        ),
    ];
    for (what, extra, expected) in cases {
        let (status, answer) = raw_create(&server, &cookie, &extra).await;
        assert_eq!(status, expected, "{what}: {answer}");
    }
    assert_eq!(server.state(&admin).await, before, "something was stored");
    // The same request, well formed, gets past every check: user 2 is not a technical user,
    // which only the server function itself can say.
    for content_type in [FORM, "application/x-www-form-urlencoded; charset=UTF-8"] {
        let extra = format!("Origin: {origin}\r\nContent-Type: {content_type}\r\n");
        let (status, answer) = raw_create(&server, &cookie, &extra).await;
        assert_eq!(status, 422, "{content_type}: {answer}");
        assert_eq!(answer["errors"][0]["field"], "user", "{answer}");
    }
}

#[tokio::test]
async fn a_plain_form_post_sends_the_browser_back_to_this_console_only() {
    let (_db, server, admin) = support::console().await;
    let (_, row) = server.create(&admin, "svc-billing", "Stays home", "").await;
    let id = row["id"].to_string();
    let response = admin
        .post(server.url("/api/remove_token"))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "text/html")
        .header(REFERER, "https://evil.example/phish")
        .form(&[("id", id.as_str())])
        .send()
        .await
        .expect("form post");
    assert!(
        response.status().is_redirection(),
        "{:?}",
        response.status()
    );
    let location = response.headers()[LOCATION].to_str().unwrap_or_default();
    assert_eq!(location, "/security/api-tokens");
    let rows = server.tokens(&admin).await;
    let removed = rows.iter().find(|r| r["id"] == row["id"]).expect("the row");
    assert_eq!(removed["status"], "Removed", "{removed}");
}
