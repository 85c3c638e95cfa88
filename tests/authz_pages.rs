//! The authorization matrix of the console pages, through real HTTP: every page, for every
//! visitor who must not see it — no session, no right 090201, feature flag off — with the exact
//! answer (status, redirect, explanation), no token shown, and proof that nothing changed.
//! The server functions' matrix is in `authz.rs`.

use crate::support;

use reqwest::header::LOCATION;
use reqwest::Client;
use support::{TestServer, NO_RIGHT};

/// The name of the token the test starts with; no refused visitor may ever see it.
const TARGET_NAME: &str = "Target token";

/// A page as a browser would get it: (status, Location, HTML).
async fn visit(server: &TestServer, client: &Client, path: &str) -> (u16, Option<String>, String) {
    let response = client.get(server.url(path)).send().await.expect(path);
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.expect("page body"))
}

const DENIED: &[&str] = &["403", "Access denied", "You need right 090201"];
const FLAG_OFF: &str = "This feature requires enabling the feature flag Technique &gt; Jetons Api.";

/// (who, client, path, status, Location, texts the page shows, whether it may show data)
type Visit<'a> = (
    &'a str,
    &'a Client,
    &'a str,
    u16,
    Option<&'a str>,
    &'a [&'a str],
    bool,
);

async fn check_visits(server: &TestServer, visits: &[Visit<'_>]) {
    for (who, client, path, status, location, texts, shows_data) in visits {
        let (actual, actual_location, html) = visit(server, client, path).await;
        let what = format!("{who} on {path}");
        assert_eq!(actual, *status, "{what}: {html}");
        assert_eq!(actual_location.as_deref(), *location, "{what}");
        for text in texts.iter() {
            assert!(html.contains(text), "{what}: no {text:?} in {html}");
        }
        if !shows_data {
            assert!(!html.contains(TARGET_NAME), "{what} shows a token: {html}");
        }
        assert!(
            !html.contains(r#"data-token-action="create""#),
            "{what} offers Create: {html}"
        );
    }
}

#[tokio::test]
async fn console_pages_turn_away_whoever_may_not_see_them() {
    let (db, server, admin) = support::console().await;
    server
        .create(&admin, "svc-billing", TARGET_NAME, "2099-12-31")
        .await;
    let anonymous = server.client();
    let clerk = server.login(NO_RIGHT).await;
    let tokens = server.tokens(&admin).await;
    let refused: [Visit; 6] = [
        (
            "anonymous",
            &anonymous,
            "/security/api-tokens",
            302,
            Some("/login"),
            &[],
            false,
        ),
        (
            "anonymous",
            &anonymous,
            "/security/audit-log",
            302,
            Some("/login"),
            &[],
            false,
        ),
        (
            "anonymous",
            &anonymous,
            "/",
            302,
            Some("/security/api-tokens"),
            &[],
            false,
        ),
        (
            "clerk",
            &clerk,
            "/security/api-tokens",
            403,
            None,
            DENIED,
            false,
        ),
        (
            "clerk",
            &clerk,
            "/security/audit-log",
            403,
            None,
            DENIED,
            false,
        ),
        (
            "clerk",
            &clerk,
            "/",
            302,
            Some("/security/api-tokens"),
            &[],
            false,
        ),
    ];
    check_visits(&server, &refused).await;

    // The admin with the flag off: the tokens screen explains itself (and answers 403, the
    // status list_tokens gives it while rendering); the audit log does not depend on the flag.
    db.cli_ok("flag disable Technique 'Jetons Api'", None);
    let flag_off: [Visit; 3] = [
        (
            "admin, flag off",
            &admin,
            "/security/api-tokens",
            403,
            None,
            &[FLAG_OFF],
            false,
        ),
        (
            "admin, flag off",
            &admin,
            "/security/audit-log",
            200,
            None,
            &["Audit log", TARGET_NAME],
            true,
        ),
        (
            "admin, flag off",
            &admin,
            "/",
            302,
            Some("/security/api-tokens"),
            &[],
            false,
        ),
    ];
    check_visits(&server, &flag_off).await;
    db.cli_ok("flag enable Technique 'Jetons Api'", None);
    assert_eq!(
        server.tokens(&admin).await,
        tokens,
        "a page visit changed the tokens"
    );
}
