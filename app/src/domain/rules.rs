//! Calendar and eligibility rules. "Today" is always a calendar day in the console's time zone.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use super::text::{visible_text, TextError};

pub const NAME_MAX_CHARS: usize = 100;
/// Dates are accepted up to this year; anything later is a typo, not a policy.
pub const MAX_YEAR: i32 = 9999;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("Enter a token name.")]
    NameEmpty,
    #[error("The token name must be at most {NAME_MAX_CHARS} characters.")]
    NameTooLong,
    #[error(
        "The token name must not contain control, invisible or text-direction characters \
         (it contains U+{0:04X})."
    )]
    NameInvisible(u32),
    #[error("Enter the expiration date as YYYY-MM-DD.")]
    DateMalformed,
    #[error("The expiration date cannot be before today ({today}).")]
    DateInPast { today: NaiveDate },
    #[error("The expiration date must be in year {MAX_YEAR} or earlier.")]
    DateTooFar,
    #[error("The expiration date can be {latest} at the latest (the longest a token may live).")]
    DateBeyondLifetime { latest: NaiveDate },
}

pub fn today(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// A validated token name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    /// Trimmed and in NFC (so "é" typed either way is one name), 1 to 100 characters, every
    /// one of them visible.
    pub fn parse(input: &str) -> Result<Self, RuleError> {
        let name = visible_text(input).map_err(|error| match error {
            TextError::Blank => RuleError::NameEmpty,
            TextError::Invisible(c) => RuleError::NameInvisible(u32::from(c)),
        })?;
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(RuleError::NameTooLong);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses a `YYYY-MM-DD` calendar date (as sent by a date input).
pub fn parse_date(input: &str) -> Result<NaiveDate, RuleError> {
    let input = input.trim();
    let shaped = input.len() == 10
        && input.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(RuleError::DateMalformed);
    }
    NaiveDate::parse_from_str(input, "%Y-%m-%d").map_err(|_| RuleError::DateMalformed)
}

/// The expiration date of a new token: empty means today; a past date is refused, and so is
/// one after `latest` (the lifetime policy's limit, if any).
pub fn expiration_date(
    input: &str,
    today: NaiveDate,
    latest: Option<NaiveDate>,
) -> Result<NaiveDate, RuleError> {
    if input.trim().is_empty() {
        return Ok(today);
    }
    if looks_like_far_future(input.trim()) {
        return Err(RuleError::DateTooFar);
    }
    let date = parse_date(input)?;
    if date.year() > MAX_YEAR {
        return Err(RuleError::DateTooFar);
    }
    if date < today {
        return Err(RuleError::DateInPast { today });
    }
    if let Some(latest) = latest.filter(|latest| date > *latest) {
        return Err(RuleError::DateBeyondLifetime { latest });
    }
    Ok(date)
}

fn looks_like_far_future(input: &str) -> bool {
    let year_digits = input.bytes().take_while(u8::is_ascii_digit).count();
    year_digits > 4 && input.as_bytes().get(year_digits) == Some(&b'-')
}

/// A token authenticates until the end of its expiration day and never after.
pub fn is_expired(expiration: NaiveDate, today: NaiveDate) -> bool {
    today > expiration
}

/// The employment facts that decide whether a person may own (and use) a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employment {
    pub technical: bool,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    #[error("This user is not a technical user.")]
    NotTechnical,
    #[error("This user is not yet working in the company on that date.")]
    NotYetEmployed,
    #[error("This user no longer works in the company on that date.")]
    NoLongerEmployed,
}

impl Employment {
    /// Technical and working in the company on `day` (start and end days included).
    pub fn eligible_on(&self, day: NaiveDate) -> Result<(), Ineligible> {
        if !self.technical {
            return Err(Ineligible::NotTechnical);
        }
        self.employed_on(day)
    }

    /// Working in the company on `day` (start and end days included).
    pub fn employed_on(&self, day: NaiveDate) -> Result<(), Ineligible> {
        if self.start > day {
            return Err(Ineligible::NotYetEmployed);
        }
        if self.end.is_some_and(|end| end < day) {
            return Err(Ineligible::NoLongerEmployed);
        }
        Ok(())
    }
}

/// Why a stored token cannot authenticate today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum Unusable {
    Removed,
    /// Replaced by rotation, and past its overlap.
    Rotated,
    Expired,
    OwnerIneligible,
}

impl Unusable {
    /// What the API tells a caller whose token is refused for this reason.
    pub fn message(self) -> &'static str {
        match self {
            Self::Removed => "The token has been removed.",
            Self::Rotated => "The token has been rotated; use its replacement.",
            Self::Expired => "The token has expired.",
            Self::OwnerIneligible => {
                "The token's user is no longer a technical user working in the company."
            }
        }
    }
}

/// Whether a stored token may authenticate a request made on `today`.
pub fn check_usable(
    removed: bool,
    expires_on: NaiveDate,
    owner: &Employment,
    today: NaiveDate,
) -> Result<(), Unusable> {
    if removed {
        return Err(Unusable::Removed);
    }
    if is_expired(expires_on, today) {
        return Err(Unusable::Expired);
    }
    owner
        .eligible_on(today)
        .map_err(|_| Unusable::OwnerIneligible)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn today_follows_the_console_time_zone() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 23, 30, 0).unwrap();
        assert_eq!(today(now, chrono_tz::UTC), d("2026-11-28"));
        assert_eq!(today(now, chrono_tz::Europe::Paris), d("2026-11-29"));
        assert_eq!(today(now, chrono_tz::America::New_York), d("2026-11-28"));
    }

    #[test]
    fn a_token_works_through_its_expiration_day_and_never_after() {
        let expiration = d("2026-11-28");
        assert!(!is_expired(expiration, d("2026-11-27")));
        assert!(!is_expired(expiration, d("2026-11-28")));
        assert!(is_expired(expiration, d("2026-11-29")));
        let last_second = Utc.with_ymd_and_hms(2026, 11, 28, 23, 59, 59).unwrap();
        let first_second = Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap();
        assert!(!is_expired(expiration, today(last_second, chrono_tz::UTC)));
        assert!(is_expired(expiration, today(first_second, chrono_tz::UTC)));
    }

    #[test]
    fn empty_expiration_means_today_and_past_dates_are_refused() {
        let today = d("2026-11-28");
        assert_eq!(expiration_date("", today, None), Ok(today));
        assert_eq!(expiration_date("   ", today, None), Ok(today));
        assert_eq!(expiration_date("2026-11-28", today, None), Ok(today));
        assert_eq!(
            expiration_date("2027-01-31", today, None),
            Ok(d("2027-01-31"))
        );
        assert_eq!(
            expiration_date("2026-11-27", today, None),
            Err(RuleError::DateInPast { today })
        );
    }

    #[test]
    fn the_lifetime_limit_allows_its_last_day_and_not_the_next() {
        let today = d("2026-12-01");
        let latest = Some(d("2027-12-01"));
        assert_eq!(
            expiration_date("2027-12-01", today, latest),
            Ok(d("2027-12-01"))
        );
        assert_eq!(
            expiration_date("2027-12-02", today, latest),
            Err(RuleError::DateBeyondLifetime {
                latest: d("2027-12-01")
            })
        );
        assert_eq!(expiration_date("", today, latest), Ok(today));
    }

    #[test]
    fn malformed_and_absurd_dates_are_refused() {
        let today = d("2026-11-28");
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "28/11/2026",
            "2026-1-1",
            "tomorrow",
            "2026-11-28T00:00",
        ] {
            assert_eq!(
                expiration_date(bad, today, None),
                Err(RuleError::DateMalformed),
                "{bad}"
            );
        }
        assert_eq!(
            expiration_date("10000-01-01", today, None),
            Err(RuleError::DateTooFar)
        );
        assert_eq!(
            expiration_date("9999-12-31", today, None),
            Ok(d("9999-12-31"))
        );
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            TokenName::parse("  CI deploy ").unwrap().as_str(),
            "CI deploy"
        );
        assert_eq!(TokenName::parse(" \t "), Err(RuleError::NameEmpty));
        let hundred = "é".repeat(100);
        assert_eq!(TokenName::parse(&hundred).unwrap().as_str(), hundred);
        assert_eq!(
            TokenName::parse(&"a".repeat(101)),
            Err(RuleError::NameTooLong)
        );
        assert_eq!(
            TokenName::parse("a\u{0}b"),
            Err(RuleError::NameInvisible(0))
        );
        assert!(TokenName::parse("<script>alert(1)</script>'; DROP TABLE x;--").is_ok());
        assert_eq!(
            TokenName::parse("invoice\u{202E}fdp.exe"),
            Err(RuleError::NameInvisible(0x202E))
        );
        assert_eq!(TokenName::parse("مفتاح 🔑").unwrap().as_str(), "مفتاح 🔑");
        for hidden in [
            "ad\u{200B}min",
            "a\u{2060}b",
            "\u{FEFF}bom",
            "a\u{2028}b",
            "ar\u{061C}b",
        ] {
            assert!(
                matches!(TokenName::parse(hidden), Err(RuleError::NameInvisible(_))),
                "{hidden:?}"
            );
        }
        // Joiners stay: Persian words and emoji sequences need them.
        assert!(TokenName::parse("می\u{200C}خواهم").is_ok());
        assert!(TokenName::parse("👩\u{200D}💻 deploy").is_ok());
        // One name however "é" was typed (NFC), and look-alikes refused.
        assert_eq!(
            TokenName::parse("Cafe\u{301}"),
            TokenName::parse("Caf\u{E9}")
        );
        assert_eq!(TokenName::parse("\u{2800}"), Err(RuleError::NameEmpty));
        assert_eq!(
            TokenName::parse("de\u{AD}ploy"),
            Err(RuleError::NameInvisible(0xAD))
        );
    }

    #[test]
    fn eligibility_includes_the_first_and_last_working_days() {
        let person = Employment {
            technical: true,
            start: d("2026-01-01"),
            end: Some(d("2026-11-28")),
        };
        assert_eq!(
            person.eligible_on(d("2025-12-31")),
            Err(Ineligible::NotYetEmployed)
        );
        assert_eq!(person.eligible_on(d("2026-01-01")), Ok(()));
        assert_eq!(person.eligible_on(d("2026-11-28")), Ok(()));
        assert_eq!(
            person.eligible_on(d("2026-11-29")),
            Err(Ineligible::NoLongerEmployed)
        );
        let open_ended = Employment {
            end: None,
            ..person.clone()
        };
        assert_eq!(open_ended.eligible_on(d("2100-01-01")), Ok(()));
        let human = Employment {
            technical: false,
            ..person
        };
        assert_eq!(
            human.eligible_on(d("2026-06-01")),
            Err(Ineligible::NotTechnical)
        );
    }

    #[test]
    fn usable_tokens_need_no_removal_a_future_expiry_and_an_eligible_owner() {
        let owner = Employment {
            technical: true,
            start: d("2020-01-01"),
            end: Some(d("2026-12-31")),
        };
        let today = d("2026-11-28");
        assert_eq!(check_usable(false, today, &owner, today), Ok(()));
        assert_eq!(
            check_usable(true, today, &owner, today),
            Err(Unusable::Removed)
        );
        assert_eq!(
            check_usable(false, d("2026-11-27"), &owner, today),
            Err(Unusable::Expired)
        );
        let left = Employment {
            end: Some(d("2026-11-27")),
            ..owner.clone()
        };
        assert_eq!(
            check_usable(false, today, &left, today),
            Err(Unusable::OwnerIneligible)
        );
        let human = Employment {
            technical: false,
            ..owner
        };
        assert_eq!(
            check_usable(false, today, &human, today),
            Err(Unusable::OwnerIneligible)
        );
    }
}
