//! "Create an API token" as a page of its own, for browsers without JavaScript: the button on
//! the tokens page leads here when no script runs. The form posts to the same server function
//! as the dialog; the server answers such a plain post with the token on a page of its own
//! (`created_page`), shown once.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use super::shell::ConsoleShell;
use super::token_fields::{AllowedAddresses, NameAndExpiration};
use crate::api::CreateToken;
use crate::i18n::td_string;
use crate::language;
use crate::texts::{self, Texts};
use crate::token_query::TOKENS_PATH;

#[component]
pub fn NewTokenPage() -> impl IntoView {
    let locale = language::current();
    let latest = texts::latest_expiration(locale);
    // The fields shared with the dialog take their words as the dialog does.
    provide_context(Texts::new(locale, latest.as_ref()));
    let latest = Signal::stored(latest.map(|latest| latest.day));
    let heading = td_string!(locale, tokens.create_button);
    let title = td_string!(locale, app.page_title, page = heading);
    view! {
        <Title text=title.to_string() />
        <ConsoleShell>
            <nav class="breadcrumb" aria-label=td_string!(locale, nav.breadcrumb_label)>
                {td_string!(locale, nav.breadcrumb_tokens)}
            </nav>
            <h1>{heading}</h1>
            <form method="post" action=CreateToken::PATH class="form page-form">
                <input type="hidden" name="user_id" value="" />
                <label for="token-user">{td_string!(locale, tokens.user)}</label>
                <input
                    id="token-user"
                    name="user"
                    autocomplete="off"
                    aria-describedby="token-user-help"
                />
                <p id="token-user-help" class="help">{td_string!(locale, create.user_help)}</p>
                <NameAndExpiration action=None latest />
                <AllowedAddresses action=None />
                <div class="dialog-actions">
                    <a href=TOKENS_PATH>{td_string!(locale, dialog.cancel)}</a>
                    <button type="submit" class="primary">
                        {td_string!(locale, dialog.create)}
                    </button>
                </div>
            </form>
        </ConsoleShell>
    }
}
