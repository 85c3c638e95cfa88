use super::*;
use crate::service;
use crate::token_query::QueryParams;

/// Every console call, in the order: current admin, audit log, tokens table, "User" field,
/// create, remove, delete (the last three on robot's token "nightly").
async fn every_call(world: &World, caller: &Caller) -> Vec<Result<(), ConsoleError>> {
    let console = &world.console;
    vec![
        outcome(service::current_admin(console, caller).await),
        outcome(service::audit_log(console, caller, 1).await),
        outcome(service::list_tokens(console, caller, &QueryParams::default()).await),
        outcome(service::eligible_users(console, caller, "").await),
        outcome(service::create_token(console, caller, form("4", "", "deploy")).await),
        outcome(service::remove_token(console, caller, 1).await),
        outcome(service::delete_token(console, caller, 1).await),
    ]
}

fn nothing_changed(world: &World) {
    let state = world.store.state();
    assert_eq!(state.tokens.len(), 1, "the token is still there");
    assert_eq!(state.tokens[0].removed_at, None, "and not removed");
    assert!(state.audit.is_empty(), "nothing audited: {:?}", state.audit);
}

#[tokio::test]
async fn without_a_live_session_every_call_is_refused() {
    let world = World::new();
    let anonymous = Caller::default();
    let forged = Caller {
        session: Some("a session nobody opened".into()),
        ..Caller::default()
    };
    for caller in [&anonymous, &forged] {
        let refused = vec![Err(ConsoleError::NotLoggedIn); 7];
        assert_eq!(every_call(&world, caller).await, refused);
    }
    nothing_changed(&world);
}

#[tokio::test]
async fn without_right_090201_every_call_is_refused() {
    let world = World::new();
    let clerk = world.session_of("clerk");
    let refused = vec![Err(ConsoleError::Forbidden); 7];
    assert_eq!(every_call(&world, &clerk).await, refused);
    nothing_changed(&world);
}

#[tokio::test]
async fn an_admin_who_has_left_the_company_is_refused_whatever_their_rights() {
    let world = World::new();
    let leaver = world.session_of("leaver");
    let refused = vec![Err(ConsoleError::NotEmployed); 7];
    assert_eq!(every_call(&world, &leaver).await, refused);
    nothing_changed(&world);
}

#[tokio::test]
async fn with_the_feature_flag_off_only_the_frame_and_the_audit_log_answer() {
    let world = World::new();
    world.store.state().flag_enabled = false;
    let admin = world.session_of("admin");
    let off = Err(ConsoleError::FeatureDisabled);
    let expected = vec![
        Ok(()),
        Ok(()),
        off.clone(),
        off.clone(),
        off.clone(),
        off.clone(),
        off,
    ];
    assert_eq!(every_call(&world, &admin).await, expected);
    nothing_changed(&world);
}

#[tokio::test]
async fn an_admin_with_the_flag_on_passes_every_gate() {
    let world = World::new();
    let admin = world.session_of("admin");
    assert_eq!(every_call(&world, &admin).await, vec![Ok(()); 7]);
    let info = service::current_admin(&world.console, &admin).await;
    assert_eq!(info.map(|a| a.login), Ok("admin".to_owned()));
    let audited: Vec<_> = world.audited().into_iter().map(|(code, ..)| code).collect();
    assert_eq!(audited, ["token_created", "token_removed", "token_deleted"]);
}
