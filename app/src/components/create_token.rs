//! "Create an API token": user, token name, expiration date. Errors stay inline and the dialog
//! keeps what was typed.

use leptos::prelude::*;

use super::modal::Modal;
use super::token_fields::{invalid, AllowedAddresses, FieldError, NameAndExpiration};
use super::user_combobox::UserCombobox;
use crate::api::CreateToken;
use crate::model::Field;
use crate::texts::{use_texts, Text};

#[component]
pub fn CreateTokenDialog(
    action: ServerAction<CreateToken>,
    open: RwSignal<bool>,
    /// The lifetime policy's last day (`YYYY-MM-DD`), if any: the date field stops there.
    latest: Signal<Option<String>>,
) -> impl IntoView {
    let user_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = user_input.get() {
            let _ = input.focus();
        }
    });
    let words = use_texts();
    let general_error = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| !e.is_about_fields())
            .map(|e| view! { <p class="form-error" role="alert">{words.error(&e)}</p> })
    };
    let shown = Some(action);
    let user_invalid = invalid(shown, Field::User);
    let user_invalid = Signal::derive(move || user_invalid().unwrap_or_default());

    view! {
        <Modal labelled_by="create-token-title" on_close=Callback::new(move |()| open.set(false))>
            <h2 id="create-token-title">{words.get(Text::CreateTitle)}</h2>
            <ActionForm action=action attr:class="form">
                <label for="token-user">{words.get(Text::User)}</label>
                <UserCombobox invalid=user_invalid input_ref=user_input />
                <FieldError action=shown field=Field::User />
                <NameAndExpiration action=shown latest />
                <AllowedAddresses action=shown />
                {general_error}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| open.set(false)>
                        {words.get(Text::Cancel)}
                    </button>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        {words.get(Text::Create)}
                    </button>
                </div>
            </ActionForm>
        </Modal>
    }
}
