//! Changes to a live token besides Remove and Delete: rotation, revocation by its holder, and
//! its allowed addresses. Each stops or changes the token on every instance at once, with its
//! audit event, in one transaction.

use chrono::{DateTime, Utc};

use app::backend::{AuditRecord, NewToken, RotateOutcome, StoreResult};
use app::domain::{Allowlist, TokenHash};
use app::model::RemovalReason;

use super::token_cache::Invalidation;
use super::tokens::insert_new;
use super::{db_error, is_unique_violation, Db};

impl Db {
    /// Rotation: the old token stops at `old_stops_at`, marked removed by rotation, and the new
    /// one is inserted, with the audit event, in one transaction. Every instance forgets what
    /// it knew of the old token at once (it then stops at `old_stops_at`).
    pub(super) async fn rotate_token_rows(
        &self,
        old_id: i64,
        by: i64,
        old_stops_at: DateTime<Utc>,
        new: NewToken,
        audit: AuditRecord,
    ) -> StoreResult<RotateOutcome> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        let replaced: Option<String> = sqlx::query_scalar(
            "UPDATE api_tokens SET removed_at = $1, removed_by = $2, removal_reason = $3 \
             WHERE id = $4 AND removed_at IS NULL RETURNING token_hash",
        )
        .bind(old_stops_at.timestamp())
        .bind(by)
        .bind(RemovalReason::Rotated.code())
        .bind(old_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some(old_hash) = replaced else {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM api_tokens WHERE id = $1")
                .bind(old_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
            return Ok(if exists.is_some() {
                RotateOutcome::AlreadyRemoved
            } else {
                RotateOutcome::NotFound
            });
        };
        let id = match insert_new(&mut tx, &new).await {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => return Ok(RotateOutcome::NameTaken),
            Err(e) => return Err(db_error(e)),
        };
        self.commit_stop(tx, Invalidation::Token(old_hash), &audit)
            .await?;
        Ok(RotateOutcome::Rotated(id))
    }

    /// Revokes the token with this hash for whoever holds it (it stops at once, on every
    /// instance; a rotated one still in its overlap too), with its audit event, made from the
    /// token's owner login and name. `None` when no working token has this hash.
    pub async fn revoke_by_holder(
        &self,
        hash: &TokenHash,
        now: DateTime<Utc>,
        audit: impl FnOnce(&str, &str) -> AuditRecord,
    ) -> StoreResult<Option<i64>> {
        // Looked up first: an unknown token takes no write lock.
        let found: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT t.id, p.login, t.name FROM api_tokens t JOIN people p ON p.id = t.owner_id \
             WHERE t.token_hash = $1 AND (t.removed_at IS NULL OR t.removed_at > $2)",
        )
        .bind(hash.as_str().to_owned())
        .bind(now.timestamp())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        let Some((id, owner_login, name)) = found else {
            return Ok(None);
        };
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        let audit = audit(&owner_login, &name);
        let updated = sqlx::query(
            "UPDATE api_tokens SET removed_at = $1, removal_reason = $2 \
             WHERE id = $3 AND (removed_at IS NULL OR removed_at > $4)",
        )
        .bind(audit.at.timestamp())
        .bind(RemovalReason::Holder.code())
        .bind(id)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if updated.rows_affected() == 0 {
            return Ok(None);
        }
        self.commit_stop(tx, Invalidation::Token(hash.as_str().to_owned()), &audit)
            .await?;
        Ok(Some(id))
    }

    /// Replaces the token's allowed addresses (every instance forgets what it knew of the
    /// token at once), with its audit event.
    pub(super) async fn set_allowed_addresses_row(
        &self,
        id: i64,
        allowed: Allowlist,
        audit: AuditRecord,
    ) -> StoreResult<bool> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        let changed: Option<String> = sqlx::query_scalar(
            "UPDATE api_tokens SET allowed_addresses = $1 WHERE id = $2 RETURNING token_hash",
        )
        .bind(allowed.listed())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some(hash) = changed else {
            return Ok(false);
        };
        self.commit_stop(tx, Invalidation::Token(hash), &audit)
            .await?;
        Ok(true)
    }
}
