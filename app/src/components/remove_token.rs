//! Remove (revoke) a token: it stays in the table with today's removal date and stops working.

use leptos::prelude::*;

use super::confirm::ConfirmDialog;
use crate::api::RemoveToken;
use crate::model::TokenRow;

#[component]
pub fn RemoveTokenDialog(
    action: ServerAction<RemoveToken>,
    target: RwSignal<Option<TokenRow>>,
) -> impl IntoView {
    let row = target.get_untracked();
    let (name, user, id) = row.map(|r| (r.name, r.user_name, r.id)).unwrap_or_default();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            target.set(None);
        }
    });
    view! {
        <ConfirmDialog
            title="Remove the token".to_string()
            message=format!(
                "Remove the token “{name}” of {user}? It will no longer be usable and will stay in the table with today's removal date.",
            )
            pending=action.pending()
            error=Signal::derive(move || action.value().get().and_then(Result::err))
            on_confirm=Callback::new(move |()| {
                action.dispatch(RemoveToken { id });
            })
            on_cancel=Callback::new(move |()| target.set(None))
        />
    }
}
