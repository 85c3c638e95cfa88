//! The bearer path's database side: one indexed query by token hash, on a cache miss.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use app::backend::{PersonRecord, StoreResult};
use app::domain::{TokenHash, FLAG_DOMAIN, FLAG_LABEL};

use super::{db_error, person_from_row, to_date, Db, PERSON_COLUMNS};

#[derive(Debug, Clone)]
pub struct TokenOwnerRow {
    pub token_id: i64,
    pub token_name: String,
    pub expires_on: NaiveDate,
    pub removed_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub owner: PersonRecord,
}

#[derive(Debug, Clone)]
pub struct BearerLookup {
    /// Whether the feature flag Technique > Jetons Api is enabled.
    pub feature_enabled: bool,
    pub token: Option<TokenOwnerRow>,
}

impl Db {
    /// Validated tokens this process keeps; see [`super::TokenCache`].
    pub fn token_cache(&self) -> &super::TokenCache {
        &self.cache
    }

    pub async fn bearer_lookup(&self, hash: &TokenHash) -> StoreResult<BearerLookup> {
        let sql = format!(
            "SELECT f.enabled AS feature_enabled, t.id AS token_id, t.name AS token_name, t.expires_on, \
             t.removed_at, t.last_used_at, {PERSON_COLUMNS} \
             FROM (SELECT COALESCE(MAX(enabled), 0) AS enabled FROM feature_flags WHERE domain = $2 AND label = $3) f \
             LEFT JOIN api_tokens t ON t.token_hash = $1 \
             LEFT JOIN people p ON p.id = t.owner_id"
        );
        let row = sqlx::query(&sql)
            .bind(hash.as_str().to_owned())
            .bind(FLAG_DOMAIN)
            .bind(FLAG_LABEL)
            .fetch_one(&self.pool)
            .await
            .map_err(db_error)?;
        let feature_enabled = row.try_get::<i64, _>("feature_enabled").map_err(db_error)? == 1;
        let token_id: Option<i64> = row.try_get("token_id").map_err(db_error)?;
        let token = match token_id {
            None => None,
            Some(token_id) => {
                let removed_at: Option<i64> = row.try_get("removed_at").map_err(db_error)?;
                let last_used_at: Option<i64> = row.try_get("last_used_at").map_err(db_error)?;
                Some(TokenOwnerRow {
                    token_id,
                    token_name: row.try_get("token_name").map_err(db_error)?,
                    expires_on: to_date(
                        &row.try_get::<String, _>("expires_on").map_err(db_error)?,
                    )?,
                    removed_at: removed_at.map(super::to_instant).transpose()?,
                    last_used_at: last_used_at.map(super::to_instant).transpose()?,
                    owner: person_from_row(&row)?,
                })
            }
        };
        Ok(BearerLookup {
            feature_enabled,
            token,
        })
    }

    /// Records a use of a token, unless one was recorded since `not_after` (another instance
    /// may have written it meanwhile: the condition is in the statement).
    pub async fn record_token_use(
        &self,
        token_id: i64,
        at: DateTime<Utc>,
        from: &str,
        not_after: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1, last_used_from = $2 \
             WHERE id = $3 AND (last_used_at IS NULL OR last_used_at <= $4)",
        )
        .bind(at.timestamp())
        .bind(from.to_owned())
        .bind(token_id)
        .bind(not_after.timestamp())
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(())
    }
}
