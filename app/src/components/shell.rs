//! The console frame: title, navigation Security > API tokens | Audit log, "Log out". It also decides who
//! may see the page: no session → the login page; no right 090201 → a 403 page.

use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

use super::token_dialogs::TokenDialogs;
use crate::api::{current_admin, Logout};
use crate::i18n::td_string;
use crate::language::{self, Locale, LANGUAGE_PATH};
use crate::model::ConsoleError;
use crate::navigation::{CONTENT_ID, NAV_ID};
use crate::routes::{AUDIT_LOG_PATH, LOGIN_PATH, TOKENS_PATH};
use crate::texts::{self, Texts};
use crate::words;

#[component]
fn LogoutButton() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let locale = language::current();
    view! {
        <ActionForm action=logout attr:class="logout">
            <button type="submit">{td_string!(locale, shell.log_out)}</button>
        </ActionForm>
    }
}

/// The "Language" control: a plain form (it works without JavaScript); the server remembers
/// the choice and shows the page again in that language.
#[component]
pub fn LanguageForm() -> impl IntoView {
    let locale = language::current();
    let location = use_location();
    let (path, query) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    let back = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let name = |other: Locale| match other {
        Locale::en => td_string!(locale, languages.en),
        Locale::fr => td_string!(locale, languages.fr),
    };
    view! {
        <form method="post" action=LANGUAGE_PATH class="language">
            <input type="hidden" name="back" value=back />
            <label for="language">{td_string!(locale, shell.language)}</label>
            <select id="language" name="language">
                {language::all()
                    .iter()
                    .map(|&other| {
                        view! {
                            <option value=language::code(other) lang=language::code(other) selected=other == locale>
                                {name(other)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit">{td_string!(locale, shell.language_apply)}</button>
        </form>
    }
}

/// Answers a page request with 302 → `path` whatever its `Accept` header (Leptos' own
/// redirect only does so for requests that accept HTML). The client side uses `<Redirect>`.
pub fn server_redirect(path: &'static str) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        use axum::http::{header::LOCATION, HeaderValue, StatusCode};
        response.set_status(StatusCode::FOUND);
        response.insert_header(LOCATION, HeaderValue::from_static(path));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

#[component]
pub fn ConsoleShell(children: ChildrenFn) -> impl IntoView {
    let admin = Resource::new(|| (), |_| current_admin());
    let locale = language::current();
    let latest = texts::latest_expiration(locale);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, app.loading)}</p> }>
            {move || {
                let children = children.clone();
                let latest = latest.clone();
                Suspend::new(async move {
                    match admin.await {
                        Ok(admin) => {
                            view! {
                                <header class="topbar">
                                    <span class="product">{td_string!(locale, app.console)}</span>
                                    <span class="who" title=admin.login.clone()>{admin.name.clone()}</span>
                                    <LogoutButton />
                                </header>
                                <div class="layout">
                                    <nav class="sidebar" id=NAV_ID aria-label=td_string!(locale, app.console)>
                                        <ul>
                                            <li>
                                                <span class="nav-group">{td_string!(locale, nav.security)}</span>
                                                <ul>
                                                    <li>
                                                        <A href=TOKENS_PATH>{td_string!(locale, nav.api_tokens)}</A>
                                                    </li>
                                                    <li>
                                                        <A href=AUDIT_LOG_PATH>{td_string!(locale, nav.audit_log)}</A>
                                                    </li>
                                                </ul>
                                            </li>
                                        </ul>
                                        <LanguageForm />
                                    </nav>
                                    <main class="content" id=CONTENT_ID>{children()}</main>
                                    <TokenDialogs
                                        texts=Texts::new(locale, latest.as_ref())
                                        latest=latest.as_ref().map(|latest| latest.day.clone())
                                    />
                                </div>
                            }
                                .into_any()
                        }
                        Err(ConsoleError::NotLoggedIn) => {
                            server_redirect(LOGIN_PATH);
                            view! { <Redirect path=LOGIN_PATH /> }.into_any()
                        }
                        Err(error @ (ConsoleError::Forbidden | ConsoleError::NotEmployed)) => {
                            view! {
                                <main class="standalone">
                                    <h1>{td_string!(locale, shell.access_denied)}</h1>
                                    <p>{words::error(locale, &error)}</p>
                                    <LogoutButton />
                                </main>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <main class="standalone">
                                    <h1>{td_string!(locale, app.console)}</h1>
                                    <p role="alert">{words::error(locale, &error)}</p>
                                </main>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
