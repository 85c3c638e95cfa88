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

/// Whether `answer` holds a whole HTTP response (head and Content-Length bytes of body).
fn complete(answer: &[u8]) -> bool {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, length)| length.trim().parse::<usize>().ok())
        .is_some_and(|length| body.len() >= length)
}

/// Sends `request` as given (any bytes, any headers, twice if need be) over a bare
/// connection. Returns the status, the head and the body (JSON when it parses, else text).
pub async fn raw_exchange(server: &TestServer, request: &[u8]) -> (u16, String, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    stream.write_all(request).await.expect("send the request");
    let mut answer = Vec::new();
    let mut chunk = [0u8; 8192];
    let read = async {
        loop {
            let n = stream.read(&mut chunk).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
            if complete(&answer) {
                break;
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), read)
        .await
        .expect("the server answered");
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status: u16 = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let json = serde_json::from_str(body).unwrap_or(Value::String(body.to_owned()));
    (status, head.to_owned(), json)
}

/// Logs `who` in without a cookie store; returns the `name=value` of the session cookie.
pub async fn session_cookie(server: &TestServer, who: (&str, &str)) -> String {
    let response = reqwest::Client::new()
        .post(server.url("/api/login"))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .form(&[("login", who.0), ("password", who.1)])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .expect("a session cookie");
    let cookie = cookie.to_str().expect("an ASCII cookie");
    cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Posts a raw body (any bytes, any content type) to a server function from the console's
/// origin.
pub async fn post_raw(
    server: &TestServer,
    client: &reqwest::Client,
    name: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let response = client
        .post(server.url(&format!("/api/{name}")))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect(name);
    let (status, _, body) = answer(response).await;
    (status, body)
}
