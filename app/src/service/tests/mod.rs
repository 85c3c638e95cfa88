//! The gate rules (session, right 090201, employment, feature flag) and the eligibility of
//! token owners, through the service's own entry points over an in-memory store.

mod fake;
mod gates;
mod login;
mod tokens;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use argon2::password_hash::{PasswordHasher, SaltString};
use chrono::{NaiveDate, TimeZone, Utc};

use super::{Caller, NewTokenForm};
use crate::backend::{
    Author, Clock, Console, LocalCounts, LoginThrottle, NewToken, PasswordChecks, PersonRecord,
};
use crate::domain::device::DeviceKey;
use crate::domain::{Employment, TokenName, TokenSecret, CONSOLE_RIGHT};
use crate::model::ConsoleError;
use fake::{FakePerson, FakeStore};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

const PASSWORD: &str = "correct horse battery";
const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));

/// A cheap argon2id hash (the checks read the cost from the hash itself).
fn cheap_hash(password: &str) -> String {
    let params = argon2::Params::new(64, 1, 1, None).expect("argon2 parameters");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(&[1; 16]).expect("a salt");
    argon
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_else(|e| panic!("cannot hash {password:?}: {e}"))
}

/// Someone the store knows: id, login, technical, employed from, until, holds 090201.
struct Someone(
    i64,
    &'static str,
    bool,
    &'static str,
    Option<&'static str>,
    bool,
);

const PEOPLE: [Someone; 7] = [
    Someone(1, "admin", false, "2020-01-01", None, true),
    Someone(2, "clerk", false, "2020-01-01", None, false),
    Someone(3, "leaver", false, "2020-01-01", Some("2026-06-14"), true),
    Someone(4, "robot", true, "2024-01-01", None, false),
    Someone(
        5,
        "old-robot",
        true,
        "2020-01-01",
        Some("2026-06-01"),
        false,
    ),
    Someone(6, "human", false, "2020-01-01", None, false),
    Someone(7, "next-robot", true, "2026-07-01", None, false),
];

struct World {
    store: Arc<FakeStore>,
    console: Console,
}

impl World {
    /// The people above, the feature flag on, and one token of robot's ("nightly", id 1).
    /// Today is 2026-06-15 in Paris.
    fn new() -> Self {
        let store = Arc::new(FakeStore::default());
        {
            let mut state = store.state();
            state.flag_enabled = true;
            for Someone(id, login, technical, start, end, admin) in PEOPLE {
                state.people.push(FakePerson {
                    person: PersonRecord {
                        id,
                        login: login.to_owned(),
                        name: format!("{login} (the name)"),
                        employment: Employment {
                            technical,
                            start: day(start),
                            end: end.map(day),
                        },
                    },
                    password_hash: Some(cheap_hash(PASSWORD)),
                    rights: admin
                        .then(|| CONSOLE_RIGHT.to_owned())
                        .into_iter()
                        .collect(),
                });
            }
        }
        let now = Utc.with_ymd_and_hms(2026, 6, 15, 10, 0, 0).single();
        let console = Console {
            store: fake::shared(&store),
            clock: Clock::fixed(now.expect("a valid instant")),
            zone: chrono_tz::Europe::Paris,
            secure_cookies: true,
            sessions: Default::default(),
            login_throttle: Arc::new(LoginThrottle::new(Arc::new(LocalCounts::default()))),
            device_key: DeviceKey::from_bytes([9; 32]),
            password_checks: Arc::new(PasswordChecks::default()),
            policy: Default::default(),
        };
        let world = Self { store, console };
        world.add_token(4, "nightly");
        world
    }

    fn add_token(&self, owner_id: i64, name: &str) {
        let secret = TokenSecret::from_entropy([owner_id as u8; 32]);
        self.store.state().push_token(NewToken {
            owner_id,
            name: TokenName::parse(name).expect("a token name"),
            hash: secret.hash(),
            hint: secret.hint(),
            created_at: self.console.now(),
            created_by: Author::Person(1),
            expires_on: day("2027-01-01"),
            allowed: Default::default(),
        });
    }

    /// A caller with a live session of `login`'s, from [`CLIENT`].
    fn session_of(&self, login: &str) -> Caller {
        let secret = format!("session-of-{login}");
        let mut state = self.store.state();
        let id = (state.people.iter())
            .find(|p| p.person.login == login)
            .map(|p| p.person.id)
            .expect("a known login");
        state
            .sessions
            .insert(crate::domain::token::sha256_hex(&secret), id);
        Caller {
            session: Some(secret),
            device: None,
            client: Some(CLIENT),
            locale: crate::language::Locale::en,
        }
    }

    fn audited(&self) -> Vec<(String, String, String)> {
        (self.store.state().audit.iter())
            .map(|e| {
                (
                    e.action.code().to_owned(),
                    e.actor.clone(),
                    e.target.clone(),
                )
            })
            .collect()
    }
}

fn form<'a>(user_id: &'a str, user: &'a str, name: &'a str) -> NewTokenForm<'a> {
    NewTokenForm {
        user_id,
        user,
        name,
        expiration: "2026-12-31",
        allowed_addresses: "",
    }
}

/// Only the error, or `Ok(())`: what each gate test compares.
fn outcome<T>(result: Result<T, ConsoleError>) -> Result<(), ConsoleError> {
    result.map(|_| ())
}
