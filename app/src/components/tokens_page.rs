//! Administration console > Security > API tokens.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::td_string;
use crate::language;
use crate::product::{FLAG_DOMAIN, FLAG_LABEL};
use crate::words;

use super::shell::ConsoleShell;
use super::token_dialogs::TokenAction;
use super::token_filters::{TokenFilters, TokenPager};
use super::tokens_table::TokensTable;
use crate::api::list_tokens;
use crate::model::ConsoleError;
use crate::token_query::{Cursor, PageAt, QueryParams, TokenQuery, NEW_TOKEN_PATH, TOKENS_PATH};
use leptos_router::hooks::use_query_map;

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let locale = language::current();
    let title = td_string!(
        locale,
        app.page_title,
        page = td_string!(locale, nav.api_tokens)
    );
    view! {
        <Title text=title.to_string() />
        <ConsoleShell>
            <ApiTokens />
        </ConsoleShell>
    }
}

/// Rendered on the server only; the dialogs (`token_dialogs`) show it again after a change.
#[component]
fn ApiTokens() -> impl IntoView {
    let locale = language::current();
    // The table's state is the URL query: links and the filter form change it.
    let url_query = use_query_map();
    let params = url_query.with_untracked(|map| QueryParams {
        status: map.get("status"),
        user: map.get("user"),
        q: map.get("q"),
        sort: map.get("sort"),
        dir: map.get("dir"),
        after: map.get("after"),
        before: map.get("before"),
    });
    let tokens = Resource::new(
        move || params.clone(),
        |p| async move {
            let page = list_tokens(
                p.status.clone(),
                p.user.clone(),
                p.q.clone(),
                p.sort.clone(),
                p.dir.clone(),
                p.after.clone(),
                p.before.clone(),
            )
            .await;
            (p, page)
        },
    );

    view! {
        <nav class="breadcrumb" aria-label=td_string!(locale, nav.breadcrumb_label)>
            {td_string!(locale, nav.breadcrumb_tokens)}
        </nav>
        <Transition fallback=move || view! { <p class="loading">{td_string!(locale, tokens.loading)}</p> }>
            {move || Suspend::new(async move {
                let (params, page) = tokens.await;
                match page {
                    Ok(page) => {
                        let query = TokenQuery::parse(&params).unwrap_or_default();
                        let link = |cursor: Option<Cursor>, at: fn(Cursor) -> PageAt| {
                            cursor.map(|c| query.at(at(c)).href())
                        };
                        let previous = link(page.previous, PageAt::Before);
                        let next = link(page.next, PageAt::After);
                        view! {
                            <div class="page-head">
                                <h1>{td_string!(locale, nav.api_tokens)}</h1>
                                // Without JavaScript, the button leads to a page of its own.
                                <form method="get" action=NEW_TOKEN_PATH>
                                    <button
                                        type="submit"
                                        class="primary"
                                        {..TokenAction::Create.attribute()}
                                    >
                                        {td_string!(locale, tokens.create_button)}
                                    </button>
                                </form>
                            </div>
                            <TokenFilters query=query.clone() />
                            <p class="matches" role="status">{words::matches(locale, page.matches)}</p>
                            <TokensTable rows=page.rows query />
                            <TokenPager previous next />
                        }
                            .into_any()
                    }
                    Err(error @ ConsoleError::FeatureDisabled) => {
                        view! {
                            <div class="page-head">
                                <h1>{td_string!(locale, nav.api_tokens)}</h1>
                            </div>
                            <section class="notice" role="status">
                                <h2>{td_string!(locale, tokens.feature_disabled)}</h2>
                                <p>{words::error(locale, &error)}</p>
                                <p>
                                    {td_string!(
                                        locale, tokens.feature_disabled_help,
                                        domain = FLAG_DOMAIN, label = FLAG_LABEL
                                    ).to_string()}
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => {
                        let bad_query = matches!(error, ConsoleError::BadRequest { .. });
                        view! {
                            <div class="page-head">
                                <h1>{td_string!(locale, nav.api_tokens)}</h1>
                            </div>
                            <p class="form-error" role="alert">{words::error(locale, &error)}</p>
                            {bad_query.then(|| view! { <p><a href=TOKENS_PATH>{td_string!(locale, tokens.show_all)}</a></p> })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
