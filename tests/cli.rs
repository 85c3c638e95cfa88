//! The operator CLI against a real database: clear answers, non-zero exits on bad input.

use crate::support;

use serde_json::Value;
use support::TestDb;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn user_add_refuses_bad_input_with_a_clear_message() {
    let db = TestDb::new();
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
    let db = TestDb::new();
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

#[tokio::test]
async fn demo_seeds_an_empty_database_once_and_prints_the_password_once() {
    let db = TestDb::new();
    let first = db.cli_ok("demo", None);
    let password = first
        .split("with password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a password in the demo output")
        .to_owned();
    assert!(password.len() >= 16, "{first}");
    let second = db.cli_ok("demo", None);
    assert!(second.contains("not added"), "{second}");
    assert!(!second.contains(&password));

    // The seeded admin logs in; the flag is on; technical users employed today are offered.
    let server = db.start();
    let admin = server.login(("admin", password.as_str())).await;
    let logins: Vec<String> = server.eligible_logins(&admin).await;
    assert_eq!(logins, ["svc-billing", "svc-crm-sync"]);

    // A token in every state the console shows; none of their secrets is ever printed.
    let tokens = server.tokens(&admin).await;
    let shown = |status: &str, reason: &Value| {
        tokens
            .iter()
            .filter(|t| t["status"] == status && t["removal_reason"] == *reason)
            .count()
    };
    for status in ["Active", "ExpiresSoon", "Expired", "UserInactive"] {
        assert_eq!(
            shown(status, &Value::Null),
            if status == "Active" { 3 } else { 1 },
            "{status}"
        );
    }
    assert_eq!(
        shown("Removed", &Value::Null),
        1,
        "removed by an administrator"
    );
    assert_eq!(
        shown("Removed", &Value::from("Holder")),
        1,
        "revoked by its holder"
    );
    assert_eq!(
        shown("Removed", &Value::from("Rotated")),
        1,
        "replaced by rotation"
    );
    assert!(tokens.iter().any(|t| t["allowed_addresses"].is_string()));
    assert!(!first.contains("jet_"), "{first}");
    let (_, page) = server.call(&admin, "audit_log", &[("page", "1")]).await;
    assert!(page["total"].as_u64().unwrap_or_default() >= 11, "{page}");
    for person in ["svc-legacy-export", "jdupont"] {
        let out = db.cli(&format!("user add --login {person} --name Dup"), None);
        assert!(!out.status.success(), "{person} should have been seeded");
    }
}

#[test]
fn user_set_changes_employment_and_refuses_bad_input() {
    let db = TestDb::new();
    db.cli_ok(
        "user add --login svc-a --name A --technical --employed-from 2020-01-01",
        None,
    );
    assert_eq!(
        db.cli_ok(
            "user set --login svc-a --technical false --employed-until 2024-06-30",
            None
        )
        .trim(),
        "updated svc-a; 0 console sessions ended"
    );
    assert_eq!(
        db.cli_ok("user set --login svc-a --employed-until none", None)
            .trim(),
        "updated svc-a; 0 console sessions ended"
    );
    let cases = [
        ("user set --login svc-a", "nothing to change"),
        ("user set --login nobody --technical true", "no person"),
        (
            "user set --login svc-a --employed-until 2019-12-31",
            "before",
        ),
        (
            "user set --login svc-a --employed-from 2020-02-30",
            "--employed-from",
        ),
        ("user set --login svc-a --technical maybe", "--technical"),
        ("migrate --demo", "--demo"),
        ("--demo migrate", "--demo"),
    ];
    for (line, expected) in cases {
        let out = db.cli(line, None);
        assert!(!out.status.success(), "{line} succeeded");
        assert!(stderr(&out).contains(expected), "{line}: {}", stderr(&out));
    }
}

#[test]
fn bad_settings_are_refused_at_start() {
    let db = TestDb::new().with_env("JETONS_TIME_ZONE", "Mars/Olympus");
    let out = db.cli("migrate", None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("JETONS_TIME_ZONE"),
        "{}",
        stderr(&out)
    );
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
}

/// Every variable of README's settings table is documented by `--help`, and a flag sets
/// what its variable would.
#[test]
fn help_documents_every_setting_and_flags_work_like_variables() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let variables: Vec<&str> = readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split(['`', '=']).next())
        .filter(|name| name.starts_with("JETONS_") || name.starts_with("DATABASE_"))
        .collect();
    assert!(variables.len() > 15, "settings table: {variables:?}");
    let help = std::process::Command::new(support::SERVER)
        .arg("--help")
        .env(
            "DATABASE_URL",
            "postgres://someone:hunter2@db.example/jetons",
        )
        .output()
        .expect("server --help");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for variable in &variables {
        assert!(
            help.contains(&format!("env: {variable}")),
            "{variable} in:\n{help}"
        );
    }
    assert!(
        !help.contains("hunter2"),
        "--help shows a variable's value:\n{help}"
    );

    let db = TestDb::new();
    let out = db.cli("--time-zone Mars/Olympus migrate", None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("JETONS_TIME_ZONE=\"Mars/Olympus\""),
        "{}",
        stderr(&out)
    );
    db.cli_ok("--time-zone Europe/Paris migrate", None);
}
