//! Administration console > Security > Audit log: who did what, newest first, paged on the
//! server (`?page=N`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::shell::ConsoleShell;
use crate::api::audit_log;
use crate::model::{AuditEntry, AuditPage};
use crate::routes::AUDIT_LOG_PATH;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    view! {
        <Title text="Audit log — Administration console" />
        <ConsoleShell>
            <AuditLog />
        </ConsoleShell>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.trim().parse::<u32>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    };
    let events = Resource::new(page, audit_log);
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            "Administration console › Security › Audit log"
        </nav>
        <section class="audit-log">
            <h1>"Audit log"</h1>
            <p class="lead">
                "Token creations, removals and deletions, logins and logouts, feature flag and people changes, newest first."
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(page) => view! { <AuditTable page /> }.into_any(),
                        Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AuditTable(page: AuditPage) -> impl IntoView {
    let AuditPage {
        entries,
        page,
        pages,
        total,
    } = page;
    let link = |n: u32| format!("{AUDIT_LOG_PATH}?page={n}");
    let body = if entries.is_empty() {
        view! { <p class="empty">"No event on this page."</p> }.into_any()
    } else {
        view! {
            <table class="audit">
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Event"</th>
                        <th scope="col">"By"</th>
                        <th scope="col">"From"</th>
                        <th scope="col">"Target"</th>
                    </tr>
                </thead>
                <tbody>{entries.into_iter().map(|entry| view! { <AuditLine entry /> }).collect_view()}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        {body}
        <nav class="pager" aria-label="Audit log pages">
            {(page > 1)
                .then(|| view! { <a href=link(page.min(pages.saturating_add(1)) - 1) rel="prev">"Previous"</a> })}
            <span class="page-of">{format!("Page {page} of {pages} ({total} events)")}</span>
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">"Next"</a> })}
        </nav>
    }
}

#[component]
fn AuditLine(entry: AuditEntry) -> impl IntoView {
    view! {
        <tr data-event-id=entry.id.to_string()>
            <td class="at">{entry.at}</td>
            <td class="event">{entry.action.label()}</td>
            <td>{entry.actor}</td>
            <td class="client">{entry.client}</td>
            <td>{entry.target}</td>
        </tr>
    }
}
