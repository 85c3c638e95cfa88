//! Same-document navigation between the console's server-rendered pages. Links and GET forms
//! inside the page's parts (the sidebar and the content) fetch the next page and swap its parts
//! in; the dialogs (an island beside them) stay, and a refresh after an action keeps the scroll
//! position. Anything unexpected (a redirect to the login page, a page without those parts, a
//! network failure) makes a link or form an ordinary page load, so the server stays the judge
//! of every page.

/// The sidebar's `id` (it marks the current page).
pub const NAV_ID: &str = "console-nav";
/// The content's `id`.
pub const CONTENT_ID: &str = "console-page";
/// The elements whose contents a navigation replaces.
#[cfg(feature = "hydrate")]
const PAGE_PARTS: [&str; 2] = [NAV_ID, CONTENT_ID];

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
    // Leptos's loader hydrates the islands in promise callbacks right after this function
    // (none is lazy); a timer runs after them.
    set_timeout(
        || {
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Shows the current page again, as the server now renders it (after a change). A link or
/// Back/Forward still on its way is followed instead: it is what the person asked for.
pub fn refresh() {
    #[cfg(feature = "hydrate")]
    {
        let pending = PENDING.with(|pending| pending.borrow().clone());
        match pending {
            Some((href, how)) => visit(href, how),
            None => {
                if let Ok(href) = leptos::prelude::window().location().href() {
                    visit(href, Visit::Refresh);
                }
            }
        }
    }
}

/// While `kept` (the new token is on screen), a failed visit never loads a page in place of
/// this one.
pub fn keep_page(kept: bool) {
    #[cfg(feature = "hydrate")]
    KEPT.with(|flag| flag.set(kept));
    #[cfg(not(feature = "hydrate"))]
    let _ = kept;
}

#[cfg(feature = "hydrate")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    /// A link or a form (its history entry is made as it starts): scrolled to the top.
    Push,
    /// The same page again: no history entry, the scroll position kept.
    Refresh,
    /// Back or Forward: the browser already changed the address.
    Pop,
}

#[cfg(feature = "hydrate")]
enum Outcome {
    Swapped,
    /// A later visit started meanwhile: this one's answer is dropped.
    Superseded,
    /// Not a page to swap in (a redirect, another page, no answer): load it instead.
    LoadInstead,
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// The latest visit's number.
    static LATEST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The link, form or Back/Forward visit on its way, if any.
    static PENDING: std::cell::RefCell<Option<(String, Visit)>> =
        const { std::cell::RefCell::new(None) };
    static KEPT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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
        .filter(in_page_parts)
        .and_then(|link| link.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    if let Some(href) = swapped(&link.href()) {
        event.prevent_default();
        go_to(href);
    }
}

/// A GET form (the tokens table's filters) goes where the browser would send it. Its submit
/// button has no name, so the form's fields are all it sends.
#[cfg(feature = "hydrate")]
fn submit_form(event: web_sys::SubmitEvent) {
    use wasm_bindgen::JsCast;
    if event.default_prevented() {
        return;
    }
    let Some(form) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
        .filter(|form| form.method().eq_ignore_ascii_case("get") && in_page_parts(form))
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
        go_to(href);
    }
}

#[cfg(feature = "hydrate")]
fn in_page_parts(element: &impl AsRef<web_sys::Element>) -> bool {
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

/// A new history entry at once, as the browser would make it: Back right after a click goes
/// back from the page clicked to.
#[cfg(feature = "hydrate")]
fn go_to(href: String) {
    let pushed = leptos::prelude::window().history().and_then(|history| {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
    });
    match pushed {
        Ok(()) => visit(href, Visit::Push),
        Err(_) => {
            let _ = leptos::prelude::window().location().assign(&href);
        }
    }
}

#[cfg(feature = "hydrate")]
fn visit(href: String, how: Visit) {
    let ticket = LATEST.with(|latest| {
        latest.set(latest.get() + 1);
        latest.get()
    });
    let pending = (how != Visit::Refresh).then(|| (href.clone(), how));
    PENDING.with(|slot| *slot.borrow_mut() = pending);
    leptos::task::spawn_local(async move {
        let outcome = if how == Visit::Pop && swapped(&href).is_none() {
            Outcome::LoadInstead
        } else {
            swap(&href, how, ticket).await
        };
        if LATEST.with(|latest| latest.get()) == ticket {
            PENDING.with(|slot| *slot.borrow_mut() = None);
        }
        let location = leptos::prelude::window().location();
        match (outcome, how) {
            (Outcome::Swapped | Outcome::Superseded, _) | (_, Visit::Refresh) => {}
            _ if KEPT.with(|kept| kept.get()) => {}
            // The address is already the page's: no second history entry.
            (Outcome::LoadInstead, Visit::Pop | Visit::Push) => {
                let _ = location.replace(&href);
            }
        }
    });
}

#[cfg(feature = "hydrate")]
async fn swap(href: &str, how: Visit, ticket: u64) -> Outcome {
    let html = fetch_page(href).await;
    if LATEST.with(|latest| latest.get()) != ticket {
        return Outcome::Superseded;
    }
    match html.and_then(|html| put_in_place(&html, how)) {
        Some(()) => Outcome::Swapped,
        None => Outcome::LoadInstead,
    }
}

/// The page's HTML, unless the server sent the request elsewhere (the login page).
#[cfg(feature = "hydrate")]
async fn fetch_page(href: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let response: web_sys::Response =
        JsFuture::from(leptos::prelude::window().fetch_with_str(href))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    if response.redirected() {
        return None;
    }
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

#[cfg(feature = "hydrate")]
fn put_in_place(html: &str, how: Visit) -> Option<()> {
    use leptos::prelude::{document, window};
    let next = web_sys::DomParser::new()
        .ok()?
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .ok()?;
    // The language was changed (in another tab): the whole page, islands included, changes.
    let lang = |page: &web_sys::Document| page.document_element()?.get_attribute("lang");
    if lang(&next) != lang(&document()) {
        return None;
    }
    let parts = PAGE_PARTS
        .iter()
        .map(|id| {
            Some((
                document().get_element_by_id(id)?,
                next.get_element_by_id(id)?,
            ))
        })
        .collect::<Option<Vec<_>>>()?;
    let focused = document().active_element().map(|element| element.id());
    for (part, next_part) in parts {
        part.set_inner_html(&next_part.inner_html());
    }
    document().set_title(&next.title());
    if how == Visit::Push {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
    if how != Visit::Refresh {
        restore_focus(focused.filter(|id| !id.is_empty()));
    }
    Some(())
}

/// The field that had the focus keeps it (a filter); otherwise the new page's heading takes
/// it, so that keyboard and screen reader users start from the top of what changed.
#[cfg(feature = "hydrate")]
fn restore_focus(focused_id: Option<String>) {
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    let same = focused_id.and_then(|id| document().get_element_by_id(&id));
    let heading = || {
        let heading = document()
            .query_selector(&format!("#{CONTENT_ID} h1"))
            .ok()??;
        let _ = heading.set_attribute("tabindex", "-1");
        Some(heading)
    };
    if let Some(target) = same
        .or_else(heading)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = target.focus();
    }
}
