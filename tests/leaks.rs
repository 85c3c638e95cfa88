//! No secret leaks: a token's plaintext is shown once, in the answer that created it, and never
//! again — not in the server's output (stderr and stdout) even at `RUST_LOG=trace`, not in any
//! other answer (JSON, pages, headers), not in the audit log. The same holds for console
//! passwords (right or wrong), mistyped tokens and the session id.
//!
//! `support::TestServer` only reads the server's stdout for its "listening on" line and drops
//! the rest, so this file starts the server itself (same environment as support, `db.env` last
//! so that `db.with_env("RUST_LOG", …)` wins over the default `debug`) and keeps both streams.

use crate::support;

use std::path::PathBuf;
use std::process::Child;
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, ORIGIN, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use support::{TestDb, ADMIN};

const WRONG_PASSWORD: &str = "Wrong-Password-q8Zt4";
const AUDITOR_PASSWORD: &str = "auditor-password-K3v9";

/// The real server binary, its whole output, and every answer it gave.
struct Server {
    base: String,
    stderr: PathBuf,
    /// Reads the server's stdout until it ends; returns all of it.
    reader: Option<JoinHandle<String>>,
    child: Child,
    /// (what was asked, status + headers + body) of every answer but the create_token ones.
    answers: Mutex<Vec<(String, String)>>,
}

impl Server {
    fn start(db: &TestDb) -> Self {
        let stderr = db.dir.join("leaks-server.log");
        let support::Started {
            mut child,
            address,
            output: reader,
        } = support::spawn_server(&mut support::serve_command(db, &stderr));
        let Ok(base) = address.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            let log = std::fs::read_to_string(&stderr).unwrap_or_default();
            panic!("server did not start: {log}");
        };
        Self {
            base,
            stderr,
            reader: Some(reader),
            child,
            answers: Mutex::new(Vec::new()),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Status, headers and body of an answer, as one text; kept in `answers` under `what`,
    /// unless `what` is `None` (the create_token answers, which must show their token).
    async fn record(&self, what: Option<&str>, response: Response) -> (StatusCode, String) {
        let status = response.status();
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.expect("body");
        let text = format!("{status}\n{headers}\n{body}");
        if let Some(what) = what {
            let answer = (what.to_owned(), text.clone());
            self.answers.lock().expect("answers lock").push(answer);
        }
        (status, text)
    }

    /// A server-function call the way the console's pages make it.
    async fn post(&self, client: &Client, name: &str, form: &[(&str, &str)]) -> Response {
        let url = self.url(&format!("/api/{name}"));
        let request = client.post(url).header(ORIGIN, &self.base);
        let request = request.header(ACCEPT, "application/json").form(form);
        request.send().await.expect(name)
    }

    /// A server-function call that must succeed; returns its JSON answer.
    async fn ok(&self, client: &Client, name: &str, form: &[(&str, &str)]) -> Value {
        let response = self.post(client, name, form).await;
        let (status, text) = self.record(Some(name), response).await;
        let body = serde_json::from_str(body_of(&text)).unwrap_or(Value::Null);
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        body
    }

    /// Logs in; returns the status and the session id the server set, if any.
    async fn login(&self, client: &Client, password: &str) -> (StatusCode, Option<String>) {
        let form = [("login", ADMIN.0), ("password", password)];
        let response = self.post(client, "login", &form).await;
        let session = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("jetons_session="))
            .and_then(|c| c.split(';').next())
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        (self.record(Some("login"), response).await.0, session)
    }

    /// Creates a token for `user_id`; returns (plaintext, id, the whole answer).
    async fn create(&self, client: &Client, user_id: &str, name: &str) -> (String, String, String) {
        let form = [("user_id", user_id), ("name", name), ("expiration", "")];
        let response = self.post(client, "create_token", &form).await;
        let (status, text) = self.record(None, response).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let body: Value = serde_json::from_str(body_of(&text))
            .unwrap_or_else(|_| panic!("create_token answer: {text}"));
        let token = body["token"].as_str().expect("token").to_owned();
        (token, body["row"]["id"].to_string(), text)
    }

    async fn me(&self, token: &str) -> StatusCode {
        let request = Client::new().get(self.url("/api/v1/me"));
        let response = request
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await;
        self.record(Some("GET /api/v1/me"), response.expect("me"))
            .await
            .0
    }

    async fn page(&self, client: &Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.expect("page");
        let (status, text) = self.record(Some(&format!("GET {path}")), response).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        text
    }

    /// Stops the server and returns everything it wrote (stderr, then stdout).
    fn output(&mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let reader = self.reader.take().map(JoinHandle::join);
        let stdout = reader.and_then(Result::ok).unwrap_or_default();
        let stderr = std::fs::read_to_string(&self.stderr).unwrap_or_default();
        format!("{stderr}\n{stdout}")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of an answer recorded as status, headers, body (one line each but the body).
fn body_of(answer: &str) -> &str {
    answer.splitn(3, '\n').nth(2).unwrap_or_default()
}

/// A well-formed token (right prefix, length and checksum) that the server never issued:
/// `jet_` + 43 base62 digits of `entropy` + 6 base62 digits of their CRC-32.
fn unknown_token(entropy: [u8; 32]) -> String {
    fn base62(bytes: &[u8], width: usize) -> String {
        const ALPHABET: &[u8; 62] =
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut number = bytes.to_vec();
        let mut digits = Vec::new();
        while number.iter().any(|&b| b != 0) {
            let mut remainder = 0u32;
            for byte in &mut number {
                let acc = (remainder << 8) | u32::from(*byte);
                *byte = u8::try_from(acc / 62).expect("base62 digit");
                remainder = acc % 62;
            }
            digits.push(ALPHABET[remainder as usize]);
        }
        digits.resize(width.max(digits.len()), b'0');
        digits.reverse();
        String::from_utf8(digits).expect("ascii")
    }
    let body = base62(&entropy, 43);
    let mut crc = !0u32;
    for &byte in body.as_bytes() {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    format!("jet_{body}{}", base62(&(!crc).to_be_bytes(), 6))
}

/// Asserts that none of the `secrets` (what it is, its text) is in `text`, which is `place`.
fn assert_hides(place: &str, text: &str, secrets: &[(&str, &str)]) {
    for (secret_name, secret) in secrets {
        assert!(!text.contains(*secret), "{secret_name} is in {place}");
    }
}

/// The token with one character of its body changed: a typo.
fn mistyped(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    chars[10] = if chars[10] == 'a' { 'b' } else { 'a' };
    chars.into_iter().collect()
}

async fn whole_flow_leaks_nothing(level: &str) {
    let db = TestDb::new().with_env("RUST_LOG", level);
    db.seed();
    // The CLI logs at the same level: a password read from stdin must not come out either.
    let cli = db.cli(
        "user add --login auditor --name 'Audrey Auditor' --employed-from 2020-01-01 --password-stdin",
        Some(AUDITOR_PASSWORD),
    );
    assert!(cli.status.success(), "{cli:?}");
    let cli_output = String::from_utf8_lossy(&[cli.stdout, cli.stderr].concat()).into_owned();
    let place = format!("the CLI's output at {level}: {cli_output}");
    assert_hides(&place, &cli_output, &[("the password", AUDITOR_PASSWORD)]);

    let mut server = Server::start(&db);
    let refused = server.client();
    let (status, refused_session) = server.login(&refused, WRONG_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused_session, None);
    let admin = server.client();
    let (status, session) = server.login(&admin, ADMIN.1).await;
    assert_eq!(status, StatusCode::OK);
    let session = session.expect("a session cookie");

    let users = server.ok(&admin, "eligible_users", &[]).await;
    let users = users.as_array().cloned().unwrap_or_default();
    let billing = users.iter().find(|u| u["login"] == "svc-billing");
    let billing = billing.expect("svc-billing is eligible")["id"].to_string();
    let (first, first_id, first_answer) = server.create(&admin, &billing, "Leak check one").await;
    let (second, second_id, second_answer) =
        server.create(&admin, &billing, "Leak check two").await;
    assert!(first_answer.contains(&first) && second_answer.contains(&second));
    assert!(
        !second_answer.contains(&first),
        "a create answer repeats an older token"
    );

    assert_eq!(server.me(&first).await, StatusCode::OK);
    assert_eq!(server.me(&second).await, StatusCode::OK);
    let typo = mistyped(&first);
    let unknown = unknown_token([0x5a; 32]);
    assert_eq!(server.me(&typo).await, StatusCode::UNAUTHORIZED);
    assert_eq!(server.me(&unknown).await, StatusCode::UNAUTHORIZED);

    // Everything the console shows while both tokens are active.
    server.ok(&admin, "current_admin", &[]).await;
    let rows = server.ok(&admin, "list_tokens", &[]).await;
    assert_eq!(rows["rows"].as_array().map(Vec::len), Some(2), "{rows}");
    let tokens_page = server.page(&admin, "/security/api-tokens").await;
    assert!(
        tokens_page.contains("Leak check one"),
        "the page lists the tokens"
    );

    server
        .ok(&admin, "remove_token", &[("id", &first_id)])
        .await;
    assert_eq!(server.me(&first).await, StatusCode::UNAUTHORIZED);
    server
        .ok(&admin, "delete_token", &[("id", &second_id)])
        .await;
    assert_eq!(server.me(&second).await, StatusCode::UNAUTHORIZED);
    server.ok(&admin, "list_tokens", &[]).await;
    server.page(&admin, "/security/api-tokens").await;

    let audit = server.ok(&admin, "audit_log", &[("page", "1")]).await;
    let pages = audit["pages"].as_u64().expect("pages");
    let mut actions = Vec::new();
    for page in 1..=pages + 1 {
        let number = page.to_string();
        let audit = server.ok(&admin, "audit_log", &[("page", &number)]).await;
        let entries = audit["entries"].as_array().cloned().unwrap_or_default();
        actions.extend(entries.iter().map(|e| e["action"].clone()));
        let path = format!("/security/audit-log?page={page}");
        server.page(&admin, &path).await;
    }
    for action in [
        "LoginFailed",
        "LoginSucceeded",
        "TokenCreated",
        "TokenRemoved",
        "TokenDeleted",
    ] {
        assert!(
            actions.contains(&Value::from(action)),
            "the audit log lacks {action}: {actions:?}"
        );
    }
    server.ok(&admin, "logout", &[]).await;

    let secrets = [
        ("the first token", first.as_str()),
        ("the second token", second.as_str()),
        ("the mistyped token", typo.as_str()),
        ("the unknown token", unknown.as_str()),
        ("the admin's password", ADMIN.1),
        ("the wrong password", WRONG_PASSWORD),
    ];
    let answers = server.answers.lock().expect("answers lock").clone();
    assert!(answers.len() > 20, "{} answers", answers.len());
    for (what, answer) in &answers {
        assert_hides(&format!("the answer to {what}: {answer}"), answer, &secrets);
    }

    let logs = server.output();
    assert!(
        !logs.trim().is_empty(),
        "the server logged nothing at {level}"
    );
    for event in [
        "console login failed",
        "console login succeeded",
        "API token created",
        "API token removed",
        "API token deleted",
    ] {
        assert!(
            logs.contains(event),
            "no “{event}” in the logs at {level}:\n{logs}"
        );
    }
    if level == "trace" {
        assert!(
            logs.contains("TRACE"),
            "RUST_LOG=trace was not applied:\n{logs}"
        );
    }
    let place = format!("the server's output at {level}");
    assert_hides(&place, &logs, &secrets);
    assert_hides(&place, &logs, &[("the session id", session.as_str())]);
}

#[tokio::test]
async fn no_secret_reaches_the_logs_or_any_other_answer_at_trace_level() {
    whole_flow_leaks_nothing("trace").await;
}

#[tokio::test]
async fn no_secret_reaches_the_logs_or_any_other_answer_at_debug_level() {
    whole_flow_leaks_nothing("debug").await;
}
