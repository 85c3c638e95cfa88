//! The audit log's events, as the console shows them.

use serde::{Deserialize, Serialize};

/// What the audit log records. Stored by its [`AuditAction::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    TokenCreated,
    TokenRemoved,
    TokenDeleted,
    /// Revoked through `POST /api/v1/revoke` by whoever held it.
    TokenRevokedByHolder,
    AllowedAddressesChanged,
    TokenRotated,
    LoginSucceeded,
    LoginFailed,
    /// The first refusal of a block of logins (per login or per address).
    LoginThrottled,
    Logout,
    FlagEnabled,
    FlagDisabled,
    UserAdded,
    UserChanged,
}

impl AuditAction {
    pub const ALL: [Self; 14] = [
        Self::TokenCreated,
        Self::TokenRemoved,
        Self::TokenDeleted,
        Self::TokenRevokedByHolder,
        Self::AllowedAddressesChanged,
        Self::TokenRotated,
        Self::LoginSucceeded,
        Self::LoginFailed,
        Self::LoginThrottled,
        Self::Logout,
        Self::FlagEnabled,
        Self::FlagDisabled,
        Self::UserAdded,
        Self::UserChanged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::TokenCreated => "token_created",
            Self::TokenRemoved => "token_removed",
            Self::TokenDeleted => "token_deleted",
            Self::TokenRevokedByHolder => "token_revoked_by_holder",
            Self::AllowedAddressesChanged => "allowed_addresses_changed",
            Self::TokenRotated => "token_rotated",
            Self::LoginSucceeded => "login_succeeded",
            Self::LoginFailed => "login_failed",
            Self::LoginThrottled => "login_throttled",
            Self::Logout => "logout",
            Self::FlagEnabled => "flag_enabled",
            Self::FlagDisabled => "flag_disabled",
            Self::UserAdded => "user_added",
            Self::UserChanged => "user_changed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// Local time, to the second.
    pub at: String,
    pub action: AuditAction,
    pub actor: String,
    pub client: String,
    pub target: String,
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    pub total: u64,
}
