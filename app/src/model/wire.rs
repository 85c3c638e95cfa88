//! Reading a [`ConsoleError`] back from its JSON (`{"error": "not_found", "message": …}`), as
//! the browser does for every server function's refusal. Written out rather than derived: a
//! derived decoder of an internally tagged enum buffers the whole object generically, which
//! weighs several kilobytes in the WASM bundle.

use serde::{Deserialize, Deserializer};

use super::{ConsoleError, FieldError};

/// Every field any variant has; the tag says which ones count.
#[derive(Deserialize)]
struct Fields {
    error: String,
    #[serde(default)]
    errors: Vec<FieldError>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    retry_after: u64,
}

impl<'de> Deserialize<'de> for ConsoleError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Fields {
            error,
            errors,
            message,
            retry_after,
        } = Fields::deserialize(deserializer)?;
        Ok(match error.as_str() {
            "not_logged_in" => Self::NotLoggedIn,
            "invalid_credentials" => Self::InvalidCredentials,
            "forbidden" => Self::Forbidden,
            "feature_disabled" => Self::FeatureDisabled,
            "not_employed" => Self::NotEmployed,
            "invalid" => Self::Invalid { errors },
            "not_found" => Self::NotFound { message },
            "conflict" => Self::Conflict { message },
            "bad_request" => Self::BadRequest { message },
            "unavailable" => Self::Unavailable { message },
            "cross_origin" => Self::CrossOrigin,
            "too_many_attempts" => Self::TooManyAttempts { retry_after },
            "busy" => Self::Busy { retry_after },
            "method_not_allowed" => Self::MethodNotAllowed,
            "too_large" => Self::TooLarge,
            "too_slow" => Self::TooSlow,
            "database_unavailable" => Self::DatabaseUnavailable { retry_after },
            "internal" => Self::Internal,
            _ => Self::UnreadableAnswer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Field;

    #[test]
    fn every_error_reads_back_as_it_was_written() {
        let message = || "a message".to_owned();
        let all = [
            ConsoleError::NotLoggedIn,
            ConsoleError::InvalidCredentials,
            ConsoleError::Forbidden,
            ConsoleError::FeatureDisabled,
            ConsoleError::NotEmployed,
            ConsoleError::Invalid {
                errors: vec![FieldError {
                    field: Field::AllowedAddresses,
                    message: message(),
                }],
            },
            ConsoleError::NotFound { message: message() },
            ConsoleError::Conflict { message: message() },
            ConsoleError::BadRequest { message: message() },
            ConsoleError::Unavailable { message: message() },
            ConsoleError::CrossOrigin,
            ConsoleError::UnreadableAnswer,
            ConsoleError::TooManyAttempts { retry_after: 7 },
            ConsoleError::Busy { retry_after: 2 },
            ConsoleError::MethodNotAllowed,
            ConsoleError::TooLarge,
            ConsoleError::TooSlow,
            ConsoleError::DatabaseUnavailable { retry_after: 5 },
            ConsoleError::Internal,
        ];
        for error in all {
            let json = serde_json::to_string(&error).expect("written");
            let read: ConsoleError = serde_json::from_str(&json).expect("read");
            assert_eq!(read, error, "{json}");
        }
    }

    #[test]
    fn an_unknown_answer_reads_as_unreadable() {
        let read: ConsoleError =
            serde_json::from_str(r#"{"error":"from_the_future","x":1}"#).expect("read");
        assert_eq!(read, ConsoleError::UnreadableAnswer);
    }
}
