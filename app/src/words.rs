//! The words of the pages the server renders, in the page's language (the locale files in
//! `locales/`): statuses, sort columns, counts, audit events, dates.

use crate::i18n::td_string;
use crate::language::Locale;
use crate::model::{AuditAction, ConsoleError, RemovalReason, TokenStatus};
use crate::texts::Texts;
use crate::token_query::{Matches, SortKey, COUNT_LIMIT};

pub fn status(locale: Locale, status: TokenStatus) -> &'static str {
    match status {
        TokenStatus::Active => td_string!(locale, status.active),
        TokenStatus::ExpiresSoon => td_string!(locale, status.expires_soon),
        TokenStatus::Expired => td_string!(locale, status.expired),
        TokenStatus::Removed => td_string!(locale, status.removed),
        TokenStatus::UserInactive => td_string!(locale, status.user_inactive),
    }
}

/// "today", "in 1 day", "in 3 days": when a token that expires soon stops.
pub fn days_left(locale: Locale, days: u32) -> String {
    match days {
        0 => td_string!(locale, status.today).to_owned(),
        days => td_string!(locale, status.in_days, count = days).to_string(),
    }
}

/// The column a key sorts, as its header says.
pub fn sort_key(locale: Locale, key: SortKey) -> &'static str {
    match key {
        SortKey::Created => td_string!(locale, table.created),
        SortKey::Expires => td_string!(locale, tokens.expiration_date),
        SortKey::Name => td_string!(locale, tokens.token_name),
        SortKey::User => td_string!(locale, tokens.user),
        SortKey::LastUsed => td_string!(locale, table.last_used),
    }
}

/// "1 token", "1,234 tokens", "More than 10,000 tokens".
pub fn matches(locale: Locale, matches: Matches) -> String {
    if !matches.exact {
        let limit = number(locale, COUNT_LIMIT);
        return td_string!(locale, table.matches_more_than, limit = limit).to_string();
    }
    let count = matches.count;
    let shown = number(locale, count);
    td_string!(locale, table.matches, count = count, shown = shown).to_string()
}

/// A whole number with its thousands grouped as the language writes them: `12,345` in
/// English, `12 345` in French (a narrow no-break space).
pub fn number(locale: Locale, n: u64) -> String {
    let separator = match locale {
        Locale::en => ',',
        Locale::fr => '\u{202f}',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

pub fn removal_reason(locale: Locale, reason: RemovalReason) -> &'static str {
    match reason {
        RemovalReason::Holder => td_string!(locale, table.removal_reason.holder),
        RemovalReason::Rotated => td_string!(locale, table.removal_reason.rotated),
    }
}

pub fn audit_action(locale: Locale, action: AuditAction) -> &'static str {
    match action {
        AuditAction::TokenCreated => td_string!(locale, audit.action.token_created),
        AuditAction::TokenRemoved => td_string!(locale, audit.action.token_removed),
        AuditAction::TokenDeleted => td_string!(locale, audit.action.token_deleted),
        AuditAction::TokenRevokedByHolder => {
            td_string!(locale, audit.action.token_revoked_by_holder)
        }
        AuditAction::AllowedAddressesChanged => {
            td_string!(locale, audit.action.allowed_addresses_changed)
        }
        AuditAction::TokenRotated => td_string!(locale, audit.action.token_rotated),
        AuditAction::LoginSucceeded => td_string!(locale, audit.action.login_succeeded),
        AuditAction::LoginFailed => td_string!(locale, audit.action.login_failed),
        AuditAction::LoginThrottled => td_string!(locale, audit.action.login_throttled),
        AuditAction::Logout => td_string!(locale, audit.action.logout),
        AuditAction::FlagEnabled => td_string!(locale, audit.action.flag_enabled),
        AuditAction::FlagDisabled => td_string!(locale, audit.action.flag_disabled),
        AuditAction::UserAdded => td_string!(locale, audit.action.user_added),
        AuditAction::UserChanged => td_string!(locale, audit.action.user_changed),
    }
}

/// The "Language" control was sent a language the console does not have.
pub fn unknown_language(locale: Locale) -> &'static str {
    td_string!(locale, shell.language_unknown)
}

/// What the page says of a refused call.
pub fn error(locale: Locale, error: &ConsoleError) -> String {
    Texts::new(locale, None).error(error)
}

/// A day as the language writes it ("Dec 1, 2026", "1 déc. 2026"), from `YYYY-MM-DD`; other
/// text is shown as it is.
pub fn date(locale: Locale, iso: &str) -> String {
    #[cfg(feature = "ssr")]
    if let Ok(day) = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        let pattern = td_string!(locale, dates.date);
        return day
            .format_localized(pattern, chrono_locale(locale))
            .to_string();
    }
    let _ = locale;
    iso.to_owned()
}

/// A local time to the minute (`YYYY-MM-DD HH:MM`) or the second, as the language writes it.
pub fn date_time(locale: Locale, iso: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        let (format, pattern) = if iso.len() > 16 {
            (
                "%Y-%m-%d %H:%M:%S",
                td_string!(locale, dates.date_time_seconds),
            )
        } else {
            ("%Y-%m-%d %H:%M", td_string!(locale, dates.date_time))
        };
        if let Ok(at) = chrono::NaiveDateTime::parse_from_str(iso, format) {
            return at
                .and_utc()
                .format_localized(pattern, chrono_locale(locale))
                .to_string();
        }
    }
    let _ = locale;
    iso.to_owned()
}

#[cfg(feature = "ssr")]
fn chrono_locale(locale: Locale) -> chrono::Locale {
    match locale {
        Locale::en => chrono::Locale::en_US,
        Locale::fr => chrono::Locale::fr_FR,
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn counts_and_dates_read_as_a_person_would_say_them_in_each_language() {
        let exact = |count| Matches { count, exact: true };
        assert_eq!(matches(Locale::en, exact(1)), "1 token");
        assert_eq!(matches(Locale::en, exact(0)), "0 tokens");
        assert_eq!(matches(Locale::en, exact(1234)), "1,234 tokens");
        assert_eq!(matches(Locale::fr, exact(0)), "0 jeton");
        assert_eq!(matches(Locale::fr, exact(1234)), "1\u{202f}234 jetons");
        let more = Matches {
            count: 10_001,
            exact: false,
        };
        assert_eq!(matches(Locale::en, more), "More than 10,000 tokens");
        assert_eq!(matches(Locale::fr, more), "Plus de 10\u{202f}000 jetons");
        assert_eq!(days_left(Locale::en, 1), "in 1 day");
        assert_eq!(days_left(Locale::fr, 3), "dans 3 jours");
        assert_eq!(date(Locale::en, "2026-12-01"), "Dec 1, 2026");
        assert_eq!(date(Locale::fr, "2026-12-01"), "1 décembre 2026");
        assert_eq!(date(Locale::fr, "2027-04-02"), "2 avril 2027");
        assert_eq!(
            date_time(Locale::fr, "2026-12-01 09:05"),
            "1 décembre 2026 à 09:05"
        );
        assert_eq!(date(Locale::fr, "2027-04-02"), "2 avril 2027");
        assert_eq!(date(Locale::fr, "not a date"), "not a date");
    }
}
