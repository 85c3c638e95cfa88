//! The token core: pure rules, no I/O. Everything here is unit-tested.

pub mod allowlist;
pub mod authorization;
pub mod device;
pub mod expiry;
pub mod password;
pub mod policy;
pub mod rules;
pub mod text;
pub mod token;

pub use allowlist::Allowlist;
pub use authorization::{parse_authorization, AuthorizationError};
pub use policy::{LifetimePolicy, StatusDates};
pub use rules::{Employment, Ineligible, RuleError, TokenName};
pub use token::{TokenFormatError, TokenHash, TokenSecret};

pub use crate::product::{CONSOLE_RIGHT, FLAG_DOMAIN, FLAG_LABEL};
