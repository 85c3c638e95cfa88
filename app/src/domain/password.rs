//! argon2id password hashes (PHC strings) for people who log in to the console.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
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

/// Verifies a password. With no stored hash, an equally expensive check still runs, so an
/// unknown login and a wrong password take the same path and the same time.
pub fn verify_password(stored: Option<&str>, password: &str) -> bool {
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash_password("decoy-password", &[7; 16]).unwrap_or_default());
    let (hash, real) = match stored {
        Some(hash) => (hash, true),
        None => (decoy.as_str(), false),
    };
    let matches = PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    matches && real
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn short_passwords_are_refused() {
        assert_eq!(
            hash_password("short", &[1; 16]),
            Err(PasswordError::TooShort)
        );
    }
}
