//! Fresh databases for tests: a SQLite file, or PostgreSQL (a schema of the run's database,
//! or a database of its own), and the operator CLI against them.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::Ordering;

use super::{TestServer, ADMIN, COUNTER, NO_RIGHT, SERVER};

/// A fresh folder and database for one test; removed on drop.
pub struct TestDb {
    pub dir: PathBuf,
    pub url: String,
    pub env: Vec<(String, String)>,
    postgres: Option<Postgres>,
}

/// Where a test's PostgreSQL data lives: a schema of the run's database (`cargo site test`
/// creates one per run and drops it afterwards), or a database of its own when the tests run
/// without one (`cargo test` alone).
enum Postgres {
    Schema { database: String, schema: String },
    Database(String),
}

/// The run's PostgreSQL database, if the runner made one.
fn run_database() -> Option<String> {
    std::env::var("JETONS_TEST_PG_RUN_DB")
        .ok()
        .filter(|name| !name.trim().is_empty())
}

/// The PostgreSQL server the tests create their databases on.
fn postgres_admin_url() -> String {
    std::env::var("JETONS_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn psql(database: &str, sql: &str) {
    let out = Command::new("psql")
        .arg(format!("{}/{database}", postgres_admin_url()))
        .args(["-v", "ON_ERROR_STOP=1", "-qAtc", sql])
        .output()
        .expect("psql (PostgreSQL client) must be installed");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestDb {
    /// A fresh database of the kind this run tests: SQLite, or PostgreSQL when
    /// `JETONS_TEST_DATABASE=postgres` (`cargo site test` runs the suite both ways).
    pub fn new() -> Self {
        match std::env::var("JETONS_TEST_DATABASE").as_deref() {
            Ok("postgres") => Self::postgres(),
            Ok("sqlite") | Err(_) => Self::sqlite(),
            Ok(other) => panic!("JETONS_TEST_DATABASE={other:?}: use sqlite or postgres"),
        }
    }

    pub fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!(
            "jetons-it-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}/jetons.db", dir.display());
        Self {
            dir,
            url,
            env: Vec::new(),
            postgres: None,
        }
    }

    /// A fresh PostgreSQL schema or database (dropped on drop).
    pub fn postgres() -> Self {
        let mut db = Self::sqlite();
        let name = db
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().replace('-', "_"))
            .expect("dir name");
        let postgres = match run_database() {
            Some(database) => {
                psql(&database, &format!("CREATE SCHEMA {name}"));
                db.url = format!(
                    "{}/{database}?options=-c%20search_path%3D{name}%2Cpublic",
                    postgres_admin_url()
                );
                Postgres::Schema {
                    database,
                    schema: name,
                }
            }
            None => {
                psql("postgres", &format!("CREATE DATABASE {name}"));
                db.url = format!("{}/{name}", postgres_admin_url());
                Postgres::Database(name)
            }
        };
        db.postgres = Some(postgres);
        db
    }

    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Runs an operator CLI command line (words split on spaces; 'single quotes' group)
    /// against this database.
    pub fn cli(&self, line: &str, stdin: Option<&str>) -> Output {
        let mut child = Command::new(SERVER)
            .args(words(line))
            .env("DATABASE_URL", &self.url)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the CLI");
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).expect("write stdin");
        }
        drop(pipe);
        child.wait_with_output().expect("CLI output")
    }

    /// Runs a CLI line that must succeed; returns when it has committed (the process exited).
    pub fn cli_change(&self, line: &str) -> std::time::Instant {
        self.cli_ok(line, None);
        std::time::Instant::now()
    }

    pub fn cli_ok(&self, line: &str, stdin: Option<&str>) -> String {
        let out = self.cli(line, stdin);
        assert!(
            out.status.success(),
            "CLI {line} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The people every console test needs, and the feature flag enabled.
    pub fn seed(&self) -> &Self {
        self.cli_ok("user add --login admin --name 'Ada Admin' --right 090201 --employed-from 2020-01-01 --password-stdin",
            Some(ADMIN.1),
        );
        self.cli_ok("user add --login clerk --name 'Carl Clerk' --employed-from 2020-01-01 --password-stdin",
            Some(NO_RIGHT.1),
        );
        self.cli_ok("user add --login svc-billing --name 'Billing connector' --technical --employed-from 2020-01-01",
            None,
        );
        self.cli_ok("user add --login svc-gone --name 'Gone connector' --technical --employed-from 2020-01-01 --employed-until 2021-12-31",
            None,
        );
        self.cli_ok("user add --login svc-future --name 'Future connector' --technical --employed-from 2999-01-01",
            None,
        );
        self.cli_ok(
            "user add --login jdupont --name 'Jeanne Dupont' --employed-from 2020-01-01",
            None,
        );
        self.cli_ok("flag enable Technique 'Jetons Api'", None);
        self
    }

    pub fn start(&self) -> TestServer {
        TestServer::start_with(self, &[])
    }

    /// Starts a server whose clock is fixed at `at` (RFC 3339), in test mode.
    pub fn start_at(&self, at: &str) -> TestServer {
        TestServer::start_with(
            self,
            &[("JETONS_TEST_MODE", "1"), ("JETONS_TEST_CLOCK", at)],
        )
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        match &self.postgres {
            None => {}
            Some(Postgres::Schema { database, schema }) => {
                psql(database, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
            Some(Postgres::Database(name)) => psql(
                "postgres",
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            ),
        }
    }
}

fn words(line: &str) -> Vec<String> {
    line.split('\'')
        .enumerate()
        .flat_map(|(i, part)| {
            if i % 2 == 1 {
                vec![part.to_owned()]
            } else {
                part.split_whitespace().map(str::to_owned).collect()
            }
        })
        .collect()
}
