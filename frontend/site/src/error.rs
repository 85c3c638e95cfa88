//! Why a `cargo site` command stopped: the one line it prints before exiting with a failure.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("cannot start {command}: {source}")]
    Start {
        command: String,
        #[source]
        source: io::Error,
    },
    #[error("{command} failed ({status})")]
    Failed { command: String, status: ExitStatus },
    #[error("{command} failed: {stderr}")]
    FailedSaying { command: String, stderr: String },
    #[error("{action} {}: {source}", path.display())]
    File {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{format}: {source}")]
    Compress {
        format: &'static str,
        #[source]
        source: io::Error,
    },
    #[error("cargo metadata: {0}")]
    Metadata(#[from] serde_json::Error),
    #[error("{0} is missing from cargo metadata")]
    MissingMetadata(String),
    #[error("wasm-bindgen: {0}")]
    Bindgen(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error(
        "the integration tests need PostgreSQL at {url} (trust auth) and the psql client; \
         start it (e.g. `pg_ctlcluster $(ls /etc/postgresql) main start`) or set \
         JETONS_TEST_POSTGRES=postgres://USER@HOST:PORT"
    )]
    NoPostgres { url: String },
}

/// A file operation's error, naming what was done to which path.
pub fn file(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> SiteError {
    let path = path.to_owned();
    move |source| SiteError::File {
        action,
        path,
        source,
    }
}
