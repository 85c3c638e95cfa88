//! The console's paths, named once. (The `<Route>` table in `lib.rs` spells them as path
//! segments; a test there checks each one matches.)

pub const LOGIN_PATH: &str = "/login";
/// The tokens page, where the console opens.
pub const TOKENS_PATH: &str = "/security/api-tokens";
/// "Create an API token" as a page of its own (for browsers without JavaScript).
pub const NEW_TOKEN_PATH: &str = "/security/api-tokens/new";
pub const AUDIT_LOG_PATH: &str = "/security/audit-log";
