//! Plain HTTP helpers: clients, answers, and server-function calls with a chosen client.

use reqwest::header::{HeaderMap, ACCEPT, ORIGIN};
use reqwest::StatusCode;
use serde_json::Value;

use super::TestServer;

/// A client without a cookie store (every cookie it sends is given explicitly) that does not
/// follow redirects.
pub fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A [`plain_client`] whose connections come from `ip` (127.0.0.2 is a second address on
/// loopback).
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().expect("ip"))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Status, headers and body (JSON when it parses, else the text) of an answer.
pub async fn answer(response: reqwest::Response) -> (StatusCode, HeaderMap, Value) {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, headers, body)
}

/// The `Retry-After` of a 429, which must be between 1 and 60 seconds.
pub fn retry_after(what: &str, headers: &HeaderMap) -> u64 {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("{what}: no Retry-After in {headers:?}"));
    assert!((1..=60).contains(&value), "{what}: Retry-After {value}");
    value
}

/// A server-function call built like [`TestServer::call`] (the console's origin, a JSON
/// answer), with the given client and, if any, a raw `Cookie` header.
pub async fn call_as(
    server: &TestServer,
    client: &reqwest::Client,
    name: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = client
        .post(server.url(&format!("/api/{name}")))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .form(form);
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    answer(request.send().await.expect("server function call")).await
}
