//! What the server says of refused input, in the caller's language: the domain's rules (its
//! errors' own `Display` stays the English of logs and the CLI) and the service's refusals.

use crate::domain::allowlist::{AllowlistError, EntryError, MAX_ENTRIES};
use crate::domain::rules::{Ineligible, RuleError, MAX_YEAR, NAME_MAX_CHARS};
use crate::i18n::td_string;
use crate::language::Locale;
use crate::token_query::{QueryError, SEARCH_MAX_CHARS};
use crate::words;

pub fn rule(locale: Locale, error: &RuleError) -> String {
    match *error {
        RuleError::NameEmpty => td_string!(locale, rules.name_empty).to_owned(),
        RuleError::NameTooLong => {
            td_string!(locale, rules.name_too_long, max = NAME_MAX_CHARS).to_string()
        }
        RuleError::NameInvisible(code_point) => {
            let code_point = format!("{code_point:04X}");
            td_string!(locale, rules.name_invisible, code_point = code_point).to_string()
        }
        RuleError::DateMalformed => td_string!(locale, rules.date_malformed).to_owned(),
        RuleError::DateInPast { today } => {
            let today = words::date(locale, &today.to_string());
            td_string!(locale, rules.date_in_past, today = today).to_string()
        }
        RuleError::DateTooFar => {
            td_string!(locale, rules.date_too_far, year = MAX_YEAR).to_string()
        }
        RuleError::DateBeyondLifetime { latest } => {
            let latest = words::date(locale, &latest.to_string());
            td_string!(locale, rules.date_beyond_lifetime, latest = latest).to_string()
        }
    }
}

pub fn ineligible(locale: Locale, error: Ineligible) -> &'static str {
    match error {
        Ineligible::NotTechnical => td_string!(locale, rules.not_technical),
        Ineligible::NotYetEmployed => td_string!(locale, rules.not_yet_employed),
        Ineligible::NoLongerEmployed => td_string!(locale, rules.no_longer_employed),
    }
}

pub fn allowlist(locale: Locale, error: &AllowlistError) -> String {
    match error {
        AllowlistError::Entries(entries) => entries
            .iter()
            .map(|entry| match entry {
                EntryError::Malformed(entry) => {
                    td_string!(locale, addresses.malformed, entry = entry).to_string()
                }
                EntryError::Everything(entry) => {
                    td_string!(locale, addresses.everything, entry = entry).to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        AllowlistError::TooMany(given) => td_string!(
            locale,
            addresses.too_many_entries,
            max = MAX_ENTRIES,
            given = given
        )
        .to_string(),
    }
}

pub fn query(locale: Locale, error: &QueryError) -> String {
    match error {
        QueryError::Status(value) => {
            td_string!(locale, query.unknown_status, value = value).to_string()
        }
        QueryError::Sort(value) => {
            td_string!(locale, query.unknown_sort, value = value).to_string()
        }
        QueryError::Direction(value) => {
            td_string!(locale, query.unknown_direction, value = value).to_string()
        }
        QueryError::Cursor(value) => {
            td_string!(locale, query.bad_cursor, value = value).to_string()
        }
        QueryError::BothCursors => td_string!(locale, query.both_cursors).to_owned(),
        QueryError::Search => {
            td_string!(locale, query.search_too_long, max = SEARCH_MAX_CHARS).to_string()
        }
        QueryError::User => {
            td_string!(locale, query.user_too_long, max = SEARCH_MAX_CHARS).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_said_in_each_language_with_their_details() {
        let past = RuleError::DateInPast {
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date"),
        };
        assert_eq!(
            rule(Locale::en, &past),
            "The expiration date cannot be before today (Dec 1, 2026)."
        );
        assert_eq!(
            rule(Locale::fr, &past),
            "La date d'expiration ne peut pas être antérieure à aujourd'hui (1 décembre 2026)."
        );
        assert_eq!(
            rule(Locale::fr, &RuleError::NameInvisible(0x202e)),
            "Le nom du jeton ne doit pas contenir de caractères de contrôle, invisibles ou de \
             direction du texte (il contient U+202E)."
        );
        let entries = AllowlistError::Entries(vec![EntryError::Malformed("10.0.0.300".into())]);
        assert!(allowlist(Locale::fr, &entries).contains("«\u{202f}10.0.0.300\u{202f}»"));
        assert_eq!(
            ineligible(Locale::en, Ineligible::NotTechnical),
            "This user is not a technical user."
        );
        // English is the domain's own wording.
        for error in [
            RuleError::NameEmpty,
            RuleError::DateMalformed,
            RuleError::NameTooLong,
        ] {
            assert_eq!(rule(Locale::en, &error), error.to_string());
        }
    }
}
