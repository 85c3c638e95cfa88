use leptos::prelude::*;

use crate::routes::TOKENS_PATH;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="standalone">
            <h1>"Page not found"</h1>
            <p>
                <a href=TOKENS_PATH>"Back to the administration console"</a>
            </p>
        </main>
    }
}
