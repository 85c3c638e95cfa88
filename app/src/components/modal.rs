//! The frame of every dialog: a backdrop, `role="dialog"`, focus on the first control when it
//! opens and kept inside while it is open (Tab wraps around), Escape to close it, and the rest
//! of the page `inert` (out of reach of the keyboard, the mouse and screen readers) meanwhile.

use leptos::prelude::*;

#[component]
pub fn Modal(
    labelled_by: &'static str,
    #[prop(optional)] described_by: Option<&'static str>,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let frame = NodeRef::<leptos::html::Div>::new();
    let backdrop = NodeRef::<leptos::html::Div>::new();
    let id = NEXT_MODAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Effect::new(move |_| {
        if let Some(backdrop) = backdrop.get() {
            make_the_rest_inert(&backdrop, id);
        }
        if let Some(frame) = frame.get() {
            focus_first_control(&frame);
        }
    });
    on_cleanup(move || release_the_rest(id));
    view! {
        <div
            class="backdrop"
            node_ref=backdrop
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

static NEXT_MODAL: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// Marks everything outside the dialog `inert`: the siblings of the backdrop and of each of its
/// ancestors. Each element remembers which dialog did it, so a dialog that closes after the
/// next one opened leaves the page as the open one wants it.
#[cfg(feature = "hydrate")]
fn make_the_rest_inert(backdrop: &web_sys::HtmlDivElement, id: u32) {
    let id = id.to_string();
    let mut node: web_sys::Element = backdrop.clone().into();
    while let Some(parent) = node.parent_element() {
        let siblings = parent.children();
        for sibling in (0..siblings.length()).filter_map(|i| siblings.item(i)) {
            if sibling != node && sibling.tag_name() != "SCRIPT" {
                let _ = sibling.set_attribute("inert", "");
                let _ = sibling.set_attribute("data-inert-for", &id);
            }
        }
        if parent.tag_name() == "BODY" {
            break;
        }
        node = parent;
    }
}

#[cfg(feature = "hydrate")]
fn release_the_rest(id: u32) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(nodes) = document.query_selector_all(&format!("[data-inert-for=\"{id}\"]")) else {
        return;
    };
    for node in (0..nodes.length()).filter_map(|i| nodes.item(i)) {
        if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node) {
            let _ = element.remove_attribute("inert");
            let _ = element.remove_attribute("data-inert-for");
        }
    }
}

#[cfg(not(feature = "hydrate"))]
fn make_the_rest_inert<T>(_backdrop: &T, _id: u32) {}

#[cfg(not(feature = "hydrate"))]
fn release_the_rest(_id: u32) {}

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
