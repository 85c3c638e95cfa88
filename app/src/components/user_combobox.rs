//! The create dialog's "User" field: a type-ahead (ARIA 1.2 combobox with a list box) that
//! asks the server for the technical users whose login or name holds what was typed, at most
//! [`USER_MATCHES`](crate::model::USER_MATCHES) of them. Typing or the Down arrow opens the
//! suggestions, arrows move, Enter picks, Escape closes the list. The pick travels as `user_id`; the typed text as `user`, which the server
//! also accepts (a login, or "Name (login)") when no id came with it.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::api::eligible_users;
use crate::model::EligibleUser;
use crate::texts::{use_texts, Text};

fn option_text(user: &EligibleUser) -> String {
    format!("{} ({})", user.name, user.login)
}

#[component]
pub fn UserCombobox(
    /// `aria-invalid` of the field.
    invalid: Signal<String>,
    input_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<EligibleUser>);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // An action, not a resource: a pending search must not suspend the page around the dialog.
    let search = Action::new(|text: &String| {
        let text = text.clone();
        async move {
            let users = eligible_users(text.clone()).await.unwrap_or_default();
            (text, users)
        }
    });
    let matches = RwSignal::new(Vec::<EligibleUser>::new());
    // Answers can overtake each other: keep only the one for what the field says now.
    Effect::new(move |_| {
        if let Some((searched, users)) = search.value().get() {
            if searched == text.get_untracked() {
                // A new list: no highlight may point at a user the person did not see.
                active.set(None);
                matches.set(users);
            }
        }
    });
    let shown = move || {
        if open.get() {
            matches.get()
        } else {
            Vec::new()
        }
    };
    let pick = move |user: EligibleUser| {
        text.set(option_text(&user));
        chosen.set(Some(user));
        open.set(false);
        active.set(None);
    };
    let on_keydown = move |event: KeyboardEvent| {
        let count = shown().len();
        match event.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                event.prevent_default();
                if !open.get_untracked() {
                    open.set(true);
                    search.dispatch(text.get_untracked());
                    return;
                }
                if count == 0 {
                    return;
                }
                let down = event.key() == "ArrowDown";
                active.update(|at| {
                    *at = Some(match (*at, down) {
                        (None, true) => 0,
                        (None, false) => count - 1,
                        (Some(i), true) => (i + 1) % count,
                        (Some(i), false) => (i + count - 1) % count,
                    });
                });
            }
            "Enter" if open.get_untracked() => {
                if let Some(user) = active.get_untracked().and_then(|i| shown().get(i).cloned()) {
                    event.prevent_default();
                    pick(user);
                }
            }
            "Escape" if count > 0 => {
                // Closes the list, not the dialog around it.
                event.prevent_default();
                event.stop_propagation();
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let option_id = |index: usize| format!("token-user-option-{index}");
    let words = use_texts();

    view! {
        <div class="combobox">
            <input
                id="token-user"
                name="user"
                type="text"
                role="combobox"
                autocomplete="off"
                placeholder=words.get(Text::UserPlaceholder)
                aria-autocomplete="list"
                aria-controls="token-user-options"
                aria-expanded=move || (open.get() && !shown().is_empty()).to_string()
                aria-activedescendant=move || active.get().map(option_id)
                aria-invalid=invalid
                node_ref=input_ref
                prop:value=move || text.get()
                on:input=move |event| {
                    let typed = event_target_value(&event);
                    text.set(typed.clone());
                    chosen.set(None);
                    active.set(None);
                    open.set(true);
                    search.dispatch(typed);
                }
                on:blur=move |_| open.set(false)
                on:keydown=on_keydown
            />
            <input type="hidden" name="user_id" prop:value=move || chosen.get().map(|u| u.id.to_string()).unwrap_or_default() />
            <ul id="token-user-options" role="listbox" aria-label=words.get(Text::Suggestions) class="combobox-options" hidden=move || shown().is_empty()>
                {move || {
                    shown()
                        .into_iter()
                        .enumerate()
                        .map(|(index, user)| {
                            let selected = move || (active.get() == Some(index)).to_string();
                            let label = option_text(&user);
                            view! {
                                <li
                                    id=option_id(index)
                                    role="option"
                                    aria-selected=selected
                                    // Before blur: the click must land before the list closes.
                                    on:mousedown=move |event| {
                                        event.prevent_default();
                                        pick(user.clone());
                                    }
                                >
                                    {label}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
