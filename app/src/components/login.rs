//! The login page. A plain HTML form: it works before (and without) WASM.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::Login;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let query = use_query_map();
    let message = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
            .or_else(|| {
                query
                    .read()
                    .get("failed")
                    .map(|_| "Invalid login or password.".to_string())
            })
    };
    view! {
        <Title text="Log in — Administration console" />
        <main class="login-page">
            <h1>"Administration console"</h1>
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
        </main>
    }
}
