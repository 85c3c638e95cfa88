//! Inline SVG icons; decorative, so hidden from assistive technology (buttons carry the names).

use leptos::prelude::*;

#[component]
pub fn EyeIcon(open: bool) -> impl IntoView {
    let path = if open {
        "M12 5C6.5 5 2.7 9.1 1.5 12c1.2 2.9 5 7 10.5 7s9.3-4.1 10.5-7C21.3 9.1 17.5 5 12 5zm0 11.5A4.5 4.5 0 1 1 12 7.5a4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"
    } else {
        "M2.3 3.7 3.7 2.3l18 18-1.4 1.4-3.4-3.4A11.6 11.6 0 0 1 12 19C6.5 19 2.7 14.9 1.5 12c.6-1.5 1.9-3.3 3.7-4.8L2.3 3.7zM12 5c5.5 0 9.3 4.1 10.5 7-.5 1.3-1.5 2.8-2.9 4.1l-3.2-3.2A4.5 4.5 0 0 0 11.1 7.6L8.6 5.1C9.6 4.8 10.8 5 12 5z"
    };
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path />
        </svg>
    }
}

#[component]
pub fn RemoveIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 0 1 6.3 12.9L7.1 5.7A8 8 0 0 1 12 4zM4 12c0-1.8.6-3.5 1.7-4.9l11.2 11.2A8 8 0 0 1 4 12z" />
        </svg>
    }
}

#[component]
pub fn DeleteIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9zm4 2v8h1.5v-8H10zm3.5 0v8H15v-8h-1.5z" />
        </svg>
    }
}

#[component]
pub fn AddressIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z" />
        </svg>
    }
}

#[component]
pub fn RotateIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 4a8 8 0 0 1 7.7 6h-2.1A6 6 0 0 0 7.8 7.8L10 10H4V4l2.4 2.4A8 8 0 0 1 12 4zm-7.7 10h2.1a6 6 0 0 0 9.8 2.2L14 14h6v6l-2.4-2.4A8 8 0 0 1 4.3 14z" />
        </svg>
    }
}
