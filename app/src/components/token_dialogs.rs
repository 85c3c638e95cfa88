//! The console's one island: the Create, Remove and Delete dialogs and the one-time view of a
//! new token. The page around it is plain server-rendered HTML; its buttons say what they ask
//! for with `data-token-action` (and their row, with `data-token-*`), and after a change the
//! page is shown again as the server renders it. The new token travels only in the create
//! answer, never as a prop or in the HTML.

use leptos::prelude::*;

use super::confirm::TokenTarget;
use super::create_token::CreateTokenDialog;
use super::delete_token::DeleteTokenDialog;
use super::edit_addresses::EditAddressesDialog;
use super::remove_token::RemoveTokenDialog;
use super::rotate_token::RotateTokenDialog;
use super::token_reveal::TokenRevealDialog;
use crate::api::{CreateToken, DeleteToken, RemoveToken, RotateToken, SetAllowedAddresses};
use crate::navigation;
use crate::texts::Texts;

/// What a button marked `data-token-action` opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAction {
    Create,
    Remove,
    Delete,
    EditAddresses,
    Rotate,
}

impl TokenAction {
    const ATTRIBUTE: &'static str = "data-token-action";

    /// Marks a button of the server's HTML as opening this action's dialog.
    pub fn attribute(self) -> impl leptos::attr::Attribute {
        leptos::attr::custom::custom_attribute(Self::ATTRIBUTE, self.code())
    }

    fn code(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Remove => "remove",
            Self::Delete => "delete",
            Self::EditAddresses => "edit_addresses",
            Self::Rotate => "rotate",
        }
    }

    /// Only the browser reads the attribute back.
    #[cfg(feature = "hydrate")]
    fn from_code(code: &str) -> Option<Self> {
        [
            Self::Create,
            Self::Remove,
            Self::Delete,
            Self::EditAddresses,
            Self::Rotate,
        ]
        .into_iter()
        .find(|action| action.code() == code)
    }
}

/// `texts`: the dialogs' words, in the page's language; `latest`: the last expiration date a
/// new token may get (`YYYY-MM-DD`), if the lifetime policy sets one.
#[island]
pub fn TokenDialogs(texts: Texts, latest: Option<String>) -> impl IntoView {
    provide_context(texts);
    let latest = Signal::stored(latest);
    let create = ServerAction::<CreateToken>::new();
    let remove = ServerAction::<RemoveToken>::new();
    let delete = ServerAction::<DeleteToken>::new();
    let edit = ServerAction::<SetAllowedAddresses>::new();
    let rotate = ServerAction::<RotateToken>::new();
    let creating = RwSignal::new(false);
    let revealed = RwSignal::new(None::<String>);
    let removing = RwSignal::new(None::<TokenTarget>);
    let deleting = RwSignal::new(None::<TokenTarget>);
    let editing = RwSignal::new(None::<TokenTarget>);
    let rotating = RwSignal::new(None::<TokenTarget>);

    // The plaintext moves from the action's value into the reveal dialog's signal only.
    Effect::new(move |_| {
        if let Some(Ok(created)) = create.value().get() {
            create.value().set(None);
            creating.set(false);
            revealed.set(Some(created.token));
            navigation::refresh();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(rotated)) = rotate.value().get() {
            rotate.value().set(None);
            rotating.set(None);
            revealed.set(Some(rotated.token));
            navigation::refresh();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = remove.value().get() {
            navigation::refresh();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = delete.value().get() {
            navigation::refresh();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = edit.value().get() {
            navigation::refresh();
        }
    });
    // While the new token is on screen, nothing may load another page over it.
    Effect::new(move |_| navigation::keep_page(revealed.with(Option::is_some)));

    let open = move |action: TokenAction, target: Option<TokenTarget>| match (action, target) {
        (TokenAction::Create, _) => {
            create.value().set(None);
            creating.set(true);
        }
        (TokenAction::Remove, target @ Some(_)) => {
            remove.value().set(None);
            removing.set(target);
        }
        (TokenAction::Delete, target @ Some(_)) => {
            delete.value().set(None);
            deleting.set(target);
        }
        (TokenAction::EditAddresses, target @ Some(_)) => {
            edit.value().set(None);
            editing.set(target);
        }
        (TokenAction::Rotate, target @ Some(_)) => {
            rotate.value().set(None);
            rotating.set(target);
        }
        (_, None) => {}
    };
    #[cfg(feature = "hydrate")]
    listen_for_buttons(open);
    #[cfg(not(feature = "hydrate"))]
    let _ = open;

    view! {
        <Show when=move || creating.get()>
            <CreateTokenDialog action=create open=creating latest />
        </Show>
        <Show when=move || revealed.with(Option::is_some)>
            <TokenRevealDialog revealed />
        </Show>
        <Show when=move || removing.with(Option::is_some)>
            <RemoveTokenDialog action=remove target=removing />
        </Show>
        <Show when=move || deleting.with(Option::is_some)>
            <DeleteTokenDialog action=delete target=deleting />
        </Show>
        <Show when=move || rotating.with(Option::is_some)>
            <RotateTokenDialog action=rotate target=rotating latest />
        </Show>
        <Show when=move || editing.with(Option::is_some)>
            <EditAddressesDialog action=edit target=editing />
        </Show>
    }
}

/// One listener for every `data-token-action` button, wherever the page puts it (the page is
/// swapped under the island after each change).
#[cfg(feature = "hydrate")]
fn listen_for_buttons(open: impl Fn(TokenAction, Option<TokenTarget>) + 'static) {
    use wasm_bindgen::JsCast;
    let _ = window_event_listener(leptos::ev::click, move |event| {
        let Some(button) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| {
                let selector = format!("[{}]", TokenAction::ATTRIBUTE);
                element.closest(&selector).ok().flatten()
            })
        else {
            return;
        };
        let Some(action) = button
            .get_attribute(TokenAction::ATTRIBUTE)
            .and_then(|code| TokenAction::from_code(&code))
        else {
            return;
        };
        // The create button submits a form leading to the no-JavaScript page: not now.
        event.prevent_default();
        open(action, TokenTarget::of(&button));
    });
}
