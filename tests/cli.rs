//! The operator CLI against a real database: clear answers, non-zero exits on bad input.

mod support;

use support::TestDb;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn user_add_refuses_bad_input_with_a_clear_message() {
    let db = TestDb::sqlite();
    db.cli_ok("user add --login svc-a --name A --technical", None);
    let cases = [
        ("user add --login svc-a --name Again", "already exists"),
        ("user add --login svc-b --name B --employed-from 2024-02-30", "--employed-from"),
        ("user add --login svc-b --name B --employed-until tomorrow", "--employed-until"),
        ("user add --login svc-b --name B --employed-from 2024-01-02 --employed-until 2024-01-01", "before"),
        ("user add --login svc-b --name B --right admin", "six digits"),
        ("user add --login 'with space' --name B", "--login"),
        ("user add --login svc-b --name '  '", "--name"),
        ("user add --login svc-b", "--name"),
        ("flag enable Technique", "LABEL"),
        ("frobnicate", "unrecognized subcommand"),
    ];
    for (args, expected) in cases {
        let out = db.cli(args, None);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let short = db.cli(
        "user add --login svc-c --name C --password-stdin",
        Some("short"),
    );
    assert!(!short.status.success());
    assert!(stderr(&short).contains("at least 8"), "{}", stderr(&short));
}

#[test]
fn flags_toggle_and_say_so() {
    let db = TestDb::sqlite();
    assert_eq!(
        db.cli_ok("flag enable Technique 'Jetons Api'", None).trim(),
        "feature flag Technique > Jetons Api enabled"
    );
    assert_eq!(
        db.cli_ok("flag disable Technique 'Jetons Api'", None)
            .trim(),
        "feature flag Technique > Jetons Api disabled"
    );
}

#[test]
fn demo_seeds_an_empty_database_once_and_prints_the_password_once() {
    let db = TestDb::sqlite();
    let first = db.cli_ok("demo", None);
    let password = first
        .split("with password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a password in the demo output");
    assert!(password.len() >= 16, "{first}");
    let second = db.cli_ok("demo", None);
    assert!(second.contains("not added"), "{second}");
    assert!(!second.contains(password));
    let again = db.cli("user add --login admin --name Dup", None);
    assert!(!again.status.success(), "the demo admin should exist");
}

#[test]
fn bad_settings_are_refused_at_start() {
    let db = TestDb::sqlite().with_env("JETONS_TIME_ZONE", "Mars/Olympus");
    let out = db.cli("migrate", None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("JETONS_TIME_ZONE"),
        "{}",
        stderr(&out)
    );
    let db = TestDb::sqlite().with_env("DATABASE_URL", "mysql://nope");
    let out = std::process::Command::new(support::SERVER)
        .arg("migrate")
        .env("DATABASE_URL", "mysql://localhost/nope")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("sqlite: or postgres:"),
        "{}",
        stderr(&out)
    );
    drop(db);
}
