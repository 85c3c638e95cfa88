//! The page a plain form post of "Create" answers with (no JavaScript ran): the token, shown
//! this once, and the way back. Rendered whole on the server; no script.

use leptos::prelude::*;

use crate::i18n::td_string;
use crate::language::{self, Locale};
use crate::model::{ConsoleError, CreatedToken};
use crate::token_query::{NEW_TOKEN_PATH, TOKENS_PATH};
use crate::words;
use crate::FAVICON;

/// A whole page; `stylesheet` is the site's ([`crate::stylesheet_href`]).
fn document(title: &str, stylesheet: &str, body: String, locale: Locale) -> String {
    let title = td_string!(locale, app.page_title, page = title).to_string();
    let head = view! {
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href=stylesheet.to_owned() />
        <link rel="icon" href=FAVICON type="image/svg+xml" />
    }
    .to_html();
    let lang = language::code(locale);
    format!("<!DOCTYPE html><html lang=\"{lang}\"><head>{head}</head><body>{body}</body></html>")
}

/// The created token, shown once.
pub fn created(created: &CreatedToken, stylesheet: &str, locale: Locale) -> String {
    let row = created.row.clone();
    let token = created.token.clone();
    let title = td_string!(locale, pages.created_title);
    let body = view! {
        <main class="standalone created-page">
            <h1>{title}</h1>
            <p>{td_string!(locale, pages.created_warning)}</p>
            <label for="created-token">{td_string!(locale, tokens.token)}</label>
            <input id="created-token" class="token-value" readonly value=token />
            <dl class="created-facts">
                <dt>{td_string!(locale, tokens.user)}</dt>
                <dd>{format!("{} ({})", row.user_name, row.user_login)}</dd>
                <dt>{td_string!(locale, tokens.token_name)}</dt>
                <dd>{row.name}</dd>
                <dt>{td_string!(locale, tokens.expiration_date)}</dt>
                <dd>
                    <time datetime=row.expires_on.clone()>{words::date(locale, &row.expires_on)}</time>
                </dd>
            </dl>
            <p>
                <a href=TOKENS_PATH>{td_string!(locale, dialog.close)}</a>
            </p>
        </main>
    }
    .to_html();
    document(title, stylesheet, body, locale)
}

/// Why "Create" was refused, and the way back to the form.
pub fn refused(error: &ConsoleError, stylesheet: &str, locale: Locale) -> String {
    let messages: Vec<String> = match error {
        ConsoleError::Invalid { errors } => errors.iter().map(|e| e.message.clone()).collect(),
        other => vec![words::error(locale, other)],
    };
    let body = view! {
        <main class="standalone">
            <h1>{td_string!(locale, pages.refused_heading)}</h1>
            <ul class="form-errors" role="alert">
                {messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
            <p>
                <a href=NEW_TOKEN_PATH>{td_string!(locale, pages.back_to_form)}</a>
                " · "
                <a href=TOKENS_PATH>{td_string!(locale, nav.api_tokens)}</a>
            </p>
        </main>
    }
    .to_html();
    document(
        td_string!(locale, pages.refused_title),
        stylesheet,
        body,
        locale,
    )
}
