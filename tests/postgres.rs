//! The scale-out path: the same server on PostgreSQL (`DATABASE_URL=postgres://…`).

use crate::support;

use reqwest::StatusCode;
use support::{TestDb, ADMIN, NO_RIGHT};

#[tokio::test]
async fn the_whole_token_lifecycle_works_on_postgresql() {
    let db = TestDb::postgres();
    db.seed();
    let server = db.start();
    let admin = server.login(ADMIN).await;

    let (status, users) = server.call(&admin, "eligible_users", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(users.as_array().map(Vec::len), Some(1), "{users}");

    let (kept, kept_row) = server
        .create(&admin, "svc-billing", "Kept", "2099-12-31")
        .await;
    let (removed, removed_row) = server.create(&admin, "svc-billing", "Removed", "").await;
    let (deleted, deleted_row) = server.create(&admin, "svc-billing", "Deleted", "").await;
    for token in [&kept, &removed, &deleted] {
        assert_eq!(server.me(token).await.0, StatusCode::OK);
    }
    let id = server.user_id(&admin, "svc-billing").await.to_string();
    let (status, body) = server
        .call(
            &admin,
            "create_token",
            &[("user_id", &id), ("name", "Kept"), ("expiration", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "name");

    let (status, _) = server
        .call(
            &admin,
            "remove_token",
            &[("id", &removed_row["id"].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server
        .call(
            &admin,
            "delete_token",
            &[("id", &deleted_row["id"].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(server.me(&kept).await.0, StatusCode::OK);
    assert_eq!(server.me(&removed).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(server.me(&deleted).await.0, StatusCode::UNAUTHORIZED);

    let rows = server.tokens(&admin).await;
    let names: Vec<&str> = rows.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Kept") && names.contains(&"Removed"));
    let removed_now = rows.iter().find(|r| r["name"] == "Removed").unwrap();
    assert_eq!(removed_now["removed_on"], support::today());
    assert_eq!(kept_row["expires_on"], "2099-12-31");

    let clerk = server.login(NO_RIGHT).await;
    assert_eq!(
        server.call(&clerk, "list_tokens", &[]).await.0,
        StatusCode::FORBIDDEN
    );
    let at = db.cli_change("flag disable Technique 'Jetons Api'");
    assert_eq!(
        server.call(&admin, "list_tokens", &[]).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _, _) = server.me_once_stopped(&kept, at, "flag disabled").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn audit_log_last_use_and_sessions_work_on_postgresql() {
    let db = TestDb::postgres().with_env("JETONS_SESSION_IDLE", "2s");
    db.seed();
    let server = db.start();
    let (status, _) = server
        .call(
            &server.client(),
            "login",
            &[("login", ADMIN.0), ("password", "wrong-password")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let admin = server.login(ADMIN).await;
    let (token, row) = server.create(&admin, "svc-billing", "Audited", "").await;
    assert!(row["last_used"].is_null(), "{row}");
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
    let used = server.tokens(&admin).await[0].clone();
    assert!(used["last_used"].is_string(), "{used}");
    assert_eq!(used["last_used_from"], "127.0.0.1");

    let (status, page) = server.call(&admin, "audit_log", &[("page", "1")]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let actions: Vec<&str> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions[..3],
        ["TokenCreated", "LoginSucceeded", "LoginFailed"],
        "{page}"
    );
    assert_eq!(page["entries"][0]["target"], "svc-billing › Audited");
    // Six people added and the flag enabled by the seed, then the three above.
    assert_eq!(page["total"], 10, "{page}");

    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
    let (status, body) = server.call(&admin, "list_tokens", &[]).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "an idle session ends: {body}"
    );
}
