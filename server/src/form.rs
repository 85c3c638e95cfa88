//! Strict reading of `application/x-www-form-urlencoded` text (bodies and query strings):
//! text that is not UTF-8, raw or percent-encoded, or that holds a NUL character is refused
//! whole, before any of it reaches a server function or a database.

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("the request is not valid UTF-8 text")]
    NotUtf8,
    #[error("“{0}” is not valid UTF-8 once decoded")]
    DecodedNotUtf8(String),
    #[error("“{0}” contains a NUL character")]
    Nul(String),
}

/// Names are shown in messages cut to this many characters.
const SHOWN_CHARS: usize = 40;

fn shown(text: &str) -> String {
    text.chars().take(SHOWN_CHARS).collect()
}

fn decode_part<'a>(part: &'a str, what: &str) -> Result<Cow<'a, str>, FormError> {
    let spaced: Cow<'a, str> = if part.contains('+') {
        Cow::Owned(part.replace('+', " "))
    } else {
        Cow::Borrowed(part)
    };
    let decoded = percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map_err(|_| FormError::DecodedNotUtf8(shown(what)))?
        .into_owned();
    if decoded.contains('\0') {
        return Err(FormError::Nul(shown(what)));
    }
    Ok(Cow::Owned(decoded))
}

/// The (name, value) pairs of form-encoded `bytes`, in order.
pub fn decode(bytes: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FormError::NotUtf8)?;
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode_part(name, name)?.into_owned();
            let value = decode_part(value, &format!("the value of {name}"))?.into_owned();
            Ok((name, value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_a_browser_sends() {
        assert_eq!(
            decode(b"name=Caf%C3%A9+au+lait&id=3&empty=&flag"),
            Ok(vec![
                ("name".into(), "Café au lait".into()),
                ("id".into(), "3".into()),
                ("empty".into(), String::new()),
                ("flag".into(), String::new()),
            ])
        );
        assert_eq!(decode(b""), Ok(vec![]));
        assert_eq!(
            decode("q=日本".as_bytes()),
            Ok(vec![("q".into(), "日本".into())])
        );
    }

    #[test]
    fn refuses_what_is_not_text() {
        assert_eq!(decode(b"name=\xff\xfe"), Err(FormError::NotUtf8));
        assert_eq!(
            decode(b"name=%ff%fe-x"),
            Err(FormError::DecodedNotUtf8("the value of name".into()))
        );
        assert_eq!(
            decode(b"login=ad%00min"),
            Err(FormError::Nul("the value of login".into()))
        );
        assert_eq!(decode(b"na%00me=x"), Err(FormError::Nul("na%00me".into())));
        assert_eq!(
            FormError::Nul("the value of login".into()).to_string(),
            "“the value of login” contains a NUL character"
        );
    }
}
