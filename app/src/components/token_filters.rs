//! The tokens table's filters: a GET form (the URL query is the table's state), so it works
//! without JavaScript and each filtered view is a link.

use leptos::prelude::*;
use leptos_router::components::Form;

use crate::model::TokenStatus;
use crate::token_query::{TokenQuery, SEARCH_MAX_CHARS, TOKENS_PATH};

#[component]
pub fn TokenFilters(query: TokenQuery) -> impl IntoView {
    let filtered = query.status.is_some() || query.user.is_some() || query.search.is_some();
    let params = query.to_params();
    view! {
        <Form method="get" action=TOKENS_PATH attr:class="filters" attr:role="search" attr:aria-label="Filter tokens">
            <div class="filter">
                <label for="filter-q">"Search"</label>
                <input
                    id="filter-q"
                    name="q"
                    type="search"
                    maxlength=SEARCH_MAX_CHARS.to_string()
                    placeholder="Token name, user login or name"
                    title="Three characters or more are found anywhere in a token name, user login or name; one or two, at their start."
                    value=params.q.clone().unwrap_or_default()
                />
            </div>
            <div class="filter">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status">
                    <option value="" selected=query.status.is_none()>"Any status"</option>
                    {TokenStatus::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <option value=status.code() selected=query.status == Some(status)>
                                    {status.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="filter-user">"User login"</label>
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
                <button type="submit">"Filter"</button>
                {filtered.then(|| view! { <a href=query.cleared().href()>"Clear filters"</a> })}
            </div>
        </Form>
    }
}

/// "Previous page" / "Next page" of the tokens table; plain links.
#[component]
pub fn TokenPager(previous: Option<String>, next: Option<String>) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Token pages">
            {match previous {
                Some(href) => view! { <a href=href rel="prev">"Previous page"</a> }.into_any(),
                None => view! { <span class="pager-off" aria-disabled="true">"Previous page"</span> }.into_any(),
            }}
            {match next {
                Some(href) => view! { <a href=href rel="next">"Next page"</a> }.into_any(),
                None => view! { <span class="pager-off" aria-disabled="true">"Next page"</span> }.into_any(),
            }}
        </nav>
    }
}
