//! The demo's tokens: one in each state the console can show (active, expiring soon, expired,
//! removed, rotated, revoked by its holder, limited to addresses, its user gone), so that a
//! first look shows what the console does. Their secrets are random and never shown: nothing can use them.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::RngCore;

use app::backend::StoreError;
use app::domain::{Allowlist, TokenName, TokenSecret};
use app::model::{token_target, AuditAction, RemovalReason};

use super::operator::{operator_audit, OperatorError, DEMO_ACTOR};
use super::{db_error, Db};

/// How a demo token ended, if it did: days ago, and why (`None`: an administrator's Remove).
type Removal = Option<(i64, Option<RemovalReason>)>;

struct DemoToken {
    owner: &'static str,
    name: &'static str,
    created_days_ago: i64,
    /// Days from today (negative: already expired).
    expires_in_days: i64,
    removal: Removal,
    allowed: &'static str,
}

const DEMO_TOKENS: [DemoToken; 9] = [
    DemoToken {
        owner: "svc-billing",
        name: "Invoice export",
        created_days_ago: 30,
        expires_in_days: 180,
        removal: None,
        allowed: "",
    },
    DemoToken {
        owner: "svc-billing",
        name: "Payment webhook",
        created_days_ago: 87,
        expires_in_days: 3,
        removal: None,
        allowed: "",
    },
    DemoToken {
        owner: "svc-crm-sync",
        name: "Nightly sync",
        created_days_ago: 12,
        expires_in_days: 90,
        removal: None,
        allowed: "10.20.0.0/16, 2001:db8:20::/48",
    },
    DemoToken {
        owner: "svc-billing",
        name: "Old importer",
        created_days_ago: 200,
        expires_in_days: -10,
        removal: None,
        allowed: "",
    },
    DemoToken {
        owner: "svc-crm-sync",
        name: "Contacts pull",
        created_days_ago: 60,
        expires_in_days: 300,
        removal: Some((5, None)),
        allowed: "",
    },
    DemoToken {
        owner: "svc-billing",
        name: "Reporting (leaked)",
        created_days_ago: 40,
        expires_in_days: 320,
        removal: Some((2, Some(RemovalReason::Holder))),
        allowed: "",
    },
    // Rotated ten days ago: the old token and its replacement, under one name.
    DemoToken {
        owner: "svc-crm-sync",
        name: "Deploy key",
        created_days_ago: 100,
        expires_in_days: 265,
        removal: Some((10, Some(RemovalReason::Rotated))),
        allowed: "",
    },
    DemoToken {
        owner: "svc-crm-sync",
        name: "Deploy key",
        created_days_ago: 10,
        expires_in_days: 355,
        removal: None,
        allowed: "",
    },
    DemoToken {
        owner: "svc-legacy-export",
        name: "Legacy feed",
        created_days_ago: 500,
        expires_in_days: 100,
        removal: None,
        allowed: "",
    },
];

impl Db {
    /// Adds the demo tokens, each with its audit events, for the demo's people (created by
    /// `admin`).
    pub(super) async fn seed_demo_tokens(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(), OperatorError> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        for token in &DEMO_TOKENS {
            let mut entropy = [0u8; app::domain::token::ENTROPY_BYTES];
            rand::rngs::OsRng.fill_bytes(&mut entropy);
            let secret = TokenSecret::from_entropy(entropy);
            let name = TokenName::parse(token.name)
                .map_err(|e| StoreError::Corrupt(format!("demo token name: {e}")))?;
            let allowed = Allowlist::parse(token.allowed)
                .map_err(|e| StoreError::Corrupt(format!("demo allowed addresses: {e}")))?;
            let created_at = now - Duration::days(token.created_days_ago);
            let expires_on = today + Duration::days(token.expires_in_days);
            let removed_at = token
                .removal
                .map(|(days_ago, _)| now - Duration::days(days_ago));
            let (removed_by, reason) = match token.removal {
                Some((_, Some(reason))) => (None, Some(reason.code())),
                Some((_, None)) => (Some("admin"), None),
                None => (None, None),
            };
            sqlx::query(
                "INSERT INTO api_tokens (owner_id, name, token_hash, hint, created_at, created_by, \
                 expires_on, removed_at, removed_by, removal_reason, allowed_addresses) \
                 SELECT o.id, $2, $3, $4, $5, a.id, $6, $7, \
                 (SELECT id FROM people WHERE login = $8), $9, $10 \
                 FROM people o, people a WHERE o.login = $1 AND a.login = 'admin'",
            )
            .bind(token.owner)
            .bind(name.as_str().to_owned())
            .bind(secret.hash().as_str().to_owned())
            .bind(secret.hint())
            .bind(created_at.timestamp())
            .bind(expires_on.to_string())
            .bind(removed_at.map(|at| at.timestamp()))
            .bind(removed_by)
            .bind(reason)
            .bind(allowed.listed())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            let target = token_target(token.owner, token.name);
            let mut events = vec![(created_at, AuditAction::TokenCreated)];
            if let (Some(at), Some((_, reason))) = (removed_at, token.removal) {
                events.push((
                    at,
                    match reason {
                        Some(RemovalReason::Holder) => AuditAction::TokenRevokedByHolder,
                        Some(RemovalReason::Rotated) => AuditAction::TokenRotated,
                        None => AuditAction::TokenRemoved,
                    },
                ));
            }
            for (at, action) in events {
                let audit = operator_audit(at, action, DEMO_ACTOR, target.clone());
                super::audit::insert_audit(&mut *tx, &audit).await?;
            }
        }
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }
}
