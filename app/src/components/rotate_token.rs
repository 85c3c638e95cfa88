//! "Rotate the token": a new token for the same user and name, shown once in the same dialog
//! as after Create; the old one stops at once or after the chosen overlap.

use leptos::prelude::*;

use super::confirm::TokenTarget;
use super::modal::Modal;
use crate::api::RotateToken;
use crate::model::{Field, RotationOverlap};
use crate::texts::{use_texts, Text};

#[component]
pub fn RotateTokenDialog(
    action: ServerAction<RotateToken>,
    /// The token rotated; the dialog closes by setting it to `None`.
    target: RwSignal<Option<TokenTarget>>,
    /// The lifetime policy's last day (`YYYY-MM-DD`), if any: the date field stops there.
    latest: Signal<Option<String>>,
) -> impl IntoView {
    let (id, name, expires) = target
        .with_untracked(|row| {
            row.as_ref()
                .map(|row| (row.id, row.name.clone(), row.rotation_expires.clone()))
        })
        .unwrap_or_default();
    let words = use_texts();
    let t = move |text| words.get(text);
    let error = move || action.value().get().and_then(Result::err);
    let expiration_error =
        move || error().and_then(|e| e.message_for(Field::Expiration).map(str::to_owned));
    let general_error = move || {
        error()
            .filter(|e| !e.is_about_fields())
            .map(|e| words.error(&e))
    };
    let close = Callback::new(move |()| target.set(None));
    view! {
        <Modal labelled_by="rotate-title" described_by="rotate-token" on_close=close>
            <h2 id="rotate-title">{t(Text::RotateTitle)}</h2>
            <p id="rotate-token">{words.fill(Text::RotateDescription, &[("name", &name)])}</p>
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="id" value=id.to_string() />
                <label for="rotate-expiration">{t(Text::ExpirationDate)}</label>
                <input
                    id="rotate-expiration"
                    name="expiration"
                    type="date"
                    value=expires
                    max=move || latest.get()
                    aria-describedby="rotate-expiration-help"
                    aria-invalid=move || expiration_error().is_some().to_string()
                />
                <p id="rotate-expiration-help" class="help">
                    {t(Text::RotateExpirationHelp)}
                    {format!(" {}", t(Text::AtTheLatest))}
                </p>
                {move || {
                    expiration_error()
                        .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
                }}
                <label for="rotate-overlap">{t(Text::RotateOverlap)}</label>
                <select id="rotate-overlap" name="overlap">
                    {RotationOverlap::ALL
                        .into_iter()
                        .map(|overlap| {
                            view! {
                                <option
                                    value=overlap.code()
                                    selected=overlap == RotationOverlap::Immediately
                                >
                                    {t(overlap.text())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {move || general_error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| close.run(())>
                        {t(Text::Cancel)}
                    </button>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        {t(Text::RotateSubmit)}
                    </button>
                </div>
            </ActionForm>
        </Modal>
    }
}
