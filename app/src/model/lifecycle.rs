//! A token's life after its creation: why it was removed, and how a rotation lets the old one
//! overlap its replacement.

use serde::{Deserialize, Serialize};

/// What the audit log names as the target of an event on a token.
pub fn token_target(owner_login: &str, name: &str) -> String {
    format!("{owner_login} › {name}")
}

/// How long a rotated token keeps working beside its replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RotationOverlap {
    Immediately,
    OneHour,
    OneDay,
    SevenDays,
}

impl RotationOverlap {
    pub const ALL: [Self; 4] = [
        Self::Immediately,
        Self::OneHour,
        Self::OneDay,
        Self::SevenDays,
    ];

    /// The form's value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Immediately => "0",
            Self::OneHour => "1h",
            Self::OneDay => "24h",
            Self::SevenDays => "7d",
        }
    }

    /// Empty means [`Self::Immediately`].
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "" => Some(Self::Immediately),
            code => Self::ALL.into_iter().find(|overlap| overlap.code() == code),
        }
    }

    /// How the rotate dialog names it.
    pub fn text(self) -> crate::texts::Text {
        use crate::texts::Text;
        match self {
            Self::Immediately => Text::OverlapImmediately,
            Self::OneHour => Text::OverlapOneHour,
            Self::OneDay => Text::OverlapOneDay,
            Self::SevenDays => Text::OverlapSevenDays,
        }
    }

    pub fn seconds(self) -> i64 {
        match self {
            Self::Immediately => 0,
            Self::OneHour => 3600,
            Self::OneDay => 24 * 3600,
            Self::SevenDays => 7 * 24 * 3600,
        }
    }
}

/// Why a removed token was removed, when it was not an administrator's Remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemovalReason {
    /// Its holder revoked it (`POST /api/v1/revoke`).
    Holder,
    /// It was replaced by rotation.
    Rotated,
}

impl RemovalReason {
    pub const ALL: [Self; 2] = [Self::Holder, Self::Rotated];

    /// As stored (`api_tokens.removal_reason`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Holder => "holder",
            Self::Rotated => "rotated",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }
}
