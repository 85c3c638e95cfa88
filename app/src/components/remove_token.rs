//! Remove (revoke) a token: it stays in the table with today's removal date and stops working.

use leptos::prelude::*;

use super::confirm::{ConfirmTokenDialog, TokenTarget};
use crate::api::RemoveToken;

#[component]
pub fn RemoveTokenDialog(
    action: ServerAction<RemoveToken>,
    target: RwSignal<Option<TokenTarget>>,
) -> impl IntoView {
    view! {
        <ConfirmTokenDialog
            target
            title="Remove the token"
            question=|row| format!(
                "Remove the token “{}” of {}? It will no longer be usable and will stay in the table with today's removal date.",
                row.name,
                row.user_name,
            )
            pending=action.pending()
            error=Signal::derive(move || action.value().get().and_then(Result::err))
            succeeded=Signal::derive(move || matches!(action.value().get(), Some(Ok(_))))
            on_confirm=Callback::new(move |id| {
                action.dispatch(RemoveToken { id });
            })
        />
    }
}
