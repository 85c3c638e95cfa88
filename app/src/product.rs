//! The product's fixed codes, named once: the console's right and the feature flag that makes
//! the API tokens screen exist (shared by the server, its messages and the pages).

/// The right that grants the administration console (DMF 090201).
pub const CONSOLE_RIGHT: &str = "090201";
/// The feature flag that makes the API tokens screen exist: Technique > Jetons Api.
pub const FLAG_DOMAIN: &str = "Technique";
pub const FLAG_LABEL: &str = "Jetons Api";

/// The feature flag as the console names it, in every language: "Technique > Jetons Api".
pub fn flag_name() -> String {
    format!("{FLAG_DOMAIN} > {FLAG_LABEL}")
}
