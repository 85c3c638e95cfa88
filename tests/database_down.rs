//! PostgreSQL gone: the console and the API answer 503 with `Retry-After` and a clear message
//! within the connection wait (2 s), never a 500 or a hang; when it is back, everything
//! recovers by itself. The database is cut and restored through a relay the test controls.

use crate::support;

use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, ORIGIN, RETRY_AFTER};
use reqwest::StatusCode;
use support::relay::Relay;
use support::{TestDb, TestServer, ADMIN};

/// Past this, a call counts as hanging (the old behaviour: 30 s).
const HANG: Duration = Duration::from_secs(10);

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(HANG)
        .cookie_store(true)
        .build()
        .expect("client")
}

// Several workers: the relay keeps running while the test waits for the server synchronously.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_its_database_the_server_answers_503_at_once_and_recovers() {
    let db = TestDb::postgres();
    db.seed();
    let (relay, url) = Relay::in_front_of(&db).await;
    let server = TestServer::start_with(&db, &[("DATABASE_URL", &url)]);
    let admin = server.login(ADMIN).await;
    let (token, _) = server
        .create(&admin, "svc-billing", "Through a cut", "")
        .await;
    assert_eq!(server.me(&token).await.0, StatusCode::OK);

    relay.cut();
    // The token cache stops being trusted within a second; then the API needs the database.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let me = client()
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the API answers without its database");
    assert_eq!(me.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(me.headers().contains_key(RETRY_AFTER));

    let (status, body) = server.call(&admin, "list_tokens", &[]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"], "database_unavailable", "{body}");

    let tokens_page = admin
        .get(server.url("/security/api-tokens"))
        .send()
        .await
        .expect("the tokens page answers");
    assert_eq!(tokens_page.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = tokens_page.text().await.unwrap_or_default();
    assert!(
        html.contains("The database cannot be reached right now"),
        "{html}"
    );

    let page = client()
        .get(server.url("/login"))
        .send()
        .await
        .expect("a page answers");
    assert!(
        page.status().is_success(),
        "the login page needs no database"
    );
    let log_in = |accept: &'static str| {
        client()
            .post(server.url("/api/login"))
            .header(ORIGIN, &server.base)
            .header(ACCEPT, accept)
            .form(&[("login", ADMIN.0), ("password", ADMIN.1)])
            .send()
    };
    let login = log_in("application/json")
        .await
        .expect("login answers without its database");
    assert_eq!(login.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(login.headers().contains_key(RETRY_AFTER));
    let text = login.text().await.unwrap_or_default();
    // The console shows this error in its own words ("The database cannot be reached…").
    assert!(text.contains(r#""error":"database_unavailable""#), "{text}");
    assert!(
        !text.contains("sqlx") && !text.contains("connection"),
        "{text}"
    );
    // A plain form post (no JavaScript) is not sent back to the form as a wrong password.
    let form_post = log_in("text/html")
        .await
        .expect("login answers without its database");
    assert_eq!(form_post.status(), StatusCode::SERVICE_UNAVAILABLE);

    relay.restore();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = server.call(&admin, "list_tokens", &[]).await;
        if status == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never recovered: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
    server.login(ADMIN).await;
}
