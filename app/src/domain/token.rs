//! API token format: `jet_` + 43 base62 characters of CSPRNG output (256 bits) + a 6-character
//! base62 CRC32 of those 43 characters. The checksum lets secret scanners recognise a token and
//! lets the server reject a mistyped one without a database round trip.

use sha2::{Digest, Sha256};
use std::fmt;

pub const PREFIX: &str = "jet_";
pub const ENTROPY_BYTES: usize = 32;
const BODY_LEN: usize = 43;
const CHECKSUM_LEN: usize = 6;
pub const TOKEN_LEN: usize = PREFIX.len() + BODY_LEN + CHECKSUM_LEN;
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenFormatError {
    #[error("the token does not start with `{PREFIX}`")]
    Prefix,
    #[error("the token must be {TOKEN_LEN} characters long")]
    Length,
    #[error("the token contains a character outside [0-9A-Za-z]")]
    Alphabet,
    #[error("the token checksum does not match")]
    Checksum,
}

/// A plaintext token. Its `Debug` never prints the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret(String);

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenSecret({})", self.hint())
    }
}

impl TokenSecret {
    /// Builds a token from 256 bits of entropy, which the caller draws from the OS CSPRNG.
    pub fn from_entropy(entropy: [u8; ENTROPY_BYTES]) -> Self {
        let body = base62_fixed(&entropy, BODY_LEN);
        let checksum = checksum_of(body.as_bytes());
        let checksum = std::str::from_utf8(&checksum).unwrap_or_default();
        Self(format!("{PREFIX}{body}{checksum}"))
    }

    pub fn parse(input: &str) -> Result<Self, TokenFormatError> {
        let rest = input.strip_prefix(PREFIX).ok_or(TokenFormatError::Prefix)?;
        if input.len() != TOKEN_LEN {
            return Err(TokenFormatError::Length);
        }
        if !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(TokenFormatError::Alphabet);
        }
        let (body, checksum) = rest.split_at(BODY_LEN);
        if checksum.as_bytes() != checksum_of(body.as_bytes()) {
            return Err(TokenFormatError::Checksum);
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_exposed(self) -> String {
        self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }

    /// What the console shows instead of the token: the prefix and the last four characters.
    pub fn hint(&self) -> String {
        format!("{PREFIX}…{}", &self.0[self.0.len() - 4..])
    }
}

/// SHA-256 of a token, as stored: lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(String);

impl TokenHash {
    pub fn of(secret: &str) -> Self {
        Self(sha256_hex(secret))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// SHA-256 as lowercase hex; also used for session ids, which are stored hashed too.
pub fn sha256_hex(input: &str) -> String {
    to_hex(&Sha256::digest(input.as_bytes()))
}

pub fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// The bytes [`to_hex`] wrote: lowercase hexadecimal, two digits a byte; anything else
/// (uppercase included: it is not what was written) is `None`.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    hex::decode(text).ok()
}

/// Big-endian bytes as a base62 number, left-padded with `0` to `width` digits.
fn base62_fixed(bytes: &[u8], width: usize) -> String {
    let mut number = bytes.to_vec();
    let mut digits = Vec::with_capacity(width);
    while number.iter().any(|&b| b != 0) {
        let mut remainder = 0u32;
        for byte in number.iter_mut() {
            let acc = (remainder << 8) | u32::from(*byte);
            *byte = (acc / 62) as u8;
            remainder = acc % 62;
        }
        digits.push(ALPHABET[remainder as usize]);
    }
    digits.resize(width.max(digits.len()), b'0');
    digits.reverse();
    digits.into_iter().map(char::from).collect()
}

/// The CRC-32 (IEEE 802.3, as in zlib) of a token's body, in base62, `CHECKSUM_LEN` digits
/// (62^6 > 2^32). Computed on every API call: no allocation.
fn checksum_of(body: &[u8]) -> [u8; CHECKSUM_LEN] {
    let mut number = crc32fast::hash(body);
    let mut digits = [b'0'; CHECKSUM_LEN];
    for digit in digits.iter_mut().rev() {
        *digit = ALPHABET[(number % 62) as usize];
        number /= 62;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    fn random_token() -> TokenSecret {
        let mut entropy = [0u8; ENTROPY_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut entropy);
        TokenSecret::from_entropy(entropy)
    }

    #[test]
    fn the_checksum_is_the_base62_crc32() {
        // zlib.crc32(b"123456789") = 0xCBF43926 = 3,421,780,262 = "3jZRME" in base62.
        assert_eq!(&checksum_of(b"123456789"), b"3jZRME");
        assert_eq!(&checksum_of(b""), b"000000");
    }

    #[test]
    fn base62_is_fixed_width_and_exact() {
        assert_eq!(base62_fixed(&[0], 3), "000");
        assert_eq!(base62_fixed(&[61], 2), "0z");
        assert_eq!(base62_fixed(&[0, 62], 2), "10");
        assert_eq!(base62_fixed(&[0xff; 32], BODY_LEN).len(), BODY_LEN);
        assert_eq!(
            base62_fixed(&u32::MAX.to_be_bytes(), CHECKSUM_LEN),
            "4gfFC3"
        );
    }

    #[test]
    fn generated_tokens_round_trip_with_the_documented_shape() {
        for _ in 0..200 {
            let token = random_token();
            let text = token.expose();
            assert_eq!(text.len(), TOKEN_LEN);
            assert!(text.starts_with("jet_"));
            assert!(text[4..].bytes().all(|b| b.is_ascii_alphanumeric()));
            assert_eq!(TokenSecret::parse(text), Ok(token.clone()));
        }
    }

    #[test]
    fn extreme_entropy_values_still_have_the_full_length() {
        for entropy in [[0u8; ENTROPY_BYTES], [0xff; ENTROPY_BYTES]] {
            let token = TokenSecret::from_entropy(entropy);
            assert_eq!(token.expose().len(), TOKEN_LEN);
            assert!(TokenSecret::parse(token.expose()).is_ok());
        }
    }

    #[test]
    fn known_entropy_gives_the_known_token() {
        // Vectors computed independently (Python: int.from_bytes → base62, zlib.crc32).
        let cases: [([u8; ENTROPY_BYTES], &str); 3] = [
            (
                [0; 32],
                "jet_00000000000000000000000000000000000000000002CZclj",
            ),
            (
                [0xff; 32],
                "jet_yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp13sRzl1",
            ),
            (
                std::array::from_fn(|i| i as u8),
                "jet_003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf1Yo7hP",
            ),
        ];
        for (entropy, expected) in cases {
            assert_eq!(TokenSecret::from_entropy(entropy).expose(), expected);
        }
    }

    #[test]
    fn any_single_character_change_is_rejected() {
        let token = random_token();
        let original = token.expose().as_bytes().to_vec();
        for position in 0..original.len() {
            for &replacement in ALPHABET.iter().chain(b"_-+/= ") {
                if replacement == original[position] {
                    continue;
                }
                let mut changed = original.clone();
                changed[position] = replacement;
                let changed = String::from_utf8(changed).expect("ascii");
                assert!(
                    TokenSecret::parse(&changed).is_err(),
                    "accepted a change at {position}"
                );
            }
        }
    }

    #[test]
    fn malformed_tokens_get_a_specific_error() {
        let token = random_token();
        let text = token.expose();
        assert_eq!(TokenSecret::parse(""), Err(TokenFormatError::Prefix));
        assert_eq!(
            TokenSecret::parse(&text.replacen("jet_", "ghp_", 1)),
            Err(TokenFormatError::Prefix)
        );
        assert_eq!(
            TokenSecret::parse(&text[..TOKEN_LEN - 1]),
            Err(TokenFormatError::Length)
        );
        assert_eq!(
            TokenSecret::parse(&format!("{text}0")),
            Err(TokenFormatError::Length)
        );
        let mut with_dash = text.to_owned();
        with_dash.replace_range(10..11, "-");
        assert_eq!(
            TokenSecret::parse(&with_dash),
            Err(TokenFormatError::Alphabet)
        );
        let mut non_ascii = text[..TOKEN_LEN - 2].to_owned();
        non_ascii.push('é');
        assert_eq!(
            TokenSecret::parse(&non_ascii),
            Err(TokenFormatError::Alphabet)
        );
    }

    #[test]
    fn hash_is_sha256_hex_and_debug_hides_the_secret() {
        assert_eq!(
            TokenHash::of("abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let token = random_token();
        let debug = format!("{token:?}");
        assert!(!debug.contains(&token.expose()[4..20]));
        assert_eq!(token.hint(), format!("jet_…{}", &token.expose()[49..]));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn every_generated_token_parses_back_to_itself(entropy in any::<[u8; ENTROPY_BYTES]>()) {
                let token = TokenSecret::from_entropy(entropy);
                prop_assert_eq!(TokenSecret::parse(token.expose()), Ok(token.clone()));
                prop_assert_eq!(token.expose().len(), TOKEN_LEN);
                prop_assert!(token.hint().ends_with(&token.expose()[TOKEN_LEN - 4..]));
            }

            #[test]
            fn distinct_entropy_gives_distinct_tokens(a in any::<[u8; ENTROPY_BYTES]>(), b in any::<[u8; ENTROPY_BYTES]>()) {
                prop_assume!(a != b);
                prop_assert_ne!(TokenSecret::from_entropy(a), TokenSecret::from_entropy(b));
            }

            #[test]
            fn arbitrary_text_never_panics_and_only_well_formed_tokens_pass(input in "\\PC{0,80}|jet_[0-9A-Za-z]{49}") {
                if let Ok(token) = TokenSecret::parse(&input) {
                    prop_assert_eq!(token.expose(), input.as_str());
                    prop_assert!(input.starts_with(PREFIX));
                    prop_assert!(input.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
                }
            }

            #[test]
            fn swapping_two_different_characters_is_caught(entropy in any::<[u8; ENTROPY_BYTES]>(), i in 4usize..TOKEN_LEN, j in 4usize..TOKEN_LEN) {
                let token = TokenSecret::from_entropy(entropy).into_exposed();
                let mut bytes = token.clone().into_bytes();
                prop_assume!(bytes[i] != bytes[j]);
                bytes.swap(i, j);
                let swapped = String::from_utf8(bytes).unwrap();
                prop_assert!(TokenSecret::parse(&swapped).is_err());
            }
        }
    }
}
