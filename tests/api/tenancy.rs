//! An organiser can neither see nor change another organiser's events,
//! guests or answers: every organiser endpoint answers 404 to foreign ids,
//! exactly as for ids that do not exist.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn another_organiser_cannot_reach_any_of_my_events_guests_or_answers() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let (guest_id, token) = app.invite(&event_id, "anne@example.org").await;
    app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    let before = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);

    let intruder = app.create_organiser("Mallory", "mallory@example.org").await;
    let e = format!("/api/v1/events/{event_id}");
    let g = format!("{e}/guests/{guest_id}");
    let attempts = [
        (Method::GET, e.clone(), None),
        (Method::PATCH, e.clone(), Some(json!({ "title": "Mine now" }))),
        (Method::POST, format!("{e}/publish"), Some(json!({}))),
        (Method::POST, format!("{e}/cancel"), Some(json!({}))),
        (Method::GET, format!("{e}/summary"), None),
        (Method::GET, format!("{e}/answers/history"), None),
        (Method::GET, format!("{e}/guests"), None),
        (Method::POST, format!("{e}/guests"), Some(json!({ "email": "spy@example.org" }))),
        (Method::POST, format!("{e}/guests/bulk"), Some(json!({ "guests": [{ "email": "spy@example.org" }] }))),
        (Method::PUT, format!("{g}/answer"), Some(json!({ "answer": "no" }))),
        (Method::GET, format!("{g}/data"), None),
        (Method::POST, format!("{g}/erase"), Some(json!({ "confirm": true }))),
        (Method::DELETE, g.clone(), None),
    ];
    for (method, path, body) in attempts {
        let reply = app.request(method.clone(), &path, Some(&intruder), body).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{method} {path} must be 404 for another organiser: {:#}",
            reply.body
        );
        assert_eq!(reply.body["error"], "not_found");
    }

    let list = app.request(Method::GET, "/api/v1/events", Some(&intruder), None).await.expect(StatusCode::OK);
    assert!(list["events"].as_array().unwrap().is_empty(), "my events are not in her list");

    // Nothing changed.
    let after = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    assert_eq!(after["title"], before["title"]);
    assert_eq!(after["status"], "published");
    assert_eq!(app.summary(&event_id).await["invited"], 1);
    assert_eq!(app.guest(&event_id, "anne@example.org").await["reply"]["answer"], "yes");
}

#[tokio::test]
async fn my_event_id_cannot_be_used_to_reach_a_guest_of_another_organisers_event() {
    let app = spawn_app().await;
    let mine = app.create_published_event(json!({})).await;

    let other_key = app.create_organiser("Bea", "bea@example.org").await;
    let theirs = app
        .request(Method::POST, "/api/v1/events", Some(&other_key), Some(crate::helpers::cafe_des_victoires()))
        .await
        .expect(StatusCode::CREATED);
    let their_event = theirs["id"].as_str().unwrap();
    let their_guest = app
        .request(
            Method::POST,
            &format!("/api/v1/events/{their_event}/guests"),
            Some(&other_key),
            Some(json!({ "email": "x@example.org" })),
        )
        .await
        .expect(StatusCode::CREATED);
    let their_guest = their_guest["id"].as_str().unwrap();

    // My own event id with their guest id: still not found.
    app.put(&format!("/api/v1/events/{mine}/guests/{their_guest}/answer"), json!({ "answer": "no" }))
        .await
        .expect_error(StatusCode::NOT_FOUND);
    app.delete(&format!("/api/v1/events/{mine}/guests/{their_guest}")).await.expect_error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_organiser_cannot_see_or_touch_my_webhooks_nor_hear_of_my_events() {
    let app = crate::webhooks::app_reaching_local_receivers().await;
    let receiver = crate::webhooks::Receiver::start().await;
    let endpoint = crate::webhooks::register(&app, &receiver, &[]).await;
    app.post(&format!("/api/v1/webhooks/{endpoint}/test"), json!({})).await.expect(StatusCode::ACCEPTED);
    app.dispatch_webhooks_at(chrono::Utc::now()).await;
    let log = app.get(&format!("/api/v1/webhooks/{endpoint}/deliveries")).await.expect(StatusCode::OK);
    let message = log["deliveries"][0]["message_id"].as_str().unwrap().to_owned();

    let intruder = app.create_organiser("Mallory", "mallory@example.org").await;
    let w = format!("/api/v1/webhooks/{endpoint}");
    let attempts = [
        (Method::GET, w.clone(), None),
        (Method::PATCH, w.clone(), Some(json!({ "url": "https://mallory.example.org/" }))),
        (Method::DELETE, w.clone(), None),
        (Method::GET, format!("{w}/deliveries"), None),
        (Method::POST, format!("{w}/test"), Some(json!({}))),
        (Method::POST, format!("{w}/deliveries/{message}/resend"), Some(json!({}))),
    ];
    for (method, path, body) in attempts {
        let reply = app.request(method.clone(), &path, Some(&intruder), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path} must be 404 for another organiser");
        assert_eq!(reply.body["error"], "not_found");
    }
    let theirs = app.request(Method::GET, "/api/v1/webhooks", Some(&intruder), None).await.expect(StatusCode::OK);
    assert!(theirs["endpoints"].as_array().unwrap().is_empty(), "my endpoints are not in her list");

    // Her own endpoint hears nothing of my events.
    let hers = app
        .request(Method::POST, "/api/v1/webhooks", Some(&intruder), Some(json!({ "url": receiver.url() })))
        .await
        .expect(StatusCode::CREATED);
    app.create_published_event(json!({})).await;
    let hers = format!("/api/v1/webhooks/{}/deliveries", hers["id"].as_str().unwrap());
    let her_log = app.request(Method::GET, &hers, Some(&intruder), None).await.expect(StatusCode::OK);
    assert!(her_log["deliveries"].as_array().unwrap().is_empty(), "{her_log:#}");
    let after = app.get(&w).await.expect(StatusCode::OK);
    assert_eq!(after["url"], receiver.url(), "unchanged");
}
