//! The people table: a person found by id or login (with the password hash, for a login),
//! the technical users the "User" field offers, and a person's rights.

use chrono::NaiveDate;

use app::backend::{Credentials, PersonRecord, StoreResult};
use app::domain::Employment;

use super::token_page::{case_blind_like, escape_like, LIKE_ESCAPE};
use super::{db_error, to_date, Db};

/// What [`PersonRow`] reads, from `people p`.
pub(crate) const PERSON_COLUMNS: &str =
    "p.id, p.login, p.name, p.technical, p.employed_from, p.employed_until";

/// Columns `technical, employed_from, employed_until`.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EmploymentRow {
    technical: i64,
    employed_from: String,
    employed_until: Option<String>,
}

impl EmploymentRow {
    pub(crate) fn into_employment(self) -> StoreResult<Employment> {
        Ok(Employment {
            technical: self.technical == 1,
            start: to_date(&self.employed_from)?,
            end: self.employed_until.as_deref().map(to_date).transpose()?,
        })
    }
}

/// The columns of [`PERSON_COLUMNS`].
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PersonRow {
    id: i64,
    login: String,
    name: String,
    #[sqlx(flatten)]
    employment: EmploymentRow,
}

impl PersonRow {
    pub(crate) fn into_person(self) -> StoreResult<PersonRecord> {
        Ok(PersonRecord {
            id: self.id,
            login: self.login,
            name: self.name,
            employment: self.employment.into_employment()?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
struct CredentialsRow {
    #[sqlx(flatten)]
    person: PersonRow,
    password_hash: Option<String>,
}

/// How a person is looked up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PersonKey<'a> {
    Id(i64),
    Login(&'a str),
}

impl Db {
    /// A person and their password hash (none: they may not log in).
    pub(crate) async fn find_person(&self, key: PersonKey<'_>) -> StoreResult<Option<Credentials>> {
        let column = match key {
            PersonKey::Id(_) => "id",
            PersonKey::Login(_) => "login",
        };
        let sql =
            format!("SELECT {PERSON_COLUMNS}, p.password_hash FROM people p WHERE p.{column} = $1");
        let query = sqlx::query_as::<_, CredentialsRow>(&sql);
        let query = match key {
            PersonKey::Id(id) => query.bind(id),
            PersonKey::Login(login) => query.bind(login.to_owned()),
        };
        let Some(row) = query.fetch_optional(&self.pool).await.map_err(db_error)? else {
            return Ok(None);
        };
        Ok(Some(Credentials {
            person: row.person.into_person()?,
            password_hash: row.password_hash,
        }))
    }

    pub async fn person_by_login(&self, login: &str) -> StoreResult<Option<PersonRecord>> {
        Ok(self
            .find_person(PersonKey::Login(login))
            .await?
            .map(|found| found.person))
    }

    pub(crate) async fn rights_of(&self, person_id: i64) -> StoreResult<Vec<String>> {
        sqlx::query_scalar(
            "SELECT right_code FROM person_rights WHERE person_id = $1 ORDER BY right_code",
        )
        .bind(person_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)
    }

    /// Technical users working in the company on `today` whose login or name contains
    /// `search` in any case, by name.
    pub(crate) async fn eligible_people_matching(
        &self,
        search: &str,
        today: NaiveDate,
        limit: usize,
    ) -> StoreResult<Vec<PersonRecord>> {
        let pattern = format!("%{}%", escape_like(search));
        let like = case_blind_like(self.backend);
        let rows = sqlx::query_as::<_, PersonRow>(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p \
             WHERE p.technical = 1 AND p.employed_from <= $1 \
             AND (p.employed_until IS NULL OR p.employed_until >= $2) \
             AND (p.login {like} $3 ESCAPE '{LIKE_ESCAPE}' \
             OR p.name {like} $4 ESCAPE '{LIKE_ESCAPE}') \
             ORDER BY p.name, p.login LIMIT {limit}"
        ))
        .bind(today.to_string())
        .bind(today.to_string())
        .bind(pattern.clone())
        .bind(pattern)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.into_iter().map(PersonRow::into_person).collect()
    }
}
