//! `TokenSecret::parse` on arbitrary text: never panics, and whatever it accepts is a
//! well-formed token that round-trips.
#![no_main]

use app::domain::token::{TokenSecret, PREFIX, TOKEN_LEN};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(token) = TokenSecret::parse(input) {
        let exposed = token.expose();
        assert_eq!(exposed, input);
        assert_eq!(exposed.len(), TOKEN_LEN);
        assert!(exposed.starts_with(PREFIX));
        assert!(exposed[PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(token.hash().as_str().len(), 64);
        assert!(token.hint().ends_with(&exposed[TOKEN_LEN - 4..]));
        assert_eq!(TokenSecret::parse(exposed), Ok(token.clone()));
    }
});
