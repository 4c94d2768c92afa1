//! Delivery against a real relay's habits: connections it closes while they
//! sit in the pool, and hours when it cannot be reached at all, cost no
//! email an attempt and lose none; the queue gives up only after its
//! lifetime, as an MTA does; commands are pipelined where it offers it.

use chrono::{Duration, Utc};
use convive::mail::dispatch::DispatchReport;
use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::{sign_in_with, terminal_login_link};
use crate::helpers::{
    ON_DEMAND, send_mail_to, spawn_app_with_mail, spawn_app_with_mail_on_demand, spawn_app_with_parts,
};
use crate::mailbox::MailServer;

const WAIT: std::time::Duration = std::time::Duration::from_secs(20);

#[tokio::test]
async fn a_pooled_connection_the_server_closed_is_replaced_without_costing_an_attempt() {
    let mut server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    app.invite(&event_id, "first@example.org").await;
    server.wait_for(1, WAIT).await;
    // Received is not yet recorded: stopping the relay before its answer
    // reaches Convive would (rightly) send the first one again.
    let first = once_recorded(&app, &event_id, "first@example.org").await;
    assert_eq!(first["emails"][0]["status"], "sent", "{first}");

    // The relay restarts (or times the idle connection out): the connection
    // left in Convive's pool is dead, though nothing says so yet.
    server.stop();
    server.resume().await;

    app.invite(&event_id, "second@example.org").await;
    let messages = server.wait_for(2, WAIT).await;
    assert_eq!(messages.last().unwrap().recipient(), "second@example.org");
    let guest = once_recorded(&app, &event_id, "second@example.org").await;
    let email = &guest["emails"][0];
    assert_eq!(email["status"], "sent", "{guest}");
    assert_eq!(email["attempts"], 1, "the stale connection cost no attempt: {guest}");
    app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
}

/// The guest once her first email's outcome is recorded: the relay has it
/// before Convive has read its answer and written it down.
async fn once_recorded(app: &crate::helpers::TestApp, event_id: &str, email: &str) -> serde_json::Value {
    for _ in 0..10_000 {
        let guest = app.guest(event_id, email).await;
        if !matches!(guest["emails"][0]["status"].as_str(), Some("pending" | "sending")) {
            return guest;
        }
    }
    panic!("the email to {email} is never recorded as sent or failed");
}

/// A relay that offers PIPELINING (postfix does) gets each message's MAIL,
/// RCPT and DATA in one write, and answers them together: a round trip or
/// two fewer per email. One that does not gets them one at a time. Either
/// way, a recipient the relay refuses fails for good, and the others go.
#[tokio::test]
async fn a_message_s_commands_go_in_one_write_where_the_relay_offers_pipelining() {
    for pipelining in [true, false] {
        let server = if pipelining { MailServer::start().await } else { MailServer::start_without_pipelining().await };
        server.refuse("g1@example.org");
        let app = spawn_app_with_mail_on_demand(&server).await;
        let event_id = invitations_queued(&app, 3).await;
        app.run_due_work_at(Utc::now()).await;

        let messages = server.messages();
        let mut received: Vec<_> = messages.iter().map(|m| (m.recipient(), m.pipelined)).collect();
        received.sort_unstable();
        assert_eq!(received, [("g0@example.org", pipelining), ("g2@example.org", pipelining)]);
        for guest in app.guests(&event_id).await {
            let email = &guest["emails"][0];
            if guest["email"] == "g1@example.org" {
                assert_eq!(email["status"], "failed", "{guest}");
                assert!(email["error"].as_str().unwrap_or_default().contains("No such user"), "{guest}");
            } else {
                assert_eq!(email["status"], "sent", "{guest}");
            }
        }
    }
}

/// A published event with `count` guests, whose invitations are queued.
async fn invitations_queued(app: &crate::helpers::TestApp, count: usize) -> String {
    let event_id = app.create_published_event(json!({})).await;
    let guests: Vec<_> = (0..count).map(|i| json!({ "email": format!("g{i}@example.org") })).collect();
    app.post(&format!("/api/v1/events/{event_id}/guests/bulk"), json!({ "guests": guests }))
        .await
        .expect(StatusCode::OK);
    event_id
}

#[tokio::test]
async fn a_relay_away_for_hours_loses_nothing_and_costs_no_attempt() {
    let mut server = MailServer::start().await;
    server.stop();
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = invitations_queued(&app, 5).await;

    // Away all morning: far past the old budget of 8 attempts (~10 minutes).
    let start = Utc::now();
    for hours in [0, 1, 2, 4, 6] {
        app.run_due_work_at(start + Duration::hours(hours)).await;
    }
    for guest in app.guests(&event_id).await {
        let email = &guest["emails"][0];
        assert_eq!(email["status"], "pending", "{guest}");
        assert_eq!(email["attempts"], 0, "waiting for the relay is no attempt: {guest}");
        assert!(email["error"].as_str().unwrap_or_default().contains("Connection"), "{guest}");
    }
    assert!(server.messages().is_empty());

    // Back after lunch: everything leaves, each on its first counted attempt.
    server.resume().await;
    app.run_due_work_at(start + Duration::hours(6) + Duration::minutes(5)).await;
    assert_eq!(server.messages().len(), 5);
    for guest in app.guests(&event_id).await {
        assert_eq!(guest["emails"][0]["status"], "sent", "{guest}");
        assert_eq!(guest["emails"][0]["attempts"], 1, "{guest}");
    }
}

/// The dispatcher of a running process remembers that the relay is away:
/// once the probe is due, it knocks with one email (each pass returns, it
/// does not spin on the queue), and when the relay answers, the rest leaves.
#[tokio::test]
async fn a_running_dispatcher_probes_an_away_relay_then_drains_the_queue() {
    let mut server = MailServer::start().await;
    server.stop();
    let app = spawn_app_with_mail_on_demand(&server).await;
    invitations_queued(&app, 5).await;
    let start = Utc::now();
    let now = std::sync::Arc::new(std::sync::Mutex::new(start));
    let read = std::sync::Arc::clone(&now);
    let dispatcher = app.dispatcher(convive::clock::Clock::from_fn(move || *read.lock().unwrap())).await;
    let pass =
        async || tokio::time::timeout(WAIT, dispatcher.dispatch_due(&|| true)).await.expect("a pass ends").unwrap();

    assert_eq!(pass().await.retried, 5, "the first finds the relay away, the others wait without knocking");
    assert_eq!(pass().await, DispatchReport::default(), "nothing knocks before the probe is due");
    *now.lock().unwrap() = start + Duration::seconds(6);
    assert_eq!(pass().await.retried, 1, "one probe, still refused");

    server.resume().await;
    *now.lock().unwrap() = start + Duration::seconds(6 + 11);
    let drained = pass().await;
    assert_eq!((drained.sent, drained.retried), (5, 0), "the probe goes, then everything else: {drained:?}");
    assert_eq!(server.messages().len(), 5);
}

#[tokio::test]
async fn an_email_the_relay_never_took_is_given_up_after_the_queue_lifetime_and_can_be_sent_again() {
    let mut server = MailServer::start().await;
    server.stop();
    // The app's clock is the test's: the queue's lifetime is days.
    let start = Utc::now();
    let now = std::sync::Arc::new(std::sync::Mutex::new(start));
    let clock = {
        let now = std::sync::Arc::clone(&now);
        convive::clock::Clock::from_fn(move || *now.lock().unwrap())
    };
    let app = spawn_app_with_parts(clock, ON_DEMAND, |settings| send_mail_to(settings, &server)).await;
    let event_id = invitations_queued(&app, 1).await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;
    app.run_due_work_at(start).await;
    app.run_due_work_at(start + Duration::hours(119)).await;
    assert_eq!(app.guests(&event_id).await[0]["emails"][0]["status"], "pending");
    // Five days on (CONVIVE_DISPATCH_MAX_AGE_HOURS), as postfix would.
    let later = start + Duration::hours(121);
    *now.lock().unwrap() = later;
    app.run_due_work_at(later).await;
    let guest = &app.guests(&event_id).await[0];
    assert_eq!(guest["emails"][0]["status"], "failed", "{guest}");
    server.resume().await;
    app.run_due_work_at(later + Duration::hours(1)).await;
    assert!(server.messages().is_empty(), "a failed email stays failed");

    // The organiser sees it on her event's page and sends it again.
    let page_path = format!("/dashboard/events/{event_id}");
    let page = anne.get(&page_path).await;
    assert!(page.html.contains("id=\"failed-emails\""), "{}", page.html);
    let resent = anne.submit(&page_path, &format!("{page_path}/emails/resend-failed"), &[]).await;
    let resent = anne.follow(&resent).await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.html);
    assert!(resent.decoded().contains("1 email is back in the sending queue."), "{}", resent.html);
    assert!(resent.html.contains("id=\"flash\"") && !resent.html.contains("id=\"failed-emails\""));
    app.run_due_work_at(later + Duration::hours(1)).await;
    assert_eq!(server.messages().len(), 1);
    assert_eq!(app.guests(&event_id).await[0]["emails"][0]["status"], "sent");

    // Through the API, and for the operator from the terminal: nothing
    // failed is left, so nothing goes again.
    let body = app.post(&format!("/api/v1/events/{event_id}/emails/resend-failed"), json!({})).await;
    assert_eq!(body.expect(StatusCode::OK)["requeued"], 0);
    let mut command = crate::cli::convive();
    command.args(["emails", "resend-failed"]).env("CONVIVE_DATABASE_URL", app.database_url());
    let output = tokio::process::Command::from(command).output().await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "0");
}

#[tokio::test]
async fn an_address_no_relay_takes_is_refused_at_the_door() {
    let app = crate::helpers::spawn_app().await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    for email in ["\"a b\"@example.org", "\"anne\"@example.org"] {
        let refused = app.post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": email })).await;
        let body = refused.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["fields"]["email"].is_string(), "{email}: {body}");
    }
    app.post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": "o'brien@example.ie" }))
        .await
        .expect(StatusCode::CREATED);
}
