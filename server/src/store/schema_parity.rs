//! The migrations are written twice (SQLite, PostgreSQL). This test applies both to fresh
//! databases and compares what they made: tables, columns (type family and nullability),
//! indexes and triggers. Only the objects listed here as one backend's own may differ.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::Row;

use super::{Backend, Db};

/// SQLite alone: the change log the server polls (PostgreSQL notifies instead) and the FTS5
/// search tables (PostgreSQL has trigram indexes), with their shadow tables and triggers.
const SQLITE_ONLY: [&str; 3] = ["token_invalidations", "api_tokens_search", "people_search"];
/// PostgreSQL alone: the failure counts shared by instances (SQLite: one server, in memory)
/// and the trigram indexes.
const POSTGRES_ONLY: [&str; 3] = ["throttle_failures", "throttle_reports", "_trigrams"];

fn backend_only(name: &str, backend: Backend) -> bool {
    let own: &[&str] = match backend {
        Backend::Sqlite => &SQLITE_ONLY,
        Backend::Postgres => &POSTGRES_ONLY,
    };
    own.iter().any(|part| name.contains(part))
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    /// Table → column → (type family, not null).
    tables: BTreeMap<String, BTreeMap<String, (&'static str, bool)>>,
    indexes: BTreeSet<String>,
    triggers: BTreeSet<String>,
}

fn family(declared: &str) -> &'static str {
    let declared = declared.to_ascii_lowercase();
    if declared.contains("int") {
        "integer"
    } else if declared.contains("char") || declared.contains("text") {
        "text"
    } else {
        "other"
    }
}

async fn names(db: &Db, sql: &str) -> Vec<String> {
    sqlx::query(sql)
        .fetch_all(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| row.try_get::<String, _>(0).expect("a name"))
        .collect()
}

async fn schema(db: &Db) -> Schema {
    let backend = db.backend;
    let (tables, columns, indexes, triggers) = match backend {
        Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
            "SELECT name, type, CASE WHEN \"notnull\" = 1 OR pk > 0 THEN 1 ELSE 0 END \
             FROM pragma_table_info($1)",
            "SELECT name FROM sqlite_master WHERE type = 'index' \
             AND name NOT LIKE 'sqlite_autoindex%'",
            "SELECT name FROM sqlite_master WHERE type = 'trigger'",
        ),
        Backend::Postgres => (
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name NOT LIKE '\\_sqlx%'",
            "SELECT column_name::text, data_type::text, \
             CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1",
            // Primary keys and UNIQUE columns make their own indexes (SQLite: autoindexes).
            "SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = current_schema() \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            "SELECT DISTINCT trigger_name::text FROM information_schema.triggers \
             WHERE trigger_schema = current_schema()",
        ),
    };
    let mut found = Schema::default();
    for table in names(db, tables).await {
        if backend_only(&table, backend) {
            continue;
        }
        let rows = sqlx::query(columns)
            .bind(table.clone())
            .fetch_all(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("columns of {table}: {e}"));
        let columns = rows
            .iter()
            .map(|row| {
                let name: String = row.try_get(0).expect("column name");
                let declared: String = row.try_get(1).expect("column type");
                let not_null: i32 = row.try_get(2).expect("nullability");
                (name, (family(&declared), not_null == 1))
            })
            .collect();
        found.tables.insert(table, columns);
    }
    found.indexes = names(db, indexes)
        .await
        .into_iter()
        .filter(|name| !backend_only(name, backend))
        .collect();
    found.triggers = names(db, triggers)
        .await
        .into_iter()
        .filter(|name| !backend_only(name, backend))
        .collect();
    found
}

#[tokio::test]
async fn both_migration_sets_make_the_same_schema() {
    let (sqlite, sqlite_dir) = super::test_databases::sqlite("schema").await;
    let (postgres, dropper) = super::test_databases::postgres("schema").await;
    let (left, right) = (schema(&sqlite).await, schema(&postgres).await);
    assert!(left.tables.contains_key("api_tokens"), "{left:?}");
    assert!(left.indexes.contains("api_tokens_by_created"), "{left:?}");
    assert!(
        left.triggers.contains("api_tokens_mark_holders"),
        "{left:?}"
    );
    for (table, columns) in &left.tables {
        assert_eq!(
            Some(columns),
            right.tables.get(table),
            "table {table}: SQLite (left) and PostgreSQL (right) differ"
        );
    }
    assert_eq!(
        left.tables.keys().collect::<Vec<_>>(),
        right.tables.keys().collect::<Vec<_>>(),
        "tables"
    );
    assert_eq!(left.indexes, right.indexes, "indexes");
    assert_eq!(left.triggers, right.triggers, "triggers");
    sqlite.close().await;
    let _ = std::fs::remove_dir_all(sqlite_dir);
    dropper.drop_database(postgres).await;
}
