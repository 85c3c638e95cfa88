//! The `Authorization` header parser on arbitrary header values (zero to three of them):
//! never panics, and a token it returns is one `TokenSecret::parse` accepts.
#![no_main]

use app::domain::token::TokenSecret;
use app::domain::{parse_authorization, AuthorizationError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (count, rest) = data.split_first().map_or((0, data), |(n, rest)| (n % 4, rest));
    let values: Vec<&[u8]> = if count == 0 {
        Vec::new()
    } else {
        rest.chunks(rest.len().div_ceil(usize::from(count)).max(1))
            .collect()
    };
    match parse_authorization(values.iter().copied()) {
        Ok(token) => {
            assert_eq!(values.len(), 1);
            assert!(TokenSecret::parse(token.expose()).is_ok());
        }
        Err(AuthorizationError::Missing) => {}
        Err(AuthorizationError::Malformed(why)) => assert!(!why.is_empty()),
        Err(AuthorizationError::NotAToken) => {}
    }
});
