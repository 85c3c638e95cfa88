//! Creating, removing and deleting tokens, and a token as the table shows it.

use rand::RngCore;

use super::audit::token_target;
use super::{internal, token_admin, Actor, Caller};
use crate::backend::{
    AuditRecord, Console, InsertOutcome, NewToken, PersonRecord, RemoveOutcome, StoreError,
    TokenRecord,
};
use crate::domain::{rules, Allowlist, StatusDates, TokenName, TokenSecret};
use crate::i18n::td_string;
use crate::language::Locale;
use crate::messages;
use crate::model::{
    AuditAction, ConsoleError, CreatedToken, Day, Field, FieldError, TokenRow, TokenStatus,
};

pub(super) fn to_row(console: &Console, dates: StatusDates, token: TokenRecord) -> TokenRow {
    let expires_in_days = dates.expires_soon(token.expires_on);
    let rotation_expires = token
        .removed_at
        .is_none()
        .then(|| rotation_expires(console, dates, &token).to_string());
    let status = match rules::check_usable(
        token.removed_at.is_some(),
        token.expires_on,
        &token.owner_employment,
        dates.today,
    ) {
        Ok(()) if expires_in_days.is_some() => TokenStatus::ExpiresSoon,
        Ok(()) => TokenStatus::Active,
        Err(rules::Unusable::Removed | rules::Unusable::Rotated) => TokenStatus::Removed,
        Err(rules::Unusable::Expired) => TokenStatus::Expired,
        Err(rules::Unusable::OwnerIneligible) => TokenStatus::UserInactive,
    };
    TokenRow {
        id: token.id,
        user_login: token.owner_login,
        user_name: token.owner_name,
        name: token.name,
        hint: token.hint,
        created_on: console.local_date(token.created_at).to_string(),
        created_by: token.created_by,
        expires_on: token.expires_on.to_string(),
        removed_on: token
            .removed_at
            .map(|at| console.local_date(at).to_string()),
        rotation_expires,
        works_until: token
            .removed_at
            .filter(|at| *at > console.now())
            .map(|at| local_minute(console, at)),
        removal_reason: token.removal_reason,
        allowed_addresses: token.allowed.listed(),
        expires_in_days: expires_in_days.filter(|_| status == TokenStatus::ExpiresSoon),
        status,
        last_used: token.last_used_at.map(|at| local_minute(console, at)),
        last_used_from: token.last_used_from,
    }
}

fn local_minute(console: &Console, at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&console.zone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A rotated token's replacement lives as long as it did (expiration date minus creation
/// date) from today, within the lifetime policy.
pub(super) fn rotation_expires(
    console: &Console,
    dates: StatusDates,
    token: &TokenRecord,
) -> chrono::NaiveDate {
    let lifetime = token.expires_on - console.local_date(token.created_at);
    let expires = dates
        .today
        .checked_add_signed(lifetime)
        .unwrap_or(dates.today)
        .max(dates.today);
    let last_day = chrono::NaiveDate::from_ymd_opt(rules::MAX_YEAR, 12, 31).unwrap_or(expires);
    let latest = console
        .policy
        .latest_expiration(dates.today)
        .map_or(last_day, |latest| latest.min(last_day));
    expires.min(latest)
}

/// The login in what the "User" field shows ("Name (login)"), or the text itself.
fn login_in(text: &str) -> &str {
    let text = text.trim();
    text.strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
        .map_or(text, |(_, login)| login.trim())
}

/// The "Create an API token" form as sent. `user_id` is the user picked in the "User"
/// field; when it is empty, `user` (a login, or the field's "Name (login)") names the user.
#[derive(Debug, Clone, Copy)]
pub struct NewTokenForm<'a> {
    pub user_id: &'a str,
    pub user: &'a str,
    pub name: &'a str,
    pub expiration: &'a str,
    /// Addresses and ranges, one per line or separated by commas; empty: any address.
    pub allowed_addresses: &'a str,
}

pub async fn create_token(
    console: &Console,
    caller: &Caller,
    form: NewTokenForm<'_>,
) -> Result<CreatedToken, ConsoleError> {
    let admin = token_admin(console, caller).await?;
    create_as(&admin.actor(), form).await
}

/// Every rule of the "Create an API token" form, for whoever `actor` is.
pub(super) async fn create_as(
    actor: &Actor<'_>,
    form: NewTokenForm<'_>,
) -> Result<CreatedToken, ConsoleError> {
    let console = actor.console;
    let locale = actor.locale;
    let today = console.today();
    let no_such_user = || td_string!(locale, user_field.no_such_user).to_owned();
    // Every field is checked, so the form can show all its problems at once.
    let mut errors = Vec::new();
    let mut refuse = |field: Field, message: String| errors.push(FieldError { field, message });
    let found = |person: Option<PersonRecord>| person.ok_or_else(no_such_user);
    let owner = match (form.user_id.trim(), login_in(form.user)) {
        ("", "") => Err(td_string!(locale, user_field.select_user).to_owned()),
        ("", login) => found(
            console
                .store
                .person_by_login(login)
                .await
                .map_err(internal)?,
        ),
        (id, _) => match id.parse::<i64>() {
            Ok(id) => found(console.store.person(id).await.map_err(internal)?),
            Err(_) => Err(no_such_user()),
        },
    };
    let owner = owner
        .and_then(|person| match person.employment.eligible_on(today) {
            Ok(()) => Ok(person),
            Err(ineligible) => Err(messages::ineligible(locale, ineligible).to_owned()),
        })
        .map_err(|message| refuse(Field::User, message))
        .ok();
    let name = TokenName::parse(form.name)
        .map_err(|e| refuse(Field::Name, messages::rule(locale, &e)))
        .ok();
    let latest = console.policy.latest_expiration(today);
    let expires_on = rules::expiration_date(form.expiration, today, latest)
        .map_err(|e| refuse(Field::Expiration, messages::rule(locale, &e)))
        .ok();
    let allowed = Allowlist::parse(form.allowed_addresses)
        .map_err(|e| refuse(Field::AllowedAddresses, messages::allowlist(locale, &e)))
        .ok();
    let (Some(owner), Some(name), Some(expires_on), Some(allowed)) =
        (owner, name, expires_on, allowed)
    else {
        return Err(ConsoleError::Invalid { errors });
    };

    let secret = new_secret();
    let event = actor.event(
        AuditAction::TokenCreated,
        token_target(&owner.login, name.as_str()),
    );
    let new = NewToken {
        owner_id: owner.id,
        name: name.clone(),
        hash: secret.hash(),
        hint: secret.hint(),
        created_at: event.at,
        created_by: actor.author.clone(),
        expires_on,
        allowed,
    };
    let id = match console
        .store
        .insert_token(new, event)
        .await
        .map_err(internal)?
    {
        InsertOutcome::Inserted(id) => id,
        InsertOutcome::NameTaken => {
            let message = td_string!(
                locale,
                create.name_taken,
                user = &owner.name,
                name = name.as_str()
            );
            return Err(ConsoleError::invalid(Field::Name, message.to_string()));
        }
    };
    let record = console
        .store
        .token(id)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal(StoreError::Missing("the token vanished after its insert")))?;
    tracing::info!(token_id = id, owner = %owner.login, by = %actor.name, "API token created");
    Ok(CreatedToken {
        token: secret.into_exposed(),
        row: to_row(console, console.status_dates(), record),
    })
}

/// The lifetime policy's limit for a token created today (`None`: no limit).
pub async fn latest_expiration(
    console: &Console,
    caller: &Caller,
) -> Result<Option<Day>, ConsoleError> {
    token_admin(console, caller).await?;
    Ok(console
        .policy
        .latest_expiration(console.today())
        .map(|day| {
            let day = day.to_string();
            Day {
                shown: crate::words::date(caller.locale, &day),
                day,
            }
        }))
}

/// A new token from the OS's random source.
pub(super) fn new_secret() -> TokenSecret {
    let mut entropy = [0u8; crate::domain::token::ENTROPY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut entropy);
    TokenSecret::from_entropy(entropy)
}

pub(super) fn token_gone(locale: Locale) -> ConsoleError {
    ConsoleError::NotFound {
        message: td_string!(locale, errors.token_not_found).into(),
    }
}

impl Actor<'_> {
    /// The token `id` and the audit event of `action` on it, by this actor.
    async fn token_event(
        &self,
        id: i64,
        action: AuditAction,
    ) -> Result<(TokenRecord, AuditRecord), ConsoleError> {
        let token = self
            .console
            .store
            .token(id)
            .await
            .map_err(internal)?
            .ok_or_else(|| token_gone(self.locale))?;
        let event = self.event(action, token_target(&token.owner_login, &token.name));
        Ok((token, event))
    }
}

pub async fn remove_token(
    console: &Console,
    caller: &Caller,
    id: i64,
) -> Result<TokenRow, ConsoleError> {
    let admin = token_admin(console, caller).await?;
    remove_as(&admin.actor(), id).await
}

pub(super) async fn remove_as(actor: &Actor<'_>, id: i64) -> Result<TokenRow, ConsoleError> {
    let console = actor.console;
    let (mut token, event) = actor.token_event(id, AuditAction::TokenRemoved).await?;
    let removed_at = event.at;
    match console
        .store
        .remove_token(id, actor.author.clone(), event)
        .await
        .map_err(internal)?
    {
        RemoveOutcome::Removed => {}
        RemoveOutcome::AlreadyRemoved => {
            return Err(ConsoleError::Conflict {
                message: td_string!(actor.locale, remove.already_removed).into(),
            })
        }
        RemoveOutcome::NotFound => return Err(token_gone(actor.locale)),
    }
    tracing::info!(token_id = id, by = %actor.name, "API token removed");
    token.removed_at = Some(removed_at);
    Ok(to_row(console, console.status_dates(), token))
}

/// Replaces where a live token may be used from (`text` as in the create form).
pub async fn set_allowed_addresses(
    console: &Console,
    caller: &Caller,
    id: i64,
    text: &str,
) -> Result<TokenRow, ConsoleError> {
    let admin = token_admin(console, caller).await?;
    let allowed = Allowlist::parse(text).map_err(|e| {
        let message = messages::allowlist(caller.locale, &e);
        ConsoleError::invalid(Field::AllowedAddresses, message)
    })?;
    let (mut token, mut event) = admin
        .actor()
        .token_event(id, AuditAction::AllowedAddressesChanged)
        .await?;
    let shown = |list: &Allowlist| {
        if list.is_empty() {
            "any address".to_owned()
        } else {
            list.to_string()
        }
    };
    event.target = format!(
        "{} ({} → {})",
        event.target,
        shown(&token.allowed),
        shown(&allowed)
    );
    if token.removed_at.is_some() {
        return Err(ConsoleError::Conflict {
            message: td_string!(caller.locale, addresses.removed_token).into(),
        });
    }
    if !console
        .store
        .set_allowed_addresses(id, allowed.clone(), event)
        .await
        .map_err(internal)?
    {
        return Err(token_gone(caller.locale));
    }
    tracing::info!(token_id = id, by = %admin.person.login, "API token's allowed addresses changed");
    token.allowed = allowed;
    Ok(to_row(console, console.status_dates(), token))
}

pub async fn delete_token(console: &Console, caller: &Caller, id: i64) -> Result<(), ConsoleError> {
    let admin = token_admin(console, caller).await?;
    delete_as(&admin.actor(), id).await
}

pub(super) async fn delete_as(actor: &Actor<'_>, id: i64) -> Result<(), ConsoleError> {
    let console = actor.console;
    let (_, event) = actor.token_event(id, AuditAction::TokenDeleted).await?;
    if !console
        .store
        .delete_token(id, event)
        .await
        .map_err(internal)?
    {
        return Err(token_gone(actor.locale));
    }
    tracing::info!(token_id = id, by = %actor.name, "API token deleted");
    Ok(())
}
