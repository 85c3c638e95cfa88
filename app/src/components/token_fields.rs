//! The fields of "Create an API token" after the user (token name, expiration date), shared
//! by the dialog and the page for browsers without JavaScript. Given the form's action (the
//! dialog), each field shows the error of its last answer.

use leptos::prelude::*;

use crate::api::CreateToken;
use crate::model::Field;
use crate::texts::{use_texts, Text};

type CreateAction = Option<ServerAction<CreateToken>>;

/// What the action's last answer says of `field`, if anything.
fn message(action: CreateAction, field: Field) -> Option<String> {
    let error = action?.value().get()?.err()?;
    error.message_for(field).map(str::to_owned)
}

/// `aria-invalid` for `field`: only on a form whose answers are shown.
pub fn invalid(action: CreateAction, field: Field) -> impl Fn() -> Option<String> + Copy {
    move || action.map(|_| message(action, field).is_some().to_string())
}

#[component]
pub fn FieldError(action: CreateAction, field: Field) -> impl IntoView {
    move || {
        message(action, field).map(|text| view! { <p class="field-error" role="alert">{text}</p> })
    }
}

/// `latest`: the lifetime policy's last allowed date, if any (the date input stops there;
/// [`Text::AtTheLatest`] says it).
#[component]
pub fn NameAndExpiration(action: CreateAction, latest: Signal<Option<String>>) -> impl IntoView {
    let words = use_texts();
    view! {
        <label for="token-name">{words.get(Text::TokenName)}</label>
        <input
            id="token-name"
            name="name"
            maxlength="100"
            autocomplete="off"
            aria-invalid=invalid(action, Field::Name)
        />
        <FieldError action field=Field::Name />
        <label for="token-expiration">{words.get(Text::ExpirationDate)}</label>
        <input
            id="token-expiration"
            name="expiration"
            type="date"
            aria-describedby="token-expiration-help"
            aria-invalid=invalid(action, Field::Expiration)
            max=move || latest.get()
        />
        <p id="token-expiration-help" class="help">
            {words.get(Text::ExpirationHelp)}
            {format!(" {}", words.get(Text::AtTheLatest))}
        </p>
        <FieldError action field=Field::Expiration />
    }
}

/// "Allowed addresses" of a new token.
#[component]
pub fn AllowedAddresses(action: CreateAction) -> impl IntoView {
    let words = use_texts();
    view! {
        <label for="token-addresses">{words.get(Text::AllowedAddresses)}</label>
        <textarea
            id="token-addresses"
            name="allowed_addresses"
            rows="3"
            aria-describedby="token-addresses-help"
            aria-invalid=invalid(action, Field::AllowedAddresses)
        ></textarea>
        <p id="token-addresses-help" class="help">
            {words.get(Text::AddressesHelp)}
        </p>
        <FieldError action field=Field::AllowedAddresses />
    }
}
