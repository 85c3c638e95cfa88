//! The tokens table: the bearer path's one indexed query by token hash (on a cache miss), a
//! token's row as the console shows it, and the writes (create, remove, delete), each with its
//! audit event in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use app::backend::StoreError;
use app::backend::{
    AuditRecord, Author, InsertOutcome, NewToken, PersonRecord, RemoveOutcome, StoreResult,
    TokenRecord,
};
use app::domain::{Allowlist, TokenHash, FLAG_DOMAIN, FLAG_LABEL};
use app::model::RemovalReason;

use super::audit::insert_audit;
use super::people::{EmploymentRow, PersonRow, PERSON_COLUMNS};
use super::token_cache::Invalidation;
use super::{db_error, is_unique_violation, to_date, to_instant, Db};

#[derive(Debug, Clone)]
pub struct TokenOwnerRow {
    pub token_id: i64,
    pub token_name: String,
    pub expires_on: NaiveDate,
    pub removed_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub removal_reason: Option<RemovalReason>,
    pub allowed: Allowlist,
    pub owner: PersonRecord,
}

/// The token half of the bearer lookup's row (there when the hash matched a token).
#[derive(FromRow)]
struct BearerTokenRow {
    token_id: i64,
    token_name: String,
    expires_on: String,
    removed_at: Option<i64>,
    last_used_at: Option<i64>,
    removal_reason: Option<String>,
    allowed_addresses: Option<String>,
    #[sqlx(flatten)]
    owner: PersonRow,
}

impl BearerTokenRow {
    fn into_token(self) -> StoreResult<TokenOwnerRow> {
        Ok(TokenOwnerRow {
            token_id: self.token_id,
            token_name: self.token_name,
            expires_on: to_date(&self.expires_on)?,
            removed_at: self.removed_at.map(to_instant).transpose()?,
            last_used_at: self.last_used_at.map(to_instant).transpose()?,
            removal_reason: self
                .removal_reason
                .as_deref()
                .map(read_reason)
                .transpose()?,
            allowed: read_allowlist(self.allowed_addresses.as_deref())?,
            owner: self.owner.into_person()?,
        })
    }
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
             t.removed_at, t.last_used_at, t.removal_reason, t.allowed_addresses, {PERSON_COLUMNS} \
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
            Some(_) => Some(
                BearerTokenRow::from_row(&row)
                    .map_err(db_error)?
                    .into_token()?,
            ),
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

fn read_reason(code: &str) -> StoreResult<RemovalReason> {
    RemovalReason::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown removal reason {code:?}")))
}

pub(super) fn read_allowlist(stored: Option<&str>) -> StoreResult<Allowlist> {
    stored.map_or(Ok(Allowlist::default()), |text| {
        Allowlist::parse(text)
            .map_err(|e| StoreError::Corrupt(format!("allowed addresses {text:?}: {e}")))
    })
}

/// What [`token_from_row`] reads: `t` the token, `o` its owner, `c` its creator (when a person
/// of the console created it, see [`CREATOR_JOIN`]).
pub(super) const TOKEN_COLUMNS: &str =
    "SELECT t.id, o.login AS owner_login, o.name AS owner_name, t.name, t.hint, \
     t.created_at, COALESCE(c.login, t.created_by_operator) AS created_by, t.expires_on, t.removed_at, t.removal_reason, \
     t.allowed_addresses, t.last_used_at, t.last_used_from, o.technical, o.employed_from, o.employed_until";
/// The person who created a token in the console; none for an operator's token.
pub(super) const CREATOR_JOIN: &str = " LEFT JOIN people c ON c.id = t.created_by";
const TOKEN_FROM: &str = "FROM api_tokens t JOIN people o ON o.id = t.owner_id";

/// The columns of [`TOKEN_COLUMNS`].
#[derive(FromRow)]
struct TokenRecordRow {
    id: i64,
    owner_login: String,
    owner_name: String,
    name: String,
    hint: String,
    created_at: i64,
    created_by: String,
    expires_on: String,
    removed_at: Option<i64>,
    removal_reason: Option<String>,
    allowed_addresses: Option<String>,
    last_used_at: Option<i64>,
    last_used_from: Option<String>,
    #[sqlx(flatten)]
    owner_employment: EmploymentRow,
}

pub(super) fn token_from_row(row: &AnyRow) -> StoreResult<TokenRecord> {
    let row = TokenRecordRow::from_row(row).map_err(db_error)?;
    Ok(TokenRecord {
        id: row.id,
        owner_login: row.owner_login,
        owner_name: row.owner_name,
        name: row.name,
        hint: row.hint,
        created_at: to_instant(row.created_at)?,
        created_by: row.created_by,
        expires_on: to_date(&row.expires_on)?,
        removed_at: row.removed_at.map(to_instant).transpose()?,
        removal_reason: row.removal_reason.as_deref().map(read_reason).transpose()?,
        allowed: read_allowlist(row.allowed_addresses.as_deref())?,
        owner_employment: row.owner_employment.into_employment()?,
        last_used_at: row.last_used_at.map(to_instant).transpose()?,
        last_used_from: row.last_used_from,
    })
}

impl Db {
    pub(super) async fn token_by_id(&self, id: i64) -> StoreResult<Option<TokenRecord>> {
        let row = sqlx::query(&format!(
            "{TOKEN_COLUMNS} {TOKEN_FROM}{CREATOR_JOIN} WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        row.as_ref().map(token_from_row).transpose()
    }

    /// The token and its audit event, in one transaction; a name its owner already uses is
    /// refused by the unique index.
    pub(super) async fn insert_token_row(
        &self,
        token: NewToken,
        audit: AuditRecord,
    ) -> StoreResult<InsertOutcome> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        let inserted = insert_new(&mut tx, &token).await;
        let id = match inserted {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => return Ok(InsertOutcome::NameTaken),
            Err(e) => return Err(db_error(e)),
        };
        insert_audit(&mut *tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(InsertOutcome::Inserted(id))
    }

    /// Marks the token removed (it stops at once, on every instance; a rotated one still in
    /// its overlap too), with its audit event.
    pub(super) async fn remove_token_row(
        &self,
        id: i64,
        by: Author,
        audit: AuditRecord,
    ) -> StoreResult<RemoveOutcome> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        let removed: Option<String> = sqlx::query_scalar(
            "UPDATE api_tokens SET removed_at = $1, removed_by = $2, removal_reason = NULL \
             WHERE id = $3 AND (removed_at IS NULL OR removed_at > $1) RETURNING token_hash",
        )
        .bind(audit.at.timestamp())
        .bind(by.person())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        if let Some(hash) = removed {
            self.commit_stop(tx, Invalidation::Token(hash), &audit)
                .await?;
            return Ok(RemoveOutcome::Removed);
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM api_tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
        Ok(if exists.is_some() {
            RemoveOutcome::AlreadyRemoved
        } else {
            RemoveOutcome::NotFound
        })
    }

    /// Deletes the token's row (it stops at once, on every instance), with its audit event.
    pub(super) async fn delete_token_row(&self, id: i64, audit: AuditRecord) -> StoreResult<bool> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        let deleted: Option<String> =
            sqlx::query_scalar("DELETE FROM api_tokens WHERE id = $1 RETURNING token_hash")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        let Some(hash) = deleted else {
            return Ok(false);
        };
        self.commit_stop(tx, Invalidation::Token(hash), &audit)
            .await?;
        Ok(true)
    }

    /// Ends a write that stopped a token: the stop goes to every instance, the audit event
    /// into the same transaction, and once committed this instance's cache forgets the token.
    pub(super) async fn commit_stop(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        stopped: Invalidation,
        audit: &AuditRecord,
    ) -> StoreResult<()> {
        self.publish(&mut tx, &stopped, audit.at.timestamp())
            .await?;
        insert_audit(&mut *tx, audit).await?;
        tx.commit().await.map_err(db_error)?;
        self.applied(&stopped);
        Ok(())
    }
}

/// The insert of a new token, in `tx`.
pub(super) async fn insert_new(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    token: &NewToken,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO api_tokens (owner_id, name, token_hash, hint, created_at, created_by, \
         created_by_operator, expires_on, allowed_addresses) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(token.owner_id)
    .bind(token.name.as_str().to_owned())
    .bind(token.hash.as_str().to_owned())
    .bind(token.hint.clone())
    .bind(token.created_at.timestamp())
    .bind(token.created_by.person())
    .bind(token.created_by.operator().map(str::to_owned))
    .bind(token.expires_on.to_string())
    .bind(token.allowed.listed())
    .fetch_one(&mut **tx)
    .await
}
