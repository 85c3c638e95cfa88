//! French and English: the browser's Accept-Language picks the console's language, the
//! "Language" control (POST /language) overrides it with a cookie, and pages, dates and the
//! server functions' messages follow.

use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{self, TestServer};

const FRENCH: &str = "fr-FR,fr;q=0.9,en;q=0.5";

/// The tokens page as a browser asking for `accept_language` (and sending `cookie`) gets it.
async fn page(
    server: &TestServer,
    client: &reqwest::Client,
    accept_language: &str,
    cookie: Option<&str>,
) -> String {
    let mut request = client
        .get(server.url("/security/api-tokens"))
        .header(ACCEPT_LANGUAGE, accept_language);
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    request
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body")
}

async fn page_at(server: &TestServer, client: &reqwest::Client, path: &str) -> String {
    let answer = client.get(server.url(path)).send().await.expect("page");
    answer.text().await.expect("body")
}

async fn choose(
    server: &TestServer,
    client: &reqwest::Client,
    form: &[(&str, &str)],
    origin: &str,
) -> reqwest::Response {
    client
        .post(server.url("/language"))
        .header(ORIGIN, origin)
        .form(form)
        .send()
        .await
        .expect("an answer")
}

#[tokio::test]
async fn the_browser_language_picks_french_or_english_and_sets_html_lang() {
    let (_db, server, admin) = support::console().await;
    server.create(&admin, "svc-billing", "Export", "").await;
    let today = support::today();

    let french = page(&server, &admin, FRENCH, None).await;
    assert!(french.contains(r#"<html lang="fr""#), "{french}");
    for words in [
        "<h1>Jetons d'API</h1>",
        "Créer un jeton d'API",
        "Se déconnecter",
        "Langue",
    ] {
        assert!(french.contains(words), "no {words:?} in {french}");
    }
    assert!(
        french.contains(&format!(r#"<time datetime="{today}">"#)),
        "{french}"
    );
    assert!(!french.contains("Log out"), "{french}");

    let english = page(&server, &admin, "de-DE,en;q=0.5", None).await;
    assert!(english.contains(r#"<html lang="en""#), "{english}");
    assert!(english.contains("Log out") && english.contains("Language"));
    let unknown = page(&server, &admin, "de-DE", None).await;
    assert!(
        unknown.contains(r#"<html lang="en""#),
        "English when nothing matches"
    );

    // The flag's name is the same in both languages.
    let login = server
        .client()
        .get(server.url("/login"))
        .header(ACCEPT_LANGUAGE, FRENCH)
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("body");
    assert!(
        login.contains("Identifiant") && login.contains("Mot de passe"),
        "{login}"
    );
}

#[tokio::test]
async fn the_language_control_is_remembered_in_a_cookie_and_only_from_the_console() {
    let (_db, server, admin) = support::console().await;
    let origin = server.url("");
    let back = "/security/api-tokens?status=active";
    let answer = choose(
        &server,
        &admin,
        &[("language", "fr"), ("back", back)],
        &origin,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[LOCATION], back);
    let cookie = answer.headers()[SET_COOKIE]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(cookie.starts_with("jetons_language=fr;"), "{cookie}");
    for part in ["Path=/", "SameSite=Lax", "HttpOnly", "Max-Age="] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    // The control on a page sends the browser back to that very page, query included.
    let listed = page_at(&server, &admin, back).await;
    assert!(
        listed.contains(r#"name="back" value="/security/api-tokens?status=active""#),
        "{listed}"
    );
    // The cookie wins over the browser's language.
    let chosen = page(&server, &admin, "en-US", Some("jetons_language=fr")).await;
    assert!(chosen.contains(r#"<html lang="fr""#), "{chosen}");

    // Somewhere else than this site's own pages: back to the tokens page.
    for elsewhere in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let answer = choose(
            &server,
            &admin,
            &[("language", "en"), ("back", elsewhere)],
            &origin,
        )
        .await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{elsewhere}");
        assert_eq!(
            answer.headers()[LOCATION],
            "/security/api-tokens",
            "{elsewhere}"
        );
    }
    let refused = [
        (
            vec![("language", "de")],
            StatusCode::BAD_REQUEST,
            origin.as_str(),
        ),
        (
            vec![("language", "fr"), ("language", "en")],
            StatusCode::BAD_REQUEST,
            origin.as_str(),
        ),
        (
            vec![("language", "fr")],
            StatusCode::FORBIDDEN,
            "https://evil.example",
        ),
    ];
    for (form, status, from) in refused {
        let answer = choose(&server, &admin, &form, from).await;
        assert_eq!(answer.status(), status, "{form:?} from {from}");
        assert!(
            answer.headers().get(SET_COOKIE).is_none(),
            "{form:?} from {from}"
        );
    }
}

#[tokio::test]
async fn server_functions_answer_in_the_callers_language() {
    let (_db, server, admin) = support::console().await;
    let id = server.user_id(&admin, "svc-billing").await.to_string();
    let call = |language: &'static str| {
        admin
            .post(server.url("/api/create_token"))
            .header(ORIGIN, server.url(""))
            .header(ACCEPT, "application/json")
            .header(ACCEPT_LANGUAGE, language)
            .form(&[
                ("user_id", id.as_str()),
                ("name", " "),
                ("expiration", "2020-01-01"),
            ])
            .send()
    };
    let french: Value = call(FRENCH)
        .await
        .expect("answer")
        .json()
        .await
        .expect("JSON");
    let messages: Vec<&str> = french["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(messages.contains(&"Saisissez un nom de jeton."), "{french}");
    assert!(
        messages
            .iter()
            .any(|m| m
                .starts_with("La date d'expiration ne peut pas être antérieure à aujourd'hui (")),
        "{french}"
    );
    let english: Value = call("en")
        .await
        .expect("answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        english["errors"][0]["message"], "Enter a token name.",
        "{english}"
    );
    assert!(server.tokens(&admin).await.is_empty());
}
