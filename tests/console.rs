//! The console's server functions and pages, through real HTTP: no session, the right 090201,
//! the feature flag, bad input, server-side rendering.

use crate::support;

use reqwest::header::{LOCATION, ORIGIN};
use reqwest::StatusCode;
use support::{TestDb, ADMIN, NO_RIGHT};

const TOKEN_FUNCTIONS: [(&str, &[(&str, &str)]); 8] = [
    ("list_tokens", &[]),
    ("eligible_users", &[]),
    ("latest_expiration", &[]),
    (
        "create_token",
        &[("user_id", "3"), ("name", "X"), ("expiration", "")],
    ),
    ("remove_token", &[("id", "1")]),
    ("delete_token", &[("id", "1")]),
    ("rotate_token", &[("id", "1"), ("overlap", "0")]),
    (
        "set_allowed_addresses",
        &[("id", "1"), ("allowed_addresses", "10.0.0.0/8")],
    ),
];

#[tokio::test]
async fn without_a_session_every_function_answers_401_and_changes_nothing() {
    let (_db, server, admin) = support::console().await;
    server.create(&admin, "svc-billing", "Existing", "").await;
    let anonymous = server.client();
    for (name, form) in TOKEN_FUNCTIONS
        .iter()
        .chain([("current_admin", &[][..])].iter())
    {
        let (status, body) = server.call(&anonymous, name, form).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: {body}");
        assert_eq!(body["error"], "not_logged_in", "{name}");
    }
    let tokens = server.tokens(&admin).await;
    assert_eq!(tokens.len(), 1);
    // Still usable (it expires at the end of today).
    assert_eq!(tokens[0]["status"], "ExpiresSoon");

    let page = anonymous
        .get(server.url("/security/api-tokens"))
        .send()
        .await
        .unwrap();
    assert!(page.status().is_redirection(), "{}", page.status());
    assert_eq!(page.headers()[LOCATION], "/login");
}

#[tokio::test]
async fn without_right_090201_every_function_answers_403() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let clerk = server.login(NO_RIGHT).await;
    for (name, form) in TOKEN_FUNCTIONS
        .iter()
        .chain([("current_admin", &[][..])].iter())
    {
        let (status, body) = server.call(&clerk, name, form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {body}");
        assert_eq!(body["error"], "forbidden", "{name}");
    }
    let page = clerk
        .get(server.url("/security/api-tokens"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let html = page.text().await.unwrap();
    assert!(html.contains("403"), "{html}");
    assert!(
        !html.contains(r#"data-token-action="create""#),
        "the page offers Create: {html}"
    );
}

#[tokio::test]
async fn with_the_flag_disabled_the_screen_does_not_exist() {
    let (db, server, admin) = support::console().await;
    db.cli_ok("flag disable Technique 'Jetons Api'", None);
    for (name, form) in TOKEN_FUNCTIONS {
        let (status, body) = server.call(&admin, name, form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {body}");
        assert_eq!(body["error"], "feature_disabled", "{name}");
    }
    let html = server.html(&admin, "/security/api-tokens").await;
    assert!(
        html.contains("This feature requires enabling the feature flag Technique &gt; Jetons Api."),
        "{html}"
    );
    assert!(
        !html.contains(r#"data-token-action="create""#),
        "the page offers Create: {html}"
    );
    db.cli_ok("flag enable Technique 'Jetons Api'", None);
    assert!(server.tokens(&admin).await.is_empty());
}

#[tokio::test]
async fn bad_input_gets_a_specific_error_and_stores_nothing() {
    let (_db, server, admin) = support::console().await;
    let billing = server.user_id(&admin, "svc-billing").await.to_string();
    server.create(&admin, "svc-billing", "Taken", "").await;
    let long = "n".repeat(101);
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("", "Name", "", "user"),
        ("999999", "Name", "", "user"),
        ("abc", "Name", "", "user"),
        ("4", "Name", "", "user"), // svc-gone
        ("5", "Name", "", "user"), // svc-future
        ("6", "Name", "", "user"), // jdupont
        (&billing, "", "", "name"),
        (&billing, "   ", "", "name"),
        (&billing, &long, "", "name"),
        (&billing, " Taken ", "", "name"),
        (&billing, "Name", "2000-01-01", "expiration"),
        (&billing, "Name", "31/12/2099", "expiration"),
        (&billing, "Name", "2099-02-30", "expiration"),
        (&billing, "Name", "10000-01-01", "expiration"),
    ];
    for (user_id, name, expiration, field) in cases {
        let (status, body) = server
            .call(
                &admin,
                "create_token",
                &[
                    ("user_id", user_id),
                    ("name", name),
                    ("expiration", expiration),
                ],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{user_id} {name:?} {expiration}: {body}"
        );
        assert_eq!(body["error"], "invalid");
        assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
        assert_eq!(body["errors"][0]["field"], field, "{body}");
        assert!(body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let (status, body) = server
        .call(
            &admin,
            "create_token",
            &[("user_id", ""), ("name", " "), ("expiration", "yesterday")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["user", "name", "expiration"],
        "every field is reported at once"
    );
    let reasons = [
        ("999999", "This user does not exist."),
        (
            "4",
            "This user no longer works in the company on that date.",
        ),
        (
            "5",
            "This user is not yet working in the company on that date.",
        ),
        ("6", "This user is not a technical user."),
    ];
    for (user_id, reason) in reasons {
        let (_, body) = server
            .call(
                &admin,
                "create_token",
                &[("user_id", user_id), ("name", "Name"), ("expiration", "")],
            )
            .await;
        assert_eq!(body["errors"][0]["message"], reason, "user {user_id}");
    }
    let (status, body) = server
        .call(&admin, "create_token", &[("name", "No user")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = server
        .call(&admin, "remove_token", &[("id", "not-a-number")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(server.tokens(&admin).await.len(), 1);
}

#[tokio::test]
async fn the_eligible_users_are_technical_users_employed_today() {
    let (_db, server, admin) = support::console().await;
    let logins: Vec<String> = server.eligible_logins(&admin).await;
    assert_eq!(logins, ["svc-billing"]);
}

#[tokio::test]
async fn remove_and_delete_report_tokens_that_are_gone_or_already_removed() {
    let (_db, server, admin) = support::console().await;
    let (_, row) = server.create(&admin, "svc-billing", "Twice", "").await;
    let id = row["id"].to_string();
    let (status, removed) = server.call(&admin, "remove_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(removed["removed_on"], support::today());
    assert_eq!(removed["status"], "Removed");
    let (status, body) = server.call(&admin, "remove_token", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["message"], "This token has already been removed.");
    assert_eq!(
        server.call(&admin, "delete_token", &[("id", &id)]).await.0,
        StatusCode::OK
    );
    for name in ["remove_token", "delete_token"] {
        let (status, body) = server.call(&admin, name, &[("id", &id)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}: {body}");
        assert_eq!(body["error"], "not_found");
    }
}

#[tokio::test]
async fn the_page_is_rendered_on_the_server_with_hints_and_escaped_names() {
    let (_db, server, admin) = support::console().await;
    let name = "<script>alert('x')</script> & co";
    let (token, row) = server
        .create(&admin, "svc-billing", name, "2099-12-31")
        .await;
    let response = admin
        .get(server.url("/security/api-tokens"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    for text in [
        "Administration console",
        "API tokens",
        "Create an API token",
        "Token name",
        "Removal date",
        "Billing connector",
        "2099-12-31",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    assert!(html.contains(row["hint"].as_str().unwrap()));
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; co"));
    assert!(!html.contains("<script>alert("));
    assert!(!html.contains(&token), "the token leaked into the page");
    let (_, list) = server.call(&admin, "list_tokens", &[]).await;
    assert!(!list.to_string().contains(&token[4..]));
}

#[tokio::test]
async fn the_root_leads_to_the_api_tokens_screen() {
    let db = TestDb::new();
    let server = db.start();
    let response = server.client().get(server.url("/")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[LOCATION], "/security/api-tokens");
}

#[tokio::test]
async fn only_static_bundles_are_compressed() {
    let db = TestDb::new();
    std::fs::create_dir_all(db.dir.join("site/pkg")).unwrap();
    std::fs::write(
        db.dir.join("site/pkg/jetons.css"),
        "body { color: red; }\n".repeat(200),
    )
    .unwrap();
    db.seed();
    let server = db.start();
    let raw = reqwest::Client::new();
    let asset = raw
        .get(server.url("/pkg/jetons.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset
            .headers()
            .get("content-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"gzip"[..])
    );
    let login = raw
        .post(server.url("/api/login"))
        .header(ORIGIN, &server.base)
        .header("accept-encoding", "gzip")
        .form(&[("login", ADMIN.0), ("password", ADMIN.1)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    assert!(login.headers().get("content-encoding").is_none());
    let page = raw
        .get(server.url("/login"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(page.headers().get("content-encoding").is_none());
}
