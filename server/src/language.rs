//! `POST /language`, the shell's "Language" control: remembers the choice in a cookie and
//! sends the browser back to the page it was on, now in that language. A plain form post, so
//! it works without JavaScript; only from the console's own pages.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, CONTROLS};

use app::language::{self, LANGUAGE_COOKIE, LANGUAGE_COOKIE_DAYS};
use app::model::ConsoleError;
use app::routes::TOKENS_PATH;
use app::words;

use crate::form;
use crate::guard::{self, Edge};

/// The longest "back" path kept; a longer one leads to the tokens page.
const BACK_MAX_BYTES: usize = 2048;

pub async fn choose(
    edge: Arc<Edge>,
    secure_cookies: bool,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let locale = language::of_headers(&headers);
    if !guard::same_origin(&headers, edge.public_origin.as_ref()) {
        let refusal = words::error(locale, &ConsoleError::CrossOrigin);
        return refused(StatusCode::FORBIDDEN, refusal);
    }
    let fields = form::decode(&body).unwrap_or_default();
    let field = |name: &str| {
        let mut values = fields.iter().filter(|(key, _)| key == name);
        match (values.next(), values.next()) {
            (Some((_, value)), None) => Some(value.as_str()),
            _ => None,
        }
    };
    let Some(chosen) = field("language").and_then(language::from_code) else {
        let refusal = words::unknown_language(locale).to_owned();
        return refused(StatusCode::BAD_REQUEST, refusal);
    };
    let back = field("back")
        .and_then(back_path)
        .unwrap_or(TOKENS_PATH.to_owned());
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age={}; SameSite=Lax; HttpOnly{}",
        language::code(chosen),
        u64::from(LANGUAGE_COOKIE_DAYS) * 86_400,
        if secure_cookies { "; Secure" } else { "" }
    );
    let (Ok(location), Ok(cookie)) = (HeaderValue::from_str(&back), HeaderValue::from_str(&cookie))
    else {
        return refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            words::error(locale, &ConsoleError::Internal),
        );
    };
    let mut response = StatusCode::SEE_OTHER.into_response();
    let answer = response.headers_mut();
    answer.insert(LOCATION, location);
    answer.insert(SET_COOKIE, cookie);
    answer.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A path of this site to go back to: `/…` but not `//…` (another host), percent-encoded.
fn back_path(back: &str) -> Option<String> {
    let local = back.starts_with('/') && !back.starts_with("//") && !back.starts_with("/\\");
    (local && back.len() <= BACK_MAX_BYTES && !back.contains('\\'))
        .then(|| utf8_percent_encode(back, CONTROLS).to_string())
}

fn refused(status: StatusCode, message: String) -> Response {
    (
        status,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::back_path;

    #[test]
    fn only_paths_of_this_site_are_gone_back_to() {
        assert_eq!(
            back_path("/security/api-tokens?status=active").as_deref(),
            Some("/security/api-tokens?status=active")
        );
        assert_eq!(back_path("/login?q=é").as_deref(), Some("/login?q=%C3%A9"));
        for elsewhere in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "",
            "x",
        ] {
            assert_eq!(back_path(elsewhere), None, "{elsewhere}");
        }
    }
}
