//! The tokens table. Rows carry the token's hint, never the token.

use leptos::prelude::*;

use super::confirm::TokenTarget;
use super::icons::{AddressIcon, DeleteIcon, RemoveIcon, RotateIcon};
use super::token_dialogs::TokenAction;
use crate::model::{days_left, TokenRow, TokenStatus};
use crate::token_query::{PageAt, SortKey, TokenQuery};

/// A column header that sorts the table by `key` (again: the other way round).
#[component]
fn SortHeader(key: SortKey, query: TokenQuery) -> impl IntoView {
    let sorted = (query.sort == key).then(|| query.order().aria());
    view! {
        <th scope="col" aria-sort=sorted>
            <a href=query.sorted_by(key).href()>{key.label()}</a>
        </th>
    }
}

#[component]
pub fn TokensTable(rows: Vec<TokenRow>, query: TokenQuery) -> impl IntoView {
    if rows.is_empty() {
        let filtered = query.status.is_some() || query.user.is_some() || query.search.is_some();
        let message = if query.page != PageAt::First {
            "No tokens on this page."
        } else if filtered {
            "No API token matches these filters."
        } else {
            "No API token yet."
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
                    <th scope="col">"Removal date"</th>
                    <th scope="col">"Removal"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
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
    let remove_label = format!("Remove token {}", row.name);
    let delete_label = format!("Delete token {}", row.name);
    let edit_label = format!("Edit allowed addresses of token {}", row.name);
    let rotate_label = format!("Rotate token {}", row.name);
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
                        view! { <span class="token-allowed">{format!("Allowed from {allowed}")}</span> }
                    })}
            </td>
            <td>{row.created_on.clone()}</td>
            <td>{row.expires_on.clone()}</td>
            <td class="last-used">
                {match (row.last_used.clone(), row.last_used_from.clone()) {
                    (Some(at), from) => {
                        view! {
                            <span class="last-used-at">{at}</span>
                            <span class="last-used-from">{from}</span>
                        }
                            .into_any()
                    }
                    (None, _) => view! { <span class="never">"Never"</span> }.into_any(),
                }}
            </td>
            <td>{row.removed_on.clone().unwrap_or_default()}</td>
            <td class="removal">
                {removed
                    .then(|| {
                        view! {
                            <span class="removed-icon" role="img" aria-label="Removed" title="Removed">
                                <RemoveIcon />
                            </span>
                        }
                    })}
                {row
                    .removal_reason
                    .map(|reason| view! { <span class="removal-reason">{reason.label()}</span> })}
                {row
                    .works_until
                    .clone()
                    .map(|at| {
                        view! { <span class="removal-reason">{format!("Works until {at}")}</span> }
                    })}
            </td>
            <td>
                <span class=status_class>{row.status.label()}</span>
                {row
                    .expires_in_days
                    .map(|days| {
                        view! { " " <span class="status-days">{format!("({})", days_left(days))}</span> }
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
