//! Reading the one bearer token of a request from its `Authorization` header values
//! (RFC 6750 §2.1). Pure: the header values come in as bytes.

use super::token::TokenSecret;

/// Longest `Authorization` value read; a token is 53 characters.
pub const MAX_AUTHORIZATION_LEN: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizationError {
    /// No bearer credentials at all (no header, or another scheme).
    Missing,
    /// Bearer credentials that are not of the form `Bearer <token68>`.
    Malformed(&'static str),
    /// Well-formed credentials that are not a token of ours (prefix, length, checksum).
    NotAToken,
}

/// The bearer token of a request whose `Authorization` header values are `values`.
pub fn parse_authorization<'a>(
    values: impl IntoIterator<Item = &'a [u8]>,
) -> Result<TokenSecret, AuthorizationError> {
    let mut values = values.into_iter();
    let Some(value) = values.next() else {
        return Err(AuthorizationError::Missing);
    };
    if values.next().is_some() {
        return Err(AuthorizationError::Malformed(
            "More than one Authorization header.",
        ));
    }
    if value.len() > MAX_AUTHORIZATION_LEN {
        return Err(AuthorizationError::Malformed(
            "The Authorization header is too long.",
        ));
    }
    let value = std::str::from_utf8(value)
        .ok()
        .filter(|v| v.is_ascii())
        .ok_or(AuthorizationError::Malformed(
            "The Authorization header is not ASCII.",
        ))?;
    let scheme_end = value.find([' ', '\t', ',']).unwrap_or(value.len());
    let (scheme, rest) = value.split_at(scheme_end);
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthorizationError::Missing);
    }
    let credentials = rest.trim_start_matches([' ', '\t']);
    if credentials.is_empty() {
        return Err(AuthorizationError::Malformed("No token after Bearer."));
    }
    let token68 = credentials
        .trim_end_matches('=')
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/'));
    if credentials.len() == rest.len() || !token68 {
        return Err(AuthorizationError::Malformed(
            "The Authorization header must be: Bearer <token>.",
        ));
    }
    TokenSecret::parse(credentials).map_err(|_| AuthorizationError::NotAToken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::token::TOKEN_LEN;
    use proptest::prelude::*;
    use rand::RngCore;

    fn token() -> String {
        let mut entropy = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut entropy);
        TokenSecret::from_entropy(entropy).into_exposed()
    }

    fn parse(values: &[&[u8]]) -> Result<TokenSecret, AuthorizationError> {
        parse_authorization(values.iter().copied())
    }

    #[test]
    fn a_well_formed_bearer_header_yields_the_token() {
        let token = token();
        for form in [
            format!("Bearer {token}"),
            format!("bearer {token}"),
            format!("BEARER   {token}"),
            format!("Bearer\t{token}"),
        ] {
            assert_eq!(
                parse(&[form.as_bytes()]).map(TokenSecret::into_exposed),
                Ok(token.clone())
            );
        }
    }

    #[test]
    fn no_bearer_credentials_is_missing() {
        assert_eq!(parse(&[]), Err(AuthorizationError::Missing));
        assert_eq!(
            parse(&[b"Basic dXNlcjpwYXNz"]),
            Err(AuthorizationError::Missing)
        );
    }

    #[test]
    fn malformed_credentials_are_malformed() {
        let token = token();
        let long = format!("Bearer {}", "a".repeat(MAX_AUTHORIZATION_LEN));
        for bad in [
            &b"Bearer"[..],
            b"Bearer ",
            b"Bearer a b",
            "Bearer ä".as_bytes(),
            b"Bearer \xff",
            b"Bearer,x",
            b"bearer\t\t",
            b"Bearer x\t",
            long.as_bytes(),
        ] {
            assert!(
                matches!(parse(&[bad]), Err(AuthorizationError::Malformed(_))),
                "{bad:?}"
            );
        }
        let one = format!("Bearer {token}");
        assert!(matches!(
            parse(&[one.as_bytes(), one.as_bytes()]),
            Err(AuthorizationError::Malformed(_))
        ));
    }

    #[test]
    fn well_formed_but_foreign_or_mistyped_tokens_are_not_tokens() {
        let mut token = token();
        token.replace_range(10..11, if &token[10..11] == "A" { "B" } else { "A" });
        for bad in [token.as_str(), "jet_short", "ghp_abcdef", "abc.def"] {
            assert_eq!(
                parse(&[format!("Bearer {bad}").as_bytes()]),
                Err(AuthorizationError::NotAToken),
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_bytes_are_answered_without_panicking(value in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse(&[&value]);
        }

        #[test]
        fn a_valid_token_survives_any_bearer_spacing(entropy in any::<[u8; 32]>(), spaces in "[ \t]{1,8}", scheme in "(?i)bearer") {
            let token = TokenSecret::from_entropy(entropy).into_exposed();
            let header = format!("{scheme}{spaces}{token}");
            prop_assert_eq!(parse(&[header.as_bytes()]).map(TokenSecret::into_exposed), Ok(token));
        }

        #[test]
        fn whatever_is_accepted_is_a_checked_token(body in "[ -~]{0,80}") {
            let header = format!("Bearer {body}");
            if let Ok(secret) = parse(&[header.as_bytes()]) {
                let exposed = secret.into_exposed();
                prop_assert_eq!(exposed.len(), TOKEN_LEN);
                prop_assert!(TokenSecret::parse(&exposed).is_ok());
            }
        }
    }
}
