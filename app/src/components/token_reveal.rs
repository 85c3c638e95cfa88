//! The one and only view of a new token: masked by default, an eye toggle, "Copy to the
//! clipboard" (copies, then closes) and "Close". Closing drops the plaintext from the page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::icons::EyeIcon;
use super::modal::Modal;
use crate::clipboard;
use crate::texts::{use_texts, Text};

#[component]
pub fn TokenRevealDialog(revealed: RwSignal<Option<String>>) -> impl IntoView {
    let words = use_texts();
    let t = move |text| words.get(text);
    let shown = RwSignal::new(false);
    let eye_label = move || {
        t(if shown.get() {
            Text::HideToken
        } else {
            Text::ShowToken
        })
    };
    let copy_error = RwSignal::new(None::<String>);
    let masked = move || {
        revealed.with(|token| {
            let token = token.as_deref().unwrap_or_default();
            if shown.get() {
                token.to_owned()
            } else {
                "•".repeat(token.chars().count())
            }
        })
    };
    let copy = move |_| {
        let Some(token) = revealed.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match clipboard::write_text(&token).await {
                Ok(()) => revealed.set(None),
                Err(error) => copy_error.set(Some(t(error.text()))),
            }
        });
    };
    view! {
        <Modal labelled_by="token-title" described_by="token-warning" on_close=Callback::new(move |()| revealed.set(None))>
                <h2 id="token-title">{t(Text::RevealTitle)}</h2>
                <p id="token-warning" class="warning">{t(Text::RevealWarning)}</p>
                <div class="token-box">
                    <code class="token-value" data-testid="token-value" data-masked=move || (!shown.get()).to_string()>
                        {masked}
                    </code>
                    <button
                        type="button"
                        class="icon-button"
                        aria-pressed=move || shown.get().to_string()
                        aria-label=eye_label
                        title=eye_label
                        on:click=move |_| shown.update(|s| *s = !*s)
                    >
                        {move || view! { <EyeIcon open=!shown.get() /> }}
                    </button>
                </div>
                {move || copy_error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="primary" on:click=copy>
                        {t(Text::Copy)}
                    </button>
                    <button type="button" on:click=move |_| revealed.set(None)>
                        {t(Text::Close)}
                    </button>
                </div>
        </Modal>
    }
}
