//! The frame of every dialog: a backdrop, `role="dialog"`, focus on the first control when it
//! opens and kept inside while it is open (Tab wraps around), and Escape to close it.

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
                match event.key().as_str() {
                    "Escape" => on_close.run(()),
                    "Tab" => {
                        if let Some(frame) = frame.get_untracked() {
                            keep_focus_inside(&frame, &event);
                        }
                    }
                    _ => {}
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

/// Tab from the last control goes to the first, Shift+Tab from the first to the last.
#[cfg(feature = "hydrate")]
fn keep_focus_inside(frame: &web_sys::HtmlDivElement, event: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let Ok(nodes) = frame.query_selector_all("select, input, button, a[href], textarea") else {
        return;
    };
    let controls: Vec<web_sys::HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|element| !element.has_attribute("disabled"))
        .collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        event.prevent_default();
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let is = |element: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == element.unchecked_ref::<web_sys::Element>())
    };
    let outside = !controls.iter().any(&is);
    if event.shift_key() && (is(first) || outside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && (is(last) || outside) {
        event.prevent_default();
        let _ = first.focus();
    }
}

#[cfg(not(feature = "hydrate"))]
fn focus_first_control<T>(_frame: &T) {}

#[cfg(not(feature = "hydrate"))]
fn keep_focus_inside<T, E>(_frame: &T, _event: &E) {}
