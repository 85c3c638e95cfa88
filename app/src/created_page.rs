//! The page a plain form post of "Create" answers with (no JavaScript ran): the token, shown
//! this once, and the way back. Rendered whole on the server; no script.

use leptos::prelude::*;

use crate::model::{ConsoleError, CreatedToken};
use crate::token_query::{NEW_TOKEN_PATH, TOKENS_PATH};
use crate::FAVICON;

/// A whole page; `stylesheet` is the site's ([`crate::stylesheet_href`]).
fn document(title: &str, stylesheet: &str, body: String) -> String {
    let head = view! {
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{format!("{title} — Administration console")}</title>
        <link rel="stylesheet" href=stylesheet.to_owned() />
        <link rel="icon" href=FAVICON type="image/svg+xml" />
    }
    .to_html();
    format!("<!DOCTYPE html><html lang=\"en\"><head>{head}</head><body>{body}</body></html>")
}

/// The created token, shown once.
pub fn created(created: &CreatedToken, stylesheet: &str) -> String {
    let row = created.row.clone();
    let token = created.token.clone();
    let body = view! {
        <main class="standalone created-page">
            <h1>"API token created"</h1>
            <p>"Copy the token now: it is shown only this once, and cannot be shown again."</p>
            <label for="created-token">"Token"</label>
            <input id="created-token" class="token-value" readonly value=token />
            <dl class="created-facts">
                <dt>"User"</dt>
                <dd>{format!("{} ({})", row.user_name, row.user_login)}</dd>
                <dt>"Token name"</dt>
                <dd>{row.name}</dd>
                <dt>"Expiration date"</dt>
                <dd>{row.expires_on}</dd>
            </dl>
            <p>
                <a href=TOKENS_PATH>"Close"</a>
            </p>
        </main>
    }
    .to_html();
    document("API token created", stylesheet, body)
}

/// Why "Create" was refused, and the way back to the form.
pub fn refused(error: &ConsoleError, stylesheet: &str) -> String {
    let messages: Vec<String> = match error {
        ConsoleError::Invalid { errors } => errors.iter().map(|e| e.message.clone()).collect(),
        other => vec![other.to_string()],
    };
    let body = view! {
        <main class="standalone">
            <h1>"The token was not created"</h1>
            <ul class="form-errors" role="alert">
                {messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
            <p>
                <a href=NEW_TOKEN_PATH>"Back to the form"</a>
                " · "
                <a href=TOKENS_PATH>"API tokens"</a>
            </p>
        </main>
    }
    .to_html();
    document("Token not created", stylesheet, body)
}
