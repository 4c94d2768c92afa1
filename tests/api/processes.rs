//! Real `convive` processes: several sharing one database, and one killed
//! in the middle of a large send.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use convive::storage::entities::outbox;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::helpers::{backend_is_postgres, test_database};
use crate::mailbox::MailServer;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `convive serve` process on `database_url`, sending to `smtp_port`.
struct Process {
    child: Child,
    base: String,
}

impl Process {
    async fn start(database_url: &str, smtp_port: u16, secret_key: &str, mail_dir: &std::path::Path) -> Self {
        Self::start_with(database_url, smtp_port, secret_key, mail_dir, &[]).await
    }

    /// With `settings` (`CONVIVE_*` variables) over the ones above.
    async fn start_with(
        database_url: &str,
        smtp_port: u16,
        secret_key: &str,
        mail_dir: &std::path::Path,
        settings: &[(&str, &str)],
    ) -> Self {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_convive"));
        for (key, _) in std::env::vars() {
            if key.starts_with("CONVIVE_") {
                command.env_remove(key);
            }
        }
        let mut child = command
            .arg("serve")
            .env("CONVIVE_DATABASE_URL", database_url)
            .env("CONVIVE_BIND", format!("127.0.0.1:{port}"))
            .env("CONVIVE_SECRET_KEY", secret_key)
            .env("CONVIVE_SMTP_HOST", "127.0.0.1")
            .env("CONVIVE_SMTP_PORT", smtp_port.to_string())
            .env("CONVIVE_SMTP_SECURITY", "none")
            .env("CONVIVE_SCHEDULER_INTERVAL_SECONDS", "1")
            .env("CONVIVE_DISPATCH_BATCH_SIZE", "50")
            .env("CONVIVE_DISPATCH_LEASE_SECONDS", "3")
            .env("CONVIVE_MAIL_DIR", mail_dir)
            .env("CONVIVE_LOG", "warn")
            .envs(settings.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == StatusCode::OK) {
                return Self { child, base };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("convive did not start");
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stops it as an operator would, with SIGTERM: it finishes the batch
    /// in flight first, so once it has exited nothing more comes from it.
    async fn stop(&mut self) {
        let status = crate::cli::stop_with_sigterm(&mut self.child).await;
        assert!(status.success(), "a graceful stop exits 0, got {status}");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Anne, an organiser, made with the CLI as an operator would: her API key.
fn create_anne(database_url: &str) -> String {
    let created = Command::new(env!("CARGO_BIN_EXE_convive"))
        .args(["organiser", "create", "--name", "Anne", "--email", "anne@example.org"])
        .env("CONVIVE_DATABASE_URL", database_url)
        .env("CONVIVE_LOG", "warn")
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    String::from_utf8(created.stdout).unwrap().trim().to_owned()
}

/// An organiser, a published event and `guests` invitations, through the API
/// of the first process. Returns nothing: the mail tells the rest.
async fn publish_event_with_guests(base: &str, database_url: &str, guests: usize) {
    let key = create_anne(database_url);
    let client = reqwest::Client::new();
    let mut event = crate::helpers::cafe_des_victoires();
    crate::helpers::merge(&mut event, json!({ "capacity": null }));
    let event: serde_json::Value = client
        .post(format!("{base}/api/v1/events"))
        .bearer_auth(&key)
        .json(&event)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let event_id = event["id"].as_str().unwrap();
    for chunk in (0..guests).collect::<Vec<_>>().chunks(1000) {
        let rows: Vec<_> = chunk.iter().map(|i| json!({ "email": format!("guest{i}@example.org") })).collect();
        let response = client
            .post(format!("{base}/api/v1/events/{event_id}/guests/bulk"))
            .bearer_auth(&key)
            .json(&json!({ "guests": rows }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let published =
        client.post(format!("{base}/api/v1/events/{event_id}/publish")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(published.status(), StatusCode::OK);
}

/// Waits (up to `timeout`) until the outbox holds nothing left to send:
/// every row is sent, skipped or failed, none pending or being sent.
async fn wait_until_the_outbox_is_settled(database_url: &str, timeout: Duration) {
    let db = Database::connect(database_url).await.expect("the test database is reachable");
    let deadline = Instant::now() + timeout;
    loop {
        let unsettled = outbox::Entity::find()
            .filter(outbox::Column::Status.is_in(["pending", "sending"]))
            .count(&db)
            .await
            .expect("the outbox can be read");
        if unsettled == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{unsettled} emails still unsent after {timeout:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    db.close().await.ok();
}

fn count_per_recipient(server: &MailServer) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for message in server.messages() {
        *counts.entry(message.recipient().to_owned()).or_insert(0) += 1;
    }
    counts
}

#[tokio::test]
async fn two_processes_on_one_postgresql_send_every_email_exactly_once() {
    if !backend_is_postgres() {
        // SQLite is single-node by design; this is the PostgreSQL scale-out.
        return;
    }
    let database = test_database().await;
    let server = MailServer::start().await;
    let key = convive::domain::token::SecretKey::generate().to_base64();
    // A lease that covers the batches a process holds (being sent, written,
    // being written) even on a loaded machine: neither process dies here,
    // so a second send could only come from two claims of one row. With 3 s
    // (as the crash test needs) the whole suite's load once let leases run
    // out between the sending and its record, and the other process sent
    // those rows again, as it must after a crash.
    let lease = [("CONVIVE_DISPATCH_LEASE_SECONDS", "60")];
    let mut first = Process::start_with(&database.url, server.port, &key, database.scratch.path(), &lease).await;
    let mut second = Process::start_with(&database.url, server.port, &key, database.scratch.path(), &lease).await;
    let guests = 2000;
    publish_event_with_guests(&first.base, &database.url, guests).await;
    server.wait_for(guests, Duration::from_mins(2)).await;
    // Every row has its outcome, and neither process has a send in flight.
    wait_until_the_outbox_is_settled(&database.url, Duration::from_mins(1)).await;
    first.stop().await;
    second.stop().await;
    let counts = count_per_recipient(&server);
    assert_eq!(counts.len(), guests, "every guest got her invitation");
    let duplicated: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicated.is_empty(), "sent twice: {duplicated:?}");
    // One Message-ID per outbox row: no row was rendered twice.
    let message_ids: std::collections::HashSet<String> =
        server.messages().iter().filter_map(|m| m.header("Message-ID")).collect();
    assert_eq!(message_ids.len(), guests);
}

#[tokio::test]
async fn a_process_killed_mid_send_loses_no_email_after_a_restart() {
    let database = test_database().await;
    let server = MailServer::start().await;
    let key = convive::domain::token::SecretKey::generate().to_base64();
    let mut process = Process::start(&database.url, server.port, &key, database.scratch.path()).await;
    let guests = 1500;
    publish_event_with_guests(&process.base, &database.url, guests).await;
    // Kill it (SIGKILL) once sending is under way but far from done.
    server.wait_for(100, Duration::from_mins(1)).await;
    process.kill();
    let before_restart = server.messages().len();
    assert!(before_restart < guests, "the kill came too late to prove anything");

    let mut restarted = Process::start(&database.url, server.port, &key, database.scratch.path()).await;
    server.wait_for(guests, Duration::from_mins(2)).await;
    // Every row has its outcome, and no send is left in flight.
    wait_until_the_outbox_is_settled(&database.url, Duration::from_mins(1)).await;
    restarted.stop().await;
    let counts = count_per_recipient(&server);
    assert_eq!(counts.len(), guests, "no email was lost");
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    // At most the batch that was in flight when the process died goes twice.
    eprintln!("killed after {before_restart} of {guests} sent; duplicates after restart: {duplicates}");
    assert!(duplicates <= 50, "{duplicates} duplicates, more than one batch in flight");
}

/// The rows being sent, by id, with their leases.
async fn rows_being_sent(database_url: &str) -> Vec<(i64, Option<chrono::DateTime<chrono::Utc>>)> {
    let db = Database::connect(database_url).await.expect("the test database is reachable");
    let rows = outbox::Entity::find()
        .filter(outbox::Column::Status.eq("sending"))
        .order_by_asc(outbox::Column::Id)
        .all(&db)
        .await
        .expect("the outbox can be read");
    db.close().await.ok();
    rows.into_iter().map(|row| (row.id, row.lease_until)).collect()
}

#[tokio::test]
async fn claims_of_a_live_process_are_left_alone_and_on_sqlite_a_dead_ones_come_back_at_restart() {
    let database = test_database().await;
    let server = MailServer::start().await;
    let key = convive::domain::token::SecretKey::generate().to_base64();
    // A relay that accepts connections and never greets: the first process
    // claims a batch and sits on it, mid-send, as long as the test needs.
    let silent_relay = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent_relay.local_addr().unwrap().port();
    // Leases far longer than the test waits: nothing here comes back by one.
    let long = [("CONVIVE_DISPATCH_LEASE_SECONDS", "3600"), ("CONVIVE_SMTP_TIMEOUT_SECONDS", "3600")];
    let mut stuck = Process::start_with(&database.url, silent_port, &key, database.scratch.path(), &long).await;
    let guests = 80;
    publish_event_with_guests(&stuck.base, &database.url, guests).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let claimed = loop {
        let claimed = rows_being_sent(&database.url).await;
        if claimed.len() == 50 {
            break claimed;
        }
        assert!(Instant::now() < deadline, "the first process claimed {} rows, not a batch of 50", claimed.len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    // A second process, while the first lives, sends the rest and leaves
    // the first one's claims alone, on either database.
    let mut second = Process::start_with(&database.url, server.port, &key, database.scratch.path(), &long).await;
    server.wait_for(guests - 50, Duration::from_mins(1)).await;
    assert_eq!(rows_being_sent(&database.url).await, claimed, "the live process's claims were taken");
    second.stop().await;

    // The first one dies mid-send; a process started after it...
    stuck.kill();
    let mut restarted = Process::start_with(&database.url, server.port, &key, database.scratch.path(), &long).await;
    if backend_is_postgres() {
        // ...on PostgreSQL cannot tell it from a slow process on another
        // machine: its claims wait out their lease.
        assert_eq!(rows_being_sent(&database.url).await, claimed);
    } else {
        // ...on SQLite is the only one: they go out at once, not in an hour.
        server.wait_for(guests, Duration::from_mins(1)).await;
        wait_until_the_outbox_is_settled(&database.url, Duration::from_secs(30)).await;
        let counts = count_per_recipient(&server);
        assert_eq!(counts.len(), guests, "every guest got her invitation");
        assert!(counts.values().all(|n| *n == 1), "none twice: the silent relay took nothing");
    }
    restarted.stop().await;
}

/// The venue's summary, with two real processes ticking every second on one
/// PostgreSQL: the owner and the venue's contact each get it once.
#[tokio::test]
async fn two_processes_send_the_venue_summary_once_to_each_recipient() {
    if !backend_is_postgres() {
        return;
    }
    let database = test_database().await;
    let server = MailServer::start().await;
    let key = convive::domain::token::SecretKey::generate().to_base64();
    let mut first = Process::start(&database.url, server.port, &key, database.scratch.path()).await;
    let mut second = Process::start(&database.url, server.port, &key, database.scratch.path()).await;
    let api_key = create_anne(&database.url);

    // It starts in three hours; its summary is due ten seconds from now:
    // time enough to publish first (a slot that comes due on a draft is
    // spent with nothing sent, as it should be).
    let starts = (chrono::Utc::now() + chrono::Duration::hours(3)).format("%Y-%m-%dT%H:%M").to_string();
    let starts_utc: chrono::DateTime<chrono::Utc> = format!("{starts}:00Z").parse().unwrap();
    let lead = (starts_utc - chrono::Utc::now() - chrono::Duration::seconds(10)).num_seconds();
    let mut event = crate::helpers::cafe_des_victoires();
    crate::helpers::merge(
        &mut event,
        json!({
            "starts_at": starts, "ends_at": (starts_utc + chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M").to_string(),
            "time_zone": "UTC", "venue_contact": "accueil@cafe-victoires.fr",
            "plan": { "nudges": [], "reminder": null, "venue_summary": format!("PT{lead}S") },
        }),
    );
    let client = reqwest::Client::new();
    let base = &first.base;
    let created: serde_json::Value = client
        .post(format!("{base}/api/v1/events"))
        .bearer_auth(&api_key)
        .json(&event)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let event_id = created["id"].as_str().unwrap_or_else(|| panic!("{created}"));
    let guests = json!({ "guests": [{ "email": "zoe@example.org" }, { "email": "bruno@example.org" }] });
    let added = client
        .post(format!("{base}/api/v1/events/{event_id}/guests/bulk"))
        .bearer_auth(&api_key)
        .json(&guests)
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::OK);
    let published =
        client.post(format!("{base}/api/v1/events/{event_id}/publish")).bearer_auth(&api_key).send().await.unwrap();
    assert_eq!(published.status(), StatusCode::OK);

    // Two invitations, then the two summaries.
    server.wait_for(4, Duration::from_mins(1)).await;
    wait_until_the_outbox_is_settled(&database.url, Duration::from_mins(1)).await;
    first.stop().await;
    second.stop().await;
    let mut summaries: Vec<String> =
        server.messages().iter().filter(|m| m.kind() == "venue_summary").map(|m| m.recipient().to_owned()).collect();
    summaries.sort_unstable();
    assert_eq!(summaries, ["accueil@cafe-victoires.fr", "anne@example.org"], "once each");
}
