//! When a validated token stops: exact instants, for a cache that must not outlive a token.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::rules::{check_usable, Employment};

/// The first instant of the day after `day` in `zone`: when something valid "through `day`"
/// stops. Where midnight does not exist (a DST gap), the first local time that does.
pub fn end_of_day(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    use chrono::TimeZone;
    let next = day.succ_opt().unwrap_or(NaiveDate::MAX);
    (0..=24 * 60)
        .map(|minutes| next.and_time(chrono::NaiveTime::MIN) + chrono::Duration::minutes(minutes))
        .find_map(|local| zone.from_local_datetime(&local).earliest())
        .map_or(DateTime::<Utc>::MAX_UTC, |at| at.with_timezone(&Utc))
}

/// Until when a token that is usable today stays usable if nothing changes: the end of its
/// expiration day, or of its owner's last working day if that comes first. `None` if it is not
/// usable today.
pub fn usable_until(
    expires_on: NaiveDate,
    owner: &Employment,
    today: NaiveDate,
    zone: Tz,
) -> Option<DateTime<Utc>> {
    check_usable(false, expires_on, owner, today).ok()?;
    let last_day = owner.end.map_or(expires_on, |end| end.min(expires_on));
    Some(end_of_day(last_day, zone))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::today;
    use chrono::TimeZone;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn a_usable_token_stops_at_the_first_instant_after_its_last_day() {
        let paris = chrono_tz::Europe::Paris;
        let owner = Employment {
            technical: true,
            start: d("2020-01-01"),
            end: Some(d("2026-12-31")),
        };
        let until = usable_until(d("2026-11-30"), &owner, d("2026-11-30"), paris).unwrap();
        assert_eq!(until, Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap());
        let until = usable_until(d("2027-06-30"), &owner, d("2026-11-30"), paris).unwrap();
        assert_eq!(until, Utc.with_ymd_and_hms(2026, 12, 31, 23, 0, 0).unwrap());
        assert_eq!(
            usable_until(d("2026-11-29"), &owner, d("2026-11-30"), paris),
            None
        );
        // Santiago skips midnight when DST starts (2026-09-06 00:00 does not exist).
        let santiago = chrono_tz::America::Santiago;
        let end = end_of_day(d("2026-09-05"), santiago);
        assert_eq!(today(end, santiago), d("2026-09-06"));
        assert_eq!(
            today(end - chrono::Duration::seconds(1), santiago),
            d("2026-09-05")
        );
    }

    proptest::proptest! {
        #[test]
        fn end_of_day_is_exactly_when_the_day_is_over(
            seconds in 0i64..4_000_000_000,
            zone_index in 0usize..chrono_tz::TZ_VARIANTS.len(),
        ) {
            let zone = chrono_tz::TZ_VARIANTS[zone_index];
            let now = DateTime::from_timestamp(seconds, 0).unwrap();
            let day = today(now, zone);
            let end = end_of_day(day, zone);
            proptest::prop_assert!(now < end);
            proptest::prop_assert!(today(end, zone) > day);
            proptest::prop_assert_eq!(today(end - chrono::Duration::seconds(1), zone), day);
        }
    }
}
