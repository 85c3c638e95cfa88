//! The site (WASM, JS, CSS, icon) built into the binary by `cargo site dist`: one file to
//! copy, no `LEPTOS_SITE_ROOT`. Each file is there as built and precompressed (`.br`, `.gz`);
//! a browser gets the smallest encoding it accepts, with a strong `ETag` per encoding. The
//! bundles' names carry a hash of their content (`/pkg/jetons.<hash>.js`), so they are cached
//! for a year as immutable; other files are revalidated.
//!
//! Other builds have no embedded site and serve it from `LEPTOS_SITE_ROOT`.

use std::borrow::Cow;

use axum::body::{Body, Bytes};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Where the hashed bundles are.
pub const PKG_PREFIX: &str = "pkg/";

#[cfg(feature = "dist")]
mod embedded {
    #[derive(rust_embed::Embed)]
    #[folder = "$JETONS_DIST_SITE/"]
    pub struct Site;

    /// A file's bytes and the SHA-256 of them.
    pub fn get(path: &str) -> Option<(std::borrow::Cow<'static, [u8]>, [u8; 32])> {
        Site::get(path).map(|file| {
            let hash = file.metadata.sha256_hash();
            (file.data, hash)
        })
    }

    pub fn paths() -> impl Iterator<Item = std::borrow::Cow<'static, str>> {
        Site::iter()
    }

    /// The bundles' name: `jetons.<hash>`.
    pub const OUTPUT_NAME: Option<&str> = option_env!("JETONS_DIST_OUTPUT_NAME");
}

#[cfg(not(feature = "dist"))]
mod embedded {
    pub fn get(_path: &str) -> Option<(std::borrow::Cow<'static, [u8]>, [u8; 32])> {
        None
    }

    pub fn paths() -> std::iter::Empty<std::borrow::Cow<'static, str>> {
        std::iter::empty()
    }

    pub const OUTPUT_NAME: Option<&str> = None;
}

/// The bundles' output name when the site is built in (it replaces Leptos's `output_name`).
pub fn output_name() -> Option<&'static str> {
    embedded::OUTPUT_NAME
}

/// The URL paths of the embedded files (without their compressed copies).
pub fn paths() -> Vec<String> {
    embedded::paths()
        .filter(|path| !path.ends_with(".br") && !path.ends_with(".gz"))
        .map(|path| format!("/{path}"))
        .collect()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether `accept_encoding` accepts `coding` (`q=0` refuses it).
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
    })
}

/// One embedded file at `path` (`/pkg/jetons.<hash>.js`), in the best encoding the request
/// accepts.
pub fn answer(path: &str, request: &HeaderMap) -> Response {
    let name = path.trim_start_matches('/');
    let accept = request
        .get(ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let chosen = [("br", ".br"), ("gzip", ".gz")]
        .into_iter()
        .filter(|(coding, _)| accepts(accept, coding))
        .find_map(|(coding, suffix)| {
            embedded::get(&format!("{name}{suffix}")).map(|file| (Some(coding), file))
        })
        .or_else(|| embedded::get(name).map(|file| (None, file)));
    let Some((coding, (data, hash))) = chosen else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", app::domain::token::to_hex(&hash[..16]));
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(name)));
    headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(if name.starts_with(PKG_PREFIX) {
            "public, max-age=31536000, immutable"
        } else {
            "public, no-cache"
        }),
    );
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, value);
    }
    if let Some(coding) = coding {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    let unchanged = request
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == etag || tag.trim() == "*");
    if unchanged {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let body = match data {
        Cow::Borrowed(bytes) => Body::from(Bytes::from_static(bytes)),
        Cow::Owned(bytes) => Body::from(bytes),
    };
    (headers, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=1.0, gzip;q=0.8", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "gzip"));
    }
}
