//! The console's language: the one chosen with the shell's "Language" control (remembered in
//! a cookie), else the best match of the browser's `Accept-Language`, else English. Decided
//! once per request on the server; the pages and the server functions' messages follow it.

pub use crate::i18n::Locale;
use leptos_i18n::Locale as _;

/// Remembers the language chosen with the "Language" control.
pub const LANGUAGE_COOKIE: &str = "jetons_language";
/// Where the "Language" control posts (`language=fr&back=/security/api-tokens`).
pub const LANGUAGE_PATH: &str = "/language";
/// How long the choice is remembered.
pub const LANGUAGE_COOKIE_DAYS: u32 = 400;

/// Every language of the console, in the order the control offers them.
pub fn all() -> &'static [Locale] {
    Locale::get_all()
}

/// The language code (`en`, `fr`), as `<html lang>` and the cookie carry it.
pub fn code(locale: Locale) -> &'static str {
    locale.as_str()
}

pub fn from_code(code: &str) -> Option<Locale> {
    code.parse().ok()
}

/// The language of a request: its cookie's choice, else its `Accept-Language`.
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
    if let Some(chosen) = cookie.and_then(from_code) {
        return chosen;
    }
    let Some(header) = accept_language else {
        return Locale::default();
    };
    // Tags by preference: the `q` weight, then the header's order; `q=0` means "not this".
    let mut ranges: Vec<(&str, u16)> = header
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let tag = parts.next()?.trim();
            let weight = parts
                .find_map(|param| param.trim().strip_prefix("q="))
                .map_or(Some(1000), quality)?;
            (!tag.is_empty() && tag != "*" && weight > 0).then_some((tag, weight))
        })
        .take(32)
        .collect();
    ranges.sort_by_key(|range| std::cmp::Reverse(range.1));
    let tags: Vec<&str> = ranges.into_iter().map(|(tag, _)| tag).collect();
    Locale::find_locale(&tags)
}

/// A `q` value (0 to 1, three decimals) in thousandths; `None` when malformed.
fn quality(text: &str) -> Option<u16> {
    let value: f32 = text.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

/// The language of the request being answered (on the server; English elsewhere).
pub fn of_request() -> Locale {
    #[cfg(feature = "ssr")]
    if let Some(parts) = leptos::prelude::use_context::<axum::http::request::Parts>() {
        return of_headers(&parts.headers);
    }
    Locale::default()
}

/// The language these request headers ask for.
#[cfg(feature = "ssr")]
pub fn of_headers(headers: &axum::http::HeaderMap) -> Locale {
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANGUAGE_COOKIE)
        .map(|(_, value)| value.trim());
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    negotiate(cookie, accept)
}

/// The language of the page being rendered (provided by [`crate::App`]).
pub fn current() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_then_the_best_accepted_language_then_english() {
        let cases = [
            (Some("fr"), Some("en-US,en;q=0.9"), Locale::fr),
            (Some("de"), Some("fr-FR,fr;q=0.9"), Locale::fr),
            (None, Some("fr-CA"), Locale::fr),
            (None, Some("de-DE, fr;q=0.8, en;q=0.5"), Locale::fr),
            (None, Some("en;q=0.2, fr;q=0.9"), Locale::fr),
            (None, Some("fr;q=0, en"), Locale::en),
            (None, Some("de, es"), Locale::en),
            (None, Some("fr;q=bad, en"), Locale::en),
            (None, Some(""), Locale::en),
            (None, None, Locale::en),
        ];
        for (cookie, header, expected) in cases {
            assert_eq!(negotiate(cookie, header), expected, "{cookie:?} {header:?}");
        }
    }

    /// Every key (`group.key`) of a locale file, with the variables its text uses.
    fn keys(file: &str) -> std::collections::BTreeMap<String, Vec<String>> {
        fn walk(
            prefix: &str,
            value: &serde_json::Value,
            out: &mut std::collections::BTreeMap<String, Vec<String>>,
        ) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        let path = if prefix.is_empty() {
                            key.clone()
                        } else {
                            format!("{prefix}.{key}")
                        };
                        walk(&path, value, out);
                    }
                }
                serde_json::Value::String(text) => {
                    let mut variables: Vec<String> = text
                        .split("{{")
                        .skip(1)
                        .filter_map(|rest| rest.split_once("}}"))
                        .map(|(name, _)| name.trim().to_owned())
                        .collect();
                    variables.sort();
                    variables.dedup();
                    out.insert(prefix.to_owned(), variables);
                }
                other => panic!("{prefix}: {other} is not a text"),
            }
        }
        let value: serde_json::Value = serde_json::from_str(file).expect("a locale file is JSON");
        let mut out = std::collections::BTreeMap::new();
        walk("", &value, &mut out);
        out
    }

    /// A key missing in either language (or a text that drops one of the other's variables)
    /// fails here, not as an English word on a French page.
    #[test]
    fn both_languages_have_every_key_with_the_same_variables() {
        let en = keys(include_str!("../locales/en.json"));
        let fr = keys(include_str!("../locales/fr.json"));
        let missing =
            |from: &std::collections::BTreeMap<String, Vec<String>>,
             other: &std::collections::BTreeMap<String, Vec<String>>| {
                from.keys()
                    .filter(|key| !other.contains_key(*key))
                    .cloned()
                    .collect::<Vec<_>>()
            };
        assert_eq!(
            missing(&en, &fr),
            Vec::<String>::new(),
            "missing in fr.json"
        );
        assert_eq!(
            missing(&fr, &en),
            Vec::<String>::new(),
            "missing in en.json"
        );
        for (key, variables) in &en {
            assert_eq!(Some(variables), fr.get(key), "the variables of {key}");
        }
        assert!(en.len() > 150, "{} keys", en.len());
    }

    #[test]
    fn every_language_reads_back_from_its_code() {
        for &locale in all() {
            assert_eq!(from_code(code(locale)), Some(locale));
        }
        assert_eq!(from_code("klingon"), None);
    }
}
