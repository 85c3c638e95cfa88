//! Failed logins are limited without locking out the people who use the console: strangers
//! failing on a login do not lock out the browser its administrator logged in from before
//! (device cookie); past the server's cap on failed logins a minute only such browsers get
//! in; IPv6 clients are counted per /64, /56 and /48 together.

use crate::support;

use reqwest::header::{ACCEPT, ORIGIN, RETRY_AFTER, SET_COOKIE};
use reqwest::StatusCode;
use support::{TestDb, TestServer, ADMIN};

/// The console behind a proxy on loopback that the server trusts: each attempt names its
/// client address.
fn start(extra_env: &[(&str, &str)]) -> (TestDb, TestServer) {
    let db = TestDb::new();
    db.seed();
    let mut env = vec![("JETONS_TRUSTED_PROXIES", "127.0.0.1")];
    env.extend_from_slice(extra_env);
    let server = TestServer::start_with(&db, &env);
    (db, server)
}

/// A login attempt from `browser` (with its cookies) at client address `from`.
async fn attempt(
    server: &TestServer,
    browser: &reqwest::Client,
    from: &str,
    who: (&str, &str),
) -> reqwest::Response {
    browser
        .post(server.url("/api/login"))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .header("X-Forwarded-For", from)
        .form(&[("login", who.0), ("password", who.1)])
        .send()
        .await
        .expect("an answer")
}

async fn status(
    server: &TestServer,
    browser: &reqwest::Client,
    from: &str,
    who: (&str, &str),
) -> StatusCode {
    attempt(server, browser, from, who).await.status()
}

/// Logs `browser` in as the administrator, then out: it keeps only its device cookie.
async fn known_browser(server: &TestServer) -> reqwest::Client {
    let browser = server.client();
    let answer = attempt(server, &browser, "198.51.100.1", ADMIN).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let device = answer
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("jetons_device="))
        .expect("a device cookie")
        .to_owned();
    assert!(device.starts_with("jetons_device=v1."), "{device}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=15552000"] {
        assert!(device.contains(attribute), "{device}");
    }
    let (logged_out, _) = server.call(&browser, "logout", &[]).await;
    assert!(logged_out.is_success() || logged_out.is_redirection());
    browser
}

#[tokio::test]
async fn strangers_failing_on_a_login_do_not_lock_out_its_known_browser() {
    let (_db, server) = start(&[]);
    let browser = known_browser(&server).await;
    // Twenty guesses at the administrator's password from four addresses (five each, the
    // per-address limit) lock the login for strangers, even with the right password.
    for n in 0..20 {
        let from = format!("203.0.113.{}", n / 5 + 1);
        let guess = (ADMIN.0, "a-guess");
        assert_eq!(
            status(&server, &server.client(), &from, guess).await,
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = attempt(&server, &server.client(), "203.0.113.50", ADMIN).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key(RETRY_AFTER));
    // The browser the administrator logged in from before still gets in, from anywhere.
    assert_eq!(
        status(&server, &browser, "198.51.100.2", ADMIN).await,
        StatusCode::OK
    );
    // Its own failures are counted on their own: after five, it is a stranger again.
    for _ in 0..5 {
        let typo = (ADMIN.0, "a-typo");
        assert_eq!(
            status(&server, &browser, "198.51.100.3", typo).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        status(&server, &browser, "198.51.100.4", ADMIN).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn past_the_servers_cap_on_failed_logins_only_known_browsers_get_in() {
    let (_db, server) = start(&[("JETONS_LOGIN_FAILURES_PER_MINUTE", "6")]);
    let browser = known_browser(&server).await;
    // Six failures from six addresses, each on another login: no address and no login is
    // blocked, but the server has seen its minute's worth.
    for n in 0..6 {
        let login = format!("nobody-{n}");
        let from = format!("192.0.2.{}", n + 1);
        assert_eq!(
            status(&server, &server.client(), &from, (&login, "x")).await,
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = attempt(&server, &server.client(), "192.0.2.100", ADMIN).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key(RETRY_AFTER));
    assert_eq!(
        status(&server, &browser, "192.0.2.101", ADMIN).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_ipv6_client_gains_nothing_from_changing_addresses_in_its_prefix() {
    let (_db, server) = start(&[]);
    let fail = |from: String| {
        let server = &server;
        async move {
            let login = format!("nobody-{}", from.replace(':', "-"));
            status(server, &server.client(), &from, (&login, "x")).await
        }
    };
    // Five from one /64, whatever the address in it.
    for n in 1..=5 {
        let from = format!("2001:db8:0:1::{n:x}");
        assert_eq!(fail(from).await, StatusCode::UNAUTHORIZED);
    }
    let from = "2001:db8:0:1:ffff::1".to_owned();
    assert_eq!(fail(from).await, StatusCode::TOO_MANY_REQUESTS);
    // Five more from other /64s of the same /56 fill the /56.
    for n in 2..=6 {
        let from = format!("2001:db8:0:{n:x}::1");
        assert_eq!(fail(from).await, StatusCode::UNAUTHORIZED);
    }
    let from = "2001:db8:0:ff::1".to_owned();
    assert_eq!(fail(from).await, StatusCode::TOO_MANY_REQUESTS);
    // Another /56 of the same /48 still has its own tries.
    let from = "2001:db8:0:100::1".to_owned();
    assert_eq!(fail(from).await, StatusCode::UNAUTHORIZED);
}
