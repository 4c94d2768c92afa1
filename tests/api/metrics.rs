//! `/metrics`, read by the Prometheus client's own OpenMetrics parser: the
//! counters and gauges move with what the app did.

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with_mail_on_demand, spawn_fresh_app_with};
use crate::mailbox::MailServer;

/// Every sample of `/metrics`, as the Prometheus client's parser reads it.
pub async fn scrape(app: &TestApp) -> Vec<Value> {
    let response = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("application/openmetrics-text"), "{content_type}");
    let text = response.text().await.unwrap();
    let tool = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/metrics_parse.py");
    let mut child = Command::new("python3")
        .arg(tool)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with prometheus-client is installed (see .ci/run)");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the parser refused:\n{}\n{text}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The value of the sample `name` whose labels include `labels`, if any.
pub fn value(samples: &[Value], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| s["name"] == name && labels.iter().all(|(k, v)| s["labels"][k] == *v))
        .map(|s| s["value"].as_f64().unwrap())
}

#[tokio::test]
async fn the_metrics_follow_requests_emails_and_the_scheduler() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    let guests: Vec<_> = (0..3).map(|i| json!({ "email": format!("g{i}@example.org") })).collect();
    app.post(&format!("/api/v1/events/{event_id}/guests/bulk"), json!({ "guests": guests }))
        .await
        .expect(StatusCode::OK);
    let secret_path = format!("/api/v1/events/{event_id}");
    app.get(&secret_path).await.expect(StatusCode::OK);
    // Counted again, and under another status on the same route.
    app.get(&secret_path).await.expect(StatusCode::OK);
    app.get(&format!("/api/v1/events/{}", uuid::Uuid::new_v4())).await.expect(StatusCode::NOT_FOUND);
    // A method of the client's own making is counted, under a fixed label.
    let made_up = reqwest::Method::from_bytes(b"BREW").unwrap();
    let brewed = app.client.request(made_up, format!("{}{secret_path}", app.address)).send().await.unwrap();
    assert_eq!(brewed.status(), StatusCode::METHOD_NOT_ALLOWED);

    let before = scrape(&app).await;
    let invitation_pending = [("kind", "invitation"), ("status", "pending")];
    assert_eq!(value(&before, "convive_outbox_rows", &invitation_pending), Some(3.0), "three invitations wait");
    let reads = [("route", "/api/v1/events/{event_id}"), ("method", "GET"), ("status", "200")];
    assert_eq!(value(&before, "convive_http_requests_total", &reads), Some(2.0));
    let missing = [("route", "/api/v1/events/{event_id}"), ("method", "GET"), ("status", "404")];
    assert_eq!(value(&before, "convive_http_requests_total", &missing), Some(1.0));
    let brews = [("route", "/api/v1/events/{event_id}"), ("method", "OTHER"), ("status", "405")];
    assert_eq!(value(&before, "convive_http_requests_total", &brews), Some(1.0));
    let read_time = [("route", "/api/v1/events/{event_id}"), ("method", "GET")];
    assert_eq!(value(&before, "convive_http_request_duration_seconds_count", &read_time), Some(3.0));
    assert!(value(&before, "convive_database_connections", &[("state", "idle")]).is_some());
    assert!(
        before.iter().all(|s| !s["labels"].to_string().contains(&event_id)),
        "a label carries a path, not its route pattern"
    );

    app.dispatch_all_pending_emails().await;
    let (report, _) = app.run_due_work_at(chrono::Utc::now()).await;
    let after = scrape(&app).await;
    let sent = [("kind", "invitation"), ("outcome", "sent")];
    assert_eq!(value(&after, "convive_emails_total", &sent), Some(3.0));
    assert_eq!(value(&after, "convive_outbox_rows", &invitation_pending), None, "nothing waits any more");
    assert_eq!(value(&after, "convive_scheduler_tick_duration_seconds_count", &[]), Some(1.0));
    assert_eq!(
        value(&after, "convive_scheduler_emails_queued_total", &[]),
        Some(f64::from(u32::try_from(report.queued).unwrap()))
    );
    let scrapes = [("route", "/metrics"), ("method", "GET"), ("status", "200")];
    assert_eq!(value(&after, "convive_http_requests_total", &scrapes), Some(1.0), "the first scrape is counted");
}

#[tokio::test]
async fn with_a_token_set_the_metrics_need_it() {
    let app = spawn_fresh_app_with(|settings| settings.metrics_token = Some("s3cret-token".to_owned().into())).await;
    let url = format!("{}/metrics", app.address);
    let anonymous = app.client.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = app.client.get(&url).bearer_auth("s3cret-tokem").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = app.client.get(&url).bearer_auth("s3cret-token").send().await.unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    assert!(right.text().await.unwrap().contains("convive_http_requests_total"));
}
