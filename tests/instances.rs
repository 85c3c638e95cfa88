//! Several servers on one PostgreSQL database count refused attempts together: N instances
//! do not give an attacker N times the budget (SQLite runs one server, which counts alone).

use crate::support;

use reqwest::header::{ACCEPT, ORIGIN};
use reqwest::StatusCode;
use support::{TestDb, TestServer, ADMIN};

async fn login_status(server: &TestServer, password: &str) -> StatusCode {
    support::plain_client()
        .post(server.url("/api/login"))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .form(&[("login", ADMIN.0), ("password", password)])
        .send()
        .await
        .expect("login")
        .status()
}

#[tokio::test]
async fn failed_logins_count_across_instances_on_postgresql() {
    let db = TestDb::postgres();
    db.seed();
    let (one, two) = (db.start(), db.start());
    // Five failures a minute per address, wherever they land.
    for (n, server) in [&one, &two, &one, &two, &one].into_iter().enumerate() {
        let status = login_status(server, &format!("wrong-{n}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "failure {n}");
    }
    assert_eq!(
        login_status(&two, ADMIN.1).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_status(&one, ADMIN.1).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

fn unknown_token(n: u8) -> String {
    let mut entropy = [7u8; app::domain::token::ENTROPY_BYTES];
    entropy[0] = n;
    app::domain::TokenSecret::from_entropy(entropy).into_exposed()
}

async fn me_status(server: &TestServer, token: &str) -> StatusCode {
    support::plain_client()
        .get(server.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
        .status()
}

#[tokio::test]
async fn unknown_tokens_count_across_instances_on_postgresql() {
    let db = TestDb::postgres();
    db.seed();
    let (one, two) = (db.start(), db.start());
    // Twenty unknown tokens a minute per address reach the database, however many servers.
    for n in 0..20u8 {
        let server = if n % 2 == 0 { &one } else { &two };
        assert_eq!(
            me_status(server, &unknown_token(n)).await,
            StatusCode::UNAUTHORIZED,
            "guess {n}"
        );
    }
    assert_eq!(
        me_status(&one, &unknown_token(100)).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        me_status(&two, &unknown_token(101)).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
