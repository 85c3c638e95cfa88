//! "Edit allowed addresses of token <name>": where a live token may be used from. Saved at
//! once for every instance; errors name each refused entry.

use leptos::prelude::*;

use super::confirm::TokenTarget;
use super::modal::Modal;
use crate::api::SetAllowedAddresses;
use crate::model::Field;
use crate::texts::{use_texts, Text};

#[component]
pub fn EditAddressesDialog(
    action: ServerAction<SetAllowedAddresses>,
    /// The token edited; the dialog closes by setting it to `None`.
    target: RwSignal<Option<TokenTarget>>,
) -> impl IntoView {
    let (id, name, allowed) = target
        .with_untracked(|row| {
            row.as_ref()
                .map(|row| (row.id, row.name.clone(), row.allowed_addresses.clone()))
        })
        .unwrap_or_default();
    let text = RwSignal::new(allowed.replace(", ", "\n"));
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            target.set(None);
        }
    });
    let words = use_texts();
    let t = move |text| words.get(text);
    let error = move || {
        action.value().get().and_then(Result::err).map(|e| {
            e.message_for(Field::AllowedAddresses)
                .map_or_else(|| words.error(&e), str::to_owned)
        })
    };
    let close = Callback::new(move |()| target.set(None));
    view! {
        <Modal labelled_by="addresses-title" described_by="addresses-token" on_close=close>
            <h2 id="addresses-title">{t(Text::AllowedAddresses)}</h2>
            <p id="addresses-token">{words.fill(Text::AddressesOfToken, &[("name", &name)])}</p>
            <label for="token-addresses-edit">{t(Text::AllowedAddresses)}</label>
            <textarea
                id="token-addresses-edit"
                rows="4"
                aria-describedby="token-addresses-edit-help"
                aria-invalid=move || error().is_some().to_string()
                prop:value=move || text.get()
                on:input=move |event| text.set(event_target_value(&event))
            ></textarea>
            <p id="token-addresses-edit-help" class="help">
                {t(Text::AddressesHelp)}
            </p>
            {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <div class="dialog-actions">
                <button type="button" on:click=move |_| close.run(())>
                    {t(Text::Cancel)}
                </button>
                <button
                    type="button"
                    class="primary"
                    disabled=move || action.pending().get()
                    on:click=move |_| {
                        action
                            .dispatch(SetAllowedAddresses {
                                id,
                                allowed_addresses: text.get_untracked(),
                            });
                    }
                >
                    {t(Text::Save)}
                </button>
            </div>
        </Modal>
    }
}
