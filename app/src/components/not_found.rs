use leptos::prelude::*;

use crate::i18n::td_string;
use crate::language;
use crate::routes::TOKENS_PATH;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let locale = language::current();
    view! {
        <main class="standalone">
            <h1>{td_string!(locale, pages.not_found)}</h1>
            <p>
                <a href=TOKENS_PATH>{td_string!(locale, pages.back_to_console)}</a>
            </p>
        </main>
    }
}
