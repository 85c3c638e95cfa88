//! The browser entry point: hydrates the console's islands (its dialogs and the login form)
//! and takes over navigation between its pages.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::navigation::start();
}
