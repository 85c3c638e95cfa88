//! The frame of every dialog: a backdrop, `role="dialog"`, focus on the first control when it
//! opens, and Escape to close it.

use leptos::prelude::*;

#[component]
pub fn Modal(
    labelled_by: &'static str,
    #[prop(optional)] described_by: Option<&'static str>,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let frame = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(frame) = frame.get() {
            focus_first_control(&frame);
        }
    });
    view! {
        <div
            class="backdrop"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                node_ref=frame
            >
                {children()}
            </div>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn focus_first_control(frame: &web_sys::HtmlDivElement) {
    use wasm_bindgen::JsCast;
    if let Ok(Some(control)) = frame.query_selector("select, input, button") {
        if let Ok(control) = control.dyn_into::<web_sys::HtmlElement>() {
            let _ = control.focus();
        }
    }
}

#[cfg(not(feature = "hydrate"))]
fn focus_first_control<T>(_frame: &T) {}
