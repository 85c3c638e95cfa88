//! `server token create|list|remove|delete`: the console's rules from a script, only the token
//! on standard output, every change audited as the operator, refusals that change nothing.

use chrono::{Days, NaiveDate};
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{self, TestDb, ADMIN};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn in_days(days: u64) -> String {
    let today: NaiveDate = support::today().parse().expect("today");
    (today + Days::new(days)).to_string()
}

/// A day as the console's English writes it ("Dec 31, 2026").
fn shown_day(days: u64) -> String {
    let day: NaiveDate = in_days(days).parse().expect("a day");
    day.format("%b %-d, %Y").to_string()
}

fn listed(db: &TestDb, filter: &str) -> Vec<Value> {
    let out = db.cli_ok(&format!("token list --format json {filter}"), None);
    serde_json::from_str::<Vec<Value>>(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// The operator as the CLI names them in the audit log and the table.
fn operator() -> String {
    match std::env::var("USER").or_else(|_| std::env::var("LOGNAME")) {
        Ok(account) if !account.trim().is_empty() => format!("operator {} (CLI)", account.trim()),
        _ => "operator (CLI)".to_owned(),
    }
}

#[tokio::test]
async fn a_created_token_is_printed_alone_works_and_is_stopped_by_remove_and_delete() {
    let db = TestDb::new();
    db.seed();
    let expires = in_days(10);
    let out = db.cli(
        &format!("token create --user svc-billing --name deploy --expires {expires}"),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let token = stdout.trim_end_matches('\n');
    assert!(
        token.starts_with("jet_") && !token.contains(char::is_whitespace),
        "{stdout:?}"
    );
    assert_eq!(stdout, format!("{token}\n"), "stdout holds the token alone");
    assert!(
        !text(&out.stderr).contains(token),
        "the token is printed once"
    );
    assert!(
        text(&out.stderr).contains("deploy"),
        "{}",
        text(&out.stderr)
    );

    let tokens = listed(&db, "");
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    let row = &tokens[0];
    assert_eq!(row["user"], "svc-billing");
    assert_eq!(row["name"], "deploy");
    assert_eq!(row["expires_on"], expires.as_str());
    assert_eq!(row["status"], "active");
    assert_eq!(row["created_by"], operator().as_str());
    assert!(
        !row.to_string().contains(token),
        "the list never shows a token"
    );
    let id = row["id"].as_i64().expect("an id");

    // The API accepts it; the console shows it, made by the operator, in the table and the log.
    let server = db.start();
    let (status, _, me) = server.me(token).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["login"], "svc-billing", "{me}");
    let admin = server.login(ADMIN).await;
    let shown = server.tokens(&admin).await;
    assert_eq!(shown[0]["created_by"], operator().as_str(), "{shown:?}");

    let removed = db.cli_change(&format!("token remove --id {id}"));
    let (status, _, _) = server.me_once_stopped(token, removed, "token remove").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(listed(&db, "")[0]["status"], "removed");

    let out = db.cli_ok(&format!("token delete --id {id}"), None);
    assert_eq!(out.trim(), format!("deleted token {id}"));
    assert!(listed(&db, "").is_empty());

    let (_, page) = server.call(&admin, "audit_log", &[("page", "1")]).await;
    let events: Vec<(String, String, String)> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["client"] == "local (CLI)" && e["target"] == "svc-billing › deploy")
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["actor"].as_str().unwrap_or_default().to_owned(),
                e["client"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let by = |action: &str| (action.to_owned(), operator(), "local (CLI)".to_owned());
    assert_eq!(
        events,
        [by("TokenDeleted"), by("TokenRemoved"), by("TokenCreated")],
        "{page}"
    );
}

#[test]
fn create_refuses_what_the_console_refuses_and_changes_nothing() {
    let db = TestDb::new().with_env("JETONS_MAX_TOKEN_LIFETIME", "30d");
    db.seed();
    db.cli_ok("token create --user svc-billing --name taken", None);
    let cases = [
        (
            "--user nobody --name a",
            "--user: This user does not exist.",
        ),
        (
            "--user jdupont --name a",
            "--user: This user is not a technical user.",
        ),
        (
            "--user svc-gone --name a",
            "--user: This user no longer works",
        ),
        (
            "--user svc-future --name a",
            "--user: This user is not yet working",
        ),
        (
            "--user svc-billing --name ' '",
            "--name: Enter a token name.",
        ),
        (
            "--user svc-billing --name taken",
            "already has a token named “taken”",
        ),
        (
            "--user svc-billing --name a --expires 2024-02-30",
            "--expires: Enter the expiration date as YYYY-MM-DD.",
        ),
        (
            "--user svc-billing --name a --expires 2020-01-01",
            "--expires: The expiration date cannot be before today",
        ),
        (
            "--user svc-billing --name a --expires 99999-01-01",
            "--expires: The expiration date must be in year",
        ),
        (
            "--user svc-billing --name a --allowed-addresses 10.0.0.300",
            "--allowed-addresses:",
        ),
    ];
    let beyond = format!("--user svc-billing --name a --expires {}", in_days(31));
    let all_at_once = "--user nobody --name ' ' --expires yesterday";
    let cases = cases
        .iter()
        .map(|(args, expected)| (args.to_string(), expected.to_string()))
        .chain([
            (
                beyond,
                format!(
                    "--expires: The expiration date can be {} at the latest",
                    shown_day(30)
                ),
            ),
            (
                all_at_once.to_owned(),
                "--user: This user does not exist.; --name: Enter a token name.; --expires:"
                    .to_owned(),
            ),
        ]);
    for (args, expected) in cases {
        let out = db.cli(&format!("token create {args}"), None);
        assert_eq!(out.status.code(), Some(1), "{args}: {}", text(&out.stderr));
        assert!(
            out.stdout.is_empty(),
            "{args}: stdout {:?}",
            text(&out.stdout)
        );
        assert!(
            text(&out.stderr).contains(&expected),
            "{args}: {}",
            text(&out.stderr)
        );
    }
    // Usage mistakes are told by the argument parser, with its own exit code.
    for args in [
        "--name a",
        "--user svc-billing",
        "--user svc-billing --name a --expires",
    ] {
        let out = db.cli(&format!("token create {args}"), None);
        assert_eq!(out.status.code(), Some(2), "{args}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
    }
    // While the feature flag is off, API tokens do not work: no new one.
    db.cli_ok("flag disable Technique 'Jetons Api'", None);
    let out = db.cli("token create --user svc-billing --name flagged", None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("server flag enable Technique"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(listed(&db, "").len(), 1, "listing works with the flag off");
    db.cli_ok("flag enable Technique 'Jetons Api'", None);
    let tokens = listed(&db, "");
    assert_eq!(tokens.len(), 1, "only the first token exists: {tokens:?}");
    let out = db.cli_ok(
        &format!(
            "token create --user svc-billing --name a --expires {}",
            in_days(30)
        ),
        None,
    );
    assert!(out.starts_with("jet_"), "{out}");
}

#[test]
fn remove_and_delete_refuse_unknown_and_removed_tokens() {
    let db = TestDb::new();
    db.seed();
    db.cli_ok("token create --user svc-billing --name once", None);
    let id = listed(&db, "")[0]["id"].as_i64().expect("id");
    db.cli_ok(&format!("token remove --id {id}"), None);
    let cases = [
        (
            format!("token remove --id {id}"),
            1,
            "This token has already been removed.",
        ),
        (
            "token remove --id 999999".to_owned(),
            1,
            "This token does not exist",
        ),
        (
            "token delete --id 999999".to_owned(),
            1,
            "This token does not exist",
        ),
        ("token delete --id first".to_owned(), 2, "--id"),
        ("token remove".to_owned(), 2, "--id"),
    ];
    for (line, code, expected) in cases {
        let out = db.cli(&line, None);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{line}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{line}: {}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains(expected),
            "{line}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(listed(&db, "")[0]["status"], "removed");
}

#[test]
fn list_filters_by_user_and_status_and_reads_every_token() {
    let db = TestDb::new();
    db.seed();
    db.cli_ok(
        "user add --login svc-crm --name 'CRM sync' --technical --employed-from 2020-01-01",
        None,
    );
    db.cli_ok("token create --user svc-billing --name one", None);
    db.cli_ok(
        &format!(
            "token create --user svc-crm --name two --expires {}",
            in_days(100)
        ),
        None,
    );
    let text_list = db.cli_ok("token list --user svc-crm", None);
    let lines: Vec<&str> = text_list.lines().collect();
    assert_eq!(
        lines[0],
        "ID\tUser\tToken name\tStatus\tCreation date\tCreated by\tExpiration date\tLast used"
    );
    assert_eq!(lines.len(), 2, "{text_list}");
    let fields: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(fields[1..4], ["svc-crm", "two", "active"], "{text_list}");
    assert_eq!(fields[6], in_days(100));

    let soon: Vec<Value> = listed(&db, "--status expires_soon");
    assert_eq!(soon.len(), 1, "{soon:?}");
    assert_eq!(soon[0]["name"], "one");
    for format in ["text", "json"] {
        let out = db.cli(&format!("token list --user nobody --format {format}"), None);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(out.stdout.is_empty(), "{format}: {}", text(&out.stdout));
    }
    let out = db.cli("token list --user nobody", None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--user: This user does not exist."),
        "{}",
        text(&out.stderr)
    );
    let out = db.cli("token list --status gone", None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("active, expires_soon"),
        "{}",
        text(&out.stderr)
    );

    // More tokens than one read returns: every one is listed once, newest first.
    db.cli_ok("bench-data --people 40 --technical 8 --tokens 1234", None);
    let all = listed(&db, "");
    assert_eq!(all.len(), 1236);
    let mut ids: Vec<i64> = all.iter().filter_map(|t| t["id"].as_i64()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 1236, "no token twice");
    let text_all = db.cli_ok("token list", None);
    assert_eq!(text_all.lines().count(), 1237);
}
