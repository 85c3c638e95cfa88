//! The tokens table's filters: a GET form (the URL query is the table's state), so it works
//! without JavaScript and each filtered view is a link.

use leptos::prelude::*;
use leptos_router::components::Form;

use crate::i18n::td_string;
use crate::language;
use crate::model::TokenStatus;
use crate::token_query::{TokenQuery, SEARCH_MAX_CHARS, TOKENS_PATH};
use crate::words;

#[component]
pub fn TokenFilters(query: TokenQuery) -> impl IntoView {
    let locale = language::current();
    let filtered = query.status.is_some() || query.user.is_some() || query.search.is_some();
    let params = query.to_params();
    view! {
        <Form method="get" action=TOKENS_PATH attr:class="filters" attr:role="search" attr:aria-label=td_string!(locale, filters.label)>
            <div class="filter">
                <label for="filter-q">{td_string!(locale, filters.search)}</label>
                <input
                    id="filter-q"
                    name="q"
                    type="search"
                    maxlength=SEARCH_MAX_CHARS.to_string()
                    placeholder=td_string!(locale, filters.search_placeholder)
                    title=td_string!(locale, filters.search_help)
                    value=params.q.clone().unwrap_or_default()
                />
            </div>
            <div class="filter">
                <label for="filter-status">{td_string!(locale, table.status)}</label>
                <select id="filter-status" name="status">
                    <option value="" selected=query.status.is_none()>{td_string!(locale, filters.any_status)}</option>
                    {TokenStatus::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <option value=status.code() selected=query.status == Some(status)>
                                    {words::status(locale, status)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="filter-user">{td_string!(locale, filters.user_login)}</label>
                <input
                    id="filter-user"
                    name="user"
                    maxlength="100"
                    autocomplete="off"
                    value=params.user.clone().unwrap_or_default()
                />
            </div>
            {params.sort.map(|sort| view! { <input type="hidden" name="sort" value=sort /> })}
            {params.dir.map(|dir| view! { <input type="hidden" name="dir" value=dir /> })}
            <div class="filter-actions">
                <button type="submit">{td_string!(locale, filters.submit)}</button>
                {filtered.then(|| view! { <a href=query.cleared().href()>{td_string!(locale, filters.clear)}</a> })}
            </div>
        </Form>
    }
}

/// "Previous page" / "Next page" of the tokens table; plain links.
#[component]
pub fn TokenPager(previous: Option<String>, next: Option<String>) -> impl IntoView {
    let locale = language::current();
    let (before, after) = (
        td_string!(locale, table.previous_page),
        td_string!(locale, table.next_page),
    );
    view! {
        <nav class="pager" aria-label=td_string!(locale, table.pages_label)>
            {match previous {
                Some(href) => view! { <a href=href rel="prev">{before}</a> }.into_any(),
                None => view! { <span class="pager-off" aria-disabled="true">{before}</span> }.into_any(),
            }}
            {match next {
                Some(href) => view! { <a href=href rel="next">{after}</a> }.into_any(),
                None => view! { <span class="pager-off" aria-disabled="true">{after}</span> }.into_any(),
            }}
        </nav>
    }
}
