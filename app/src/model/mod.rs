//! Types shared by the server functions and the UI.

use serde::{Deserialize, Serialize};

use crate::product::{CONSOLE_RIGHT, FLAG_DOMAIN, FLAG_LABEL};

mod audit;
mod lifecycle;
mod wire;

pub use audit::{AuditAction, AuditEntry, AuditPage};
pub use lifecycle::{token_target, RemovalReason, RotationOverlap};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminInfo {
    pub login: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hydrate", derive(Default))]
pub enum TokenStatus {
    #[cfg_attr(feature = "hydrate", default)]
    Active,
    /// Active, and its expiration date is within the warning days (`JETONS_EXPIRY_WARNING_DAYS`).
    ExpiresSoon,
    Expired,
    Removed,
    /// Its user is no longer a technical user working in the company: the token is refused.
    UserInactive,
}

/// The browser never shows a row from a server function's answer (the table is the server's
/// HTML, shown again after each change), so its bundle skips decoding them.
#[cfg(feature = "hydrate")]
impl<'de> Deserialize<'de> for TokenRow {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(Self::default())
    }
}

/// One row of the tokens table. Carries the token's hint, never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(feature = "hydrate"), derive(Deserialize))]
#[cfg_attr(feature = "hydrate", derive(Default))]
pub struct TokenRow {
    pub id: i64,
    pub user_login: String,
    pub user_name: String,
    pub name: String,
    pub hint: String,
    pub created_on: String,
    pub created_by: String,
    pub expires_on: String,
    pub removed_on: Option<String>,
    /// The addresses and ranges the token may be used from ("10.0.0.0/8, 2001:db8::1");
    /// `None`: any address.
    pub allowed_addresses: Option<String>,
    /// For a live token: the "Rotate the token" dialog's default expiration date (today plus
    /// the token's lifetime, within the lifetime policy).
    pub rotation_expires: Option<String>,
    /// For a rotated token still in its overlap: when it stops (local time, to the minute).
    pub works_until: Option<String>,
    /// Set when the token was removed otherwise than by an administrator's Remove.
    pub removal_reason: Option<RemovalReason>,
    pub status: TokenStatus,
    /// With [`TokenStatus::ExpiresSoon`]: the days left (0: it stops at the end of today).
    pub expires_in_days: Option<u32>,
    /// When the API last accepted the token (local time, to the minute), and from where.
    pub last_used: Option<String>,
    pub last_used_from: Option<String>,
}

/// A day for a date field and for the reader: `day` as the field takes it (`YYYY-MM-DD`),
/// `shown` as the caller's language writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub day: String,
    pub shown: String,
}

/// The "User" field offers at most this many matches.
pub const USER_MATCHES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibleUser {
    pub id: i64,
    pub login: String,
    pub name: String,
}

/// The answer to "Create": the only response that ever carries the plaintext token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: String,
    pub row: TokenRow,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken")
            .field("token", &self.row.hint)
            .field("row", &self.row)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    User,
    Name,
    Expiration,
    AllowedAddresses,
    /// How long a rotated token keeps working.
    Overlap,
}

/// What is wrong with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// Seconds to wait before trying again when the database cannot be reached.
pub const DATABASE_RETRY_SECONDS: u64 = 5;

/// A login waits at most this many seconds for a password check, then is told to come back
/// after as many.
pub const PASSWORD_CHECK_WAIT_SECONDS: u64 = 2;

/// Every error a server function can answer with. The HTTP status follows the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ConsoleError {
    #[error("You are not logged in.")]
    NotLoggedIn,
    #[error("Invalid login or password.")]
    InvalidCredentials,
    #[error(
        "You need right {} (administrator setup, server administration console) to use the administration console.",
        CONSOLE_RIGHT
    )]
    Forbidden,
    #[error(
        "This feature requires enabling the feature flag {} > {}.",
        FLAG_DOMAIN,
        FLAG_LABEL
    )]
    FeatureDisabled,
    #[error(
        "You are not working in the company today, so the administration console is closed to you."
    )]
    NotEmployed,
    #[error("{}", errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" "))]
    Invalid { errors: Vec<FieldError> },
    #[error("{message}")]
    NotFound { message: String },
    #[error("{message}")]
    Conflict { message: String },
    #[error("The request is malformed: {message}")]
    BadRequest { message: String },
    #[error("The server could not be reached: {message}")]
    Unavailable { message: String },
    #[error("This request did not come from the console's own pages and was refused.")]
    CrossOrigin,
    #[error("The console could not read the server's answer; reload the page.")]
    UnreadableAnswer,
    #[error("Too many failed attempts; try again in {retry_after} seconds.")]
    TooManyAttempts { retry_after: u64 },
    #[error("The server is busy checking other passwords; try again in {retry_after} seconds.")]
    Busy { retry_after: u64 },
    #[error("Server functions only answer POST requests.")]
    MethodNotAllowed,
    #[error("The request is larger than the server accepts.")]
    TooLarge,
    #[error("The request arrived too slowly and was dropped; send it again.")]
    TooSlow,
    #[error("The database cannot be reached right now; try again in {retry_after} seconds.")]
    DatabaseUnavailable { retry_after: u64 },
    #[error("Something went wrong on the server; the error has been logged.")]
    Internal,
}

impl ConsoleError {
    pub fn invalid(field: Field, message: impl ToString) -> Self {
        Self::Invalid {
            errors: vec![FieldError {
                field,
                message: message.to_string(),
            }],
        }
    }

    /// Seconds to wait before trying again, for the errors that pass.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyAttempts { retry_after }
            | Self::Busy { retry_after }
            | Self::DatabaseUnavailable { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::NotLoggedIn | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::FeatureDisabled | Self::NotEmployed | Self::CrossOrigin => 403,
            Self::Invalid { .. } => 422,
            Self::NotFound { .. } => 404,
            Self::Conflict { .. } => 409,
            Self::BadRequest { .. } => 400,
            Self::Unavailable { .. } => 502,
            Self::TooManyAttempts { .. } => 429,
            Self::Busy { .. } | Self::DatabaseUnavailable { .. } => 503,
            Self::UnreadableAnswer => 502,
            Self::MethodNotAllowed => 405,
            Self::TooLarge => 413,
            Self::TooSlow => 408,
            Self::Internal => 500,
        }
    }

    /// The message about one form field, if this error has one.
    pub fn message_for(&self, field: Field) -> Option<&str> {
        match self {
            Self::Invalid { errors } => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.as_str()),
            _ => None,
        }
    }

    pub fn is_about_fields(&self) -> bool {
        matches!(self, Self::Invalid { .. })
    }
}

impl FromServerFnError for ConsoleError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                Self::BadRequest { message }
            }
            // Only the browser decodes answers: a version mismatch after a deployment, say.
            ServerFnErrorErr::Deserialization(_) => Self::UnreadableAnswer,
            ServerFnErrorErr::Request(message) | ServerFnErrorErr::Response(message) => {
                Self::Unavailable { message }
            }
            _ => Self::Internal,
        }
    }
}

/// Why a login was refused, as a plain form post (before WASM loads) is sent back to the
/// login page: `/login?failed=<code>`. Only these fixed words travel in the URL, so a link
/// cannot put text of its own on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginRefusal {
    Throttled,
    NotEmployed,
    Busy,
    Invalid,
}

impl LoginRefusal {
    /// The login page's query parameter that carries the code.
    pub const PARAMETER: &'static str = "failed";

    /// The refusal `error` is, if the login was refused (not failed for another reason,
    /// such as the database being down).
    pub fn of(error: &ConsoleError) -> Option<Self> {
        match error {
            ConsoleError::TooManyAttempts { .. } => Some(Self::Throttled),
            ConsoleError::NotEmployed => Some(Self::NotEmployed),
            ConsoleError::Busy { .. } => Some(Self::Busy),
            ConsoleError::InvalidCredentials => Some(Self::Invalid),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Throttled => "throttled",
            Self::NotEmployed => "not_employed",
            Self::Busy => "busy",
            Self::Invalid => "1",
        }
    }

    /// Unknown codes read as a plain failure.
    pub fn from_code(code: &str) -> Self {
        [Self::Throttled, Self::NotEmployed, Self::Busy]
            .into_iter()
            .find(|refusal| refusal.code() == code)
            .unwrap_or(Self::Invalid)
    }
}
