//! The one and only view of a new token: masked by default, an eye toggle, "Copy to the
//! clipboard" (copies, then closes) and "Close". Closing drops the plaintext from the page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::icons::EyeIcon;
use super::modal::Modal;
use crate::clipboard;

#[component]
pub fn TokenRevealDialog(revealed: RwSignal<Option<String>>) -> impl IntoView {
    let shown = RwSignal::new(false);
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
                Err(error) => copy_error.set(Some(error.to_string())),
            }
        });
    };
    view! {
        <Modal labelled_by="token-title" described_by="token-warning" on_close=Callback::new(move |()| revealed.set(None))>
                <h2 id="token-title">"API token"</h2>
                <p id="token-warning" class="warning">
                    "Copy this token now: it is no longer possible to view the token once the window is closed."
                </p>
                <div class="token-box">
                    <code class="token-value" data-testid="token-value" data-masked=move || (!shown.get()).to_string()>
                        {masked}
                    </code>
                    <button
                        type="button"
                        class="icon-button"
                        aria-pressed=move || shown.get().to_string()
                        aria-label=move || if shown.get() { "Hide token" } else { "Show token" }
                        title=move || if shown.get() { "Hide token" } else { "Show token" }
                        on:click=move |_| shown.update(|s| *s = !*s)
                    >
                        {move || view! { <EyeIcon open=!shown.get() /> }}
                    </button>
                </div>
                {move || copy_error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="primary" on:click=copy>
                        "Copy to the clipboard"
                    </button>
                    <button type="button" on:click=move |_| revealed.set(None)>
                        "Close"
                    </button>
                </div>
        </Modal>
    }
}
