//! The browser clipboard, where there is one.

#[cfg(feature = "hydrate")]
pub async fn write_text(text: &str) -> Result<(), String> {
    use wasm_bindgen::JsValue;
    let unavailable = || {
        "The clipboard is not available in this browser; select the token and copy it by hand."
            .to_string()
    };
    let window = web_sys::window().ok_or_else(unavailable)?;
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .map(|value| !value.is_undefined() && !value.is_null())
        .unwrap_or(false);
    if !window.is_secure_context() || !has_clipboard {
        return Err(unavailable());
    }
    wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| {
            "The browser refused to write to the clipboard; the token is still shown here."
                .to_string()
        })
}

#[cfg(not(feature = "hydrate"))]
pub async fn write_text(_text: &str) -> Result<(), String> {
    Err("The clipboard is only available once the page has loaded.".to_string())
}
