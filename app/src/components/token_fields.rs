//! The fields of "Create an API token" after the user (token name, expiration date), shared
//! by the dialog and the page for browsers without JavaScript. Given the form's action (the
//! dialog), each field shows the error of its last answer.

use leptos::prelude::*;

use crate::api::CreateToken;
use crate::model::Field;

pub const ALLOWED_ADDRESSES_HELP: &str = "Optional: IPv4 or IPv6 addresses or CIDR ranges \
     (203.0.113.7, 10.0.0.0/8, 2001:db8::/32), one per line or separated by commas. Empty: any \
     address.";

pub const EXPIRATION_HELP: &str =
    "Empty means today. The token can no longer be used once this date has passed.";

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

/// `latest`: the lifetime policy's last allowed date, if any (the date input stops there).
#[component]
pub fn NameAndExpiration(action: CreateAction, latest: Signal<Option<String>>) -> impl IntoView {
    view! {
        <label for="token-name">"Token name"</label>
        <input
            id="token-name"
            name="name"
            maxlength="100"
            autocomplete="off"
            aria-invalid=invalid(action, Field::Name)
        />
        <FieldError action field=Field::Name />
        <label for="token-expiration">"Expiration date"</label>
        <input
            id="token-expiration"
            name="expiration"
            type="date"
            aria-describedby="token-expiration-help"
            aria-invalid=invalid(action, Field::Expiration)
            max=move || latest.get()
        />
        <p id="token-expiration-help" class="help">
            {EXPIRATION_HELP}
            {move || latest.get().map(|day| format!(" At the latest {day}."))}
        </p>
        <FieldError action field=Field::Expiration />
    }
}

/// "Allowed addresses" of a new token.
#[component]
pub fn AllowedAddresses(action: CreateAction) -> impl IntoView {
    view! {
        <label for="token-addresses">"Allowed addresses"</label>
        <textarea
            id="token-addresses"
            name="allowed_addresses"
            rows="3"
            aria-describedby="token-addresses-help"
            aria-invalid=invalid(action, Field::AllowedAddresses)
        ></textarea>
        <p id="token-addresses-help" class="help">
            {ALLOWED_ADDRESSES_HELP}
        </p>
        <FieldError action field=Field::AllowedAddresses />
    }
}
