//! The tokens table at any size: keyset pages that stay put while rows are added, every sort
//! in both directions, the filters, the count, and bad queries — on SQLite and PostgreSQL.

use crate::support;

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;
use support::{TestDb, TestServer, ADMIN};

const SORTS: [&str; 5] = ["created", "expires", "name", "user", "last_used"];

/// The console on `db`, with `tokens` generated tokens (benchmark data: every state) and the
/// people of the usual seed.
async fn console_with(db: TestDb, tokens: u32) -> (TestDb, TestServer, reqwest::Client) {
    db.seed();
    db.cli_ok(
        &format!("bench-data --people 40 --technical 8 --tokens {tokens}"),
        None,
    );
    let server = db.start();
    let admin = server.login(ADMIN).await;
    (db, server, admin)
}

fn ids(page: &Value) -> Vec<i64> {
    page["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| row["id"].as_i64())
        .collect()
}

fn cursor(page: &Value, which: &str) -> Option<String> {
    let cursor = page[which].as_object()?;
    Some(format!("{}.{}", cursor["id"], cursor["value"].as_str()?))
}

/// Every page from the first, following "next": the rows in order.
async fn walk(server: &TestServer, admin: &reqwest::Client, query: &[(&str, &str)]) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut fields = query.to_vec();
        if let Some(after) = &after {
            fields.push(("after", after));
        }
        let page = server.token_page(admin, &fields).await;
        let page_rows = page["rows"].as_array().cloned().unwrap_or_default();
        assert!(
            page_rows.len() <= 50,
            "{query:?}: a page holds at most 50 rows"
        );
        rows.extend(page_rows);
        match cursor(&page, "next") {
            Some(next) => after = Some(next),
            None => return rows,
        }
        assert!(rows.len() <= 10_000, "{query:?}: the walk does not end");
    }
}

fn sort_value(row: &Value, sort: &str) -> String {
    match sort {
        "created" => row["created_on"].as_str().unwrap_or_default().to_owned(),
        "expires" => row["expires_on"].as_str().unwrap_or_default().to_owned(),
        "name" => row["name"].as_str().unwrap_or_default().to_owned(),
        "user" => row["user_login"].as_str().unwrap_or_default().to_owned(),
        _ => row["last_used"].as_str().unwrap_or_default().to_owned(),
    }
}

async fn every_sort_visits_every_row_once_in_order(db: TestDb) {
    let (_db, server, admin) = console_with(db, 137).await;
    let first = server.token_page(&admin, &[]).await;
    assert_eq!(first["matches"]["count"], 137);
    assert_eq!(first["matches"]["exact"], true);
    for sort in SORTS {
        for dir in ["asc", "desc"] {
            let rows = walk(&server, &admin, &[("sort", sort), ("dir", dir)]).await;
            let seen: HashSet<i64> = rows.iter().filter_map(|r| r["id"].as_i64()).collect();
            assert_eq!((rows.len(), seen.len()), (137, 137), "{sort} {dir}");
            for pair in rows.windows(2) {
                let (a, b) = (sort_value(&pair[0], sort), sort_value(&pair[1], sort));
                let in_order = if dir == "asc" { a <= b } else { a >= b };
                assert!(in_order, "{sort} {dir}: {a:?} then {b:?}");
            }
        }
    }
}

#[tokio::test]
async fn every_sort_visits_every_row_once_in_order_on_sqlite() {
    every_sort_visits_every_row_once_in_order(TestDb::sqlite()).await;
}

#[tokio::test]
async fn every_sort_visits_every_row_once_in_order_on_postgresql() {
    every_sort_visits_every_row_once_in_order(TestDb::postgres()).await;
}

async fn pages_stay_put_while_tokens_are_created(db: TestDb) {
    let (_db, server, admin) = console_with(db, 120).await;
    let before: Vec<i64> = walk(&server, &admin, &[])
        .await
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    let first = server.token_page(&admin, &[]).await;
    assert_eq!(ids(&first), before[..50]);
    // Newer tokens sort first: they must not push rows from one page into the next.
    for n in 0..3 {
        server
            .create(&admin, "svc-billing", &format!("Inserted {n}"), "")
            .await;
    }
    let next = cursor(&first, "next").expect("a second page");
    let second = server.token_page(&admin, &[("after", &next)]).await;
    assert_eq!(ids(&second), before[50..100]);
    let previous = cursor(&second, "previous").expect("back to the first page");
    let back = server.token_page(&admin, &[("before", &previous)]).await;
    assert_eq!(ids(&back), before[..50], "Previous returns the same rows");
    assert!(
        cursor(&back, "previous").is_some(),
        "the tokens created since come before them"
    );
    let third = server
        .token_page(
            &admin,
            &[("after", &cursor(&second, "next").expect("third"))],
        )
        .await;
    assert_eq!(ids(&third), before[100..]);
    assert_eq!(cursor(&third, "next"), None);
}

#[tokio::test]
async fn pages_stay_put_while_tokens_are_created_on_sqlite() {
    pages_stay_put_while_tokens_are_created(TestDb::sqlite()).await;
}

#[tokio::test]
async fn pages_stay_put_while_tokens_are_created_on_postgresql() {
    pages_stay_put_while_tokens_are_created(TestDb::postgres()).await;
}

async fn filters_select_what_they_say(db: TestDb) {
    let (_db, server, admin) = console_with(db, 400).await;
    let total = server.token_page(&admin, &[]).await["matches"]["count"]
        .as_u64()
        .expect("count");
    let mut sum = 0;
    for (code, status) in [
        ("active", "Active"),
        ("expires_soon", "ExpiresSoon"),
        ("expired", "Expired"),
        ("removed", "Removed"),
        ("user_inactive", "UserInactive"),
    ] {
        let rows = walk(&server, &admin, &[("status", code)]).await;
        assert!(!rows.is_empty(), "the data has {status} tokens");
        assert!(rows.iter().all(|r| r["status"] == status), "{code}");
        let page = server.token_page(&admin, &[("status", code)]).await;
        assert_eq!(page["matches"]["count"].as_u64(), Some(rows.len() as u64));
        sum += rows.len() as u64;
    }
    assert_eq!(sum, total, "every token has exactly one status");

    let rows = walk(&server, &admin, &[("user", "load-0000003")]).await;
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["user_login"] == "load-0000003"));

    // Any case, in the token name or in the user's login or name.
    for (q, hit) in [
        ("TOKEN 12", "name"),
        ("CONNECTOR 7", "user_name"),
        ("0000005", "user_login"),
    ] {
        let rows = walk(&server, &admin, &[("q", q)]).await;
        assert!(!rows.is_empty(), "{q}");
        let needle = q.to_lowercase();
        assert!(
            rows.iter()
                .all(|r| ["name", "user_login", "user_name"].iter().any(|f| r[f]
                    .as_str()
                    .unwrap_or_default()
                    .to_lowercase()
                    .contains(&needle))),
            "{q}"
        );
        assert!(rows.iter().any(|r| r[hit]
            .as_str()
            .unwrap_or_default()
            .to_lowercase()
            .contains(&needle)));
    }
    // One or two characters match the start of a token name, login or user's name, any
    // case: "12" finds nobody although "Token 12" exists.
    let every = walk(&server, &admin, &[]).await;
    let starts = |row: &Value, text: &str| {
        ["name", "user_login", "user_name"].iter().any(|f| {
            row[f]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .starts_with(text)
        })
    };
    assert!(every.iter().any(|r| r["name"] == "Token 12"));
    for q in ["tO", "cO", "L", "12", "7"] {
        let needle = q.to_lowercase();
        let expected: HashSet<i64> = every
            .iter()
            .filter(|r| starts(r, &needle))
            .filter_map(|r| r["id"].as_i64())
            .collect();
        let found: HashSet<i64> = walk(&server, &admin, &[("q", q)])
            .await
            .iter()
            .filter_map(|r| r["id"].as_i64())
            .collect();
        assert_eq!(found, expected, "{q}");
        let count = server.token_page(&admin, &[("q", q)]).await["matches"]["count"].as_u64();
        assert_eq!(count, Some(expected.len() as u64), "{q}");
    }
    // Wildcards and quotes are plain characters here, in short texts (read at the start of
    // names) and long ones (read from the trigram indexes).
    for q in ["%", "_", "%%%", "_o_", "\"Token\"", "Tok*", "token OR x"] {
        let page = server.token_page(&admin, &[("q", q)]).await;
        assert_eq!(page["matches"]["count"], 0, "{q}");
    }
}

#[tokio::test]
async fn filters_select_what_they_say_on_sqlite() {
    filters_select_what_they_say(TestDb::sqlite()).await;
}

#[tokio::test]
async fn filters_select_what_they_say_on_postgresql() {
    filters_select_what_they_say(TestDb::postgres()).await;
}

#[tokio::test]
async fn past_ten_thousand_matches_the_count_says_more_than() {
    let (_db, server, admin) = console_with(TestDb::new(), 10_050).await;
    let page = server.token_page(&admin, &[]).await;
    assert_eq!(page["matches"]["count"], 10_000);
    assert_eq!(page["matches"]["exact"], false);
    let html = server.html(&admin, "/security/api-tokens").await;
    assert!(html.contains("More than 10,000 tokens"), "the page says so");
    let removed = server.token_page(&admin, &[("status", "removed")]).await;
    assert_eq!(removed["matches"]["exact"], true, "{}", removed["matches"]);
}

#[tokio::test]
async fn bad_table_queries_get_400_with_the_reason() {
    let (_db, server, admin) = support::console().await;
    for (field, value, reason) in [
        ("status", "lost", "Unknown status"),
        ("sort", "token_hash", "Unknown sort"),
        ("dir", "sideways", "Unknown direction"),
        ("after", "x.1", "not one this table gave"),
        ("q", &"q".repeat(101), "at most 100 characters"),
    ] {
        let (status, body) = server.call(&admin, "list_tokens", &[(field, value)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}={value}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(reason), "{field}: {message}");
    }
    let (status, body) = server
        .call(
            &admin,
            "list_tokens",
            &[("after", "1.a"), ("before", "2.b")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // The page itself says it too, with a way back.
    let html = server
        .html(&admin, "/security/api-tokens?status=lost")
        .await;
    assert!(html.contains("Unknown status"), "{html}");
}

#[tokio::test]
async fn the_user_field_offers_at_most_twenty_matching_technical_users() {
    let (_db, server, admin) = console_with(TestDb::new(), 10).await;
    let offered = |body: Value| -> Vec<String> {
        body.as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u["login"].as_str().map(str::to_owned))
            .collect()
    };
    let (status, body) = server
        .call(&admin, "eligible_users", &[("search", "")])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let everyone = offered(body);
    // load-0000001…8 are technical; load-0000008 left the company.
    assert_eq!(
        everyone.len(),
        8,
        "7 load connectors and svc-billing: {everyone:?}"
    );
    let (_, body) = server
        .call(&admin, "eligible_users", &[("search", "CONNECTOR 3")])
        .await;
    assert_eq!(offered(body), ["load-0000003"]);
    // Not technical, or no longer (or not yet) in the company: never offered.
    for login in [
        "load-0000008",
        "load-0000009",
        "svc-gone",
        "svc-future",
        "jdupont",
    ] {
        let (_, body) = server
            .call(&admin, "eligible_users", &[("search", login)])
            .await;
        assert_eq!(offered(body), Vec::<String>::new(), "{login}");
    }
}

#[tokio::test]
async fn without_a_pick_the_typed_user_names_the_owner() {
    let (_db, server, admin) = support::console().await;
    let create = |user: &'static str, name: &'static str| {
        let server = &server;
        let admin = &admin;
        async move {
            server
                .call(
                    admin,
                    "create_token",
                    &[
                        ("user_id", ""),
                        ("user", user),
                        ("name", name),
                        ("expiration", ""),
                    ],
                )
                .await
        }
    };
    // What the field shows after a pick, or a bare login, as a plain form would send it.
    for (user, name) in [
        ("Billing connector (svc-billing)", "Typed shown"),
        ("svc-billing", "Typed login"),
    ] {
        let (status, body) = create(user, name).await;
        assert_eq!(status, StatusCode::OK, "{user}: {body}");
        assert_eq!(body["row"]["user_login"], "svc-billing", "{user}");
    }
    for (user, message) in [
        ("nobody-here", "This user does not exist."),
        (
            "svc-gone",
            "This user no longer works in the company on that date.",
        ),
        (
            "Jeanne Dupont (jdupont)",
            "This user is not a technical user.",
        ),
        ("", "Select a user."),
    ] {
        let before = server.state(&admin).await;
        let (status, body) = create(user, "Refused").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{user}: {body}");
        assert_eq!(body["errors"][0]["field"], "user", "{user}");
        assert_eq!(body["errors"][0]["message"], message, "{user}");
        assert_eq!(
            server.state(&admin).await,
            before,
            "{user}: nothing changed"
        );
    }
}
