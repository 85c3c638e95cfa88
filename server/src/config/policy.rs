//! The token lifetime settings: `JETONS_EXPIRY_WARNING_DAYS` and `JETONS_MAX_TOKEN_LIFETIME`.

use app::domain::policy::{LifetimePolicy, DEFAULT_WARNING_DAYS, MAX_POLICY_DAYS};

use super::{given, SettingArgs, SettingError};

pub fn lifetime_policy(args: &SettingArgs) -> Result<LifetimePolicy, SettingError> {
    let warning_days = match given(&args.expiry_warning_days) {
        None => DEFAULT_WARNING_DAYS,
        Some(value) => value
            .trim()
            .parse()
            .ok()
            .filter(|days| *days <= MAX_POLICY_DAYS)
            .ok_or(SettingError::WarningDays(value))?,
    };
    let max_lifetime_days = given(&args.max_token_lifetime)
        .map(|value| {
            value
                .trim()
                .strip_suffix('d')
                .and_then(|days| days.parse().ok())
                .filter(|days| (1..=MAX_POLICY_DAYS).contains(days))
                .ok_or(SettingError::MaxLifetime(value))
        })
        .transpose()?;
    Ok(LifetimePolicy {
        warning_days,
        max_lifetime_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(
        warning: Option<&str>,
        lifetime: Option<&str>,
    ) -> Result<LifetimePolicy, SettingError> {
        let args = SettingArgs {
            expiry_warning_days: warning.map(str::to_owned),
            max_token_lifetime: lifetime.map(str::to_owned),
            ..SettingArgs::default()
        };
        lifetime_policy(&args)
    }

    #[test]
    fn unset_means_seven_warning_days_and_no_limit() {
        assert_eq!(policy(None, None).unwrap(), LifetimePolicy::default());
        assert_eq!(
            policy(Some(" "), Some("")).unwrap(),
            LifetimePolicy::default()
        );
    }

    #[test]
    fn days_are_read_and_bounded() {
        let read = policy(Some("0"), Some("365d")).unwrap();
        assert_eq!(read.warning_days, 0);
        assert_eq!(read.max_lifetime_days, Some(365));
        assert_eq!(
            policy(None, Some(" 1d ")).unwrap().max_lifetime_days,
            Some(1)
        );
        for bad in ["-1", "7d", "1.5", "36601", "x"] {
            assert!(
                matches!(policy(Some(bad), None), Err(SettingError::WarningDays(_))),
                "{bad}"
            );
        }
        for bad in ["365", "0d", "-3d", "1y", "12h", "36601d", "d"] {
            assert!(
                matches!(policy(None, Some(bad)), Err(SettingError::MaxLifetime(_))),
                "{bad}"
            );
        }
    }
}
