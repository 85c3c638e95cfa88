use super::*;
use crate::domain::token::sha256_hex;
use crate::failure_counts::LOGIN_FAILURES_PER_MINUTE;
use crate::service;

fn from_client() -> Caller {
    Caller {
        client: Some(CLIENT),
        ..Caller::default()
    }
}

#[tokio::test]
async fn a_good_password_opens_a_session_that_passes_the_gate() {
    let world = World::new();
    let console = &world.console;
    let logged_in = service::login(console, &from_client(), "admin", PASSWORD).await;
    let logged_in = logged_in.expect("logged in");
    let now = console.now();
    assert!(console
        .device_key
        .verify(&logged_in.device, "admin", now)
        .is_some());
    let caller = Caller {
        session: Some(logged_in.session.clone()),
        ..from_client()
    };
    let info = service::current_admin(console, &caller).await;
    assert_eq!(info.map(|a| a.login), Ok("admin".to_owned()));
    let login_event = (
        "login_succeeded".into(),
        "admin".into(),
        "Administration console".into(),
    );
    assert_eq!(world.audited(), [login_event]);

    // Logging in again from that browser replaces its session.
    let again = service::login(console, &caller, "admin", PASSWORD).await;
    let again = again.expect("logged in again");
    let sessions = world.store.state().sessions.clone();
    assert!(!sessions.contains_key(&sha256_hex(&logged_in.session)));
    assert!(sessions.contains_key(&sha256_hex(&again.session)));

    let caller = Caller {
        session: Some(again.session),
        ..from_client()
    };
    assert_eq!(service::logout(console, &caller).await, Ok(()));
    let after = service::current_admin(console, &caller).await;
    assert_eq!(after, Err(ConsoleError::NotLoggedIn));
    assert_eq!(world.audited().last().map(|e| e.0.as_str()), Some("logout"));
}

#[tokio::test]
async fn failed_logins_open_nothing_and_name_only_known_logins() {
    let world = World::new();
    let console = &world.console;
    let cases = [
        (
            "admin",
            "wrong password",
            ConsoleError::InvalidCredentials,
            "admin",
        ),
        (
            "ghost",
            PASSWORD,
            ConsoleError::InvalidCredentials,
            "unknown login",
        ),
        ("leaver", PASSWORD, ConsoleError::NotEmployed, "leaver"),
    ];
    for (login, password, error, actor) in cases {
        let refused = service::login(console, &from_client(), login, password).await;
        assert_eq!(refused.map(|_| ()), Err(error), "{login}");
        let last = world.audited().pop().expect("an audit event");
        assert_eq!((last.0.as_str(), last.1.as_str()), ("login_failed", actor));
    }
    assert!(world.store.state().sessions.is_empty());
}

#[tokio::test]
async fn a_blocked_login_is_refused_and_audited_once() {
    let world = World::new();
    let console = &world.console;
    for _ in 0..LOGIN_FAILURES_PER_MINUTE {
        let failed = service::login(console, &Caller::default(), "admin", "nope").await;
        assert_eq!(failed.map(|_| ()), Err(ConsoleError::InvalidCredentials));
    }
    for _ in 0..2 {
        let refused = service::login(console, &Caller::default(), "admin", PASSWORD).await;
        assert!(
            matches!(refused, Err(ConsoleError::TooManyAttempts { .. })),
            "{refused:?}"
        );
    }
    let blocked: Vec<_> = (world.audited().into_iter())
        .filter(|(code, ..)| code == "login_throttled")
        .collect();
    assert_eq!(blocked.len(), 1, "the first refusal of the block only");
    assert!(world.store.state().sessions.is_empty());
}
