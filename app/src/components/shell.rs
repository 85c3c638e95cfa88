//! The console frame: title, navigation Security > API tokens | Audit log, "Log out". It also decides who
//! may see the page: no session → the login page; no right 090201 → a 403 page.

use leptos::prelude::*;
use leptos_router::components::{Redirect, A};

use super::token_dialogs::TokenDialogs;
use crate::api::{current_admin, Logout};
use crate::model::ConsoleError;
use crate::navigation::{CONTENT_ID, NAV_ID};
use crate::routes::{AUDIT_LOG_PATH, LOGIN_PATH, TOKENS_PATH};

#[component]
fn LogoutButton() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <ActionForm action=logout attr:class="logout">
            <button type="submit">"Log out"</button>
        </ActionForm>
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
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match admin.await {
                        Ok(admin) => {
                            view! {
                                <header class="topbar">
                                    <span class="product">"Administration console"</span>
                                    <span class="who" title=admin.login.clone()>{admin.name.clone()}</span>
                                    <LogoutButton />
                                </header>
                                <div class="layout">
                                    <nav class="sidebar" id=NAV_ID aria-label="Administration console">
                                        <ul>
                                            <li>
                                                <span class="nav-group">"Security"</span>
                                                <ul>
                                                    <li>
                                                        <A href=TOKENS_PATH>"API tokens"</A>
                                                    </li>
                                                    <li>
                                                        <A href=AUDIT_LOG_PATH>"Audit log"</A>
                                                    </li>
                                                </ul>
                                            </li>
                                        </ul>
                                    </nav>
                                    <main class="content" id=CONTENT_ID>{children()}</main>
                                    <TokenDialogs />
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
                                    <h1>"403 — Access denied"</h1>
                                    <p>{error.to_string()}</p>
                                    <LogoutButton />
                                </main>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <main class="standalone">
                                    <h1>"Administration console"</h1>
                                    <p role="alert">{error.to_string()}</p>
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
