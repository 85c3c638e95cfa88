//! The token lifetime policy: how far ahead an expiration date may be set, and how long before
//! it a token is shown as "Expires soon".

use chrono::{Days, NaiveDate};

/// `JETONS_EXPIRY_WARNING_DAYS` when it is not set.
pub const DEFAULT_WARNING_DAYS: u32 = 7;
/// The most either setting accepts, in days.
pub const MAX_POLICY_DAYS: u32 = 36_600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifetimePolicy {
    /// A token whose expiration date is at most this many days away is flagged; 0 flags none.
    pub warning_days: u32,
    /// An expiration date may be at most this many days after the day it is set; `None`: no
    /// limit (other than the year 9999).
    pub max_lifetime_days: Option<u32>,
}

impl Default for LifetimePolicy {
    fn default() -> Self {
        Self {
            warning_days: DEFAULT_WARNING_DAYS,
            max_lifetime_days: None,
        }
    }
}

/// The days a token's status is judged on: `today`, and the last expiration date that counts
/// as soon (the day before `today` when no date does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusDates {
    pub today: NaiveDate,
    pub soon_until: NaiveDate,
}

impl LifetimePolicy {
    /// The latest expiration date a token may get on `today`.
    pub fn latest_expiration(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.max_lifetime_days
            .map(|days| add_days(today, days).unwrap_or(NaiveDate::MAX))
    }

    pub fn status_dates(&self, today: NaiveDate) -> StatusDates {
        let soon_until = match self.warning_days {
            0 => today.pred_opt().unwrap_or(NaiveDate::MIN),
            days => add_days(today, days).unwrap_or(NaiveDate::MAX),
        };
        StatusDates { today, soon_until }
    }
}

impl StatusDates {
    /// In how many days a token expiring on `expires_on` stops (0: at the end of today), if
    /// that is soon; `None` if it is not soon or already over.
    pub fn expires_soon(&self, expires_on: NaiveDate) -> Option<u32> {
        if expires_on < self.today || expires_on > self.soon_until {
            return None;
        }
        u32::try_from((expires_on - self.today).num_days()).ok()
    }
}

fn add_days(day: NaiveDate, days: u32) -> Option<NaiveDate> {
    day.checked_add_days(Days::new(u64::from(days)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn soon_means_from_today_through_the_warning_days() {
        let dates = LifetimePolicy::default().status_dates(d("2026-12-01"));
        assert_eq!(dates.soon_until, d("2026-12-08"));
        assert_eq!(dates.expires_soon(d("2026-11-30")), None);
        assert_eq!(dates.expires_soon(d("2026-12-01")), Some(0));
        assert_eq!(dates.expires_soon(d("2026-12-02")), Some(1));
        assert_eq!(dates.expires_soon(d("2026-12-08")), Some(7));
        assert_eq!(dates.expires_soon(d("2026-12-09")), None);
    }

    #[test]
    fn no_warning_days_flags_nothing() {
        let policy = LifetimePolicy {
            warning_days: 0,
            max_lifetime_days: None,
        };
        let dates = policy.status_dates(d("2026-12-01"));
        assert_eq!(dates.expires_soon(d("2026-12-01")), None);
        assert_eq!(dates.soon_until, d("2026-11-30"));
    }

    #[test]
    fn the_latest_expiration_is_the_lifetime_after_today() {
        let policy = LifetimePolicy {
            warning_days: 7,
            max_lifetime_days: Some(365),
        };
        assert_eq!(
            policy.latest_expiration(d("2026-12-01")),
            Some(d("2027-12-01"))
        );
        // Over 29 February.
        assert_eq!(
            policy.latest_expiration(d("2027-12-01")),
            Some(d("2028-11-30"))
        );
        assert_eq!(
            LifetimePolicy::default().latest_expiration(d("2026-12-01")),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn a_flagged_token_has_that_many_days_left(
            today in 0i64..3_000_000,
            offset in -400i64..400,
            warning_days in 0u32..60,
        ) {
            let today = NaiveDate::from_num_days_from_ce_opt(i32::try_from(today).unwrap_or(1)).unwrap_or(NaiveDate::MIN);
            let expires_on = today + chrono::Duration::days(offset);
            let policy = LifetimePolicy { warning_days, max_lifetime_days: None };
            let flagged = policy.status_dates(today).expires_soon(expires_on);
            let expected = (0..=i64::from(warning_days)).contains(&offset) && warning_days > 0;
            proptest::prop_assert_eq!(flagged.is_some(), expected);
            if let Some(days) = flagged {
                proptest::prop_assert_eq!(i64::from(days), offset);
            }
        }
    }
}
