//! Webhooks against a real receiver: `tests/tools/webhook_receiver.py`, in
//! its own process, verifies every delivery with the `standardwebhooks` package.
//! The dispatcher is driven at chosen times (`dispatch_webhooks_at`), never
//! by sleeping; the receiver checks timestamps against the same time.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

use crate::helpers::{ON_DEMAND, TestApp, send_mail_to, spawn_app_with_parts};
use crate::mailbox::MailServer;
use convive::clock::Clock;
use convive::config::Settings;

pub struct Receiver {
    pub port: u16,
    dir: tempfile::TempDir,
    /// Killed when the receiver is dropped.
    _child: Child,
    /// The receiver's own words: "ready", then "received N" per request.
    said: Lines<BufReader<ChildStdout>>,
}

impl Receiver {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/webhook_receiver.py"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 with standardwebhooks is installed (tests/tools/requirements.txt)");
        let said = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut receiver = Self { port, dir, _child: child, said };
        assert_eq!(receiver.next_word(StdDuration::from_secs(15)).await, "ready", "the webhook receiver did not start");
        receiver
    }

    /// The receiver's next line, waited for at most `within`.
    async fn next_word(&mut self, within: StdDuration) -> String {
        let line = tokio::time::timeout(within, self.said.next_line()).await;
        line.expect("the receiver said nothing in time").unwrap().expect("the receiver stopped")
    }

    /// Waits (at most `within`) until the receiver has been sent one more request.
    pub async fn wait_for_a_request(&mut self, within: StdDuration) {
        let word = self.next_word(within).await;
        assert!(word.starts_with("received"), "{word}");
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/convive", self.port)
    }

    fn control(&self, name: &str, value: &str) {
        std::fs::write(self.dir.path().join(name), value).unwrap();
    }

    pub fn verify_with(&self, secret: &str) {
        self.control("SECRET", secret);
    }

    /// What the receiver answers from now on.
    pub fn answer(&self, status: u16) {
        self.control("STATUS", &status.to_string());
    }

    /// The time the receiver checks `webhook-timestamp` against.
    pub fn set_now(&self, now: DateTime<Utc>) {
        self.control("NOW", &now.timestamp().to_string());
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<Value> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }
}

/// Webhooks may reach the local receiver: http, and 127.0.0.1 allowed by the operator.
pub fn reach_local_receivers(settings: &mut Settings) {
    settings.webhook_allow_http = true;
    "127.0.0.1".clone_into(&mut settings.webhook_allowed_networks);
}

pub async fn app_reaching_local_receivers() -> TestApp {
    spawn_app_with_parts(Clock::system(), ON_DEMAND, reach_local_receivers).await
}

/// Registers the receiver for `types` (all when empty); returns the endpoint's id.
pub async fn register(app: &TestApp, receiver: &Receiver, types: &[&str]) -> String {
    let mut body = json!({ "url": receiver.url(), "language": "fr" });
    if !types.is_empty() {
        body["event_types"] = json!(types);
    }
    let created = app.post("/api/v1/webhooks", body).await.expect(StatusCode::CREATED);
    let secret = created["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"), "{created:#}");
    receiver.verify_with(secret);
    created["id"].as_str().unwrap().to_owned()
}

async fn log(app: &TestApp, endpoint: &str) -> Vec<Value> {
    let body = app.get(&format!("/api/v1/webhooks/{endpoint}/deliveries")).await.expect(StatusCode::OK);
    body["deliveries"].as_array().unwrap().clone()
}

fn body_of(request: &Value) -> Value {
    serde_json::from_str(request["body"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn every_happening_reaches_the_receiver_signed_as_the_standard_says() {
    let app = app_reaching_local_receivers().await;
    let receiver = Receiver::start().await;
    let endpoint = register(&app, &receiver, &[]).await;
    // The secret is shown once, never again.
    let shown = app.get(&format!("/api/v1/webhooks/{endpoint}")).await.expect(StatusCode::OK);
    assert!(shown.get("secret").is_none(), "{shown:#}");

    let event_id = app.create_published_event(json!({})).await;
    let (guest_id, token) = app.invite(&event_id, "sophie@example.org").await;
    app.answer(&token, json!({ "answer": "yes", "comment": "Avec plaisir" })).await.expect(StatusCode::OK);
    app.answer(&token, json!({ "answer": "no" })).await.expect(StatusCode::OK);
    app.post(&format!("/api/v1/events/{event_id}/guests/{guest_id}/check-in"), json!({})).await.expect(StatusCode::OK);
    app.post(&format!("/api/v1/events/{event_id}/walk-ins"), json!({ "name": "Marc", "email": "marc@example.org" }))
        .await
        .expect(StatusCode::CREATED);
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "title": "Café des Victoires, 2e édition" }))
        .await
        .expect(StatusCode::OK);
    let leaving = app
        .client
        .post(format!("{}/unsubscribe/{}", app.address, app.unsubscribe_token(guest_id.parse().unwrap())))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(leaving.status(), StatusCode::OK);
    app.post(&format!("/api/v1/events/{event_id}/cancel"), json!({})).await.expect(StatusCode::OK);

    let report = app.dispatch_webhooks_at(Utc::now()).await;
    let requests = receiver.received();
    assert_eq!(report.delivered, requests.len(), "{report:?}");
    for request in &requests {
        assert_eq!(request["verified"], true, "standardwebhooks refused a delivery: {request:#}");
        assert!(request["headers"]["webhook-id"].as_str().unwrap().starts_with("msg_"));
        assert!(!request["body"].as_str().unwrap().contains(&token), "a payload carries a token: {request:#}");
    }
    // Sent in parallel: the order they arrive in is not promised.
    let mut types: Vec<String> = requests.iter().map(|r| body_of(r)["type"].as_str().unwrap().to_owned()).collect();
    types.sort();
    assert_eq!(
        types,
        [
            "event.cancelled",
            "event.changed",
            "event.published",
            "guest.answered",
            "guest.answered",
            "guest.checked_in",
            "guest.unsubscribed",
            "guest.walked_in",
        ]
    );
    let answers: Vec<Value> = requests.iter().map(body_of).filter(|b| b["type"] == "guest.answered").collect();
    let changed = answers.iter().find(|b| b["data"]["previous_answer"] == "yes").expect("the change of mind");
    assert_eq!(changed["data"]["answer"], "no");
    assert_eq!(changed["data"]["event"]["id"], event_id.as_str());
    assert_eq!(changed["data"]["guest"]["id"], guest_id.as_str());
    assert_eq!(changed["data"]["guest"]["email"], "sophie@example.org");
    assert!(changed["timestamp"].as_str().is_some());
    assert!(answers.iter().any(|b| b["data"]["previous_answer"].is_null() && b["data"]["answer"] == "yes"));

    let entries = log(&app, &endpoint).await;
    assert_eq!(entries.len(), requests.len());
    for entry in &entries {
        assert_eq!(entry["status"], "delivered", "{entry:#}");
        assert_eq!(entry["response_status"], 200);
        assert_eq!(entry["attempts"], 1);
        assert!(entry["duration_ms"].as_i64().is_some());
        assert!(entry["response_body"].as_str().unwrap().starts_with("received"));
    }
}

#[tokio::test]
async fn only_the_types_an_endpoint_chose_reach_it_and_a_test_event_reaches_any() {
    let app = app_reaching_local_receivers().await;
    let receiver = Receiver::start().await;
    let endpoint = register(&app, &receiver, &["event.cancelled"]).await;
    let event_id = app.create_published_event(json!({})).await;
    let (_, token) = app.invite(&event_id, "sophie@example.org").await;
    app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.post(&format!("/api/v1/webhooks/{endpoint}/test"), json!({})).await.expect(StatusCode::ACCEPTED);
    app.post(&format!("/api/v1/events/{event_id}/cancel"), json!({})).await.expect(StatusCode::OK);
    app.dispatch_webhooks_at(Utc::now()).await;
    let mut types: Vec<String> =
        receiver.received().iter().map(|r| body_of(r)["type"].as_str().unwrap().to_owned()).collect();
    types.sort();
    assert_eq!(types, ["event.cancelled", "webhook.test"]);
    assert!(receiver.received().iter().all(|r| r["verified"] == true));

    // Disabled, it hears nothing more, tests included.
    app.patch(&format!("/api/v1/webhooks/{endpoint}"), json!({ "enabled": false })).await.expect(StatusCode::OK);
    app.post(&format!("/api/v1/webhooks/{endpoint}/test"), json!({})).await.expect_error(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_failing_receiver_gets_the_same_message_again_on_the_schedule_until_it_recovers() {
    let app = app_reaching_local_receivers().await;
    let receiver = Receiver::start().await;
    let endpoint = register(&app, &receiver, &[]).await;
    receiver.answer(500);
    app.post(&format!("/api/v1/webhooks/{endpoint}/test"), json!({})).await.expect(StatusCode::ACCEPTED);
    // In whole microseconds, as PostgreSQL keeps the due time: a time it
    // rounded down would otherwise fall short of 5 s by a fraction of one.
    let t0 = Utc::now().trunc_subsecs(6);

    // Immediately, then 5 s later, then 5 minutes later (each up to a tenth more).
    let mut now = t0;
    for (attempt, delay) in [(1, None), (2, Some(5)), (3, Some(300))] {
        if let Some(delay) = delay {
            let due = due_at(&log(&app, &endpoint).await[0]);
            let gap = (due - now).num_milliseconds();
            assert!(gap >= delay * 1000 && gap <= delay * 1100, "attempt {attempt}: due after {gap} ms, not {delay} s");
            // A moment before it is due, nothing goes.
            receiver.set_now(due - Duration::seconds(1));
            assert_eq!(app.dispatch_webhooks_at(due - Duration::seconds(1)).await.retried, 0);
            assert_eq!(receiver.received().len(), attempt - 1);
            now = due;
        }
        if attempt == 3 {
            receiver.answer(200);
        }
        receiver.set_now(now);
        app.dispatch_webhooks_at(now).await;
        assert_eq!(receiver.received().len(), attempt, "attempt {attempt} reached the receiver");
    }
    let requests = receiver.received();
    assert!(requests.iter().all(|r| r["verified"] == true), "{requests:#?}");
    assert!(requests.iter().all(|r| r["headers"]["webhook-id"] == requests[0]["headers"]["webhook-id"]));
    assert!(requests.iter().all(|r| r["body"] == requests[0]["body"]), "every attempt carries the same body");
    let entry = &log(&app, &endpoint).await[0];
    assert_eq!(entry["status"], "delivered");
    assert_eq!(entry["attempts"], 3);
    let shown = app.get(&format!("/api/v1/webhooks/{endpoint}")).await.expect(StatusCode::OK);
    assert_eq!(shown["failing_since"], Value::Null, "a success ends the failing streak");

    // Nothing more is due, however late.
    assert_eq!(
        app.dispatch_webhooks_at(t0 + Duration::days(2)).await,
        convive::webhooks::dispatch::WebhookReport::default()
    );

    // "Send again": the same message once more.
    let message = entry["message_id"].as_str().unwrap();
    app.post(&format!("/api/v1/webhooks/{endpoint}/deliveries/{message}/resend"), json!({}))
        .await
        .expect(StatusCode::ACCEPTED);
    receiver.set_now(Utc::now());
    assert_eq!(app.dispatch_webhooks_at(Utc::now()).await.delivered, 1);
    assert_eq!(receiver.received()[3]["body"], requests[0]["body"]);

    // Operators see the same story in /metrics.
    let samples = crate::metrics::scrape(&app).await;
    let count = |outcome| {
        crate::metrics::value(
            &samples,
            "convive_webhook_deliveries_total",
            &[("event_type", "webhook.test"), ("outcome", outcome)],
        )
    };
    assert_eq!((count("retried"), count("delivered")), (Some(2.0), Some(2.0)));
}

fn due_at(entry: &Value) -> DateTime<Utc> {
    entry["due_at"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_day_of_failures_disables_the_endpoint_and_tells_its_organiser() {
    let mail = MailServer::start().await;
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |settings| {
        reach_local_receivers(settings);
        send_mail_to(settings, &mail);
    })
    .await;
    let receiver = Receiver::start().await;
    let endpoint = register(&app, &receiver, &[]).await;
    receiver.answer(503);
    app.post(&format!("/api/v1/webhooks/{endpoint}/test"), json!({})).await.expect(StatusCode::ACCEPTED);
    let t0 = Utc::now();
    let mut now = t0;
    let mut gaps = Vec::new();
    loop {
        receiver.set_now(now);
        app.dispatch_webhooks_at(now).await;
        let entry = log(&app, &endpoint).await[0].clone();
        if entry["status"] != "pending" {
            assert_eq!(entry["status"], "failed", "{entry:#}");
            break;
        }
        let due = due_at(&entry);
        // To the nearest second: PostgreSQL keeps microseconds of `now`'s
        // nanoseconds, so a 5 s gap could read as 4.999999 s.
        gaps.push(((due - now).num_milliseconds() + 500) / 1000);
        now = due;
        assert!(gaps.len() < 10, "the retries never end: {gaps:?}");
    }
    // The spec's schedule, each up to a tenth longer: the last 10 h passes
    // the day, so the eighth attempt is the last.
    let schedule = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
    assert_eq!(gaps.len(), schedule.len(), "{gaps:?}");
    for (gap, base) in gaps.iter().zip(schedule) {
        assert!(*gap >= base && *gap <= base + base / 10 + 1, "{gaps:?}");
    }
    assert_eq!(receiver.received().len(), 8);
    assert!(receiver.received().iter().all(|r| r["verified"] == true));

    let shown = app.get(&format!("/api/v1/webhooks/{endpoint}")).await.expect(StatusCode::OK);
    assert_eq!(shown["enabled"], false);
    assert_eq!(shown["disabled_reason"], "failing");
    // Queued when it was disabled, at the dispatcher's time.
    app.run_due_work_at(now).await;
    let emails = mail.wait_for(1, StdDuration::from_secs(10)).await;
    let told = emails.iter().find(|m| m.kind() == "webhook_disabled").expect("the organiser is told");
    assert_eq!(told.recipient(), "anne@example.org");
    assert!(told.text().contains(&receiver.url()), "{}", told.text());
    assert!(told.text().contains("échoue depuis une journée"), "{}", told.text());
}

#[tokio::test]
async fn an_endpoint_answering_410_is_disabled_at_once() {
    let mail = MailServer::start().await;
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |settings| {
        reach_local_receivers(settings);
        send_mail_to(settings, &mail);
    })
    .await;
    let receiver = Receiver::start().await;
    let endpoint = register(&app, &receiver, &[]).await;
    receiver.answer(410);
    let event_id = app.create_published_event(json!({})).await;
    app.dispatch_webhooks_at(Utc::now()).await;
    assert_eq!(receiver.received().len(), 1);
    let entry = &log(&app, &endpoint).await[0];
    assert_eq!(entry["status"], "failed");
    assert_eq!(entry["response_status"], 410);
    let shown = app.get(&format!("/api/v1/webhooks/{endpoint}")).await.expect(StatusCode::OK);
    assert_eq!((shown["enabled"].clone(), shown["disabled_reason"].clone()), (json!(false), json!("gone")));

    // Nothing more is queued for it, nor sent.
    app.post(&format!("/api/v1/events/{event_id}/cancel"), json!({})).await.expect(StatusCode::OK);
    app.dispatch_webhooks_at(Utc::now() + Duration::days(1)).await;
    assert_eq!(receiver.received().len(), 1);
    assert_eq!(log(&app, &endpoint).await.len(), 1);
    app.dispatch_all_pending_emails().await;
    let emails = mail.wait_for(1, StdDuration::from_secs(10)).await;
    let told = emails.iter().find(|m| m.kind() == "webhook_disabled").expect("the organiser is told");
    assert!(told.text().contains("410"), "{}", told.text());
}

#[tokio::test]
async fn private_addresses_are_refused_unless_the_operator_allows_them() {
    // http allowed, but no network: 127.0.0.1 is off limits.
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |s| s.webhook_allow_http = true).await;
    let receiver = Receiver::start().await;
    let mut endpoints = vec![register(&app, &receiver, &[]).await];
    for url in
        ["http://169.254.169.254/latest/meta-data/", "http://[::1]:9/", "http://localhost:9/", "http://10.0.0.1/"]
    {
        let created = app.post("/api/v1/webhooks", json!({ "url": url })).await.expect(StatusCode::CREATED);
        endpoints.push(created["id"].as_str().unwrap().to_owned());
    }
    for endpoint in &endpoints {
        app.post(&format!("/api/v1/webhooks/{endpoint}/test"), json!({})).await.expect(StatusCode::ACCEPTED);
    }
    let report = app.dispatch_webhooks_at(Utc::now()).await;
    assert_eq!((report.delivered, report.retried), (0, endpoints.len()), "{report:?}");
    assert!(receiver.received().is_empty(), "the receiver on 127.0.0.1 was reached");
    for endpoint in &endpoints {
        let entry = &log(&app, endpoint).await[0];
        let error = entry["last_error"].as_str().unwrap();
        assert!(error.contains("may not reach"), "{endpoint}: {error}");
        assert_eq!(entry["response_status"], Value::Null);
    }
}

#[tokio::test]
async fn only_https_urls_are_accepted_unless_the_operator_allows_http() {
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let refused = app.post("/api/v1/webhooks", json!({ "url": "http://hooks.example.org/" })).await;
    let body = refused.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field_codes"]["url"]["code"], "invalid_url", "{body:#}");
    let refused = app
        .post("/api/v1/webhooks", json!({ "url": "https://hooks.example.org/", "event_types": ["guest.sneezed"] }))
        .await;
    let body = refused.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field_codes"]["event_types"]["code"], "invalid_webhook_type", "{body:#}");
    let created = app
        .post("/api/v1/webhooks", json!({ "url": "https://hooks.example.org/", "event_types": ["guest.answered"] }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created["event_types"], json!(["guest.answered"]));
    let list = app.get("/api/v1/webhooks").await.expect(StatusCode::OK);
    assert_eq!(list["endpoints"].as_array().unwrap().len(), 1);
    let id = created["id"].as_str().unwrap();
    app.delete(&format!("/api/v1/webhooks/{id}")).await.expect(StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/webhooks/{id}")).await.expect_error(StatusCode::NOT_FOUND);
}

/// The running app sends on its own: the happening rings the webhook
/// dispatcher's bell, so the delivery leaves within moments, not at a tick.
#[tokio::test]
async fn a_running_app_sends_webhooks_without_being_driven() {
    let app = crate::helpers::spawn_app_with(Clock::system(), |settings| {
        reach_local_receivers(settings);
        // A tick far away: only the bell can explain a prompt delivery.
        settings.scheduler_interval_seconds = 3600;
    })
    .await;
    let mut receiver = Receiver::start().await;
    register(&app, &receiver, &["event.published"]).await;
    app.create_published_event(json!({})).await;
    receiver.wait_for_a_request(StdDuration::from_secs(10)).await;
    let request = &receiver.received()[0];
    assert_eq!(request["verified"], true, "{request:#}");
    assert_eq!(body_of(request)["type"], "event.published");
}
