//! "Rotate the token": a new token for the same user and name, shown once in the same dialog
//! as after Create; the old one stops at once or after the chosen overlap.

use leptos::prelude::*;

use super::confirm::TokenTarget;
use super::modal::Modal;
use crate::api::{latest_expiration, RotateToken};
use crate::model::{Field, RotationOverlap};

#[component]
pub fn RotateTokenDialog(
    action: ServerAction<RotateToken>,
    /// The token rotated; the dialog closes by setting it to `None`.
    target: RwSignal<Option<TokenTarget>>,
) -> impl IntoView {
    let (id, name, expires) = target
        .with_untracked(|row| {
            row.as_ref()
                .map(|row| (row.id, row.name.clone(), row.rotation_expires.clone()))
        })
        .unwrap_or_default();
    let latest = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        // Without the answer the field has no limit; the server still applies it.
        if let Ok(day) = latest_expiration().await {
            latest.set(day);
        }
    });
    let error = move || action.value().get().and_then(Result::err);
    let expiration_error =
        move || error().and_then(|e| e.message_for(Field::Expiration).map(str::to_owned));
    let general_error = move || {
        error()
            .filter(|e| !e.is_about_fields())
            .map(|e| e.to_string())
    };
    let close = Callback::new(move |()| target.set(None));
    view! {
        <Modal labelled_by="rotate-title" described_by="rotate-token" on_close=close>
            <h2 id="rotate-title">"Rotate the token"</h2>
            <p id="rotate-token">
                {format!("A new token replaces “{name}”, for the same user and name.")}
            </p>
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="id" value=id.to_string() />
                <label for="rotate-expiration">"Expiration date"</label>
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
                    "By default, today plus the old token's lifetime."
                    {move || latest.get().map(|day| format!(" At the latest {day}."))}
                </p>
                {move || {
                    expiration_error()
                        .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
                }}
                <label for="rotate-overlap">"The old token keeps working"</label>
                <select id="rotate-overlap" name="overlap">
                    {RotationOverlap::ALL
                        .into_iter()
                        .map(|overlap| {
                            view! {
                                <option
                                    value=overlap.code()
                                    selected=overlap == RotationOverlap::Immediately
                                >
                                    {overlap.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {move || general_error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| close.run(())>
                        "Cancel"
                    </button>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        "Rotate"
                    </button>
                </div>
            </ActionForm>
        </Modal>
    }
}
