//! Expiry warnings and the lifetime policy: the "Expires soon" status and its filter at the
//! edge of the warning days, the expiration date on every API answer, and the longest
//! lifetime allowed, in the console and on the server.

use crate::support;

use chrono::{Days, NaiveDate, Utc};
use reqwest::header::AUTHORIZATION;
use reqwest::StatusCode;
use serde_json::Value;
use support::{TestDb, TestServer, ADMIN};

const USER: &str = "svc-billing";

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn in_days(days: u64) -> String {
    (today() + Days::new(days)).to_string()
}

async fn console_with(settings: &[(&str, &str)]) -> (TestDb, TestServer, reqwest::Client) {
    let db = TestDb::new();
    db.seed();
    let server = TestServer::start_with(&db, settings);
    let admin = server.login(ADMIN).await;
    (db, server, admin)
}

fn names(page: &Value) -> Vec<String> {
    let mut names: Vec<String> = page["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| Some(row["name"].as_str()?.to_owned()))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn tokens_are_flagged_through_the_last_warning_day_and_the_filter_agrees() {
    let (_db, server, admin) = console_with(&[("JETONS_EXPIRY_WARNING_DAYS", "3")]).await;
    let (_, today_row) = server.create(&admin, USER, "Today", "").await;
    let (_, last_row) = server
        .create(&admin, USER, "Last warned", &in_days(3))
        .await;
    let (_, later_row) = server.create(&admin, USER, "Later", &in_days(4)).await;

    assert_eq!(today_row["status"], "ExpiresSoon", "{today_row}");
    assert_eq!(today_row["expires_in_days"], 0, "{today_row}");
    assert_eq!(last_row["status"], "ExpiresSoon", "{last_row}");
    assert_eq!(last_row["expires_in_days"], 3, "{last_row}");
    assert_eq!(later_row["status"], "Active", "{later_row}");
    assert_eq!(later_row["expires_in_days"], Value::Null, "{later_row}");

    let soon = server
        .token_page(&admin, &[("status", "expires_soon")])
        .await;
    assert_eq!(names(&soon), ["Last warned", "Today"], "{soon}");
    assert_eq!(soon["matches"]["count"], 2, "{soon}");
    let active = server.token_page(&admin, &[("status", "active")]).await;
    assert_eq!(names(&active), ["Later"], "{active}");

    // A removed token is removed, however soon it would have expired.
    let (status, removed) = server
        .call(
            &admin,
            "remove_token",
            &[("id", &today_row["id"].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert_eq!(removed["status"], "Removed", "{removed}");
    let soon = server
        .token_page(&admin, &[("status", "expires_soon")])
        .await;
    assert_eq!(names(&soon), ["Last warned"], "{soon}");
}

#[tokio::test]
async fn without_warning_days_no_token_expires_soon() {
    let (_db, server, admin) = console_with(&[("JETONS_EXPIRY_WARNING_DAYS", "0")]).await;
    let (_, row) = server.create(&admin, USER, "Today", "").await;
    assert_eq!(row["status"], "Active", "{row}");
    let soon = server
        .token_page(&admin, &[("status", "expires_soon")])
        .await;
    assert_eq!(names(&soon), Vec::<String>::new(), "{soon}");
}

#[tokio::test]
async fn every_authenticated_api_answer_names_the_tokens_expiration_date() {
    let (_db, server, admin) = console_with(&[]).await;
    let expires = in_days(40);
    let (token, _) = server.create(&admin, USER, "Integration", &expires).await;
    let response = reqwest::Client::new()
        .get(server.url("/api/v1/me"))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .expect("me");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("jetons-token-expires")
            .and_then(|v| v.to_str().ok()),
        Some(expires.as_str())
    );
    // A refused call says nothing about any token.
    let (status, _, _) = server.me_raw(Some("Bearer jet_nothing")).await;
    assert_ne!(status, StatusCode::OK);
    let refused = reqwest::Client::new()
        .get(server.url("/api/v1/me"))
        .send()
        .await
        .expect("me");
    assert!(refused.headers().get("jetons-token-expires").is_none());
}

#[tokio::test]
async fn the_lifetime_limit_allows_its_last_day_and_refuses_the_next() {
    let (_db, server, admin) = console_with(&[("JETONS_MAX_TOKEN_LIFETIME", "30d")]).await;
    let (status, latest) = server.call(&admin, "latest_expiration", &[]).await;
    assert_eq!(status, StatusCode::OK, "{latest}");
    assert_eq!(latest["day"], in_days(30).as_str(), "{latest}");
    let shown = latest["shown"].as_str().unwrap_or_default().to_owned();
    assert!(
        shown.len() > 6 && !shown.contains('-'),
        "a day for the reader: {latest}"
    );

    let (_, row) = server.create(&admin, USER, "Longest", &in_days(30)).await;
    assert_eq!(row["expires_on"], in_days(30).as_str(), "{row}");

    let before = server.state(&admin).await;
    let id = server.user_id(&admin, USER).await.to_string();
    let too_far = in_days(31);
    let (status, body) = server
        .call(
            &admin,
            "create_token",
            &[
                ("user_id", &id),
                ("name", "Too long"),
                ("expiration", &too_far),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "expiration", "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains(&shown), "{message}");
    assert_eq!(
        server.state(&admin).await,
        before,
        "a refused create changed something"
    );
}

#[tokio::test]
async fn without_a_limit_there_is_no_latest_date() {
    let (_db, server, admin) = console_with(&[]).await;
    let (status, latest) = server.call(&admin, "latest_expiration", &[]).await;
    assert_eq!(status, StatusCode::OK, "{latest}");
    assert_eq!(latest, Value::Null);
}
