//! The `convive` binary itself: its commands, its environment variables,
//! and a graceful stop on SIGTERM.

use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::test_database;

/// The binary, with none of the tests' own `CONVIVE_*` variables.
pub fn convive() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_convive"));
    // The tests' own environment must not leak into the binary's settings.
    for (key, _) in std::env::vars() {
        if key.starts_with("CONVIVE_") {
            command.env_remove(key);
        }
    }
    command.env("CONVIVE_LOG", "warn");
    command
}

#[test]
fn help_names_every_environment_variable() {
    let serve_help = convive().args(["serve", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&serve_help.stdout);
    for variable in ["CONVIVE_BIND", "CONVIVE_DATABASE_URL", "CONVIVE_PUBLIC_URL", "CONVIVE_CONFIG"] {
        assert!(text.contains(variable), "`serve --help` should mention {variable}:\n{text}");
    }
}

#[test]
fn a_bad_setting_is_reported_without_starting() {
    let output = convive().args(["migrate"]).env("CONVIVE_DATABASE_URL", "mysql://nope").output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("database_url"));
}

#[tokio::test]
async fn an_organiser_created_from_the_terminal_can_use_her_key_against_the_served_api() {
    let database = test_database().await;
    let migrate =
        convive().args(["migrate", "--database-url", &database.url]).env("CONVIVE_LOG", "info").output().unwrap();
    let logs = String::from_utf8_lossy(&migrate.stderr);
    assert!(migrate.status.success(), "{logs}");
    // Its logs went to a pipe, not a terminal: words, no colour codes.
    assert!(logs.contains("migrations applied") && !logs.contains('\u{1b}'), "{logs:?}");

    let created = convive()
        .args(["organiser", "create", "--name", "Anne", "--email", "anne@example.org"])
        .env("CONVIVE_DATABASE_URL", &database.url)
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let key = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert!(key.starts_with("cvk_"), "stdout holds just the key: {key:?}");

    let again = convive()
        .args(["organiser", "create", "--name", "Anne", "--email", "ANNE@example.org"])
        .env("CONVIVE_DATABASE_URL", &database.url)
        .output()
        .unwrap();
    assert!(!again.status.success(), "the same email cannot be registered twice");

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = convive()
        .arg("serve")
        .env("CONVIVE_DATABASE_URL", &database.url)
        .env("CONVIVE_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    wait_until_ready(&base).await;
    let events = reqwest::Client::new().get(format!("{base}/api/v1/events")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(events.status(), StatusCode::OK);

    let status = stop_with_sigterm(&mut server).await;
    assert!(status.success(), "a graceful stop exits 0, got {status}");
}

/// Polls `/readyz` for up to ten seconds.
async fn wait_until_ready(base: &str) {
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == StatusCode::OK) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not come up at {base}");
}

/// Sends SIGTERM and waits up to ten seconds for the process to exit.
pub async fn stop_with_sigterm(server: &mut std::process::Child) -> std::process::ExitStatus {
    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    for _ in 0..100 {
        if let Some(exit) = server.try_wait().unwrap() {
            return exit;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = server.kill();
    panic!("the server did not stop on SIGTERM")
}
