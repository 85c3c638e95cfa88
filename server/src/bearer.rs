//! `Authorization: Bearer <token>` for API resources (RFC 6750). Any route protected by one
//! extractor argument: `async fn handler(caller: ApiCaller) -> ...`.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use chrono_tz::Tz;

use app::backend::Clock;
use app::domain::{rules, TokenSecret};

use crate::store::Db;

pub const REALM: &str = "jetons";

/// What a valid bearer token proves: which technical user is calling, with which token.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub token_id: i64,
    pub token_name: String,
    pub expires_on: NaiveDate,
    pub login: String,
    pub name: String,
}

/// The state the extractor needs; part of the app state.
#[derive(Clone)]
pub struct BearerAuth {
    pub db: Db,
    pub clock: Clock,
    pub zone: Tz,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BearerError {
    /// No bearer credentials at all: a bare challenge, no error code (RFC 6750 §3.1).
    Missing,
    InvalidRequest(&'static str),
    InvalidToken(&'static str),
    Unavailable,
}

/// Reads the one bearer token of a request. Pure: no I/O.
pub fn parse_authorization(headers: &HeaderMap) -> Result<TokenSecret, BearerError> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Err(BearerError::Missing);
    };
    if values.next().is_some() {
        return Err(BearerError::InvalidRequest(
            "More than one Authorization header.",
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| BearerError::InvalidRequest("The Authorization header is not ASCII."))?;
    let scheme_end = value.find([' ', '\t', ',']).unwrap_or(value.len());
    let (scheme, rest) = value.split_at(scheme_end);
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(BearerError::Missing);
    }
    let credentials = rest.trim_start_matches([' ', '\t']);
    if credentials.is_empty() {
        return Err(BearerError::InvalidRequest("No token after Bearer."));
    }
    if credentials.len() == rest.len() {
        return Err(BearerError::InvalidRequest(
            "The Authorization header must be: Bearer <token>.",
        ));
    }
    let token68 = credentials
        .trim_end_matches('=')
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/'));
    if !token68 {
        return Err(BearerError::InvalidRequest(
            "The Authorization header must be: Bearer <token>.",
        ));
    }
    TokenSecret::parse(credentials)
        .map_err(|_| BearerError::InvalidToken("The token is malformed or mistyped."))
}

impl BearerAuth {
    pub async fn authenticate(&self, secret: &TokenSecret) -> Result<ApiCaller, BearerError> {
        let lookup = self
            .db
            .bearer_lookup(&secret.hash())
            .await
            .map_err(|error| {
                tracing::error!(%error, "bearer lookup failed");
                BearerError::Unavailable
            })?;
        if !lookup.feature_enabled {
            return Err(BearerError::InvalidToken(
                "API tokens are disabled on this server.",
            ));
        }
        let row = lookup
            .token
            .ok_or(BearerError::InvalidToken("The token is not valid."))?;
        let today = rules::today(self.clock.now(), self.zone);
        rules::check_usable(
            row.removed_at.is_some(),
            row.expires_on,
            &row.owner.employment,
            today,
        )
        .map_err(|reason| {
            BearerError::InvalidToken(match reason {
                rules::Unusable::Removed => "The token has been removed.",
                rules::Unusable::Expired => "The token has expired.",
                rules::Unusable::OwnerIneligible => {
                    "The token's user is no longer a technical user working in the company."
                }
            })
        })?;
        Ok(ApiCaller {
            token_id: row.token_id,
            token_name: row.token_name,
            expires_on: row.expires_on,
            login: row.owner.login,
            name: row.owner.name,
        })
    }
}

impl<S> FromRequestParts<S> for ApiCaller
where
    BearerAuth: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = BearerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let secret = parse_authorization(&parts.headers)?;
        BearerAuth::from_ref(state).authenticate(&secret).await
    }
}

impl IntoResponse for BearerError {
    fn into_response(self) -> Response {
        let (status, code, description) = match self {
            Self::Missing => (
                StatusCode::UNAUTHORIZED,
                None,
                "This API requires a token: Authorization: Bearer <token>.",
            ),
            Self::InvalidRequest(description) => (
                StatusCode::BAD_REQUEST,
                Some("invalid_request"),
                description,
            ),
            Self::InvalidToken(description) => {
                (StatusCode::UNAUTHORIZED, Some("invalid_token"), description)
            }
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                Some("temporarily_unavailable"),
                "The server cannot check tokens right now; try again later.",
            ),
        };
        let challenge = match code {
            Some(code) if status != StatusCode::SERVICE_UNAVAILABLE => format!(
                "Bearer realm=\"{REALM}\", error=\"{code}\", error_description=\"{description}\""
            ),
            _ => format!("Bearer realm=\"{REALM}\""),
        };
        let body = Json(serde_json::json!({
            "error": code.unwrap_or("unauthorized"),
            "error_description": description,
        }));
        let mut response = (status, body).into_response();
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response.headers_mut().insert(WWW_AUTHENTICATE, value);
        }
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn token() -> String {
        let mut entropy = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut entropy);
        TokenSecret::from_entropy(entropy).into_exposed()
    }

    #[test]
    fn a_well_formed_bearer_header_yields_the_token() {
        let token = token();
        for form in [
            format!("Bearer {token}"),
            format!("bearer {token}"),
            format!("BEARER   {token}"),
            format!("Bearer\t{token}"),
        ] {
            assert_eq!(
                parse_authorization(&headers(&[&form])).map(|t| t.into_exposed()),
                Ok(token.clone())
            );
        }
    }

    #[test]
    fn no_bearer_credentials_is_a_bare_challenge() {
        assert_eq!(
            parse_authorization(&headers(&[])),
            Err(BearerError::Missing)
        );
        assert_eq!(
            parse_authorization(&headers(&["Basic dXNlcjpwYXNz"])),
            Err(BearerError::Missing)
        );
    }

    #[test]
    fn malformed_requests_are_invalid_request() {
        let token = token();
        for bad in [
            &b"Bearer"[..],
            b"Bearer ",
            b"Bearer a b",
            "Bearer ä".as_bytes(),
            b"Bearer \xff",
            b"Bearer,x",
            b"bearer\t\t",
            b"Bearer x\t",
        ] {
            let mut map = HeaderMap::new();
            map.insert(AUTHORIZATION, HeaderValue::from_bytes(bad).unwrap());
            assert!(
                matches!(
                    parse_authorization(&map),
                    Err(BearerError::InvalidRequest(_))
                ),
                "{bad:?}"
            );
        }
        let two = headers(&[&format!("Bearer {token}"), &format!("Bearer {token}")]);
        assert!(matches!(
            parse_authorization(&two),
            Err(BearerError::InvalidRequest(_))
        ));
    }

    #[test]
    fn well_formed_but_wrong_tokens_are_invalid_token() {
        let mut token = token();
        token.replace_range(10..11, if &token[10..11] == "A" { "B" } else { "A" });
        for bad in [token.as_str(), "jet_short", "ghp_abcdef", "abc.def"] {
            assert!(
                matches!(
                    parse_authorization(&headers(&[&format!("Bearer {bad}")])),
                    Err(BearerError::InvalidToken(_))
                ),
                "{bad}"
            );
        }
    }
}
