//! `cargo site <command>` — the one build entry point, used by the README, CI and the tests.
//!
//! - `build`: server binary, size-optimised WASM (wasm-bindgen at the Cargo.lock version, as a
//!   library; wasm-opt from npm's binaryen), CSS and public assets into the site root.
//! - `serve`: build, then serve the console with demo data on the embedded SQLite database.
//! - `test`: build, then every test: Rust unit and integration tests, then Playwright; then
//!   `dist`, and Playwright's core flow against the dist binary run from another directory.
//! - `dist`: one release binary with the site inside it (see `dist.rs`).
//!
//! Each command installs what it needs (wasm target, npm packages, Chromium) when missing.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant, SystemTime};

mod dist;
mod error;
mod wasm;

use error::{file, SiteError};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";
const CHROMIUM: &str = "/usr/bin/chromium";

type Result<T = ()> = std::result::Result<T, SiteError>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("build") => Workspace::locate().and_then(|ws| ws.build().map(|_| ())),
        Some("serve") => Workspace::locate().and_then(|ws| ws.serve(&args[1..])),
        Some("test") => Workspace::locate().and_then(|ws| ws.test(&args[1..])),
        Some("dist") => Workspace::locate().and_then(|ws| ws.dist().map(|_| ())),
        _ => {
            eprintln!(
                "usage: cargo site build | serve [server args] | test [playwright args] | dist\n\
                 build  server binary + optimised WASM + CSS into the site root\n\
                 dist   one release binary with the site inside it: target/dist/jetons\n\
                 serve  build, then serve the console with demo data (SQLite under data/)\n\
                 test   build, then Rust unit + integration tests and Playwright browser tests"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("site: {error}");
            ExitCode::FAILURE
        }
    }
}

struct Workspace {
    root: PathBuf,
    target: PathBuf,
    cargo: String,
    leptos: Leptos,
}

/// The site's names and paths, read from `[[workspace.metadata.leptos]]` (where cargo-leptos
/// reads them too, so the two cannot drift).
struct Leptos {
    /// The bundles' base name (`<name>.js`, `.wasm`, `.css`).
    output_name: String,
    /// The bundles' folder under the site root.
    pkg_dir: String,
    style_file: PathBuf,
    assets_dir: PathBuf,
}

impl Leptos {
    fn from_metadata(metadata: &serde_json::Value, root: &Path) -> Result<Self> {
        let section = &metadata["metadata"]["leptos"][0];
        let text = |key: &str| {
            section[key].as_str().map(str::to_owned).ok_or_else(|| {
                SiteError::MissingMetadata(format!("[[workspace.metadata.leptos]] {key}"))
            })
        };
        Ok(Self {
            output_name: text("output-name")?,
            pkg_dir: text("site-pkg-dir")?,
            style_file: root.join(text("style-file")?),
            assets_dir: root.join(text("assets-dir")?),
        })
    }
}

struct Site {
    root: PathBuf,
    server: PathBuf,
}

fn run(command: &mut Command) -> Result {
    let shown = format!("{command:?}");
    eprintln!("site: $ {shown}");
    let status = command.status().map_err(|source| SiteError::Start {
        command: shown.clone(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(SiteError::Failed {
            command: shown,
            status,
        })
    }
}

fn output(command: &mut Command) -> Result<String> {
    let out = command.output().map_err(|source| SiteError::Start {
        command: format!("{command:?}"),
        source,
    })?;
    if !out.status.success() {
        return Err(SiteError::FailedSaying {
            command: format!("{command:?}"),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    std::fs::create_dir_all(to).map_err(file("create", to))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest).map_err(file("copy", &path))?;
        }
    }
    Ok(())
}

/// The PostgreSQL server of the tests (trust authentication).
fn postgres_server() -> String {
    std::env::var("JETONS_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn drop_database(database: &str) -> Result {
    psql_admin(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
}

fn psql_admin(sql: &str) -> Result {
    run(Command::new("psql")
        .arg(format!("{}/postgres", postgres_server()))
        .args(["-v", "ON_ERROR_STOP=1", "-qc", sql]))
}

impl Workspace {
    fn locate() -> Result<Self> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let metadata =
            output(Command::new(&cargo).args(["metadata", "--format-version", "1", "--no-deps"]))?;
        let metadata: serde_json::Value = serde_json::from_str(&metadata)?;
        let field = |name: &str| {
            metadata[name]
                .as_str()
                .map(PathBuf::from)
                .ok_or_else(|| SiteError::MissingMetadata(name.to_owned()))
        };
        let root = field("workspace_root")?;
        Ok(Self {
            leptos: Leptos::from_metadata(&metadata, &root)?,
            root,
            target: field("target_directory")?,
            cargo,
        })
    }

    fn cargo(&self) -> Command {
        let mut command = Command::new(&self.cargo);
        command.current_dir(&self.root);
        command
    }

    fn end2end(&self) -> PathBuf {
        self.root.join("end2end")
    }

    fn ensure_wasm_target(&self) -> Result {
        let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))
            .unwrap_or_default();
        if installed.lines().any(|line| line.trim() == WASM_TARGET) {
            return Ok(());
        }
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
    }

    /// Playwright's npm packages. Reinstalled when the lockfile changes.
    fn ensure_npm(&self) -> Result {
        wasm::ensure_npm_package(&self.end2end())
    }

    fn ensure_chromium(&self) -> Result {
        if Path::new(CHROMIUM).exists() {
            return Ok(());
        }
        run(Command::new("apt-get").arg("update"))?;
        run(Command::new("apt-get").args(["install", "-y", "--no-install-recommends", "chromium"]))
    }

    fn build(&self) -> Result<Site> {
        let started = Instant::now();
        run(self
            .cargo()
            .args(["build", "--package", "server", "--bin", "server"]))?;
        let root = self.build_assets()?;
        eprintln!("site: built in {:.0?}", started.elapsed());
        Ok(Site {
            root,
            server: self.target.join("debug").join("server"),
        })
    }

    /// The WASM (size-optimised), its JS, the CSS and the public files, into the site root.
    fn build_assets(&self) -> Result<PathBuf> {
        self.ensure_wasm_target()?;
        run(self.cargo().args([
            "build",
            "--package",
            "frontend",
            "--lib",
            "--target",
            WASM_TARGET,
            "--profile",
            WASM_PROFILE,
        ]))?;

        let site = self.target.join("site");
        let pkg = site.join(&self.leptos.pkg_dir);
        let name = &self.leptos.output_name;
        std::fs::create_dir_all(&pkg).map_err(file("create", &pkg))?;
        let raw = self
            .target
            .join(WASM_TARGET)
            .join(WASM_PROFILE)
            .join("frontend.wasm");
        let wasm = pkg.join(format!("{name}.wasm"));
        if modified(&wasm) < modified(&raw) {
            self.bindgen(&raw, &pkg)?;
            self.optimise(&pkg.join(format!("{name}_bg.wasm")), &wasm)?;
        }
        let style = &self.leptos.style_file;
        std::fs::copy(style, pkg.join(format!("{name}.css"))).map_err(file("copy", style))?;
        copy_dir(&self.leptos.assets_dir, &site)?;

        let size = |path: &Path| std::fs::metadata(path).map(|m| m.len() / 1024).unwrap_or(0);
        eprintln!(
            "site: {} ({} KiB WASM, {} KiB JS)",
            site.display(),
            size(&wasm),
            size(&pkg.join(format!("{name}.js"))),
        );
        Ok(site)
    }

    fn serve(&self, args: &[String]) -> Result {
        let site = self.build()?;
        let mut command = Command::new(&site.server);
        command
            .current_dir(&self.root)
            .env("LEPTOS_SITE_ROOT", &site.root)
            .arg("serve")
            .arg("--demo")
            .args(args);
        // The demo is plain HTTP on loopback: say so, or the session cookie is `Secure`.
        if std::env::var_os("JETONS_SECURE_COOKIES").is_none() {
            command.env("JETONS_SECURE_COOKIES", "false");
        }
        run(&mut command)
    }

    /// The integration tests create their own PostgreSQL databases: fail early and clearly.
    fn check_postgres(&self) -> Result {
        let url = postgres_server();
        let address = url
            .rsplit('@')
            .next()
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default()
            .to_owned();
        let reachable = address
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(3)).is_ok());
        let psql = Command::new("psql").arg("--version").output().is_ok();
        if reachable && psql {
            return Ok(());
        }
        Err(SiteError::NoPostgres { url })
    }

    /// A PostgreSQL database made for this run (`jetons_<purpose>_<pid>_<ms>`), with the
    /// extensions the schema needs; drop it with [`drop_database`].
    fn run_database(&self, purpose: &str) -> Result<String> {
        let database = format!(
            "jetons_{purpose}_{}_{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default()
        );
        psql_admin(&format!("CREATE DATABASE {database}"))?;
        // Extensions belong to a whole database: made once here, in public, which every test's
        // schema has on its search path.
        run(Command::new("psql")
            .arg(format!("{}/{database}", postgres_server()))
            .args([
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            ]))?;
        Ok(database)
    }

    /// The Rust tests: unit tests, then the integration suite on SQLite and again on
    /// PostgreSQL, in a database made for this run and dropped after it.
    fn rust_tests(&self) -> Result {
        run(self
            .cargo()
            .args(["test", "--package", "app", "--features", "ssr"]))?;
        let database = self.run_database("run")?;
        let outcome = run(self
            .cargo()
            .args(["test", "--package", "server"])
            .env("JETONS_TEST_PG_RUN_DB", &database))
        .and_then(|()| {
            eprintln!("site: the integration tests again, on PostgreSQL");
            run(self
                .cargo()
                .args(["test", "--package", "server", "--test", "*"])
                .env("JETONS_TEST_DATABASE", "postgres")
                .env("JETONS_TEST_PG_RUN_DB", &database))
        });
        outcome.and(drop_database(&database))
    }

    /// The Playwright suite against the debug server, on SQLite, then again on PostgreSQL.
    fn browser_tests(&self, site: &Site, playwright_args: &[String]) -> Result {
        let playwright = || {
            let mut command = Command::new("npx");
            command
                .arg("playwright")
                .arg("test")
                .args(playwright_args)
                .current_dir(self.end2end())
                .env("JETONS_SERVER_BIN", &site.server)
                .env("LEPTOS_SITE_ROOT", &site.root);
            command
        };
        run(&mut playwright())?;
        eprintln!("site: the Playwright suite again, on PostgreSQL");
        let database = self.run_database("e2e")?;
        let outcome = run(playwright().env(
            "JETONS_E2E_DATABASE_URL",
            format!("{}/{database}", postgres_server()),
        ));
        outcome.and(drop_database(&database))
    }

    fn test(&self, playwright_args: &[String]) -> Result {
        self.check_postgres()?;
        self.ensure_chromium()?;
        self.ensure_npm()?;
        let site = self.build()?;
        self.rust_tests()?;
        self.browser_tests(&site, playwright_args)?;
        let dist = self.dist()?;
        self.test_dist(&dist)
    }
}
