//! Rotating a token: a new token for the same user and name, shown once; the old one stops at
//! once or after an overlap, and stays in the table, removed, "Replaced by rotation".

use super::audit::token_target;
use super::tokens::{new_secret, rotation_expires, to_row, token_gone};
use super::{internal, token_admin, Caller};
use crate::backend::{Author, Console, NewToken, RotateOutcome, StoreError};
use crate::domain::{rules, TokenName};
use crate::i18n::td_string;
use crate::messages;
use crate::model::{AuditAction, ConsoleError, CreatedToken, Field, RotationOverlap};

/// The "Rotate the token" form as sent.
#[derive(Debug, Clone, Copy)]
pub struct RotateForm<'a> {
    pub id: i64,
    /// Empty: today plus the old token's lifetime.
    pub expiration: &'a str,
    /// A [`RotationOverlap`] code; empty: immediately.
    pub overlap: &'a str,
}

pub async fn rotate_token(
    console: &Console,
    caller: &Caller,
    form: RotateForm<'_>,
) -> Result<CreatedToken, ConsoleError> {
    let admin = token_admin(console, caller).await?;
    let locale = caller.locale;
    let overlap = RotationOverlap::from_code(form.overlap).ok_or_else(|| {
        ConsoleError::invalid(Field::Overlap, td_string!(locale, rotate.overlap_invalid))
    })?;
    let old = console
        .store
        .token(form.id)
        .await
        .map_err(internal)?
        .ok_or_else(|| token_gone(locale))?;
    let conflict = |message: String| ConsoleError::Conflict { message };
    if old.removed_at.is_some() {
        return Err(conflict(td_string!(locale, rotate.removed_token).into()));
    }
    let dates = console.status_dates();
    old.owner_employment
        .eligible_on(dates.today)
        .map_err(|ineligible| conflict(messages::ineligible(locale, ineligible).into()))?;
    let expires_on = if form.expiration.trim().is_empty() {
        rotation_expires(console, dates, &old)
    } else {
        let latest = console.policy.latest_expiration(dates.today);
        rules::expiration_date(form.expiration, dates.today, latest)
            .map_err(|e| ConsoleError::invalid(Field::Expiration, messages::rule(locale, &e)))?
    };
    let owner = console
        .store
        .person_by_login(&old.owner_login)
        .await
        .map_err(internal)?
        .ok_or_else(|| token_gone(locale))?;
    let name = TokenName::parse(&old.name)
        .map_err(|e| internal(StoreError::Corrupt(format!("a stored token name: {e}"))))?;

    let secret = new_secret();
    let event = admin.event(
        AuditAction::TokenRotated,
        format!(
            "{} ({} → {})",
            token_target(&old.owner_login, &old.name),
            old.hint,
            secret.hint()
        ),
    );
    let old_stops_at = event.at + chrono::Duration::seconds(overlap.seconds());
    let new = NewToken {
        owner_id: owner.id,
        name,
        hash: secret.hash(),
        hint: secret.hint(),
        created_at: event.at,
        created_by: Author::Person(admin.person.id),
        expires_on,
        allowed: old.allowed.clone(),
    };
    let id = match console
        .store
        .rotate_token(form.id, admin.person.id, old_stops_at, new, event)
        .await
        .map_err(internal)?
    {
        RotateOutcome::Rotated(id) => id,
        RotateOutcome::NotFound => return Err(token_gone(locale)),
        RotateOutcome::AlreadyRemoved => {
            return Err(conflict(td_string!(locale, remove.already_removed).into()))
        }
        RotateOutcome::NameTaken => {
            let message = td_string!(
                locale,
                rotate.name_taken,
                user = &owner.name,
                name = &old.name
            );
            return Err(conflict(message.to_string()));
        }
    };
    let record = console
        .store
        .token(id)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal(StoreError::Missing("the token vanished after its rotation")))?;
    tracing::info!(old_token_id = form.id, token_id = id, by = %admin.person.login, "API token rotated");
    Ok(CreatedToken {
        token: secret.into_exposed(),
        row: to_row(console, dates, record),
    })
}
