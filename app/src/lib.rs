#![recursion_limit = "256"]
//! The API token console: Leptos components, routes, server functions and shared types.

pub mod api;
mod clipboard;
mod components;
#[cfg(feature = "ssr")]
pub mod created_page;
pub mod language;
pub mod model;
pub mod navigation;
pub mod product;
pub mod routes;
pub mod texts;
pub mod token_query;
pub mod words;

#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "domain")]
pub mod domain;
#[cfg(feature = "ssr")]
pub mod failure_counts;
#[cfg(feature = "ssr")]
pub mod login_throttle;
#[cfg(feature = "ssr")]
pub mod messages;
#[cfg(feature = "ssr")]
pub mod password_checks;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod throttle;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags, Title};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use components::{
    audit_log::AuditLogPage, login::LoginPage, new_token::NewTokenPage, not_found::NotFound,
    tokens_page::ApiTokensPage,
};

/// The site's icon.
pub const FAVICON: &str = "/favicon.svg";

/// The site's one stylesheet: `/pkg/<output name>.css`, the name hashed in a `cargo site
/// dist` build.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    api::edge::send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href=FAVICON type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet_href(&options) />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
fn Home() -> impl IntoView {
    components::shell::server_redirect(routes::TOKENS_PATH);
    view! { <Redirect path=routes::TOKENS_PATH /> }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = language::of_request();
    provide_context(locale);
    view! {
        <Html {..} lang=language::code(locale) />
        <Title text=i18n::td_string!(locale, app.console) />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route
                    path=path!("/security/api-tokens")
                    view=ApiTokensPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/security/api-tokens/new")
                    view=NewTokenPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/security/audit-log") view=AuditLogPage ssr=SsrMode::Async />
                <Route path=path!("/") view=Home ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
