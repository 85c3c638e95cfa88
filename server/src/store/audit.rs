//! The audit log: written in the same transaction as the change it records.

use sqlx::{Any, Executor};

use app::backend::{AuditRecord, StoreError, StoreResult, StoredAudit};
use app::model::AuditAction;

use super::{db_error, to_instant, Db};

pub(crate) async fn insert_audit<'e, E>(executor: E, audit: &AuditRecord) -> StoreResult<()>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO audit_events (at, action, actor, client, target) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(audit.at.timestamp())
    .bind(audit.action.code())
    .bind(audit.actor.clone())
    .bind(audit.client.clone())
    .bind(audit.target.clone())
    .execute(executor)
    .await
    .map_err(db_error)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    action: String,
    actor: String,
    client: String,
    target: String,
}

impl AuditRow {
    fn into_stored(self) -> StoreResult<StoredAudit> {
        let action = AuditAction::from_code(&self.action).ok_or_else(|| {
            StoreError::Corrupt(format!("unknown audit action {:?}", self.action))
        })?;
        Ok(StoredAudit {
            id: self.id,
            record: AuditRecord {
                at: to_instant(self.at)?,
                action,
                actor: self.actor,
                client: self.client,
                target: self.target,
            },
        })
    }
}

impl Db {
    pub async fn audit_page(
        &self,
        offset: u64,
        limit: u32,
    ) -> StoreResult<(Vec<StoredAudit>, u64)> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
            .fetch_one(&self.pool)
            .await
            .map_err(db_error)?;
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows = sqlx::query_as::<_, AuditRow>(
            "SELECT id, at, action, actor, client, target FROM audit_events \
             ORDER BY id DESC LIMIT $1 OFFSET $2",
        )
        .bind(i64::from(limit))
        .bind(offset)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        let events = rows
            .into_iter()
            .map(AuditRow::into_stored)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((events, u64::try_from(total).unwrap_or(0)))
    }
}
