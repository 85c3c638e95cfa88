//! Console security headers, through real HTTP against the real server: a per-response CSP
//! nonce that every inline script carries, no-store on everything but the static bundles,
//! nosniff, no-referrer and no framing. Sessions and their cookies are in `session_hardening.rs`.

use crate::support;

use reqwest::header::HeaderMap;
use reqwest::{Client, StatusCode};
use support::{answer, call_as, plain_client, TestServer};

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn assert_common_headers(what: &str, headers: &HeaderMap) {
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
    let csp = header(headers, "content-security-policy");
    assert!(
        csp.split(';').any(|d| d.trim() == "frame-ancestors 'none'"),
        "{what}: {csp}"
    );
    assert!(
        !csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"),
        "{what}: {csp}"
    );
}

fn assert_no_store(what: &str, headers: &HeaderMap) {
    assert_common_headers(what, headers);
    assert_eq!(header(headers, "cache-control"), "no-store", "{what}");
}

/// Checks a page's policy and returns its nonce, which every inline script of the page
/// (the hydration module first) must carry.
fn page_nonce(what: &str, headers: &HeaderMap, html: &str) -> String {
    assert_no_store(what, headers);
    let csp = header(headers, "content-security-policy");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for expected in ["default-src 'self'", "object-src 'none'", "base-uri 'none'"] {
        assert!(
            directives.contains(&expected),
            "{what}: {expected} missing in {csp}"
        );
    }
    let script_src: Vec<&str> = directives
        .iter()
        .find_map(|d| d.strip_prefix("script-src "))
        .unwrap_or_else(|| panic!("{what}: no script-src in {csp}"))
        .split_whitespace()
        .collect();
    assert!(script_src.contains(&"'wasm-unsafe-eval'"), "{what}: {csp}");
    let nonce = script_src
        .iter()
        .find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\''))
        .unwrap_or_else(|| panic!("{what}: no nonce in {csp}"))
        .to_owned();
    assert!(
        nonce.len() >= 22,
        "{what}: a nonce of 128 bits at least: {nonce}"
    );
    let scripts: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())])
        .collect();
    assert!(
        scripts.iter().any(|tag| tag.contains("type=\"module\"")),
        "{what}: no hydration script in {html}"
    );
    for tag in &scripts {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "{what}: a script without this response's nonce ({nonce}): <script{tag}>"
        );
    }
    nonce
}

async fn page(client: &Client, server: &TestServer, path: &str) -> (StatusCode, HeaderMap, String) {
    let response = client.get(server.url(path)).send().await.expect("page");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("page body"))
}

#[tokio::test]
async fn pages_get_a_fresh_script_nonce_and_nothing_sensitive_is_cached() {
    let (db, server, admin) = support::console().await;
    let anonymous = plain_client();

    let (status, headers, html) = page(&anonymous, &server, "/login").await;
    assert_eq!(status, StatusCode::OK);
    let first = page_nonce("/login", &headers, &html);
    let (_, headers, html) = page(&anonymous, &server, "/login").await;
    let second = page_nonce("/login again", &headers, &html);
    assert_ne!(first, second, "the nonce must change with every response");

    let (status, headers, html) = page(&admin, &server, "/security/api-tokens").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Create an API token"), "{html}");
    let third = page_nonce("/security/api-tokens", &headers, &html);
    assert!(third != first && third != second);

    let (status, headers, html) = page(&anonymous, &server, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    page_nonce("a 404 page", &headers, &html);

    let (status, headers, html) = page(&anonymous, &server, "/login?failed=throttled").await;
    assert_eq!(status, StatusCode::OK);
    page_nonce("/login?failed=throttled", &headers, &html);
    assert!(html.contains("Too many failed attempts"), "{html}");

    // Server functions, including the one answer that carries a token in clear.
    let (status, headers, body) = call_as(&server, &admin, "current_admin", &[], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_no_store("current_admin", &headers);
    let id = server.user_id(&admin, "svc-billing").await.to_string();
    let form = [
        ("user_id", id.as_str()),
        ("name", "Headers"),
        ("expiration", ""),
    ];
    let (status, headers, body) = call_as(&server, &admin, "create_token", &form, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_no_store("create_token", &headers);
    let token = body["token"].as_str().expect("token").to_owned();
    let (status, headers, body) = call_as(&server, &anonymous, "list_tokens", &[], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_no_store("a refused server function", &headers);

    let response = anonymous
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    let (status, headers, body) = answer(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_no_store("/api/v1/me", &headers);

    // Static bundles may be cached (they are the same for everyone).
    let pkg = db.dir.join("site").join("pkg");
    std::fs::create_dir_all(&pkg).expect("site/pkg");
    std::fs::write(pkg.join("jetons.css"), "body { margin: 0 }\n").expect("css");
    let (status, headers, css) = page(&anonymous, &server, "/pkg/jetons.css").await;
    assert_eq!(status, StatusCode::OK, "{css}");
    assert_eq!(css, "body { margin: 0 }\n");
    assert_common_headers("/pkg/jetons.css", &headers);
    assert_ne!(header(&headers, "cache-control"), "no-store");
}
