use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn creating_an_event_returns_a_draft_with_utc_and_local_times() {
    let app = spawn_app().await;
    let event = app
        .create_event(json!({ "starts_at": "2030-12-03T08:30", "ends_at": "2030-12-03T10:00", "capacity": 30 }))
        .await;
    assert_eq!(event["status"], "draft");
    assert_eq!(event["sequence"], 0);
    assert_eq!(event["starts_at"]["utc"], "2030-12-03T07:30:00Z");
    assert_eq!(event["starts_at"]["local"], "2030-12-03T08:30:00+01:00");
    assert_eq!(event["time_zone"], "Europe/Paris");
    assert_eq!(event["answers_close_at"]["utc"], "2030-12-01T07:30:00Z", "by default answers close two days before");
    assert_eq!(event["plan"]["nudges"], serde_json::json!(["P7D", "P3D"]));
    let kinds: Vec<&str> =
        event["plan"]["schedule"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["nudge", "nudge", "reminder", "venue_summary", "follow_up"]);
    assert_eq!(event["plan"]["venue_summary"], "P1D", "by default the venue's summary goes with the reminder");
    assert_eq!(event["plan"]["schedule"][3]["due_at"], event["plan"]["schedule"][2]["due_at"]);
    assert_eq!(event["plan"]["schedule"][4]["due_at"]["local"], "2030-12-03T12:00:00+01:00", "two hours after the end");
    assert!(event.get("summary").is_none(), "one event's counts live at its /summary");

    let id = event["id"].as_str().unwrap();
    let read = app.get(&format!("/api/v1/events/{id}")).await.expect(StatusCode::OK);
    assert_eq!(read["title"], "Café des Victoires");
    assert_eq!(read["venue"]["address"], "6 place des Victoires, 75002 Paris");
}

#[tokio::test]
async fn instants_with_an_offset_are_kept_and_shown_in_the_event_zone() {
    let app = spawn_app().await;
    let event = app
        .create_event(json!({
            "starts_at": "2030-07-01T06:30:00Z",
            "ends_at": "2030-07-01T08:00:00+00:00",
            "rsvp_deadline": "2030-06-28T18:00",
            "time_zone": "America/New_York",
        }))
        .await;
    assert_eq!(event["starts_at"]["local"], "2030-07-01T02:30:00-04:00");
    assert_eq!(event["rsvp_deadline"]["utc"], "2030-06-28T22:00:00Z");
}

#[tokio::test]
async fn events_are_listed_soonest_first_with_their_counts() {
    let app = spawn_app().await;
    let later = app
        .create_event(json!({ "title": "Later", "starts_at": "2031-01-10T08:30", "ends_at": "2031-01-10T10:00" }))
        .await;
    let sooner = app
        .create_event(json!({ "title": "Sooner", "starts_at": "2030-01-10T08:30", "ends_at": "2030-01-10T10:00" }))
        .await;
    let later_id = later["id"].as_str().unwrap();
    app.invite(later_id, "a@example.org").await;
    app.invite(later_id, "b@example.org").await;

    let list = app.get("/api/v1/events").await.expect(StatusCode::OK);
    let events = list["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["id"], sooner["id"]);
    assert_eq!(events[1]["id"], later["id"]);
    assert_eq!(events[1]["summary"]["invited"], 2);
    assert_eq!(events[0]["summary"]["invited"], 0);

    let page = app.get("/api/v1/events?limit=1&offset=1").await.expect(StatusCode::OK);
    assert_eq!(page["events"].as_array().unwrap().len(), 1);
    assert_eq!(page["events"][0]["id"], later["id"]);
}

#[tokio::test]
async fn moving_an_event_bumps_its_sequence_but_editing_its_description_does_not() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let path = format!("/api/v1/events/{}", event["id"].as_str().unwrap());

    let edited = app.patch(&path, json!({ "description": "Bring business cards" })).await.expect(StatusCode::OK);
    assert_eq!(edited["sequence"], 0);
    assert_eq!(edited["description"], "Bring business cards");
    assert_eq!(edited["starts_at"], event["starts_at"], "untouched fields stay as they were");

    let moved = app.patch(&path, json!({ "venue_name": "Le Grand Café" })).await.expect(StatusCode::OK);
    assert_eq!(moved["sequence"], 1);
    let rescheduled = app
        .patch(&path, json!({ "starts_at": "2030-12-03T09:00", "ends_at": "2030-12-03T11:00" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(rescheduled["sequence"], 2);
    assert_eq!(rescheduled["starts_at"]["local"], "2030-12-03T09:00:00+01:00");
}

#[tokio::test]
async fn null_clears_an_optional_field_and_absence_keeps_it() {
    let app = spawn_app().await;
    let event = app.create_event(json!({ "follow_up_url": "https://photos.example.org/album" })).await;
    let path = format!("/api/v1/events/{}", event["id"].as_str().unwrap());

    let kept = app.patch(&path, json!({ "title": "Café des Victoires #2" })).await.expect(StatusCode::OK);
    assert_eq!(kept["capacity"], 30);
    assert_eq!(kept["follow_up_url"], "https://photos.example.org/album");

    let cleared = app.patch(&path, json!({ "capacity": null, "follow_up_url": null })).await.expect(StatusCode::OK);
    assert_eq!(cleared["capacity"], serde_json::Value::Null);
    assert_eq!(cleared["follow_up_url"], serde_json::Value::Null);
    let summary = app.summary(event["id"].as_str().unwrap()).await;
    assert_eq!(summary["seats_left"], serde_json::Value::Null);
}

#[tokio::test]
async fn an_invalid_change_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let path = format!("/api/v1/events/{}", event["id"].as_str().unwrap());
    let error = app
        .patch(&path, json!({ "ends_at": "2000-01-01T00:00", "title": "" }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["ends_at"].is_string());
    assert!(error["fields"]["title"].is_string());
    let read = app.get(&path).await.expect(StatusCode::OK);
    assert_eq!(read["title"], event["title"]);
    assert_eq!(read["ends_at"], event["ends_at"]);
}

#[tokio::test]
async fn publishing_then_cancelling_an_event() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let path = format!("/api/v1/events/{}", event["id"].as_str().unwrap());

    let published = app.post(&format!("{path}/publish"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(published["status"], "published");
    let again = app.post(&format!("{path}/publish"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(again["sequence"], published["sequence"], "publishing twice changes nothing");

    let cancelled = app.post(&format!("{path}/cancel"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["sequence"], 1, "calendars learn of a cancellation through a higher SEQUENCE");

    let error = app.post(&format!("{path}/publish"), json!({})).await.expect_error(StatusCode::CONFLICT);
    assert_eq!(error["error"], "event_cancelled");
    let error = app.patch(&path, json!({ "title": "Back on" })).await.expect_error(StatusCode::CONFLICT);
    assert_eq!(error["error"], "event_cancelled");
}
