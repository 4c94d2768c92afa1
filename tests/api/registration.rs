//! Open events: registration from the public page with double opt-in,
//! through the real SMTP server.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with_mail};
use crate::mailbox::{MailServer, PARSERS, parse_ics};

const WAIT: Duration = Duration::from_secs(10);

async fn open_event(app: &TestApp) -> String {
    app.create_published_event(json!({ "open_registration": true, "language": "en" })).await
}

/// Registers on the public page; returns the page answered.
async fn register(app: &TestApp, event_id: &str, name: &str, email: &str) -> crate::helpers::Page {
    let csrf = app.page(&format!("/e/{event_id}")).await.csrf();
    app.submit(&format!("/e/{event_id}"), &[("csrf", &csrf), ("name", name), ("email", email), ("website", "")]).await
}

/// The path of the confirmation link in the latest email to `email`.
async fn confirmation_path(server: &MailServer, count: usize, email: &str) -> String {
    let messages = server.wait_for(count, WAIT).await;
    let message = messages.iter().rev().find(|m| m.recipient() == email).expect("a confirmation email");
    assert_eq!(message.kind(), "registration_confirm");
    message.link("http://127.0.0.1:8080/e/").trim_start_matches("http://127.0.0.1:8080").to_owned()
}

#[tokio::test]
async fn a_registration_counts_only_once_confirmed_and_the_link_works_once() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id = open_event(&app).await;

    let page = app.page(&format!("/e/{event_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("id=\"register-form\""), "{}", page.html);

    let registered = register(&app, &event_id, "Zoé <i>Martin</i>", "zoe@example.org").await;
    assert_eq!(registered.status, StatusCode::OK);
    assert!(registered.html.contains("zoe@example.org") && registered.html.contains("id=\"confirmation\""));
    assert!(!registered.html.contains("<i>Martin"), "escaped");

    // Not confirmed: no guest, and the summary does not count her.
    let confirm = confirmation_path(&server, 1, "zoe@example.org").await;
    assert!(app.guests(&event_id).await.is_empty());
    assert_eq!(app.summary(&event_id).await["invited"], 0);

    // Opening the link shows a button and changes nothing.
    let page = app.page(&confirm).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Zoé &lt;i&gt;Martin&lt;") && page.html.contains("zoe@example.org"), "{}", page.html);
    assert!(app.guests(&event_id).await.is_empty());

    // The button confirms, and takes her to her own invitation page.
    let confirmed = app.submit(&confirm, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.html);
    let invitation = confirmed.headers["location"].to_str().unwrap().to_owned();
    assert!(invitation.starts_with("/i/"), "{invitation}");
    assert!(app.page(&invitation).await.html.contains("id=\"answer-form\""));
    let guests = app.guests(&event_id).await;
    assert_eq!(guests.len(), 1);
    assert_eq!(guests[0]["email"], "zoe@example.org");
    assert_eq!(guests[0]["name"], "Zoé <i>Martin</i>");
    assert_eq!(guests[0]["reply"]["answer"], "yes", "registering is saying she comes");
    assert_eq!(app.summary(&event_id).await["yes"], 1);
    // As any guest added to a published event, she gets her invitation.
    let messages = server.wait_for(2, WAIT).await;
    assert!(messages.iter().any(|m| m.kind() == "invitation" && m.recipient() == "zoe@example.org"));

    // Once only.
    let again = app.submit(&confirm, &[("csrf", &page.csrf())]).await;
    assert_eq!(again.status, StatusCode::GONE, "{}", again.html);
    assert_eq!(app.page(&confirm).await.status, StatusCode::GONE);
    assert_eq!(app.guests(&event_id).await.len(), 1);
}

/// A full event takes a registration on its waiting list, and her page says so.
#[tokio::test]
async fn a_registration_to_a_full_event_waits_for_a_seat() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id =
        app.create_published_event(json!({ "open_registration": true, "language": "en", "capacity": 1 })).await;
    let (_, token) = app.invite(&event_id, "anne@example.org").await;
    app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);

    register(&app, &event_id, "Zoé", "zoe@example.org").await;
    let confirm = confirmation_path(&server, 2, "zoe@example.org").await;
    let page = app.page(&confirm).await;
    let confirmed = app.submit(&confirm, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.html);
    let zoe = app.guest(&event_id, "zoe@example.org").await;
    assert_eq!((zoe["reply"]["answer"].as_str(), zoe["waitlist_position"].as_u64()), (Some("yes"), Some(1)), "{zoe}");
    let her_page = app.page(confirmed.headers["location"].to_str().unwrap()).await;
    assert!(her_page.html.to_lowercase().contains("waiting list"), "{}", her_page.html);
}

#[tokio::test]
async fn registering_an_address_already_invited_does_not_duplicate_her() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id = open_event(&app).await;
    let (guest_id, token) = app.invite(&event_id, "jane@example.org").await;
    app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    server.wait_for(1, WAIT).await;

    let registered = register(&app, &event_id, "Jane again", "Jane@Example.org").await;
    assert_eq!(registered.status, StatusCode::OK, "the page does not tell who is invited");
    let confirm = confirmation_path(&server, 2, "jane@example.org").await;
    let page = app.page(&confirm).await;
    let confirmed = app.submit(&confirm, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(confirmed.headers["location"].to_str().unwrap(), format!("/i/{token}"), "her own page");

    let guests = app.guests(&event_id).await;
    assert_eq!(guests.len(), 1);
    assert_eq!(guests[0]["id"], guest_id.as_str());
    assert_eq!(guests[0]["reply"]["answer"], "yes", "her answer is kept");
}

#[tokio::test]
async fn the_registration_form_checks_its_input_and_its_origin() {
    let app = spawn_app().await;
    let event_id = open_event(&app).await;
    let csrf = app.page(&format!("/e/{event_id}")).await.csrf();
    let path = format!("/e/{event_id}");

    let bad = app.submit(&path, &[("csrf", &csrf), ("name", " "), ("email", "not an address")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("Please enter your name.") && bad.html.contains("valid email address"), "{}", bad.html);
    assert!(bad.html.contains("value=\"not an address\""), "what she typed is kept");

    let forged = app.submit(&path, &[("csrf", "forged"), ("name", "Bot"), ("email", "bot@example.org")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // A bot filling the hidden field is told the same as a person, and nothing is recorded.
    let bot = app
        .submit(&path, &[("csrf", &csrf), ("name", "Bot"), ("email", "bot@example.org"), ("website", "http://spam")])
        .await;
    assert_eq!(bot.status, StatusCode::OK);
    assert!(bot.html.contains("id=\"confirmation\""));
    let queued: i64 = convive_count(&app, "SELECT COUNT(*) FROM registrations").await;
    assert_eq!(queued, 0);

    // Asking again and again sends a bounded number of emails.
    for _ in 0..6 {
        let page = app.submit(&path, &[("csrf", &csrf), ("name", "Zoé"), ("email", "zoe@example.org")]).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let emails = convive_count(&app, "SELECT COUNT(*) FROM outbox WHERE kind = 'registration_confirm'").await;
    assert_eq!(emails, 3);
}

async fn convive_count(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one_raw(Statement::from_string(app.db.get_database_backend(), sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn only_open_events_have_a_public_page_and_file() {
    let app = spawn_app().await;
    let closed = app.create_published_event(json!({})).await;
    let draft = app.create_event(json!({ "open_registration": true })).await;
    let draft = draft["id"].as_str().unwrap();
    for id in [closed.as_str(), draft] {
        assert_eq!(app.page(&format!("/e/{id}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.page(&format!("/e/{id}/calendar.ics")).await.status, StatusCode::NOT_FOUND);
    }

    // Opening it later through the API makes the page appear.
    app.patch(&format!("/api/v1/events/{closed}"), json!({ "open_registration": true })).await.expect(StatusCode::OK);
    assert_eq!(app.page(&format!("/e/{closed}")).await.status, StatusCode::OK);

    // Its file is METHOD:PUBLISH with no attendee, read alike by every parser.
    let file = app.page(&format!("/e/{closed}/calendar.ics")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "text/calendar; charset=utf-8");
    let parsed = parse_ics(&file.html);
    for parser in PARSERS {
        assert_eq!(parsed[parser]["method"], "PUBLISH", "{parser}");
        let event = &parsed[parser]["events"][0];
        assert_eq!(event["uid"], format!("{closed}@convive"), "{parser}");
        assert_eq!(event["summary"], "Café des Victoires", "{parser}");
        assert!(event["start"].as_str().unwrap().ends_with("T07:30:00+00:00"), "{parser}: {event}");
        assert!(event["attendees"].as_array().unwrap().is_empty(), "{parser}");
    }

    // Cancelled: the page says so and takes no registration.
    app.post(&format!("/api/v1/events/{closed}/cancel"), json!({})).await.expect(StatusCode::OK);
    let page = app.page(&format!("/e/{closed}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("id=\"register-form\""));
}
