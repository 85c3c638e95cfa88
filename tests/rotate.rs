//! Rotation through real HTTP: the replacement keeps the user and the name and is shown once;
//! the old token stops at once, or at the end of its overlap and not a second later; bad
//! rotations change nothing; and a removed token's name can be used again.

use crate::support;

use reqwest::StatusCode;
use serde_json::Value;
use support::{TestDb, TestServer, ADMIN};

const USER: &str = "svc-billing";
const ROTATED: &str = "The token has been rotated; use its replacement.";

async fn rotate(
    server: &TestServer,
    admin: &reqwest::Client,
    id: &Value,
    expiration: &str,
    overlap: &str,
) -> (StatusCode, Value) {
    server
        .call(
            admin,
            "rotate_token",
            &[
                ("id", &id.to_string()),
                ("expiration", expiration),
                ("overlap", overlap),
            ],
        )
        .await
}

fn row_of(rows: &[Value], id: &Value) -> Value {
    rows.iter()
        .find(|row| row["id"] == *id)
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn rotating_at_once_keeps_user_and_name_and_stops_the_old_token() {
    let (_db, server, admin) = support::console().await;
    let in_30_days = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    let (old_token, old) = server.create(&admin, USER, "Deploy", &in_30_days).await;
    assert_eq!(old["rotation_expires"], in_30_days.as_str(), "{old}");

    let (status, rotated) = rotate(&server, &admin, &old["id"], "", "0").await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let new_token = rotated["token"].as_str().expect("the new token, once");
    assert_ne!(new_token, old_token);
    let new = &rotated["row"];
    assert_eq!(new["name"], "Deploy", "{new}");
    assert_eq!(new["user_login"], USER, "{new}");
    assert_eq!(new["status"], "Active", "{new}");
    // Today plus the old token's lifetime (30 days).
    assert_eq!(new["expires_on"], in_30_days.as_str(), "{new}");

    let (status, _, body) = server.me(&old_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error_description"], ROTATED, "{body}");
    assert_eq!(server.me(new_token).await.0, StatusCode::OK);

    let rows = server.tokens(&admin).await;
    let old_row = row_of(&rows, &old["id"]);
    assert_eq!(old_row["status"], "Removed", "{old_row}");
    assert_eq!(old_row["removal_reason"], "Rotated", "{old_row}");
    assert_eq!(
        old_row["removed_on"],
        support::today().as_str(),
        "{old_row}"
    );

    let (_, page) = server.call(&admin, "audit_log", &[("page", "1")]).await;
    let event = &page["entries"][0];
    assert_eq!(event["action"], "TokenRotated", "{event}");
    let target = event["target"].as_str().unwrap_or_default();
    let hint = |token: &str| format!("jet_…{}", &token[token.len() - 4..]);
    assert_eq!(
        target,
        format!(
            "{USER} › Deploy ({} → {})",
            hint(&old_token),
            hint(new_token)
        )
    );

    // Once rotated, it cannot be rotated again; its replacement can.
    let (status, body) = rotate(&server, &admin, &old["id"], "", "0").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = rotate(&server, &admin, &new["id"], "", "0").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_old_token_works_until_the_end_of_its_overlap_and_not_a_second_later() {
    let db = TestDb::new();
    db.seed();
    let (old_token, new_token) = {
        let server = db.start_at("2026-11-28T10:00:00Z");
        let admin = server.login(ADMIN).await;
        let (old_token, old) = server.create(&admin, USER, "Sync", "2026-12-31").await;
        let (status, rotated) = rotate(&server, &admin, &old["id"], "", "1h").await;
        assert_eq!(status, StatusCode::OK, "{rotated}");
        assert_eq!(server.me(&old_token).await.0, StatusCode::OK);
        let rows = server.tokens(&admin).await;
        let old_row = row_of(&rows, &old["id"]);
        assert_eq!(old_row["status"], "Removed", "{old_row}");
        assert_eq!(old_row["removal_reason"], "Rotated", "{old_row}");
        assert_eq!(old_row["works_until"], "2026-11-28 11:00", "{old_row}");
        (
            old_token,
            rotated["token"].as_str().expect("token").to_owned(),
        )
    };
    {
        let server = db.start_at("2026-11-28T10:59:59Z");
        assert_eq!(server.me(&old_token).await.0, StatusCode::OK);
        assert_eq!(server.me(&new_token).await.0, StatusCode::OK);
    }
    let server = db.start_at("2026-11-28T11:00:00Z");
    let (status, _, body) = server.me(&old_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error_description"], ROTATED, "{body}");
    assert_eq!(server.me(&new_token).await.0, StatusCode::OK);
}

#[tokio::test]
async fn bad_rotations_are_refused_and_change_nothing() {
    let (_db, server, admin) = support::console().await;
    let (token, row) = server.create(&admin, USER, "Kept", "").await;
    let before = server.state(&admin).await;
    for (expiration, overlap, status, field) in [
        ("", "2h", StatusCode::UNPROCESSABLE_ENTITY, "overlap"),
        (
            "2020-01-01",
            "0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "expiration",
        ),
        (
            "tomorrow",
            "0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "expiration",
        ),
    ] {
        let (got, body) = rotate(&server, &admin, &row["id"], expiration, overlap).await;
        assert_eq!(got, status, "{expiration:?} {overlap:?}: {body}");
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    let (status, body) = rotate(&server, &admin, &Value::from(999_999), "", "0").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(server.state(&admin).await, before);
    assert_eq!(server.me(&token).await.0, StatusCode::OK);

    let (status, _) = server
        .call(&admin, "remove_token", &[("id", &row["id"].to_string())])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = rotate(&server, &admin, &row["id"], "", "0").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn a_removed_tokens_name_can_be_used_again_but_not_a_live_ones() {
    let (_db, server, admin) = support::console().await;
    let (_, first) = server.create(&admin, USER, "Reused", "").await;
    let (status, _) = server
        .call(&admin, "remove_token", &[("id", &first["id"].to_string())])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, second) = server.create(&admin, USER, "Reused", "").await;
    assert_ne!(second["id"], first["id"]);

    let id = server.user_id(&admin, USER).await.to_string();
    let (status, body) = server
        .call(
            &admin,
            "create_token",
            &[("user_id", &id), ("name", "Reused"), ("expiration", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "name", "{body}");
}

#[tokio::test]
async fn a_rotated_token_still_in_its_overlap_can_be_stopped_at_once() {
    let (_db, server, admin) = support::console().await;
    let (by_holder, first) = server.create(&admin, USER, "Leaks", "").await;
    let (status, rotated) = rotate(&server, &admin, &first["id"], "", "7d").await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let replacement = rotated["token"].as_str().expect("token").to_owned();
    assert_eq!(server.me(&by_holder).await.0, StatusCode::OK);
    let response = reqwest::Client::new()
        .post(server.url("/api/v1/revoke"))
        .form(&[("token", by_holder.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(response.status(), StatusCode::OK);
    let (status, _, body) = server.me(&by_holder).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(server.me(&replacement).await.0, StatusCode::OK);
    let rows = server.tokens(&admin).await;
    assert_eq!(row_of(&rows, &first["id"])["removal_reason"], "Holder");
    assert_eq!(row_of(&rows, &first["id"])["works_until"], Value::Null);

    let (by_admin, second) = server.create(&admin, USER, "Cut short", "").await;
    let (status, _) = rotate(&server, &admin, &second["id"], "", "24h").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(server.me(&by_admin).await.0, StatusCode::OK);
    let (status, body) = server
        .call(&admin, "remove_token", &[("id", &second["id"].to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = server.me(&by_admin).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error_description"], "The token has been removed.");
}
