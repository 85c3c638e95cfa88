//! A confirmation dialog ("Confirm" / "Cancel") for an irreversible action on one token. It
//! closes itself once the action succeeds and shows the server's error otherwise.

use leptos::prelude::*;

use super::modal::Modal;
use crate::model::{ConsoleError, TokenRow};

#[component]
pub fn ConfirmTokenDialog(
    /// The token acted on; the dialog closes by setting it to `None`.
    target: RwSignal<Option<TokenRow>>,
    title: &'static str,
    /// The question, built from the token's row.
    question: fn(&TokenRow) -> String,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<ConsoleError>>,
    #[prop(into)] succeeded: Signal<bool>,
    on_confirm: Callback<i64>,
) -> impl IntoView {
    let (id, message) = target
        .with_untracked(|row| row.as_ref().map(|row| (row.id, question(row))))
        .unwrap_or_default();
    Effect::new(move |_| {
        if succeeded.get() {
            target.set(None);
        }
    });
    view! {
        <Modal labelled_by="confirm-title" described_by="confirm-message" on_close=Callback::new(move |()| target.set(None))>
            <h2 id="confirm-title">{title}</h2>
            <p id="confirm-message">{message}</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <div class="dialog-actions">
                <button type="button" on:click=move |_| target.set(None)>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="primary danger"
                    disabled=move || pending.get()
                    on:click=move |_| on_confirm.run(id)
                >
                    "Confirm"
                </button>
            </div>
        </Modal>
    }
}
