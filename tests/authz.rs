//! The authorization matrix of the server functions, through real HTTP: every server function,
//! for every caller that must not get through — no session, no right 090201, feature flag off,
//! cross-origin POST, non-POST method — with the exact answer, and proof that nothing changed
//! (the admin's token list and the audit log's size are the same before and after).
//! The console pages' matrix is in `authz_pages.rs`.

use crate::support;

use reqwest::header::{HeaderMap, ACCEPT, ALLOW, SET_COOKIE};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use support::{TestDb, TestServer, ADMIN, NO_RIGHT};

/// The server functions that need a session with right 090201.
const GATED: [&str; 10] = [
    "current_admin",
    "list_tokens",
    "eligible_users",
    "latest_expiration",
    "create_token",
    "remove_token",
    "delete_token",
    "set_allowed_addresses",
    "rotate_token",
    "audit_log",
];

/// Every server function.
const ALL: [&str; 12] = [
    "current_admin",
    "list_tokens",
    "eligible_users",
    "latest_expiration",
    "create_token",
    "remove_token",
    "delete_token",
    "set_allowed_addresses",
    "rotate_token",
    "audit_log",
    "logout",
    "login",
];

/// Headers of a POST that does not come from the console's own pages.
const CROSS_ORIGIN: [(&str, &[(&str, &str)]); 5] = [
    (
        "Origin: http://evil.example",
        &[("origin", "http://evil.example")],
    ),
    (
        "Origin: another port of the same host",
        &[("origin", "http://127.0.0.1:1")],
    ),
    (
        "no Origin, Sec-Fetch-Site: cross-site",
        &[("sec-fetch-site", "cross-site")],
    ),
    (
        "Origin: null, Sec-Fetch-Site: cross-site",
        &[("origin", "null"), ("sec-fetch-site", "cross-site")],
    ),
    ("neither Origin nor Sec-Fetch-Site", &[]),
];

/// The name of the token every test starts with.
const TARGET_NAME: &str = "Target token";

struct Fixture {
    server: TestServer,
    admin: Client,
    /// An active token's id, so remove and delete have a real target.
    target: String,
    /// svc-billing's id: a valid owner for create_token.
    billing: String,
    db: TestDb,
}

async fn fixture() -> Fixture {
    let (db, server, admin) = support::console().await;
    let (_, row) = server
        .create(&admin, "svc-billing", TARGET_NAME, "2099-12-31")
        .await;
    let billing = server.user_id(&admin, "svc-billing").await.to_string();
    Fixture {
        target: row["id"].to_string(),
        server,
        admin,
        billing,
        db,
    }
}

impl Fixture {
    /// Valid arguments for each server function: only the gate may stop the call.
    fn form(&self, name: &str) -> Vec<(&'static str, String)> {
        match name {
            "create_token" => vec![
                ("user_id", self.billing.clone()),
                ("name", "Sneaked in".into()),
                ("expiration", String::new()),
            ],
            "remove_token" | "delete_token" => vec![("id", self.target.clone())],
            "rotate_token" => vec![("id", self.target.clone()), ("overlap", "0".into())],
            "set_allowed_addresses" => vec![
                ("id", self.target.clone()),
                ("allowed_addresses", "10.0.0.0/8".into()),
            ],
            "audit_log" => vec![("page", "1".into())],
            "login" => vec![("login", ADMIN.0.into()), ("password", ADMIN.1.into())],
            _ => Vec::new(),
        }
    }

    /// Calls `name` the way the console's pages do (right Origin), with valid arguments.
    async fn call(&self, client: &Client, name: &str) -> (StatusCode, Value) {
        let form = self.form(name);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.server.call(client, name, &pairs).await
    }

    /// Sends `name` with valid arguments (query string for GET, form body otherwise) and
    /// exactly the extra `headers` given.
    async fn send(
        &self,
        client: &Client,
        method: Method,
        name: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, Value) {
        let form = self.form(name);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let url = self.server.url(&format!("/api/{name}"));
        let mut request = client
            .request(method.clone(), url)
            .header(ACCEPT, "application/json");
        request = if method == Method::GET {
            request.query(&pairs)
        } else {
            request.form(&pairs)
        };
        for (header, value) in headers {
            request = request.header(*header, *value);
        }
        support::answer(request.send().await.expect(name)).await
    }

    async fn audit_total(&self) -> u64 {
        self.server.audit_total(&self.admin).await
    }

    async fn newest_event(&self) -> Value {
        let (_, body) = self
            .server
            .call(&self.admin, "audit_log", &[("page", "1")])
            .await;
        body["entries"][0].clone()
    }

    async fn state(&self) -> (Vec<Value>, u64) {
        self.server.state(&self.admin).await
    }

    /// After refused requests: nothing stored, the admin still logged in (no logout ran), the
    /// stranger still logged out (no login ran).
    async fn assert_nothing_ran(&self, before: &(Vec<Value>, u64), stranger: &Client, what: &str) {
        assert_eq!(&self.state().await, before, "{what} changed something");
        let admin_session = self.call(&self.admin, "current_admin").await;
        check(&format!("{what}: logout ran"), &admin_session, 200, "");
        let stranger_session = self.call(stranger, "current_admin").await;
        check(
            &format!("{what}: login ran"),
            &stranger_session,
            401,
            "not_logged_in",
        );
    }
}

/// Asserts the status and the "error" code ("" = a success, without any "error").
fn check(what: &str, (status, body): &(StatusCode, Value), expected: u16, error: &str) {
    assert_eq!(status.as_u16(), expected, "{what}: {body}");
    if error.is_empty() {
        assert!(body.get("error").is_none(), "{what}: {body}");
    } else {
        assert_eq!(body["error"], error, "{what}: {body}");
    }
}

#[tokio::test]
async fn without_a_session_every_gated_function_answers_401_and_nothing_changes() {
    let f = fixture().await;
    let before = f.state().await;
    let anonymous = f.server.client();
    for name in GATED {
        check(name, &f.call(&anonymous, name).await, 401, "not_logged_in");
    }
    // Logging out without a session is a harmless no-op.
    check("logout", &f.call(&anonymous, "logout").await, 200, "");
    assert_eq!(
        f.state().await,
        before,
        "an anonymous caller changed something"
    );
}

#[tokio::test]
async fn without_right_090201_every_gated_function_answers_403_and_nothing_changes() {
    let f = fixture().await;
    let clerk = f.server.login(NO_RIGHT).await;
    let before = f.state().await;
    for name in GATED {
        check(name, &f.call(&clerk, name).await, 403, "forbidden");
    }
    assert_eq!(f.state().await, before, "a clerk changed something");

    // A clerk may still log out: the session ends, and only that is recorded.
    check("logout", &f.call(&clerk, "logout").await, 200, "");
    let after_logout = f.call(&clerk, "current_admin").await;
    check(
        "current_admin after logout",
        &after_logout,
        401,
        "not_logged_in",
    );
    let (tokens, total) = f.state().await;
    assert_eq!(tokens, before.0);
    assert_eq!(total, before.1 + 1);
    let event = f.newest_event().await;
    assert_eq!(event["action"], "Logout", "{event}");
    assert_eq!(event["actor"], "clerk", "{event}");
}

#[tokio::test]
async fn with_the_flag_off_only_the_session_and_audit_functions_answer() {
    let f = fixture().await;
    let second_session = f.server.login(ADMIN).await;
    let tokens = f.server.tokens(&f.admin).await;
    f.db.cli_ok("flag disable Technique 'Jetons Api'", None);
    let total = f.audit_total().await;
    let expected: [(&str, u16, &str); 10] = [
        ("current_admin", 200, ""),
        ("list_tokens", 403, "feature_disabled"),
        ("eligible_users", 403, "feature_disabled"),
        ("latest_expiration", 403, "feature_disabled"),
        ("create_token", 403, "feature_disabled"),
        ("remove_token", 403, "feature_disabled"),
        ("delete_token", 403, "feature_disabled"),
        ("set_allowed_addresses", 403, "feature_disabled"),
        ("rotate_token", 403, "feature_disabled"),
        ("audit_log", 200, ""),
    ];
    for (name, status, error) in expected {
        check(name, &f.call(&f.admin, name).await, status, error);
    }
    let (_, me) = f.call(&f.admin, "current_admin").await;
    assert_eq!(me["login"], "admin", "{me}");
    let event = f.newest_event().await;
    assert_eq!(event["action"], "FlagDisabled", "{event}");
    assert_eq!(
        f.audit_total().await,
        total,
        "a refused call was recorded or ran"
    );

    // Logging out does not depend on the flag.
    check("logout", &f.call(&second_session, "logout").await, 200, "");
    let after_logout = f.call(&second_session, "current_admin").await;
    check(
        "current_admin after logout",
        &after_logout,
        401,
        "not_logged_in",
    );
    assert_eq!(f.audit_total().await, total + 1);

    f.db.cli_ok("flag enable Technique 'Jetons Api'", None);
    assert_eq!(
        f.server.tokens(&f.admin).await,
        tokens,
        "the tokens changed"
    );
}

#[tokio::test]
async fn cross_origin_posts_are_refused_before_anything_runs() {
    let f = fixture().await;
    // The victim's browser sends the admin's session cookie along with the forged request.
    let stranger = f.server.client();
    let before = f.state().await;
    for (how, headers) in CROSS_ORIGIN {
        for name in ALL {
            let client = if name == "login" { &stranger } else { &f.admin };
            let (status, response_headers, body) =
                f.send(client, Method::POST, name, headers).await;
            let what = format!("{name} with {how}");
            check(&what, &(status, body), 403, "cross_origin");
            assert!(
                response_headers.get(SET_COOKIE).is_none(),
                "{what} set a cookie"
            );
        }
    }
    f.assert_nothing_ran(&before, &stranger, "a cross-origin request")
        .await;

    // Control: a same-origin form post whose browser says Origin: null is let through.
    let fetch_metadata = [("origin", "null"), ("sec-fetch-site", "same-origin")];
    let (status, _, body) = f
        .send(&f.admin, Method::POST, "list_tokens", &fetch_metadata)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn server_functions_answer_only_post_even_from_the_console_origin() {
    let f = fixture().await;
    let stranger = f.server.client();
    let before = f.state().await;
    let origin = [("origin", f.server.base.as_str())];
    let mut requests: Vec<(Method, &str)> = ALL.iter().map(|name| (Method::GET, *name)).collect();
    for method in [Method::PUT, Method::DELETE, Method::PATCH] {
        for name in [
            "create_token",
            "remove_token",
            "delete_token",
            "logout",
            "login",
        ] {
            requests.push((method.clone(), name));
        }
    }
    for (method, name) in requests {
        let client = if name == "login" { &stranger } else { &f.admin };
        let (status, headers, body) = f.send(client, method.clone(), name, &origin).await;
        let what = format!("{method} /api/{name}");
        check(&what, &(status, body), 405, "method_not_allowed");
        assert_eq!(
            headers.get(ALLOW).map(|v| v.as_bytes()),
            Some(&b"POST"[..]),
            "{what}"
        );
        assert!(headers.get(SET_COOKIE).is_none(), "{what} set a cookie");
    }
    f.assert_nothing_ran(&before, &stranger, "a non-POST request")
        .await;
}
