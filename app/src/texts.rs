//! The words the islands show (the dialogs, the login form), in the page's language. The
//! server translates them from the locale files and hands them to each island as a prop, so
//! the browser's bundle carries no translation: only the page's own words travel, in its HTML.
//! Placeholders such as `{name}` are filled in the browser.

use leptos::prelude::{use_context, StoredValue, WithValue};
use serde::{Deserialize, Serialize};

use crate::model::{ConsoleError, Day, LoginRefusal};

/// Declares [`Text`], in the order [`Texts`] carries them, and (on the server) each text's key
/// in the locale files, with what fills its variables.
macro_rules! texts {
    ($($text:ident => $($key:ident).+ $(, $var:ident = $value:expr)*;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $($text),*
        }

        impl Text {
            pub const ALL: &'static [Text] = &[$(Text::$text),*];

            /// On the server (the browser is given the result).
            pub fn translate(self, locale: crate::language::Locale) -> String {
                match self {
                    $(Text::$text => crate::i18n::td_string!(
                        locale, $($key).+ $(, $var = $value)*
                    ).to_string(),)*
                }
            }
        }
    };
}

texts! {
    Cancel => dialog.cancel;
    Confirm => dialog.confirm;
    Create => dialog.create;
    Save => dialog.save;
    Close => dialog.close;
    CreateTitle => tokens.create_button;
    User => tokens.user;
    TokenName => tokens.token_name;
    ExpirationDate => tokens.expiration_date;
    AllowedAddresses => tokens.allowed_addresses;
    ExpirationHelp => create.expiration_help;
    AtTheLatest => create.at_the_latest, day = "{day}";
    AddressesHelp => addresses.help;
    AddressesOfToken => addresses.token_named, name = "{name}";
    UserPlaceholder => user_field.placeholder;
    Suggestions => user_field.suggestions;
    RevealTitle => reveal.title;
    RevealWarning => reveal.warning;
    ShowToken => reveal.show;
    HideToken => reveal.hide;
    Copy => reveal.copy;
    ClipboardUnavailable => reveal.clipboard_unavailable;
    ClipboardRefused => reveal.clipboard_refused;
    ClipboardNotLoaded => reveal.clipboard_not_loaded;
    RemoveTitle => remove.title;
    RemoveQuestion => remove.question, name = "{name}", user = "{user}";
    DeleteTitle => delete.title;
    DeleteQuestion => delete.question, name = "{name}", user = "{user}";
    RotateTitle => rotate.title;
    RotateDescription => rotate.description, name = "{name}";
    RotateExpirationHelp => rotate.expiration_help;
    RotateOverlap => rotate.overlap_label;
    RotateSubmit => rotate.submit;
    OverlapImmediately => rotate.overlap.immediately;
    OverlapOneHour => rotate.overlap.one_hour;
    OverlapOneDay => rotate.overlap.one_day;
    OverlapSevenDays => rotate.overlap.seven_days;
    Login => login.login;
    Password => login.password;
    LogIn => login.log_in;
    Unreachable => login.unreachable;
    Throttled => login.throttled;
    NotLoggedIn => errors.not_logged_in;
    InvalidCredentials => errors.invalid_credentials;
    Forbidden => errors.forbidden, right = crate::product::CONSOLE_RIGHT;
    FeatureDisabled => errors.feature_disabled, flag = crate::product::flag_name();
    NotEmployed => errors.not_employed;
    BadRequest => errors.bad_request, message = "{message}";
    Unavailable => errors.unavailable, message = "{message}";
    CrossOrigin => errors.cross_origin;
    UnreadableAnswer => errors.unreadable_answer;
    TooManyAttempts => errors.too_many_attempts, seconds = "{seconds}";
    Busy => errors.busy, seconds = "{seconds}";
    MethodNotAllowed => errors.method_not_allowed;
    TooLarge => errors.too_large;
    TooSlow => errors.too_slow;
    DatabaseUnavailable => errors.database_unavailable, seconds = "{seconds}";
    Internal => errors.internal;
}

/// Every [`Text`], translated, in [`Text::ALL`]'s order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts(Vec<String>);

impl Texts {
    /// `latest`: the lifetime policy's last day for a token created today, which
    /// [`Text::AtTheLatest`] then says (empty without a limit).
    pub fn new(locale: crate::language::Locale, latest: Option<&Day>) -> Self {
        let mut texts = Self(
            Text::ALL
                .iter()
                .map(|text| text.translate(locale))
                .collect(),
        );
        let at_the_latest = match latest {
            Some(latest) => texts.fill(Text::AtTheLatest, &[("day", &latest.shown)]),
            None => String::new(),
        };
        if let Some(slot) = texts.0.get_mut(Text::AtTheLatest as usize) {
            *slot = at_the_latest;
        }
        texts
    }

    pub fn get(&self, text: Text) -> &str {
        self.0.get(text as usize).map_or("", String::as_str)
    }

    /// The text with each `{name}` replaced by its value, in one pass (a value that looks like
    /// a placeholder, such as a token named `{user}`, stays as it is).
    pub fn fill(&self, text: Text, values: &[(&str, &str)]) -> String {
        let mut rest = self.get(text);
        let mut filled = String::with_capacity(rest.len());
        while let Some(start) = rest.find('{') {
            filled.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let value = after.find('}').and_then(|end| {
                let name = &after[..end];
                let value = values.iter().find(|(key, _)| *key == name)?.1;
                Some((value, end))
            });
            match value {
                Some((value, end)) => {
                    filled.push_str(value);
                    rest = &after[end + 1..];
                }
                None => {
                    filled.push('{');
                    rest = after;
                }
            }
        }
        filled.push_str(rest);
        filled
    }

    /// What the console says of a refused call.
    pub fn error(&self, error: &ConsoleError) -> String {
        let seconds =
            |text, seconds: &u64| self.fill(text, &[("seconds", seconds.to_string().as_str())]);
        let text = match error {
            ConsoleError::Invalid { errors } => {
                let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
                return messages.join(" ");
            }
            ConsoleError::NotFound { message } | ConsoleError::Conflict { message } => {
                return message.clone()
            }
            ConsoleError::BadRequest { message } => {
                return self.fill(Text::BadRequest, &[("message", message)])
            }
            ConsoleError::Unavailable { message } => {
                return self.fill(Text::Unavailable, &[("message", message)])
            }
            ConsoleError::TooManyAttempts { retry_after } => {
                return seconds(Text::TooManyAttempts, retry_after)
            }
            ConsoleError::Busy { retry_after } => return seconds(Text::Busy, retry_after),
            ConsoleError::DatabaseUnavailable { retry_after } => {
                return seconds(Text::DatabaseUnavailable, retry_after)
            }
            ConsoleError::NotLoggedIn => Text::NotLoggedIn,
            ConsoleError::InvalidCredentials => Text::InvalidCredentials,
            ConsoleError::Forbidden => Text::Forbidden,
            ConsoleError::FeatureDisabled => Text::FeatureDisabled,
            ConsoleError::NotEmployed => Text::NotEmployed,
            ConsoleError::CrossOrigin => Text::CrossOrigin,
            ConsoleError::UnreadableAnswer => Text::UnreadableAnswer,
            ConsoleError::MethodNotAllowed => Text::MethodNotAllowed,
            ConsoleError::TooLarge => Text::TooLarge,
            ConsoleError::TooSlow => Text::TooSlow,
            ConsoleError::Internal => Text::Internal,
        };
        self.get(text).to_owned()
    }

    /// What the login form says of a refused login.
    pub fn refusal(&self, refusal: LoginRefusal) -> String {
        match refusal {
            LoginRefusal::Throttled => self.get(Text::Throttled).to_owned(),
            LoginRefusal::NotEmployed => self.error(&ConsoleError::NotEmployed),
            LoginRefusal::Busy => self.error(&ConsoleError::Busy {
                retry_after: crate::model::PASSWORD_CHECK_WAIT_SECONDS,
            }),
            LoginRefusal::Invalid => self.error(&ConsoleError::InvalidCredentials),
        }
    }
}

/// The lifetime policy's latest expiration date for a token created today, if it has one (on
/// the server, from the console's settings; `None` elsewhere).
pub fn latest_expiration(locale: crate::language::Locale) -> Option<Day> {
    #[cfg(feature = "ssr")]
    if let Some(console) = use_context::<crate::backend::Console>() {
        return console
            .policy
            .latest_expiration(console.today())
            .map(|day| {
                let day = day.to_string();
                Day {
                    shown: crate::words::date(locale, &day),
                    day,
                }
            });
    }
    let _ = locale;
    None
}

/// The texts of the island being rendered (or of the server page around shared fields),
/// to use anywhere in its views.
#[derive(Debug, Clone, Copy)]
pub struct Words(StoredValue<Texts>);

impl Words {
    pub fn get(self, text: Text) -> String {
        self.0.with_value(|texts| texts.get(text).to_owned())
    }

    pub fn fill(self, text: Text, values: &[(&str, &str)]) -> String {
        self.0.with_value(|texts| texts.fill(text, values))
    }

    pub fn error(self, error: &ConsoleError) -> String {
        self.0.with_value(|texts| texts.error(error))
    }

    pub fn refusal(self, refusal: LoginRefusal) -> String {
        self.0.with_value(|texts| texts.refusal(refusal))
    }
}

impl From<Texts> for Words {
    fn from(texts: Texts) -> Self {
        Self(StoredValue::new(texts))
    }
}

pub fn use_texts() -> Words {
    use_context::<Texts>().unwrap_or_default().into()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::language::Locale;

    #[test]
    fn every_text_is_translated_and_placeholders_are_filled_in_the_browser() {
        for &locale in crate::language::all() {
            let texts = Texts::new(locale, None);
            for &text in Text::ALL {
                let said = text.translate(locale);
                assert!(!said.trim().is_empty(), "{text:?} in {locale:?}");
            }
            // A token named like a placeholder is shown as named.
            let odd = texts.fill(
                Text::RemoveQuestion,
                &[("name", "{user}"), ("user", "Billing")],
            );
            assert!(odd.contains("{user}") && odd.contains("Billing"), "{odd}");
            let question = texts.fill(
                Text::RemoveQuestion,
                &[("name", "Nightly"), ("user", "Billing")],
            );
            assert!(
                question.contains("Nightly") && question.contains("Billing"),
                "{question}"
            );
            assert!(!question.contains('{'), "{question}");
            let busy = texts.error(&ConsoleError::Busy { retry_after: 7 });
            assert!(busy.contains('7') && !busy.contains('{'), "{busy}");
        }
        let latest = Day {
            day: "2027-12-01".into(),
            shown: "1 déc. 2027".into(),
        };
        let fr = Texts::new(Locale::fr, Some(&latest));
        assert_eq!(fr.get(Text::Cancel), "Annuler");
        assert_eq!(fr.get(Text::AtTheLatest), "Au plus tard le 1 déc. 2027.");
        assert_eq!(Texts::new(Locale::en, None).get(Text::Cancel), "Cancel");
        assert_eq!(Texts::new(Locale::en, None).get(Text::AtTheLatest), "");
    }
}
