//! `/healthz` and `/readyz`, as a load balancer calls them: no session, no credentials.

use crate::support;

use reqwest::header::{CACHE_CONTROL, RETRY_AFTER};
use reqwest::StatusCode;
use support::TestDb;

#[tokio::test]
async fn health_and_readiness_answer_without_a_session_and_say_why_not_ready() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let client = support::plain_client();
    let get = |path: &'static str| {
        let request = client.get(server.url(path));
        async move { support::answer(request.send().await.expect(path)).await }
    };

    let (status, headers, body) = get("/healthz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "alive");
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    let (status, _, body) = get("/readyz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ready");

    // The schema falls behind the binary (its newest migration taken back): not ready.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url)
        .await
        .expect("the test database");
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&pool)
    .await
    .expect("take a migration back");
    pool.close().await;
    let (status, headers, body) = get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "not ready");
    let reason = body["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("this server needs"), "{body}");
    assert!(headers.contains_key(RETRY_AFTER));
    // The process itself is fine.
    assert_eq!(get("/healthz").await.0, StatusCode::OK);
}
