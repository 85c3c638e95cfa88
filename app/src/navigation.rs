//! Same-document navigation between the console's server-rendered pages. Links and GET forms
//! inside the page's parts (the sidebar and the content) fetch the next page and swap its parts
//! in; the dialogs (an island beside them) stay, and a refresh after an action keeps the scroll
//! position. Anything unexpected (a redirect to the login page, a page without those parts, a
//! network failure) makes a link or form an ordinary page load, so the server stays the judge
//! of every page.

/// The `id`s of the elements whose contents a navigation replaces: the sidebar (which marks
/// the current page) and the content.
pub const PAGE_PARTS: [&str; 2] = ["console-nav", "console-page"];

/// The pages that are swapped in place rather than loaded.
#[cfg(feature = "hydrate")]
const SWAPPED_PATHS: [&str; 2] = [crate::routes::TOKENS_PATH, crate::routes::AUDIT_LOG_PATH];

/// Runs once the islands are hydrated: listens for navigations, then marks the document
/// `data-hydrated` (once the islands' own listeners are in place: clicks now work).
#[cfg(feature = "hydrate")]
pub fn start() {
    use leptos::prelude::*;
    // The listeners stay for the document's life: their handles are never used to remove them.
    let _ = window_event_listener(leptos::ev::click, follow_link);
    let _ = window_event_listener(leptos::ev::submit, submit_form);
    let _ = window_event_listener(leptos::ev::popstate, |_| {
        if let Ok(href) = window().location().href() {
            visit(href, Visit::Pop);
        }
    });
    // The islands hydrate one after the other in promise callbacks; a timer runs after them.
    set_timeout(
        || {
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Shows the current page again, as the server now renders it (after a change).
pub fn refresh() {
    #[cfg(feature = "hydrate")]
    if let Ok(href) = leptos::prelude::window().location().href() {
        visit(href, Visit::Refresh);
    }
}

#[cfg(feature = "hydrate")]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    /// A link or a form: a new history entry, scrolled to the top.
    Push,
    /// The same page again: no history entry, the scroll position kept.
    Refresh,
    /// Back or Forward: the browser already changed the address.
    Pop,
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// The latest visit: an answer that arrives after a later visit started is dropped.
    static LATEST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[cfg(feature = "hydrate")]
fn follow_link(event: web_sys::MouseEvent) {
    use wasm_bindgen::JsCast;
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return;
    }
    let Some(link) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("a[href]").ok().flatten())
        .filter(|link| !link.has_attribute("target") && !link.has_attribute("download"))
        .filter(in_region)
        .and_then(|link| link.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    if let Some(href) = swapped(&link.href()) {
        event.prevent_default();
        visit(href, Visit::Push);
    }
}

/// A GET form (the tokens table's filters) goes where the browser would send it.
#[cfg(feature = "hydrate")]
fn submit_form(event: web_sys::SubmitEvent) {
    use wasm_bindgen::JsCast;
    if event.default_prevented() {
        return;
    }
    let Some(form) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
        .filter(|form| form.method().eq_ignore_ascii_case("get") && in_region(form))
    else {
        return;
    };
    let href = (|| {
        let fields = web_sys::FormData::new_with_form(&form).ok()?;
        let query = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&fields).ok()?;
        let url = web_sys::Url::new(&form.action()).ok()?;
        url.set_search(&String::from(query.to_string()));
        swapped(&url.href())
    })();
    if let Some(href) = href {
        event.prevent_default();
        visit(href, Visit::Push);
    }
}

#[cfg(feature = "hydrate")]
fn in_region(element: &impl AsRef<web_sys::Element>) -> bool {
    let selector = PAGE_PARTS.map(|id| format!("#{id}")).join(", ");
    matches!(element.as_ref().closest(&selector), Ok(Some(_)))
}

/// `href` if it is one of this origin's swapped pages.
#[cfg(feature = "hydrate")]
fn swapped(href: &str) -> Option<String> {
    let url = web_sys::Url::new(href).ok()?;
    let origin = leptos::prelude::window().location().origin().ok()?;
    (url.origin() == origin && SWAPPED_PATHS.contains(&url.pathname().as_str())).then(|| url.href())
}

#[cfg(feature = "hydrate")]
fn visit(href: String, how: Visit) {
    let ticket = LATEST.with(|latest| {
        latest.set(latest.get() + 1);
        latest.get()
    });
    leptos::task::spawn_local(async move {
        // A refresh runs beside an open dialog (the new token's only view): it never loads
        // the page over it; the table then stays as it was.
        if swap(&href, how, ticket).await.is_none() && how != Visit::Refresh {
            let _ = leptos::prelude::window().location().assign(&href);
        }
    });
}

/// `None` when the page must be loaded the ordinary way instead.
#[cfg(feature = "hydrate")]
async fn swap(href: &str, how: Visit, ticket: u64) -> Option<()> {
    use leptos::prelude::{document, window};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str(href))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if response.redirected() {
        return None;
    }
    let html = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    if LATEST.with(|latest| latest.get()) != ticket {
        return Some(());
    }
    let next = web_sys::DomParser::new()
        .ok()?
        .parse_from_string(&html, web_sys::SupportedType::TextHtml)
        .ok()?;
    let parts = PAGE_PARTS
        .iter()
        .map(|id| {
            Some((
                document().get_element_by_id(id)?,
                next.get_element_by_id(id)?,
            ))
        })
        .collect::<Option<Vec<_>>>()?;
    for (part, next_part) in parts {
        part.set_inner_html(&next_part.inner_html());
    }
    document().set_title(&next.title());
    if how == Visit::Push {
        window()
            .history()
            .ok()?
            .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
            .ok()?;
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
    Some(())
}
