//! Delete a token: the row disappears and the token stops working.

use leptos::prelude::*;

use super::confirm::{ConfirmTokenDialog, TokenTarget};
use crate::api::DeleteToken;
use crate::texts::Text;

#[component]
pub fn DeleteTokenDialog(
    action: ServerAction<DeleteToken>,
    target: RwSignal<Option<TokenTarget>>,
) -> impl IntoView {
    view! {
        <ConfirmTokenDialog
            target
            title=Text::DeleteTitle
            question=Text::DeleteQuestion
            pending=action.pending()
            error=Signal::derive(move || action.value().get().and_then(Result::err))
            succeeded=Signal::derive(move || matches!(action.value().get(), Some(Ok(_))))
            on_confirm=Callback::new(move |id| {
                action.dispatch(DeleteToken { id });
            })
        />
    }
}
