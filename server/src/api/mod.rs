//! The public API (`/api/v1`): its routes and its OpenAPI 3.1 description come from one list
//! ([`routes`]), so no route is served without being described.

use std::sync::LazyLock;

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::IntoResponse;
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::bearer::ApiCaller;
use crate::revoke;
use crate::web::AppState;

#[cfg(test)]
mod tests;

pub const ME_PATH: &str = "/api/v1/me";
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";
/// The security scheme's name in the document.
const BEARER: &str = "bearer";

/// Every `/api/v1` route, with its description.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me))
        .routes(routes!(revoke::revoke))
        .routes(routes!(openapi_json))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jetons API",
        description = "The API that third-party applications call with an API token made in the \
            administration console (Security > API tokens). Refusals of a bearer call follow RFC \
            6750: a JSON body {\"error\", \"error_description\"} and a WWW-Authenticate challenge."
    ),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                BEARER,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("jet_…")
                        .description(Some(
                            "An API token, sent as Authorization: Bearer <token> (RFC 6750).",
                        ))
                        .build(),
                ),
            );
    }
}

/// A refused call's body (RFC 6750 §3, RFC 7009 §2.2.1).
#[derive(serde::Serialize, ToSchema)]
pub struct ErrorBody<'a> {
    /// `invalid_request`, `invalid_token`, `unauthorized` (no token sent),
    /// `too_many_requests` or `temporarily_unavailable`.
    #[schema(example = "invalid_token")]
    pub error: &'a str,
    /// What went wrong, for a person to read.
    pub error_description: &'a str,
}

#[derive(serde::Serialize, ToSchema)]
struct Me<'a> {
    /// The technical user's login.
    login: &'a str,
    name: &'a str,
    token: MeToken<'a>,
}

#[derive(serde::Serialize, ToSchema)]
struct MeToken<'a> {
    name: &'a str,
    /// The token works through this day, in the server's time zone.
    expiration_date: chrono::NaiveDate,
}

/// Who the bearer token belongs to.
#[utoipa::path(
    get,
    path = ME_PATH,
    tag = "API",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token's technical user and the token.", body = Me,
            headers(("Jetons-Token-Expires" = String,
                description = "The token's expiration date (YYYY-MM-DD); on every authenticated answer."))),
        (status = 400, description = "invalid_request: the Authorization header is malformed.",
            body = ErrorBody,
            headers(("WWW-Authenticate" = String,
                description = "Bearer realm=\"jetons\", error=\"invalid_request\", error_description=\"…\""))),
        (status = 401, description = "No token was sent (error unauthorized, bare challenge), or \
            invalid_token: the token is unknown, expired, removed, rotated, its user is no longer \
            a technical user working in the company, the caller's address is not allowed, or API \
            tokens are disabled on this server.",
            body = ErrorBody,
            headers(("WWW-Authenticate" = String,
                description = "Bearer realm=\"jetons\", error=\"invalid_token\", error_description=\"…\" (no token sent: Bearer realm=\"jetons\")"))),
        (status = 429, description = "too_many_requests: too many refused tokens from this address.",
            body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait."),
                ("WWW-Authenticate" = String, description = "Bearer realm=\"jetons\""))),
        (status = 503, description = "temporarily_unavailable: tokens cannot be checked right now.",
            body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait."),
                ("WWW-Authenticate" = String, description = "Bearer realm=\"jetons\""))),
    )
)]
async fn me(caller: ApiCaller) -> impl IntoResponse {
    let me = Json(Me {
        login: caller.login(),
        name: caller.name(),
        token: MeToken {
            name: caller.token_name(),
            expiration_date: caller.expires_on(),
        },
    });
    (
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        caller.expiry_header(),
        me,
    )
        .into_response()
}

/// The document, made once.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    routes().into_openapi().to_json().unwrap_or_else(|e| {
        serde_json::json!({ "error": format!("the description could not be written: {e}") })
            .to_string()
    })
});

/// This description of the API (OpenAPI 3.1).
#[utoipa::path(
    get,
    path = OPENAPI_PATH,
    tag = "API",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document.",
        content_type = "application/json", body = serde_json::Value))
)]
async fn openapi_json() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        DOCUMENT.as_str(),
    )
}
