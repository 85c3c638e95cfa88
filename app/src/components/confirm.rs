//! A confirmation dialog ("Confirm" / "Cancel") for an irreversible action on a token.

use leptos::prelude::*;

use crate::model::ConsoleError;

#[component]
pub fn ConfirmDialog(
    title: String,
    message: String,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<ConsoleError>>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-message">
                <h2 id="confirm-title">{title}</h2>
                <p id="confirm-message">{message}</p>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| on_cancel.run(())>
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="primary danger"
                        disabled=move || pending.get()
                        on:click=move |_| on_confirm.run(())
                    >
                        "Confirm"
                    </button>
                </div>
            </div>
        </div>
    }
}
