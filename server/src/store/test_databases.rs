//! Fresh databases for the store's own tests (query plans, schema comparison), migrated as the
//! server would. PostgreSQL: `JETONS_TEST_POSTGRES` (default the local server, trust auth).

use std::path::PathBuf;

use sqlx::AnyPool;

use super::Db;

/// A fresh SQLite database in a folder of its own (remove the folder after).
pub(crate) async fn sqlite(purpose: &str) -> (Db, PathBuf) {
    let dir = std::env::temp_dir().join(format!("jetons-{purpose}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = Db::open(&format!("sqlite://{}/{purpose}.db", dir.display()))
        .await
        .expect("open SQLite");
    (db, dir)
}

/// Drops the PostgreSQL database it was made with.
pub(crate) struct Dropper {
    admin: AnyPool,
    name: String,
}

impl Dropper {
    pub(crate) async fn drop_database(self, db: Db) {
        db.close().await;
        sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .execute(&self.admin)
            .await
            .expect("drop");
    }
}

/// A fresh PostgreSQL database, made for this test.
pub(crate) async fn postgres(purpose: &str) -> (Db, Dropper) {
    let server = std::env::var("JETONS_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("jetons_{purpose}_{}", std::process::id());
    sqlx::any::install_default_drivers();
    let admin = AnyPool::connect(&format!("{server}/postgres"))
        .await
        .expect("PostgreSQL for the tests");
    for statement in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(&statement)
            .execute(&admin)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    let db = Db::open(&format!("{server}/{name}"))
        .await
        .expect("open PostgreSQL");
    (db, Dropper { admin, name })
}
