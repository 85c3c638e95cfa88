//! "Create an API token" as a page of its own, for browsers without JavaScript: the button on
//! the tokens page leads here when no script runs. The form posts to the same server function
//! as the dialog; the server answers such a plain post with the token on a page of its own
//! (`created_page`), shown once.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use super::shell::ConsoleShell;
use super::token_fields::{AllowedAddresses, NameAndExpiration};
use crate::api::{latest_expiration, CreateToken};
use crate::token_query::TOKENS_PATH;

#[component]
pub fn NewTokenPage() -> impl IntoView {
    let latest = Resource::new(|| (), |_| latest_expiration());
    view! {
        <Title text="Create an API token — Administration console" />
        <ConsoleShell>
            <nav class="breadcrumb" aria-label="Breadcrumb">
                "Administration console › Security › API tokens"
            </nav>
            <h1>"Create an API token"</h1>
            <form method="post" action=CreateToken::PATH class="form page-form">
                <input type="hidden" name="user_id" value="" />
                <label for="token-user">"User"</label>
                <input
                    id="token-user"
                    name="user"
                    autocomplete="off"
                    aria-describedby="token-user-help"
                />
                <p id="token-user-help" class="help">
                    "The login of a technical user working in the company today."
                </p>
                <Suspense>
                    {move || Suspend::new(async move {
                        let latest = latest.await.ok().flatten();
                        view! { <NameAndExpiration action=None latest=Signal::stored(latest) /> }
                    })}
                </Suspense>
                <AllowedAddresses action=None />
                <div class="dialog-actions">
                    <a href=TOKENS_PATH>"Cancel"</a>
                    <button type="submit" class="primary">
                        "Create"
                    </button>
                </div>
            </form>
        </ConsoleShell>
    }
}
