//! The console's two cookies, written and read with the `cookie` crate: `HttpOnly`,
//! `SameSite=Strict`, path `/`; with secure cookies (anything but plain-HTTP loopback) also
//! `Secure` under the `__Host-` prefix, so a sibling host or a plain-HTTP page cannot plant
//! one. Only the name in force is ever read.

use axum::http::{header, HeaderMap};
use cookie::time::Duration;
use cookie::{Cookie, SameSite};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConsoleCookie {
    /// The console session's id.
    Session,
    /// The browser's proof that it logged in before (see [`crate::domain::device`]).
    Device,
}

impl ConsoleCookie {
    pub fn name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (Self::Session, true) => "__Host-jetons_session",
            (Self::Session, false) => "jetons_session",
            (Self::Device, true) => "__Host-jetons_device",
            (Self::Device, false) => "jetons_device",
        }
    }

    /// The `Set-Cookie` value; a `max_age_seconds` of 0 deletes the cookie.
    pub fn set(self, secure: bool, value: &str, max_age_seconds: i64) -> String {
        Cookie::build((self.name(secure), value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure)
            .max_age(Duration::seconds(max_age_seconds))
            .build()
            .to_string()
    }

    /// The value the browser sent under this cookie's name, if any.
    pub fn read(self, secure: bool, headers: &HeaderMap) -> Option<String> {
        let name = self.name(secure);
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == name)
            .map(|cookie| cookie.value().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_strict_host_only_and_read_by_their_exact_name() {
        let set = ConsoleCookie::Session.set(true, "abc", 60);
        for part in [
            "__Host-jetons_session=abc",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/",
            "Max-Age=60",
        ] {
            assert!(set.split("; ").any(|p| p == part), "{part} in {set}");
        }
        assert!(!ConsoleCookie::Device.set(false, "x", 1).contains("Secure"));
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            "jetons_session=plain; __Host-jetons_session=hosted"
                .parse()
                .expect("header"),
        );
        headers.append(header::COOKIE, "jetons_device=d1".parse().expect("header"));
        assert_eq!(
            ConsoleCookie::Session.read(true, &headers).as_deref(),
            Some("hosted")
        );
        assert_eq!(
            ConsoleCookie::Session.read(false, &headers).as_deref(),
            Some("plain")
        );
        assert_eq!(
            ConsoleCookie::Device.read(false, &headers).as_deref(),
            Some("d1")
        );
        assert_eq!(ConsoleCookie::Device.read(true, &headers), None);
    }
}
