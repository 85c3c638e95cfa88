use super::*;
use crate::domain::TokenHash;
use crate::model::{Field, TokenStatus};
use crate::service;

async fn refusal_for_user(world: &World, user_id: &str, user: &str) -> Option<String> {
    let admin = world.session_of("admin");
    let created = service::create_token(&world.console, &admin, form(user_id, user, "ci")).await;
    created
        .err()
        .and_then(|error| error.message_for(Field::User).map(str::to_owned))
}

#[tokio::test]
async fn only_technical_users_working_today_may_hold_a_token() {
    let world = World::new();
    let cases = [
        ("", "", "Select a user."),
        ("999", "", "This user does not exist."),
        ("x1", "", "This user does not exist."),
        ("", "nobody", "This user does not exist."),
        ("6", "", "This user is not a technical user."),
        (
            "5",
            "",
            "This user no longer works in the company on that date.",
        ),
        (
            "7",
            "",
            "This user is not yet working in the company on that date.",
        ),
        (
            "",
            "old-robot (the name) (old-robot)",
            "This user no longer works in the company on that date.",
        ),
    ];
    for (user_id, user, message) in cases {
        let refused = refusal_for_user(&world, user_id, user).await;
        assert_eq!(
            refused.as_deref(),
            Some(message),
            "user {user_id:?} / {user:?}"
        );
    }
    assert_eq!(world.store.state().tokens.len(), 1, "no token created");
    assert!(world.audited().is_empty());

    let admin = world.session_of("admin");
    let offered = service::eligible_users(&world.console, &admin, "robot").await;
    let logins: Vec<_> = offered.into_iter().flatten().map(|u| u.login).collect();
    assert_eq!(logins, ["robot"], "only the eligible robot is offered");
}

#[tokio::test]
async fn every_field_is_judged_at_once() {
    let world = World::new();
    let admin = world.session_of("admin");
    let bad = NewTokenForm {
        user_id: "6",
        user: "",
        name: "   ",
        expiration: "2020-01-01",
        allowed_addresses: "10.0.0.0/8, 0.0.0.0/0",
    };
    let refused = service::create_token(&world.console, &admin, bad).await;
    let Err(ConsoleError::Invalid { errors }) = refused else {
        panic!("expected field errors, got {refused:?}");
    };
    let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            Field::User,
            Field::Name,
            Field::Expiration,
            Field::AllowedAddresses
        ]
    );
}

#[tokio::test]
async fn a_created_token_is_stored_by_its_hash_and_audited_with_the_caller() {
    let world = World::new();
    let admin = world.session_of("admin");
    let by_label = form("", "robot (the name) (robot)", "deploy");
    let created = service::create_token(&world.console, &admin, by_label).await;
    let created = created.expect("the token is created");
    assert_eq!(created.row.user_login, "robot");
    assert_eq!(created.row.status, TokenStatus::Active);
    assert_eq!(created.row.expires_on, "2026-12-31");
    {
        let state = world.store.state();
        let stored = state.tokens.last().expect("a stored token");
        assert_eq!(stored.new.hash, TokenHash::of(&created.token));
        let last_four = &created.token[created.token.len() - 4..];
        assert_eq!(stored.new.hint, format!("jet_…{last_four}"));
        assert_eq!(state.audit[0].client, CLIENT.to_string());
    }
    let target = "robot › deploy".to_owned();
    assert_eq!(
        world.audited(),
        [("token_created".into(), "admin".into(), target)]
    );

    let again = service::create_token(&world.console, &admin, form("4", "", "deploy")).await;
    let message = again
        .err()
        .and_then(|e| e.message_for(Field::Name).map(str::to_owned));
    let expected = "robot (the name) already has a token named “deploy”.";
    assert_eq!(message.as_deref(), Some(expected));
    assert_eq!(world.audited().len(), 1, "a refused name is not audited");
}

#[tokio::test]
async fn remove_keeps_the_row_and_delete_takes_it_away_once() {
    let world = World::new();
    let admin = world.session_of("admin");
    let console = &world.console;
    let removed = service::remove_token(console, &admin, 1).await;
    let removed = removed.expect("removed");
    assert_eq!(removed.status, TokenStatus::Removed);
    assert_eq!(removed.removed_on.as_deref(), Some("2026-06-15"));
    let conflict = ConsoleError::Conflict {
        message: "This token has already been removed.".into(),
    };
    assert_eq!(
        service::remove_token(console, &admin, 1).await,
        Err(conflict)
    );
    assert_eq!(service::delete_token(console, &admin, 1).await, Ok(()));
    assert!(world.store.state().tokens.is_empty());
    for again in [
        outcome(service::delete_token(console, &admin, 1).await),
        outcome(service::remove_token(console, &admin, 1).await),
    ] {
        assert!(
            matches!(again, Err(ConsoleError::NotFound { .. })),
            "{again:?}"
        );
    }
    let actions: Vec<_> = world.audited().into_iter().map(|(code, ..)| code).collect();
    assert_eq!(actions, ["token_removed", "token_deleted"]);
}
