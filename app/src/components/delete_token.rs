//! Delete a token: the row disappears and the token stops working.

use leptos::prelude::*;

use super::confirm::ConfirmDialog;
use crate::api::DeleteToken;
use crate::model::TokenRow;

#[component]
pub fn DeleteTokenDialog(
    action: ServerAction<DeleteToken>,
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
            title="Delete the token".to_string()
            message=format!(
                "Delete the token “{name}” of {user}? It will no longer be usable and will disappear from the table.",
            )
            pending=action.pending()
            error=Signal::derive(move || action.value().get().and_then(Result::err))
            on_confirm=Callback::new(move |()| {
                action.dispatch(DeleteToken { id });
            })
            on_cancel=Callback::new(move |()| target.set(None))
        />
    }
}
