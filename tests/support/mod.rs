//! Starts the real server binary on an ephemeral port with a fresh database, and talks to it
//! over real HTTP.

mod db;
mod http;
pub mod relay;
pub use db::TestDb;
pub use http::{
    answer, call_as, client_from, plain_client, post_raw, raw_exchange, retry_after, session_cookie,
};

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use reqwest::header::{HeaderMap, AUTHORIZATION, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use serde_json::Value;

pub const SERVER: &str = env!("CARGO_BIN_EXE_server");
/// How fast a change made by another process (the CLI, another server) must reach a server.
pub const CHANGE_BOUND: Duration = Duration::from_secs(1);
pub const ADMIN: (&str, &str) = ("admin", "admin-password-1");
pub const NO_RIGHT: (&str, &str) = ("clerk", "clerk-password-1");

pub(crate) static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A test clock that runs on from two seconds before midnight, 2026-11-30, in Paris (the
/// database needs `JETONS_TIME_ZONE=Europe/Paris`): that day ends while the test runs.
pub const BEFORE_MIDNIGHT_IN_PARIS: [(&str, &str); 3] = [
    ("JETONS_TEST_MODE", "1"),
    ("JETONS_TEST_CLOCK", "2026-11-30T22:59:58Z"),
    ("JETONS_TEST_CLOCK_RUNS", "1"),
];

/// `server serve` on a free loopback port with this database, the test environment (debug
/// logs, plain-HTTP cookies, then `db.env`), stdout piped and stderr into `log`.
pub fn serve_command(db: &TestDb, log: &std::path::Path) -> Command {
    let mut command = Command::new(SERVER);
    command
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_SITE_ROOT", db.dir.join("site"))
        .env("RUST_LOG", "debug")
        .env("JETONS_SECURE_COOKIES", "false")
        .envs(db.env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).expect("log file"));
    command
}

/// A server process whose stdout is read to its end: its listening address as soon as it
/// prints it, and all of its output once it exits.
pub struct Started {
    pub child: Child,
    pub address: std::sync::mpsc::Receiver<String>,
    pub output: std::thread::JoinHandle<String>,
}

/// Spawns `command` (see [`serve_command`]) and reads what it prints.
pub fn spawn_server(command: &mut Command) -> Started {
    let mut child = command.spawn().expect("spawn the server");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, address) = std::sync::mpsc::channel();
    let output = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.split("listening on ").nth(1) {
                let _ = tx.send(addr.trim().to_owned());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    Started {
        child,
        address,
        output,
    }
}

pub struct TestServer {
    pub base: String,
    pub log: PathBuf,
    child: Child,
}

impl TestServer {
    /// Starts a server on `db` with these settings on top of the test environment.
    pub fn start_with(db: &TestDb, extra_env: &[(&str, &str)]) -> Self {
        let log = db.dir.join(format!(
            "server-{}.log",
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let Started {
            mut child, address, ..
        } = spawn_server(serve_command(db, &log).envs(extra_env.iter().copied()));
        let base = match address.recv_timeout(Duration::from_secs(30)) {
            Ok(base) => base,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "server did not start: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        Self { base, log, child }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Calls a server function the way the console's own pages do.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        name: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let (status, _, body) = call_as(self, client, name, form, None).await;
        (status, body)
    }

    pub async fn login(&self, who: (&str, &str)) -> reqwest::Client {
        let client = self.client();
        let (status, body) = self
            .call(&client, "login", &[("login", who.0), ("password", who.1)])
            .await;
        assert_eq!(status, StatusCode::OK, "login failed: {body}");
        client
    }

    /// The rows of the tokens table's first page (newest first).
    pub async fn tokens(&self, client: &reqwest::Client) -> Vec<Value> {
        self.token_page(client, &[]).await["rows"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// One page of the tokens table for these URL query fields.
    pub async fn token_page(&self, client: &reqwest::Client, query: &[(&str, &str)]) -> Value {
        let (status, body) = self.call(client, "list_tokens", query).await;
        assert_eq!(status, StatusCode::OK, "{query:?}: {body}");
        body
    }

    /// The users the create dialog offers, as (login, id).
    pub async fn eligible(&self, client: &reqwest::Client) -> Vec<(String, i64)> {
        let (status, users) = self.call(client, "eligible_users", &[]).await;
        assert_eq!(status, StatusCode::OK, "{users}");
        users
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| Some((u["login"].as_str()?.to_owned(), u["id"].as_i64()?)))
            .collect()
    }

    /// The logins `eligible_users` offers, in its order.
    pub async fn eligible_logins(&self, client: &reqwest::Client) -> Vec<String> {
        self.eligible(client)
            .await
            .into_iter()
            .map(|(login, _)| login)
            .collect()
    }

    /// How many events the audit log holds.
    pub async fn audit_total(&self, client: &reqwest::Client) -> u64 {
        let (status, body) = self.call(client, "audit_log", &[("page", "1")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["total"].as_u64().expect("audit total")
    }

    /// What an administrator can observe: every token (with its status) and the audit log's
    /// size. Equal before and after a refused call means the call changed nothing.
    pub async fn state(&self, client: &reqwest::Client) -> (Vec<Value>, u64) {
        (self.tokens(client).await, self.audit_total(client).await)
    }

    pub async fn user_id(&self, client: &reqwest::Client, login: &str) -> i64 {
        let users = self.eligible(client).await;
        users
            .iter()
            .find(|(l, _)| l == login)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| panic!("{login} is not an eligible user: {users:?}"))
    }

    /// Creates a token; returns (plaintext, row).
    pub async fn create(
        &self,
        client: &reqwest::Client,
        login: &str,
        name: &str,
        expiration: &str,
    ) -> (String, Value) {
        let id = self.user_id(client, login).await.to_string();
        let (status, body) = self
            .call(
                client,
                "create_token",
                &[("user_id", &id), ("name", name), ("expiration", expiration)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "create failed: {body}");
        (
            body["token"].as_str().expect("token").to_owned(),
            body["row"].clone(),
        )
    }

    /// `GET /api/v1/me` with a raw Authorization header (or none).
    pub async fn me_raw(&self, authorization: Option<&str>) -> (StatusCode, String, Value) {
        let mut headers = HeaderMap::new();
        if let Some(value) = authorization {
            headers.insert(AUTHORIZATION, value.parse().expect("header"));
        }
        let response = reqwest::Client::new()
            .get(self.url("/api/v1/me"))
            .headers(headers)
            .send()
            .await
            .expect("me");
        let status = response.status();
        let challenge = response
            .headers()
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, challenge, body)
    }

    pub async fn me(&self, token: &str) -> (StatusCode, String, Value) {
        self.me_raw(Some(&format!("Bearer {token}"))).await
    }

    /// `/api/v1/me` with `token` until it is no longer accepted, which must happen within
    /// [`CHANGE_BOUND`] of `since` (when a change that stops the token was committed by
    /// another process or instance). The first answer that is not 200.
    pub async fn me_once_stopped(
        &self,
        token: &str,
        since: std::time::Instant,
        what: &str,
    ) -> (StatusCode, String, Value) {
        loop {
            let answer = self.me(token).await;
            if answer.0 != StatusCode::OK {
                return answer;
            }
            assert!(
                since.elapsed() <= CHANGE_BOUND,
                "{what}: still accepted {:?} after the change",
                since.elapsed()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The HTML of a console page, as a browser session would get it.
    pub async fn html(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.expect("page");
        response.text().await.expect("page body")
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl TestServer {
    /// Every row of the tokens table, newest first, following "next" from the first page.
    pub async fn every_token(&self, client: &reqwest::Client) -> Vec<Value> {
        let mut rows = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let query: Vec<(&str, &str)> = after.iter().map(|a| ("after", a.as_str())).collect();
            let page = self.token_page(client, &query).await;
            rows.extend(page["rows"].as_array().cloned().unwrap_or_default());
            match page["next"].as_object() {
                Some(next) => {
                    let value = next["value"].as_str().unwrap_or_default();
                    after = Some(format!("{}.{value}", next["id"]));
                }
                None => return rows,
            }
        }
    }

    /// Kills the server at once (SIGKILL): no shutdown of any kind.
    pub fn kill_now(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The server's resident memory now (Linux: `VmRSS`), in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.split_whitespace().next()?.parse().ok())
            .expect("VmRSS")
    }

    /// Sends SIGTERM and waits at most `bound` for the process to end; its exit status, or
    /// `None` if it was still running.
    pub fn terminate(&mut self, bound: Duration) -> Option<std::process::ExitStatus> {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success(), "kill -TERM failed");
        let until = std::time::Instant::now() + bound;
        while std::time::Instant::now() < until {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A seeded database ([`TestDb::new`]), its running server, and an administrator's session.
pub async fn console() -> (TestDb, TestServer, reqwest::Client) {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let admin = server.login(ADMIN).await;
    (db, server, admin)
}

pub fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}
