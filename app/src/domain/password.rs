//! argon2id password hashes (PHC strings) for people who log in to the console.

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::OnceLock;

pub const MIN_PASSWORD_CHARS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// Hashes with argon2id (default parameters) and the caller's random 16-byte salt.
pub fn hash_password(password: &str, salt: &[u8; 16]) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    let salt = SaltString::encode_b64(salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Stored hashes asking for more memory than this (in 1 KiB blocks: 64 MiB) are refused.
const MAX_BLOCKS: usize = 64 * 1024;

/// Working memory for argon2 checks, kept and reused. Each check would otherwise allocate its
/// ~19 MiB afresh, and the allocator keep what many threads once held.
#[derive(Default)]
pub struct CheckMemory(Vec<Block>);

/// Whether `password` gives the argon2 hash `stored` (a PHC string), computed in `memory`.
fn matches(memory: &mut CheckMemory, stored: &str, password: &str) -> Option<bool> {
    let parsed = PasswordHash::new(stored).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = Version::try_from(parsed.version.unwrap_or(Version::V0x13 as u32)).ok()?;
    let params = Params::try_from(&parsed).ok()?;
    let expected = parsed.hash?;
    let mut salt = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS {
        return None;
    }
    if memory.0.len() < blocks {
        memory.0.resize(blocks, Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory.0[..])
        .ok()?;
    // `Output`'s equality takes the same time whatever differs.
    Some(Output::new(&out).ok()? == expected)
}

/// Verifies a password in reused memory. With no stored hash, an equally expensive check
/// still runs, so an unknown login and a wrong password take the same path and the same time.
pub fn verify_password_in(memory: &mut CheckMemory, stored: Option<&str>, password: &str) -> bool {
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash_password("decoy-password", &[7; 16]).unwrap_or_default());
    let (hash, real) = match stored {
        Some(hash) => (hash, true),
        None => (decoy.as_str(), false),
    };
    matches(memory, hash, password).unwrap_or(false) && real
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verify_password(stored: Option<&str>, password: &str) -> bool {
        verify_password_in(&mut CheckMemory::default(), stored, password)
    }

    #[test]
    fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let hash = hash_password("correct horse", &[1; 16]).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(Some(&hash), "correct horse"));
        assert!(!verify_password(Some(&hash), "correct horsE"));
        assert!(!verify_password(None, "decoy-password"));
        assert!(!verify_password(Some("not a hash"), "anything"));
    }

    #[test]
    fn reused_memory_gives_the_same_answers() {
        let hash = hash_password("correct horse", &[2; 16]).unwrap();
        let mut memory = CheckMemory::default();
        for _ in 0..3 {
            assert!(verify_password_in(
                &mut memory,
                Some(&hash),
                "correct horse"
            ));
            assert!(!verify_password_in(&mut memory, Some(&hash), "wrong horse"));
        }
        assert_eq!(memory.0.len(), Params::DEFAULT_M_COST as usize);
        // A hash asking for more memory than allowed is refused, not computed.
        let greedy = "$argon2id$v=19$m=1048576,t=1,p=1$AgICAgICAgICAgICAgICAg$\
                      AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(!verify_password_in(&mut memory, Some(greedy), "x"));
        assert_eq!(memory.0.len(), Params::DEFAULT_M_COST as usize);
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            hash_password("short", &[1; 16]),
            Err(PasswordError::TooShort)
        );
    }
}
