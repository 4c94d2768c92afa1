//! Check-in at the door: taps, undo, walk-ins, counts, several phones at
//! once, and the follow-up emails going by who actually came.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with_mail_on_demand};
use crate::mailbox::MailServer;

async fn check_in(app: &TestApp, event_id: &str, guest_id: &str, body: serde_json::Value) -> serde_json::Value {
    app.post(&format!("/api/v1/events/{event_id}/guests/{guest_id}/check-in"), body).await.expect(StatusCode::OK)
}

#[tokio::test]
async fn guests_and_walk_ins_are_checked_in_and_the_counts_follow() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "companions_allowed": 2 })).await;
    let (anne, anne_token) = app.invite(&event_id, "anne@example.org").await;
    let (ben, ben_token) = app.invite(&event_id, "ben@example.org").await;
    let (_, carl_token) = app.invite(&event_id, "carl@example.org").await;
    app.answer(&anne_token, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK);
    app.answer(&ben_token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.answer(&carl_token, json!({ "answer": "no" })).await.expect(StatusCode::OK);
    assert!(app.summary(&event_id).await["no_shows"].is_null(), "no check-in yet: no no-shows either");

    // One tap: her announced companion comes in with her; a second tap keeps her arrival time.
    let first = check_in(&app, &event_id, &anne, json!({})).await;
    assert!(first["checked_in_at"].is_string());
    assert_eq!(first["checked_in_companions"], 1);
    let again = check_in(&app, &event_id, &anne, json!({ "companions": 2 })).await;
    assert_eq!(again["checked_in_at"], first["checked_in_at"]);
    assert_eq!(again["checked_in_companions"], 2);

    // A wrong tap, undone.
    check_in(&app, &event_id, &ben, json!({})).await;
    let undone = app
        .request(Method::DELETE, &format!("/api/v1/events/{event_id}/guests/{ben}/check-in"), Some(&app.api_key), None)
        .await
        .expect(StatusCode::OK);
    assert!(undone["checked_in_at"].is_null());

    // A walk-in: added and checked in at once, with no invitation.
    let walk_in = app
        .post(
            &format!("/api/v1/events/{event_id}/walk-ins"),
            json!({ "name": "Zoé Martin", "email": "zoe@example.org", "companions": 1 }),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(walk_in["walk_in"], true);
    assert!(walk_in["checked_in_at"].is_string());
    // An invited guest taken for a walk-in is checked in, not duplicated.
    let known = app
        .post(&format!("/api/v1/events/{event_id}/walk-ins"), json!({ "name": "Carl", "email": "Carl@example.org" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(known["walk_in"], false);
    assert_eq!(app.guests(&event_id).await.len(), 4);

    let summary = app.summary(&event_id).await;
    assert_eq!(summary["invited"], 3, "{summary}");
    assert_eq!(summary["walk_ins"], 1, "{summary}");
    assert_eq!(summary["came"], 3, "Anne, Zoé and Carl: {summary}");
    assert_eq!(summary["came_people"], 6, "with 2 + 1 companions: {summary}");
    assert_eq!(summary["no_shows"], 1, "Ben said yes and did not come: {summary}");

    // Bad input, one clear error each.
    for (body, field) in [
        (json!({ "name": "", "email": "x@example.org" }), "name"),
        (json!({ "name": "X", "email": "not an address" }), "email"),
        (json!({ "name": "X", "email": "x@example.org", "companions": -1 }), "companions"),
    ] {
        let error = app
            .post(&format!("/api/v1/events/{event_id}/walk-ins"), body)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error["fields"][field].is_string(), "{error}");
    }
    let error = app
        .post(&format!("/api/v1/events/{event_id}/guests/{anne}/check-in"), json!({ "companions": 1000 }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["companions"].is_string());
}

#[tokio::test]
async fn several_phones_checking_in_at_once_lose_no_tap() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": null })).await;
    let mut guests = Vec::new();
    for i in 0..30 {
        guests.push(app.invite(&event_id, &format!("g{i}@example.org")).await.0);
    }
    let walk_in_path = format!("/api/v1/events/{event_id}/walk-ins");
    let walk_ins = (0..10).map(|i| {
        app.post(&walk_in_path, json!({ "name": format!("Walk-in {i}"), "email": format!("w{i}@example.org") }))
    });
    let tap_paths: Vec<String> =
        guests.iter().map(|id| format!("/api/v1/events/{event_id}/guests/{id}/check-in")).collect();
    let taps = tap_paths.iter().map(|path| app.post(path, json!({})));
    let (walk_ins, taps) = tokio::join!(futures::future::join_all(walk_ins), futures::future::join_all(taps));
    assert!(walk_ins.iter().all(|r| r.status == StatusCode::CREATED), "{walk_ins:?}");
    assert!(taps.iter().all(|r| r.status == StatusCode::OK), "{taps:?}");
    let summary = app.summary(&event_id).await;
    assert_eq!((summary["came"].as_u64(), summary["walk_ins"].as_u64()), (Some(40), Some(10)), "{summary}");
}

#[tokio::test]
async fn another_organiser_cannot_check_in_at_my_event() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let (guest_id, _) = app.invite(&event_id, "jane@example.org").await;
    let other = app.create_organiser("Bea", "bea@example.org").await;
    for (method, path, body) in [
        (Method::POST, format!("/api/v1/events/{event_id}/guests/{guest_id}/check-in"), Some(json!({}))),
        (Method::DELETE, format!("/api/v1/events/{event_id}/guests/{guest_id}/check-in"), None),
        (
            Method::POST,
            format!("/api/v1/events/{event_id}/walk-ins"),
            Some(json!({ "name": "X", "email": "x@example.org" })),
        ),
    ] {
        let reply = app.request(method.clone(), &path, Some(&other), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    assert!(app.guest(&event_id, "jane@example.org").await["checked_in_at"].is_null());
    assert_eq!(app.guests(&event_id).await.len(), 1);
}

/// Through the real SMTP server: once anyone is checked in, the thank-you
/// goes to those who came (walk-ins included) and "sorry we missed you" to
/// those who said yes and did not.
#[tokio::test]
async fn the_follow_up_goes_by_check_in_once_anyone_was_checked_in() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let start = chrono::Utc::now() + chrono::Duration::hours(1);
    let event_id = app
        .create_published_event(json!({
            "starts_at": start.to_rfc3339(),
            "ends_at": (start + chrono::Duration::seconds(1)).to_rfc3339(),
            "follow_up_url": "https://photos.example.org/album",
            "plan": { "nudges": [], "answers_close": "PT1S", "reminder": null, "follow_up": "PT1S" },
        }))
        .await;
    let (came, came_token) = app.invite(&event_id, "came@example.org").await;
    let (_, missed_token) = app.invite(&event_id, "missed@example.org").await;
    let (_, no_token) = app.invite(&event_id, "no@example.org").await;
    app.answer(&came_token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.answer(&missed_token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.answer(&no_token, json!({ "answer": "no" })).await.expect(StatusCode::OK);
    check_in(&app, &event_id, &came, json!({})).await;
    app.post(&format!("/api/v1/events/{event_id}/walk-ins"), json!({ "name": "Zoé", "email": "walkin@example.org" }))
        .await
        .expect(StatusCode::CREATED);

    // Once the event is over: 3 invitations, then 2 thank-yous and 1 "sorry we missed you".
    app.run_due_work_at(start + chrono::Duration::minutes(5)).await;
    let messages = server.messages();
    let mut got: Vec<(String, String)> = messages.iter().map(|m| (m.recipient().to_owned(), m.kind())).collect();
    got.sort();
    let expected: Vec<(String, String)> = [
        ("came@example.org", "invitation"),
        ("came@example.org", "thank_you"),
        ("missed@example.org", "invitation"),
        ("missed@example.org", "missed_you"),
        ("no@example.org", "invitation"),
        ("walkin@example.org", "thank_you"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(got, expected, "{} messages", messages.len());
    let thanks = messages.iter().find(|m| m.recipient() == "walkin@example.org").unwrap();
    assert!(thanks.text().contains("https://photos.example.org/album"));
    // She came without an invitation, and the email does not claim one.
    assert!(thanks.text().contains("parce que vous avez participé à") && !thanks.text().contains("vous invite"));
    let invited = messages.iter().find(|m| m.recipient() == "came@example.org" && m.kind() == "thank_you").unwrap();
    assert!(invited.text().contains("vous invite"), "{}", invited.text());
}
