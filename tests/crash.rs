//! `kill -9` in the middle of creating tokens: after a restart, every token has its audit
//! event and every creation event its token; nothing is half written.

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::StatusCode;
use support::{TestDb, TestServer, ADMIN};

/// Every page of the audit log: the targets of the "TokenCreated" events.
async fn created_events(server: &TestServer, admin: &reqwest::Client) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    for page in 1.. {
        let (status, body) = server
            .call(admin, "audit_log", &[("page", &page.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let entries = body["entries"].as_array().cloned().unwrap_or_default();
        targets.extend(
            entries
                .iter()
                .filter(|e| e["action"] == "TokenCreated")
                .filter_map(|e| e["target"].as_str().map(str::to_owned)),
        );
        if body["page"].as_u64() >= body["pages"].as_u64() {
            break;
        }
    }
    targets
}

#[tokio::test]
async fn a_server_killed_while_creating_leaves_every_token_with_its_audit_event() {
    let db = TestDb::new();
    db.seed();
    let mut server = db.start();
    let admin = server.login(ADMIN).await;
    let user = server.user_id(&admin, "svc-billing").await.to_string();
    let mut creators = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let (client, url, origin, user) = (
            admin.clone(),
            server.url("/api/create_token"),
            server.base.clone(),
            user.clone(),
        );
        creators.spawn(async move {
            for n in 0.. {
                let name = format!("Crash {worker}-{n}");
                let sent = client
                    .post(&url)
                    .header("Origin", &origin)
                    .header("Accept", "application/json")
                    .form(&[
                        ("user_id", user.as_str()),
                        ("name", &name),
                        ("expiration", ""),
                    ])
                    .send()
                    .await;
                if sent.is_err() {
                    break; // the server is gone
                }
            }
        });
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.kill_now();
    while creators.join_next().await.is_some() {}

    let server = db.start();
    let admin = server.login(ADMIN).await;
    let tokens: BTreeSet<String> = server
        .every_token(&admin)
        .await
        .iter()
        .map(|row| format!("svc-billing › {}", row["name"].as_str().unwrap_or_default()))
        .collect();
    assert!(!tokens.is_empty(), "no token was created before the kill");
    eprintln!("{} tokens created before the kill", tokens.len());
    assert_eq!(created_events(&server, &admin).await, tokens);
}
