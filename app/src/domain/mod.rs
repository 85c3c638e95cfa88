//! The token core: pure rules, no I/O. Everything here is unit-tested.

pub mod authorization;
pub mod device;
pub mod expiry;
pub mod password;
pub mod rules;
pub mod text;
pub mod token;

pub use authorization::{parse_authorization, AuthorizationError};
pub use rules::{Employment, Ineligible, RuleError, TokenName};
pub use token::{TokenFormatError, TokenHash, TokenSecret};

/// The right that grants the administration console (DMF 090201).
pub const CONSOLE_RIGHT: &str = "090201";
/// The feature flag that makes the API tokens screen exist.
pub const FLAG_DOMAIN: &str = "Technique";
pub const FLAG_LABEL: &str = "Jetons Api";
