//! The tokens table. Rows carry the token's hint, never the token.

use leptos::prelude::*;

use super::confirm::TokenTarget;
use super::icons::{AddressIcon, DeleteIcon, RemoveIcon, RotateIcon};
use super::token_dialogs::TokenAction;
use crate::i18n::td_string;
use crate::language;
use crate::model::{TokenRow, TokenStatus};
use crate::token_query::{PageAt, SortKey, TokenQuery};
use crate::words;

/// A column header that sorts the table by `key` (again: the other way round).
#[component]
fn SortHeader(key: SortKey, query: TokenQuery) -> impl IntoView {
    let locale = language::current();
    let sorted = (query.sort == key).then(|| query.order().aria());
    view! {
        <th scope="col" aria-sort=sorted>
            <a href=query.sorted_by(key).href()>{words::sort_key(locale, key)}</a>
        </th>
    }
}

#[component]
pub fn TokensTable(rows: Vec<TokenRow>, query: TokenQuery) -> impl IntoView {
    let locale = language::current();
    if rows.is_empty() {
        let filtered = query.status.is_some() || query.user.is_some() || query.search.is_some();
        let message = if query.page != PageAt::First {
            td_string!(locale, table.empty_page)
        } else if filtered {
            td_string!(locale, table.empty_filtered)
        } else {
            td_string!(locale, table.empty)
        };
        return view! { <p class="empty">{message}</p> }.into_any();
    }
    let header = move |key: SortKey| view! { <SortHeader key query=query.clone() /> };
    view! {
        <table class="tokens">
            <thead>
                <tr>
                    {header(SortKey::User)}
                    {header(SortKey::Name)}
                    {header(SortKey::Created)}
                    {header(SortKey::Expires)}
                    {header(SortKey::LastUsed)}
                    <th scope="col">{td_string!(locale, table.removal_date)}</th>
                    <th scope="col">{td_string!(locale, table.removal)}</th>
                    <th scope="col">{td_string!(locale, table.status)}</th>
                    <th scope="col">
                        <span class="visually-hidden">{td_string!(locale, table.actions)}</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| view! { <TokenLine row /> })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The row's `data-token-*` attributes tell the dialogs which token a button acts on.
#[component]
fn TokenLine(row: TokenRow) -> impl IntoView {
    let locale = language::current();
    let removed = row.status == TokenStatus::Removed;
    // A rotated token still works through its overlap: it can be stopped at once.
    let removable = !removed || row.works_until.is_some();
    let status_class = match row.status {
        TokenStatus::Active => "status status-active",
        TokenStatus::ExpiresSoon => "status status-expiring",
        TokenStatus::Expired => "status status-expired",
        TokenStatus::Removed => "status status-removed",
        TokenStatus::UserInactive => "status status-inactive",
    };
    let name = row.name.as_str();
    let remove_label = td_string!(locale, table.remove_label, name = name).to_string();
    let delete_label = td_string!(locale, table.delete_label, name = name).to_string();
    let edit_label = td_string!(locale, table.edit_addresses_label, name = name).to_string();
    let rotate_label = td_string!(locale, table.rotate_label, name = name).to_string();
    let removed_word = td_string!(locale, status.removed);
    view! {
        <tr {..TokenTarget::attributes(&row)}>
            <td>
                <span class="user-name">{row.user_name.clone()}</span>
                <span class="user-login">{row.user_login.clone()}</span>
            </td>
            <td>
                <span class="token-name">{row.name.clone()}</span>
                <code class="token-hint">{row.hint.clone()}</code>
                {row
                    .allowed_addresses
                    .clone()
                    .map(|allowed| {
                        view! { <span class="token-allowed">{td_string!(locale, table.allowed_from, addresses = allowed).to_string()}</span> }
                    })}
            </td>
            <td><time datetime=row.created_on.clone()>{words::date(locale, &row.created_on)}</time></td>
            <td><time datetime=row.expires_on.clone()>{words::date(locale, &row.expires_on)}</time></td>
            <td class="last-used">
                {match (row.last_used.clone(), row.last_used_from.clone()) {
                    (Some(at), from) => {
                        view! {
                            <span class="last-used-at">
                                <time datetime=at.replace(' ', "T")>{words::date_time(locale, &at)}</time>
                            </span>
                            <span class="last-used-from">{from}</span>
                        }
                            .into_any()
                    }
                    (None, _) => view! { <span class="never">{td_string!(locale, table.never)}</span> }.into_any(),
                }}
            </td>
            <td>
                {row
                    .removed_on
                    .clone()
                    .map(|day| view! { <time datetime=day.clone()>{words::date(locale, &day)}</time> })}
            </td>
            <td class="removal">
                {removed
                    .then(|| {
                        view! {
                            <span class="removed-icon" role="img" aria-label=removed_word title=removed_word>
                                <RemoveIcon />
                            </span>
                        }
                    })}
                {row
                    .removal_reason
                    .map(|reason| view! { <span class="removal-reason">{words::removal_reason(locale, reason)}</span> })}
                {row
                    .works_until
                    .clone()
                    .map(|at| {
                        view! { <span class="removal-reason">{td_string!(locale, table.works_until, at = words::date_time(locale, &at)).to_string()}</span> }
                    })}
            </td>
            <td>
                <span class=status_class>{words::status(locale, row.status)}</span>
                {row
                    .expires_in_days
                    .map(|days| {
                        view! { " " <span class="status-days">{format!("({})", words::days_left(locale, days))}</span> }
                    })}
            </td>
            <td class="row-actions">
                {(!removed)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="icon-button"
                                aria-label=rotate_label.clone()
                                title=rotate_label.clone()
                                {..TokenAction::Rotate.attribute()}
                            >
                                <RotateIcon />
                            </button>
                            <button
                                type="button"
                                class="icon-button"
                                aria-label=edit_label.clone()
                                title=edit_label.clone()
                                {..TokenAction::EditAddresses.attribute()}
                            >
                                <AddressIcon />
                            </button>
                        }
                    })}
                {removable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="icon-button"
                                aria-label=remove_label.clone()
                                title=remove_label.clone()
                                {..TokenAction::Remove.attribute()}
                            >
                                <RemoveIcon />
                            </button>
                        }
                    })}
                <button
                    type="button"
                    class="icon-button danger"
                    aria-label=delete_label.clone()
                    title=delete_label.clone()
                    {..TokenAction::Delete.attribute()}
                >
                    <DeleteIcon />
                </button>
            </td>
        </tr>
    }
}
