//! The login page. A plain HTML form: it works before (and without) WASM.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::shell::LanguageForm;
use crate::api::Login;
use crate::i18n::td_string;
use crate::language;
use crate::model::{ConsoleError, LoginRefusal};
use crate::texts::{Text, Texts, Words};

#[component]
pub fn LoginPage() -> impl IntoView {
    let refused = use_query_map()
        .read_untracked()
        .get(LoginRefusal::PARAMETER)
        .map(|code| LoginRefusal::from_code(&code));
    let locale = language::current();
    let title = td_string!(
        locale,
        app.page_title,
        page = td_string!(locale, login.log_in)
    );
    view! {
        <Title text=title.to_string() />
        <main class="login-page">
            <LanguageForm />
            <h1>{td_string!(locale, app.console)}</h1>
            <LoginForm refused texts=Texts::new(locale, None) />
        </main>
    }
}

/// `refused`: why the last plain form post (before WASM loaded) was sent back here; `texts`:
/// the form's words, in the page's language.
#[island]
fn LoginForm(refused: Option<LoginRefusal>, texts: Texts) -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let words = Words::from(texts);
    // Only fixed texts: the action's initial value can come from the URL (`__err`), so a
    // message taken from it would let a link put words on the login page.
    let message = move || {
        let failed_in_page = action
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| match error {
                ConsoleError::Unavailable { .. } => words.get(Text::Unreachable).to_owned(),
                ConsoleError::NotEmployed | ConsoleError::Busy { .. } => words.error(&error),
                error => words.refusal(LoginRefusal::of(&error).unwrap_or(LoginRefusal::Invalid)),
            });
        failed_in_page.or_else(|| refused.map(|refusal| words.refusal(refusal)))
    };
    view! {
        <ActionForm action=action attr:class="login-form">
            <label for="login">{words.get(Text::Login)}</label>
            <input id="login" name="login" autocomplete="username" autofocus />
            <label for="password">{words.get(Text::Password)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" />
            {move || message().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <button type="submit" class="primary" disabled=move || action.pending().get()>
                {words.get(Text::LogIn)}
            </button>
        </ActionForm>
    }
}
