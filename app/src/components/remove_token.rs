//! Remove (revoke) a token: it stays in the table with today's removal date and stops working.

use leptos::prelude::*;

use super::confirm::{ConfirmTokenDialog, TokenTarget};
use crate::api::RemoveToken;
use crate::texts::Text;

#[component]
pub fn RemoveTokenDialog(
    action: ServerAction<RemoveToken>,
    target: RwSignal<Option<TokenTarget>>,
) -> impl IntoView {
    view! {
        <ConfirmTokenDialog
            target
            title=Text::RemoveTitle
            question=Text::RemoveQuestion
            pending=action.pending()
            error=Signal::derive(move || action.value().get().and_then(Result::err))
            succeeded=Signal::derive(move || matches!(action.value().get(), Some(Ok(_))))
            on_confirm=Callback::new(move |id| {
                action.dispatch(RemoveToken { id });
            })
        />
    }
}
