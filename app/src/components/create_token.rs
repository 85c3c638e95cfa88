//! "Create an API token": user, token name, expiration date. Errors stay inline and the dialog
//! keeps what was typed.

use leptos::prelude::*;

use super::modal::Modal;
use super::user_combobox::UserCombobox;
use crate::api::CreateToken;
use crate::model::Field;

pub const EXPIRATION_HELP: &str =
    "Empty means today. The token can no longer be used once this date has passed.";

#[component]
pub fn CreateTokenDialog(action: ServerAction<CreateToken>, open: RwSignal<bool>) -> impl IntoView {
    let user_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = user_input.get() {
            let _ = input.focus();
        }
    });
    let error = move || action.value().get().and_then(Result::err);
    let error_for = move |field: Field| {
        move || {
            error()
                .and_then(|e| e.message_for(field).map(str::to_owned))
                .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
        }
    };
    let general_error = move || {
        error()
            .filter(|e| !e.is_about_fields())
            .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
    };
    let invalid = move |field: Field| {
        move || {
            error()
                .is_some_and(|e| e.message_for(field).is_some())
                .to_string()
        }
    };

    view! {
        <Modal labelled_by="create-token-title" on_close=Callback::new(move |()| open.set(false))>
            <h2 id="create-token-title">"Create an API token"</h2>
            <ActionForm action=action attr:class="form">
                <label for="token-user">"User"</label>
                <UserCombobox invalid=Signal::derive(invalid(Field::User)) input_ref=user_input />
                {error_for(Field::User)}
                <label for="token-name">"Token name"</label>
                <input
                    id="token-name"
                    name="name"
                    maxlength="100"
                    autocomplete="off"
                    aria-invalid=invalid(Field::Name)
                />
                {error_for(Field::Name)}
                <label for="token-expiration">"Expiration date"</label>
                <input
                    id="token-expiration"
                    name="expiration"
                    type="date"
                    aria-describedby="token-expiration-help"
                    aria-invalid=invalid(Field::Expiration)
                />
                <p id="token-expiration-help" class="help">
                    {EXPIRATION_HELP}
                </p>
                {error_for(Field::Expiration)}
                {general_error}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| open.set(false)>
                        "Cancel"
                    </button>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        "Create"
                    </button>
                </div>
            </ActionForm>
        </Modal>
    }
}
