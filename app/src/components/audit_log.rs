//! Administration console > Security > Audit log: who did what, newest first, paged on the
//! server (`?page=N`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::shell::ConsoleShell;
use crate::api::audit_log;
use crate::i18n::td_string;
use crate::language;
use crate::model::{AuditEntry, AuditPage};
use crate::routes::AUDIT_LOG_PATH;
use crate::words;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let locale = language::current();
    let title = td_string!(
        locale,
        app.page_title,
        page = td_string!(locale, nav.audit_log)
    );
    view! {
        <Title text=title.to_string() />
        <ConsoleShell>
            <AuditLog />
        </ConsoleShell>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let locale = language::current();
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
        <nav class="breadcrumb" aria-label=td_string!(locale, nav.breadcrumb_label)>
            {td_string!(locale, nav.breadcrumb_audit_log)}
        </nav>
        <section class="audit-log">
            <h1>{td_string!(locale, nav.audit_log)}</h1>
            <p class="lead">{td_string!(locale, audit.lead)}</p>
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(page) => view! { <AuditTable page /> }.into_any(),
                        Err(error) => view! { <p role="alert">{words::error(locale, &error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AuditTable(page: AuditPage) -> impl IntoView {
    let locale = language::current();
    let AuditPage {
        entries,
        page,
        pages,
        total,
    } = page;
    let link = |n: u32| format!("{AUDIT_LOG_PATH}?page={n}");
    let body = if entries.is_empty() {
        view! { <p class="empty">{td_string!(locale, audit.empty)}</p> }.into_any()
    } else {
        view! {
            <table class="audit">
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, audit.column_date)}</th>
                        <th scope="col">{td_string!(locale, audit.column_event)}</th>
                        <th scope="col">{td_string!(locale, audit.column_by)}</th>
                        <th scope="col">{td_string!(locale, audit.column_from)}</th>
                        <th scope="col">{td_string!(locale, audit.column_target)}</th>
                    </tr>
                </thead>
                <tbody>{entries.into_iter().map(|entry| view! { <AuditLine entry /> }).collect_view()}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        {body}
        <nav class="pager" aria-label=td_string!(locale, audit.pages_label)>
            {(page > 1)
                .then(|| view! { <a href=link(page.min(pages.saturating_add(1)) - 1) rel="prev">{td_string!(locale, audit.previous)}</a> })}
            <span class="page-of">
                {td_string!(
                    locale, audit.page_of,
                    page = page, pages = pages, count = total, shown = words::number(locale, total)
                ).to_string()}
            </span>
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{td_string!(locale, audit.next)}</a> })}
        </nav>
    }
}

#[component]
fn AuditLine(entry: AuditEntry) -> impl IntoView {
    let locale = language::current();
    view! {
        <tr data-event-id=entry.id.to_string()>
            <td class="at"><time datetime=entry.at.replace(' ', "T")>{words::date_time(locale, &entry.at)}</time></td>
            <td class="event">{words::audit_action(locale, entry.action)}</td>
            <td>{entry.actor}</td>
            <td class="client">{entry.client}</td>
            <td>{entry.target}</td>
        </tr>
    }
}
