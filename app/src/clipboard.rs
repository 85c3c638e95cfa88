//! The browser clipboard, where there is one.

/// Why the token could not be copied; the message tells the person what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClipboardError {
    #[cfg(feature = "hydrate")]
    #[error(
        "The clipboard is not available in this browser; select the token and copy it by hand."
    )]
    Unavailable,
    #[cfg(feature = "hydrate")]
    #[error("The browser refused to write to the clipboard; the token is still shown here.")]
    Refused,
    /// Rendered on the server, before the page's script runs.
    #[cfg(not(feature = "hydrate"))]
    #[error("The clipboard is only available once the page has loaded.")]
    NotLoaded,
}

impl ClipboardError {
    /// What the reveal dialog says of it.
    pub fn text(self) -> crate::texts::Text {
        use crate::texts::Text;
        match self {
            #[cfg(feature = "hydrate")]
            Self::Unavailable => Text::ClipboardUnavailable,
            #[cfg(feature = "hydrate")]
            Self::Refused => Text::ClipboardRefused,
            #[cfg(not(feature = "hydrate"))]
            Self::NotLoaded => Text::ClipboardNotLoaded,
        }
    }
}

#[cfg(feature = "hydrate")]
pub async fn write_text(text: &str) -> Result<(), ClipboardError> {
    use wasm_bindgen::JsValue;
    let window = web_sys::window().ok_or(ClipboardError::Unavailable)?;
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .map(|value| !value.is_undefined() && !value.is_null())
        .unwrap_or(false);
    if !window.is_secure_context() || !has_clipboard {
        return Err(ClipboardError::Unavailable);
    }
    wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| ClipboardError::Refused)
}

#[cfg(not(feature = "hydrate"))]
pub async fn write_text(_text: &str) -> Result<(), ClipboardError> {
    Err(ClipboardError::NotLoaded)
}
