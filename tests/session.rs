//! Console sessions and cross-site requests, through real HTTP: login (with and without
//! JavaScript), cookie attributes, rotation, logout, and refusal of cross-origin posts.

use crate::support;

use reqwest::header::{ACCEPT, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::StatusCode;
use support::{TestDb, ADMIN};

#[tokio::test]
async fn cross_origin_posts_are_refused_before_anything_happens() {
    let (_db, server, admin) = support::console().await;
    let id = server.user_id(&admin, "svc-billing").await.to_string();
    for origin in [Some("http://evil.example"), None] {
        let mut request = admin.post(server.url("/api/create_token")).form(&[
            ("user_id", id.as_str()),
            ("name", "Forged"),
            ("expiration", ""),
        ]);
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "origin {origin:?}"
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "cross_origin");
    }
    let forged_login = server
        .client()
        .post(server.url("/api/login"))
        .header(ORIGIN, "http://evil.example")
        .form(&[("login", ADMIN.0), ("password", ADMIN.1)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged_login.status(), StatusCode::FORBIDDEN);
    let cross_site_form = server
        .client()
        .post(server.url("/api/login"))
        .header(ORIGIN, "null")
        .header("sec-fetch-site", "cross-site")
        .form(&[("login", ADMIN.0), ("password", ADMIN.1)])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site_form.status(), StatusCode::FORBIDDEN);
    assert!(forged_login.headers().get(SET_COOKIE).is_none());
    assert!(server.tokens(&admin).await.is_empty());
}

/// Logs the admin in from the console's origin; returns the Set-Cookie header.
async fn login_cookie(server: &support::TestServer, client: &reqwest::Client) -> String {
    let response = client
        .post(server.url("/api/login"))
        .header(ORIGIN, &server.base)
        .form(&[("login", ADMIN.0), ("password", ADMIN.1)])
        .send()
        .await
        .unwrap();
    response.headers()[SET_COOKIE].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn login_sets_a_strict_http_only_session_and_logout_ends_it() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let client = server.client();
    let (status, body) = server
        .call(
            &client,
            "login",
            &[("login", ADMIN.0), ("password", "wrong-password")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_credentials");
    let (status, unknown) = server
        .call(
            &client,
            "login",
            &[("login", "nobody"), ("password", "wrong-password")],
        )
        .await;
    assert_eq!((status, unknown), (StatusCode::UNAUTHORIZED, body));

    let cookie = login_cookie(&server, &client).await;
    assert!(cookie.starts_with("jetons_session="));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_owned();

    let replay = |session: String| {
        let url = server.url("/api/current_admin");
        let origin = server.base.clone();
        async move {
            reqwest::Client::new()
                .post(url)
                .header(ORIGIN, origin)
                .header("cookie", session)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(replay(session.clone()).await, StatusCode::OK);
    // Logging in again rotates the session: the previous id stops working.
    let rotated = login_cookie(&server, &client)
        .await
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(rotated, session);
    assert_eq!(replay(session).await, StatusCode::UNAUTHORIZED);
    assert_eq!(replay(rotated.clone()).await, StatusCode::OK);
    let (status, _) = server.call(&client, "logout", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replay(rotated).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_login_form_works_without_javascript() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let client = server.client();
    let page = server.html(&client, "/login").await;
    assert!(
        page.contains("action=\"/api/login\"") && page.contains("method=\"post\""),
        "{page}"
    );
    let post = |password: &'static str| {
        client
            .post(server.url("/api/login"))
            // What Chromium sends for a form post from a no-referrer page.
            .header(ORIGIN, "null")
            .header("sec-fetch-site", "same-origin")
            .header(ACCEPT, "text/html")
            .header("referer", server.url("/login"))
            .form(&[("login", ADMIN.0), ("password", password)])
            .send()
    };
    let failed = post("wrong-password").await.unwrap();
    assert_eq!(failed.status(), StatusCode::FOUND);
    assert_eq!(failed.headers()[LOCATION], "/login?failed=1");
    let failed_page = server.html(&client, "/login?failed=1").await;
    assert!(failed_page.contains("Invalid login or password."));
    let ok = post(ADMIN.1).await.unwrap();
    assert_eq!(ok.status(), StatusCode::FOUND);
    assert_eq!(ok.headers()[LOCATION], "/security/api-tokens");
    let html = server.html(&client, "/security/api-tokens").await;
    assert!(html.contains("Create an API token"));
}
