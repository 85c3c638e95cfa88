//! A confirmation dialog ("Confirm" / "Cancel") for an irreversible action on one token. It
//! closes itself once the action succeeds and shows the server's error otherwise.

use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use super::modal::Modal;
use crate::model::{ConsoleError, TokenRow};
use crate::texts::{use_texts, Text};

/// The row a Remove or Delete button belongs to, as the table's HTML describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenTarget {
    pub id: i64,
    pub name: String,
    pub user_name: String,
    /// As the table shows them ("10.0.0.0/8, 2001:db8::1"); empty: any address.
    pub allowed_addresses: String,
    /// The rotate dialog's default expiration date (empty for a removed token).
    pub rotation_expires: String,
}

impl TokenTarget {
    const ID: &'static str = "data-token-id";
    const NAME: &'static str = "data-token-name";
    const USER_NAME: &'static str = "data-user-name";
    const ALLOWED: &'static str = "data-allowed-addresses";
    const ROTATION_EXPIRES: &'static str = "data-rotation-expires";

    /// The attributes of a table row that name its token for the dialogs.
    pub fn attributes(row: &TokenRow) -> impl leptos::attr::Attribute {
        (
            custom_attribute(Self::ID, row.id.to_string()),
            custom_attribute(Self::NAME, row.name.clone()),
            custom_attribute(Self::USER_NAME, row.user_name.clone()),
            custom_attribute(
                Self::ALLOWED,
                row.allowed_addresses.clone().unwrap_or_default(),
            ),
            custom_attribute(
                Self::ROTATION_EXPIRES,
                row.rotation_expires.clone().unwrap_or_default(),
            ),
        )
    }

    /// Read from the row around `button`.
    #[cfg(feature = "hydrate")]
    pub fn of(button: &web_sys::Element) -> Option<Self> {
        let row = button.closest(&format!("tr[{}]", Self::ID)).ok()??;
        Some(Self {
            id: row.get_attribute(Self::ID)?.parse().ok()?,
            name: row.get_attribute(Self::NAME)?,
            user_name: row.get_attribute(Self::USER_NAME)?,
            allowed_addresses: row.get_attribute(Self::ALLOWED).unwrap_or_default(),
            rotation_expires: row
                .get_attribute(Self::ROTATION_EXPIRES)
                .unwrap_or_default(),
        })
    }
}

#[component]
pub fn ConfirmTokenDialog(
    /// The token acted on; the dialog closes by setting it to `None`.
    target: RwSignal<Option<TokenTarget>>,
    title: Text,
    /// The question, filled with the token's name and user.
    question: Text,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<ConsoleError>>,
    #[prop(into)] succeeded: Signal<bool>,
    on_confirm: Callback<i64>,
) -> impl IntoView {
    let words = use_texts();
    let (id, message) = target
        .with_untracked(|row| {
            row.as_ref().map(|row| {
                let values = [
                    ("name", row.name.as_str()),
                    ("user", row.user_name.as_str()),
                ];
                (row.id, words.fill(question, &values))
            })
        })
        .unwrap_or_default();
    Effect::new(move |_| {
        if succeeded.get() {
            target.set(None);
        }
    });
    view! {
        <Modal labelled_by="confirm-title" described_by="confirm-message" on_close=Callback::new(move |()| target.set(None))>
            <h2 id="confirm-title">{words.get(title)}</h2>
            <p id="confirm-message">{message}</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{words.error(&e)}</p> })}
            <div class="dialog-actions">
                <button type="button" on:click=move |_| target.set(None)>
                    {words.get(Text::Cancel)}
                </button>
                <button
                    type="button"
                    class="primary danger"
                    disabled=move || pending.get()
                    on:click=move |_| on_confirm.run(id)
                >
                    {words.get(Text::Confirm)}
                </button>
            </div>
        </Modal>
    }
}
