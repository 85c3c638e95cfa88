//! Operator commands: people, rights, feature flags, demo data.

use chrono::{DateTime, NaiveDate, Utc};

use app::backend::{AuditRecord, PersonRecord, StoreError};
use app::domain::{Employment, CONSOLE_RIGHT, FLAG_DOMAIN, FLAG_LABEL};
use app::model::AuditAction;

use super::token_cache::Invalidation;
use super::{db_error, flag, is_unique_violation, Db};

/// Where the audit log says operator commands come from.
pub const CLI_CLIENT: &str = "local (CLI)";
pub(super) const DEMO_ACTOR: &str = "demo data";

/// A person's situation as the audit log words it.
fn describe(employment: &Employment) -> String {
    let kind = if employment.technical {
        "technical user"
    } else {
        "not a technical user"
    };
    let until = employment
        .end
        .map_or_else(|| "no end date".to_owned(), |end| format!("until {end}"));
    format!("{kind}, employed from {} ({until})", employment.start)
}

pub(super) fn operator_audit(
    now: DateTime<Utc>,
    action: AuditAction,
    actor: &str,
    target: String,
) -> AuditRecord {
    AuditRecord {
        at: now,
        action,
        actor: actor.to_owned(),
        client: CLI_CLIENT.to_owned(),
        target,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("a person with login {0:?} already exists")]
    LoginTaken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub login: String,
    pub name: String,
    pub technical: bool,
    pub employed_from: NaiveDate,
    pub employed_until: Option<NaiveDate>,
    pub rights: Vec<String>,
    pub password_hash: Option<String>,
}

/// What `server user set` changes about a person (nothing, where empty or `None`).
#[derive(Debug, Default)]
pub struct PersonChange {
    pub employment: Option<Employment>,
    pub grant: Vec<String>,
    pub revoke: Vec<String>,
    pub revoke_all: bool,
    pub clear_password: bool,
}

pub enum DemoOutcome {
    Seeded { admin_login: String },
    AlreadyPopulated,
}

impl Db {
    pub async fn add_person(
        &self,
        person: &NewPerson,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<i64, OperatorError> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO people (login, name, technical, employed_from, employed_until, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(person.login.clone())
        .bind(person.name.clone())
        .bind(flag(person.technical))
        .bind(person.employed_from.to_string())
        .bind(person.employed_until.map(|d| d.to_string()))
        .bind(person.password_hash.clone())
        .bind(now.timestamp())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                OperatorError::LoginTaken(person.login.clone())
            } else {
                OperatorError::Store(db_error(e))
            }
        })?;
        for right in &person.rights {
            sqlx::query(
                "INSERT INTO person_rights (person_id, right_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(right.clone())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        let employment = Employment {
            technical: person.technical,
            start: person.employed_from,
            end: person.employed_until,
        };
        let mut details = describe(&employment);
        if !person.rights.is_empty() {
            details.push_str(&format!(", rights {}", person.rights.join(" ")));
        }
        if person.password_hash.is_some() {
            details.push_str(", may log in");
        }
        let audit = operator_audit(
            now,
            AuditAction::UserAdded,
            actor,
            format!("{}: {details}", person.login),
        );
        super::audit::insert_audit(&mut *tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(id)
    }

    /// Applies `change` to `person` and ends every console session of theirs, with its audit
    /// event, in one transaction. Returns how many sessions ended.
    pub async fn change_person(
        &self,
        person: &PersonRecord,
        change: &PersonChange,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<u64, StoreError> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        let mut details = Vec::new();
        if let Some(employment) = &change.employment {
            sqlx::query(
                "UPDATE people SET technical = $1, employed_from = $2, employed_until = $3 WHERE id = $4",
            )
            .bind(flag(employment.technical))
            .bind(employment.start.to_string())
            .bind(employment.end.map(|d| d.to_string()))
            .bind(person.id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            details.push(describe(employment));
        }
        for right in &change.grant {
            sqlx::query(
                "INSERT INTO person_rights (person_id, right_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(person.id)
            .bind(right.clone())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            details.push(format!("right {right} granted"));
        }
        if change.revoke_all {
            sqlx::query("DELETE FROM person_rights WHERE person_id = $1")
                .bind(person.id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            details.push("every right revoked".to_owned());
        }
        for right in &change.revoke {
            sqlx::query("DELETE FROM person_rights WHERE person_id = $1 AND right_code = $2")
                .bind(person.id)
                .bind(right.clone())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            details.push(format!("right {right} revoked"));
        }
        if change.clear_password {
            sqlx::query("UPDATE people SET password_hash = NULL WHERE id = $1")
                .bind(person.id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            details.push("password cleared".to_owned());
        }
        let ended = sqlx::query("DELETE FROM console_sessions WHERE person_id = $1")
            .bind(person.id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        details.push(format!("console sessions ended: {ended}"));
        let target = format!("{}: {}", person.login, details.join("; "));
        let audit = operator_audit(now, AuditAction::UserChanged, actor, target);
        super::audit::insert_audit(&mut *tx, &audit).await?;
        let stopped = Invalidation::Owner(person.id);
        if change.employment.is_some() {
            self.publish(&mut tx, &stopped, now.timestamp()).await?;
        }
        tx.commit().await.map_err(db_error)?;
        if change.employment.is_some() {
            self.applied(&stopped);
        }
        Ok(ended)
    }

    pub async fn set_flag(
        &self,
        domain: &str,
        label: &str,
        enabled: bool,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        sqlx::query(
            "INSERT INTO feature_flags (domain, label, enabled, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (domain, label) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
        )
        .bind(domain.to_owned())
        .bind(label.to_owned())
        .bind(flag(enabled))
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let action = if enabled {
            AuditAction::FlagEnabled
        } else {
            AuditAction::FlagDisabled
        };
        let audit = operator_audit(now, action, actor, format!("{domain} > {label}"));
        super::audit::insert_audit(&mut *tx, &audit).await?;
        self.publish(&mut tx, &Invalidation::All, now.timestamp())
            .await?;
        tx.commit().await.map_err(db_error)?;
        self.applied(&Invalidation::All);
        Ok(())
    }

    /// Seeds an empty database: an administrator, three technical users in different
    /// situations, a person who is not technical, the feature flag enabled, and a token in
    /// each state (see `demo_tokens`).
    pub async fn seed_demo(
        &self,
        admin_password_hash: String,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<DemoOutcome, OperatorError> {
        let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people")
            .fetch_one(&self.pool)
            .await
            .map_err(db_error)?;
        if people > 0 {
            return Ok(DemoOutcome::AlreadyPopulated);
        }
        let years_ago = |years: i32| today.with_year_offset(years);
        let demo = [
            NewPerson {
                login: "admin".into(),
                name: "Ada Admin".into(),
                technical: false,
                employed_from: years_ago(-5),
                employed_until: None,
                rights: vec![CONSOLE_RIGHT.to_owned()],
                password_hash: Some(admin_password_hash),
            },
            NewPerson {
                login: "svc-billing".into(),
                name: "Billing connector".into(),
                technical: true,
                employed_from: years_ago(-2),
                employed_until: None,
                rights: Vec::new(),
                password_hash: None,
            },
            NewPerson {
                login: "svc-crm-sync".into(),
                name: "CRM synchronisation".into(),
                technical: true,
                employed_from: years_ago(-1),
                employed_until: Some(years_ago(3)),
                rights: Vec::new(),
                password_hash: None,
            },
            NewPerson {
                login: "svc-legacy-export".into(),
                name: "Legacy export (left)".into(),
                technical: true,
                employed_from: years_ago(-4),
                employed_until: Some(years_ago(-1)),
                rights: Vec::new(),
                password_hash: None,
            },
            NewPerson {
                login: "jdupont".into(),
                name: "Jeanne Dupont".into(),
                technical: false,
                employed_from: years_ago(-3),
                employed_until: None,
                rights: Vec::new(),
                password_hash: None,
            },
        ];
        for person in &demo {
            self.add_person(person, now, DEMO_ACTOR).await?;
        }
        self.set_flag(FLAG_DOMAIN, FLAG_LABEL, true, now, DEMO_ACTOR)
            .await?;
        self.seed_demo_tokens(today, now).await?;
        Ok(DemoOutcome::Seeded {
            admin_login: "admin".into(),
        })
    }
}

trait YearOffset {
    fn with_year_offset(self, years: i32) -> NaiveDate;
}

impl YearOffset for NaiveDate {
    fn with_year_offset(self, years: i32) -> NaiveDate {
        let months = chrono::Months::new(years.unsigned_abs() * 12);
        let shifted = if years >= 0 {
            self.checked_add_months(months)
        } else {
            self.checked_sub_months(months)
        };
        shifted.unwrap_or(self)
    }
}
