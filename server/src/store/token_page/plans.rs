//! Every page query reads api_tokens through an index, on both databases (a plan with a full
//! table scan would cost O(rows) per page).
use super::*;
use app::token_query::{Cursor, QueryParams};

fn views() -> Vec<TokenQuery> {
    let mut views = vec![TokenQuery::default()];
    for status in TokenStatus::ALL {
        views.push(TokenQuery {
            status: Some(status),
            ..TokenQuery::default()
        });
    }
    views.push(TokenQuery {
        user: Some("svc-erp".into()),
        ..TokenQuery::default()
    });
    views.push(TokenQuery {
        search: Some("export".into()),
        ..TokenQuery::default()
    });
    for key in SortKey::ALL {
        for order in [SortOrder::Asc, SortOrder::Desc] {
            let sorted = TokenQuery {
                sort: key,
                order: Some(order),
                ..TokenQuery::default()
            };
            let value = match key {
                SortKey::Created | SortKey::LastUsed => "1700000000",
                SortKey::Expires => "2026-12-01",
                SortKey::Name | SortKey::User => "m",
            };
            let cursor = Cursor {
                id: 10,
                value: value.into(),
            };
            views.push(sorted.at(PageAt::After(cursor.clone())));
            views.push(sorted.at(PageAt::Before(cursor)));
            views.push(sorted);
        }
    }
    assert!(TokenQuery::parse(&QueryParams::default()).is_ok());
    views
}

fn day() -> StatusDates {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    app::domain::LifetimePolicy::default().status_dates(today)
}

async fn plan(db: &Db, sql: &Sql, explain: &str, setup: &[&str]) -> String {
    let mut conn = db.pool.acquire().await.expect("connection");
    for statement in setup {
        sqlx::query(statement)
            .execute(&mut *conn)
            .await
            .expect("setup");
    }
    let explained = Sql {
        text: format!("{explain} {}", sql.text),
        args: sql.args.clone(),
    };
    let rows = explained
        .query()
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", sql.text));
    rows.iter()
        .map(|row| row.try_get::<String, _>(row.len() - 1).expect("plan text"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Some thousands of tokens in every state, and the statistics a live database has: the
/// plans the planner then picks.
async fn with_statistics(db: &Db, analyze: &str) {
    let size = crate::store::BenchSize {
        people: 2_000,
        technical: 200,
        tokens: 20_000,
    };
    db.load_bench_data(size, chrono::Utc::now(), "plan test")
        .await
        .expect("bench data");
    sqlx::query(analyze)
        .execute(&db.pool)
        .await
        .expect("statistics");
}

/// Counting "User inactive" reads the live tokens of the people who cannot use them from an
/// index alone, not the tokens' rows.
fn inactive_count(backend: Backend) -> Sql {
    let query = TokenQuery {
        status: Some(TokenStatus::UserInactive),
        ..TokenQuery::default()
    };
    count_sql(&query, day(), backend, Search::Scan)
}

/// A search that found few rows reads them from the trigram index.
async fn search_plan(db: &Db, backend: Backend, explain: &str, setup: &[&str]) -> String {
    let query = TokenQuery {
        search: Some("export".into()),
        ..TokenQuery::default()
    };
    plan(
        db,
        &page_sql(&query, day(), 50, backend, Search::FewIndexed),
        explain,
        setup,
    )
    .await
}

/// A search of one or two characters is found through the indexes of lowercased texts, and
/// reads the same rows whether they come from those indexes or are tested one by one.
async fn check_short_search(db: &Db, backend: Backend, explain: &str, setup: &[&str]) {
    let query = |text: &str| TokenQuery {
        search: Some(text.into()),
        ..TokenQuery::default()
    };
    let indexed = page_sql(&query("zZ"), day(), 50, backend, Search::FewIndexed);
    let found = plan(db, &indexed, explain, setup).await;
    assert!(found.contains("by_lower"), "{found}");
    for text in ["tO", "zZ", "1"] {
        let ids = |how| {
            let sql = page_sql(&query(text), day(), 50, backend, how);
            async move {
                sql.query()
                    .fetch_all(&db.pool)
                    .await
                    .expect("page")
                    .iter()
                    .map(|row| row.try_get::<i64, _>("id").expect("id"))
                    .collect::<Vec<_>>()
            }
        };
        let scanned = ids(Search::Scan).await;
        assert_eq!(scanned, ids(Search::FewIndexed).await, "{text}");
        assert_eq!(scanned.is_empty(), text != "tO", "{text}: {scanned:?}");
    }
}

#[tokio::test]
async fn sqlite_pages_read_tokens_through_an_index() {
    let (db, dir) = crate::store::test_databases::sqlite("plans").await;
    with_statistics(&db, "ANALYZE").await;
    for query in views() {
        let plan = plan(
            &db,
            &page_sql(&query, day(), 50, Backend::Sqlite, Search::ManyIndexed),
            "EXPLAIN QUERY PLAN",
            &[],
        )
        .await;
        let table_line = plan
            .lines()
            .find(|line| line.contains(" t ") || line.ends_with(" t"))
            .unwrap_or_default();
        assert!(
            table_line.contains("INDEX") || table_line.contains("PRIMARY KEY"),
            "{query:?}\n{plan}"
        );
        // One user's tokens are few: found through the owner index, sorting them is cheap.
        if query.user.is_some() {
            assert!(plan.contains("api_tokens_by_owner"), "{query:?}\n{plan}");
        } else if query.status == Some(TokenStatus::ExpiresSoon) {
            // A few days of expirations: read from the expiration index, then sorted.
            assert!(
                plan.contains("api_tokens_by_expiration"),
                "{query:?}\n{plan}"
            );
        } else {
            assert!(
                !plan.contains("TEMP B-TREE FOR ORDER BY"),
                "{query:?}\n{plan}"
            );
        }
    }
    let found = search_plan(&db, Backend::Sqlite, "EXPLAIN QUERY PLAN", &[]).await;
    assert!(found.contains("api_tokens_search"), "{found}");
    let counted = plan(
        &db,
        &inactive_count(Backend::Sqlite),
        "EXPLAIN QUERY PLAN",
        &[],
    )
    .await;
    assert!(counted.contains("api_tokens_live_by_owner"), "{counted}");
    check_short_search(&db, Backend::Sqlite, "EXPLAIN QUERY PLAN", &[]).await;
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn postgresql_pages_read_tokens_through_an_index() {
    let (db, dropper) = crate::store::test_databases::postgres("plans").await;
    with_statistics(&db, "VACUUM ANALYZE").await;
    // An empty table is cheapest to scan whole: forbid that, to learn whether an index path
    // exists at all.
    let setup = ["SET enable_seqscan = off"];
    for query in views() {
        let plan = plan(
            &db,
            &page_sql(&query, day(), 50, Backend::Postgres, Search::ManyIndexed),
            "EXPLAIN",
            &setup,
        )
        .await;
        assert!(
            !plan.contains("Seq Scan on api_tokens"),
            "{query:?}\n{plan}"
        );
        assert!(plan.contains("Index"), "{query:?}\n{plan}");
    }
    let found = search_plan(&db, Backend::Postgres, "EXPLAIN", &setup).await;
    assert!(found.contains("trigrams"), "{found}");
    // Which of the two live-token indexes depends on the data; either way no token row is read.
    let counted = plan(&db, &inactive_count(Backend::Postgres), "EXPLAIN", &setup).await;
    assert!(
        counted.contains("Index Only Scan using api_tokens_live_by"),
        "{counted}"
    );
    check_short_search(&db, Backend::Postgres, "EXPLAIN", &setup).await;
    dropper.drop_database(db).await;
}
