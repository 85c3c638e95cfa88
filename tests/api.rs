//! The bearer-protected API, through real HTTP against the real server and a real database.

use crate::support;

use reqwest::StatusCode;
use support::{TestDb, ADMIN};

const CLOCK_DAY: &str = "2031-03-15";

fn is_invalid_token(challenge: &str) -> bool {
    challenge.starts_with("Bearer realm=\"jetons\"")
        && challenge.contains("error=\"invalid_token\"")
}

#[tokio::test]
async fn a_created_token_authenticates_until_removed() {
    let (_db, server, admin) = support::console().await;
    let (token, row) = server
        .create(&admin, "svc-billing", "Nightly export", "")
        .await;
    assert_eq!(row["expires_on"], support::today());

    let (status, _, body) = server.me(&token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["login"], "svc-billing");
    assert_eq!(body["name"], "Billing connector");
    assert_eq!(body["token"]["name"], "Nightly export");
    assert_eq!(body["token"]["expiration_date"], support::today());

    let id = row["id"].to_string();
    let (status, body) = server.call(&admin, "remove_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, challenge, body) = server.me(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(is_invalid_token(&challenge), "{challenge}");
    assert_eq!(body["error"], "invalid_token");
}

#[tokio::test]
async fn a_deleted_token_stops_at_once() {
    let (_db, server, admin) = support::console().await;
    let (token, row) = server
        .create(&admin, "svc-billing", "To delete", "2099-12-31")
        .await;
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
    let (status, _) = server
        .call(&admin, "delete_token", &[("id", &row["id"].to_string())])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, challenge, _) = server.me(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(is_invalid_token(&challenge), "{challenge}");
    assert!(server.tokens(&admin).await.is_empty());
}

#[tokio::test]
async fn missing_malformed_and_unknown_credentials_follow_rfc_6750() {
    let (_db, server, admin) = support::console().await;
    let (token, _) = server.create(&admin, "svc-billing", "Probe", "").await;

    let (status, challenge, body) = server.me_raw(None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(challenge, "Bearer realm=\"jetons\"");
    assert!(body["error_description"].is_string());

    let (status, challenge, _) = server.me_raw(Some("Basic YWRtaW46YWRtaW4=")).await;
    assert_eq!(
        (status, challenge.as_str()),
        (StatusCode::UNAUTHORIZED, "Bearer realm=\"jetons\"")
    );

    for malformed in ["Bearer", "Bearer two words", "Bearer jet_\"quoted\""] {
        let (status, challenge, body) = server.me_raw(Some(malformed)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{malformed}");
        assert!(
            challenge.contains("error=\"invalid_request\""),
            "{challenge}"
        );
        assert_eq!(body["error"], "invalid_request");
    }

    let mut mistyped = token.clone().into_bytes();
    mistyped[20] = if mistyped[20] == b'a' { b'b' } else { b'a' };
    let mistyped = String::from_utf8(mistyped).unwrap();
    let unknown = {
        // Well-formed, right checksum, never issued: from another server's database.
        let other = TestDb::new();
        other.seed();
        let other_server = other.start();
        let other_admin = other_server.login(ADMIN).await;
        other_server
            .create(&other_admin, "svc-billing", "Elsewhere", "")
            .await
            .0
    };
    for bad in [
        mistyped.as_str(),
        unknown.as_str(),
        "jet_short",
        "ghp_0123456789",
    ] {
        let (status, challenge, body) = server.me(bad).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
        assert!(is_invalid_token(&challenge), "{challenge}");
        assert_eq!(body["error"], "invalid_token");
    }
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
    assert!(
        !server.logs().contains(&token),
        "the token appeared in the server log"
    );
}

#[tokio::test]
async fn a_token_works_through_its_expiration_day_and_never_after() {
    let db = TestDb::new();
    db.seed();
    let token = {
        let server = db.start_at(&format!("{CLOCK_DAY}T08:00:00Z"));
        let admin = server.login(ADMIN).await;
        let (token, row) = server
            .create(&admin, "svc-billing", "Short lived", "")
            .await;
        assert_eq!(row["expires_on"], CLOCK_DAY);
        assert_eq!(server.me(&token).await.0, StatusCode::OK);
        token
    };
    {
        let server = db.start_at(&format!("{CLOCK_DAY}T23:59:59Z"));
        assert_eq!(server.me(&token).await.0, StatusCode::OK);
    }
    let server = db.start_at("2031-03-16T00:00:00Z");
    assert!(
        server.logs().contains("TEST MODE"),
        "the fixed clock must be announced loudly"
    );
    let (status, challenge, body) = server.me(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(is_invalid_token(&challenge));
    assert_eq!(body["error_description"], "The token has expired.");
    let admin = server.login(ADMIN).await;
    assert_eq!(server.tokens(&admin).await[0]["status"], "Expired");
}

#[tokio::test]
async fn the_time_zone_decides_which_day_today_is() {
    let db = TestDb::new().with_env("JETONS_TIME_ZONE", "Pacific/Auckland");
    db.seed();
    // 2031-03-15T20:00Z is already 2031-03-16 in Auckland (UTC+13).
    let server = db.start_at("2031-03-15T20:00:00Z");
    let admin = server.login(ADMIN).await;
    let (_, row) = server.create(&admin, "svc-billing", "Auckland", "").await;
    assert_eq!(row["expires_on"], "2031-03-16");
    let id = server.user_id(&admin, "svc-billing").await.to_string();
    let (status, body) = server
        .call(
            &admin,
            "create_token",
            &[
                ("user_id", &id),
                ("name", "Yesterday"),
                ("expiration", CLOCK_DAY),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn a_token_stops_when_its_user_leaves_the_company() {
    let db = TestDb::new();
    db.cli_ok("user add --login admin --name Ada --right 090201 --employed-from 2020-01-01 --password-stdin",
        Some(ADMIN.1),
    );
    db.cli_ok(&format!("user add --login svc-leaving --name Leaving --technical --employed-from 2020-01-01 --employed-until {CLOCK_DAY}"),
        None,
    );
    db.cli_ok("flag enable Technique 'Jetons Api'", None);
    let token = {
        let server = db.start_at(&format!("{CLOCK_DAY}T12:00:00Z"));
        let admin = server.login(ADMIN).await;
        let (token, _) = server
            .create(&admin, "svc-leaving", "Long lived", "2040-01-01")
            .await;
        assert_eq!(server.me(&token).await.0, StatusCode::OK);
        token
    };
    let server = db.start_at("2031-03-16T12:00:00Z");
    let (status, _, body) = server.me(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_token");
    let admin = server.login(ADMIN).await;
    assert_eq!(server.tokens(&admin).await[0]["status"], "UserInactive");
}

#[tokio::test]
async fn a_token_stops_when_its_user_is_no_longer_technical() {
    let (db, server, admin) = support::console().await;
    let (token, _) = server.create(&admin, "svc-billing", "Robot", "").await;
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
    let at = db.cli_change("user set --login svc-billing --technical false");
    let (status, challenge, body) = server.me_once_stopped(&token, at, "not technical").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(is_invalid_token(&challenge), "{challenge}");
    assert_eq!(body["error"], "invalid_token");
    assert_eq!(server.tokens(&admin).await[0]["status"], "UserInactive");
    db.cli_ok("user set --login svc-billing --technical true", None);
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
}

#[tokio::test]
async fn tokens_stop_while_the_feature_flag_is_disabled() {
    let (db, server, admin) = support::console().await;
    let (token, _) = server.create(&admin, "svc-billing", "Flagged", "").await;
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
    let at = db.cli_change("flag disable Technique 'Jetons Api'");
    let (status, _, body) = server.me_once_stopped(&token, at, "flag disabled").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    db.cli_ok("flag enable Technique 'Jetons Api'", None);
    assert_eq!(server.me(&token).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_test_clock_without_test_mode_is_refused() {
    let db = TestDb::new().with_env("JETONS_TEST_CLOCK", "2031-03-15T08:00:00Z");
    let out = db.cli("migrate", None);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("JETONS_TEST_MODE"), "{stderr}");
}
