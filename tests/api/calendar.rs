//! Calendar feeds, read by independent parsers.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::mailbox::parse_ics;

#[tokio::test]
async fn an_organisers_feed_lists_her_events_and_follows_their_changes() {
    let app = spawn_app().await;
    let hostile = "Apéro ; avec, virgules\\ et: 🎉 שלום ".repeat(4);
    let event = app
        .create_event(json!({ "title": hostile, "description": "Une ligne;\r\nune autre, \\ fin", "venue_address": "Line 1\r\nLine 2" }))
        .await;
    let event_id = event["id"].as_str().unwrap();
    let other_key = app.create_organiser("Bea", "bea@example.org").await;
    app.request(reqwest::Method::POST, "/api/v1/events", Some(&other_key), Some(crate::helpers::cafe_des_victoires()))
        .await
        .expect(StatusCode::CREATED);

    let links = app.get("/api/v1/me/feed").await.expect(StatusCode::OK);
    let https = links["https"].as_str().unwrap();
    assert!(links["webcal"].as_str().unwrap().starts_with("webcal://"));
    let path = https.trim_start_matches("http://127.0.0.1:8080");
    let feed = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert_eq!(feed.headers()["content-type"], "text/calendar; charset=utf-8");
    let etag = feed.headers()["etag"].to_str().unwrap().to_owned();
    assert!(feed.headers().contains_key("last-modified"));
    let text = feed.text().await.unwrap();
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "a line longer than 75 octets: {line:?}");
    }
    let parsed = parse_ics(&text);
    for parser in ["icalendar", "vobject"] {
        let events = parsed[parser]["events"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{parser}: only her own event");
        assert_eq!(events[0]["summary"], hostile.trim(), "{parser}");
        assert_eq!(events[0]["uid"], format!("{event_id}@convive"), "{parser}");
        assert!(events[0]["location"].as_str().unwrap().contains("Line 1, Line 2"), "{parser}");
        assert!(events[0]["description"].as_str().unwrap().starts_with("Une ligne;\nune autre, \\ fin"), "{parser}");
    }
    assert_eq!(parsed["icalendar"]["method"], "PUBLISH");
    assert_eq!(parsed["icalendar"]["events"][0]["sequence"], 0);

    // Unchanged: 304.
    let again = app.client.get(format!("{}{path}", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // Moved: a new ETag and a higher SEQUENCE.
    app.patch(
        &format!("/api/v1/events/{event_id}"),
        json!({ "starts_at": "2031-02-01T09:00", "ends_at": "2031-02-01T10:00" }),
    )
    .await
    .expect(StatusCode::OK);
    let changed = app.client.get(format!("{}{path}", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let parsed = parse_ics(&changed.text().await.unwrap());
    assert_eq!(parsed["icalendar"]["events"][0]["sequence"], 1);
    assert_eq!(parsed["icalendar"]["events"][0]["start"], "2031-02-01T08:00:00+00:00");

    // A forged or altered token finds nothing.
    let forged = app.client.get(format!("{}/feeds/AAAA.BBBB.ics", app.address)).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
}
