//! The login page. A plain HTML form: it works before (and without) WASM.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::Login;
use crate::model::{ConsoleError, LoginRefusal};

#[component]
pub fn LoginPage() -> impl IntoView {
    let refused = use_query_map()
        .read_untracked()
        .get(LoginRefusal::PARAMETER)
        .map(|code| LoginRefusal::from_code(&code));
    view! {
        <Title text="Log in — Administration console" />
        <main class="login-page">
            <h1>"Administration console"</h1>
            <LoginForm refused />
        </main>
    }
}

/// `refused`: why the last plain form post (before WASM loaded) was sent back here.
#[island]
fn LoginForm(refused: Option<LoginRefusal>) -> impl IntoView {
    let action = ServerAction::<Login>::new();
    // Only fixed texts: the action's initial value can come from the URL (`__err`), so a
    // message taken from it would let a link put words on the login page.
    let message = move || {
        let failed_in_page = action
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| match error {
                ConsoleError::Unavailable { .. } => {
                    "The server could not be reached; try again.".to_owned()
                }
                ConsoleError::NotEmployed | ConsoleError::Busy { .. } => error.to_string(),
                error => LoginRefusal::of(&error)
                    .unwrap_or(LoginRefusal::Invalid)
                    .message(),
            });
        failed_in_page.or_else(|| refused.map(LoginRefusal::message))
    };
    view! {
        <ActionForm action=action attr:class="login-form">
            <label for="login">"Login"</label>
            <input id="login" name="login" autocomplete="username" autofocus />
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" />
            {move || message().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <button type="submit" class="primary" disabled=move || action.pending().get()>
                "Log in"
            </button>
        </ActionForm>
    }
}
