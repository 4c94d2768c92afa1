//! Calendar feeds, read by independent parsers.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::mailbox::{PARSERS, parse_ics};

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
    for parser in PARSERS {
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

/// Fetches a calendar path, checks the headers every calendar answer has, and
/// returns (`ETag`, parsed by every parser, raw text).
async fn calendar(app: &crate::helpers::TestApp, path: &str) -> (String, serde_json::Value, String) {
    let response = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8", "{path}");
    assert!(response.headers().contains_key("last-modified"), "{path}");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let text = response.text().await.unwrap();
    assert!(text.ends_with("END:VCALENDAR\r\n"), "{path}");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75 && !line.contains('\n') && !line.contains('\r'), "{path}: {line:?}");
    }
    (etag, parse_ics(&text), text)
}

#[tokio::test]
async fn a_guests_copy_and_her_feed_follow_her_answers_and_every_change_of_the_event() {
    let app = spawn_app().await;
    let title = "Apéro ; avec, virgules\\ et: retour 🎉 مرحبا שלום ".repeat(3).trim().to_owned();
    let first = app
        .create_published_event(json!({
            "title": title,
            "description": "Ligne 1;\nLigne 2, \\ fin",
            "venue_name": "Chez \"Léon\"; 2e étage, fond",
        }))
        .await;
    let second = app.create_published_event(json!({ "title": "Second", "time_zone": "America/New_York", "starts_at": "2031-03-10T18:00", "ends_at": "2031-03-10T20:00" })).await;
    let declined = app.create_published_event(json!({ "title": "Declined" })).await;
    // Quotes, a caret and a trailing backslash: RFC 6868 territory.
    let name = "Doe, Jane; \"JD\" ^_^ 🎉 \\";
    let mut tokens = Vec::new();
    for event_id in [&first, &second, &declined] {
        let guest = app
            .post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": "jane@example.org", "name": name }))
            .await
            .expect(StatusCode::CREATED);
        tokens.push(guest["invitation_token"].as_str().unwrap().to_owned());
    }

    // Her copy, before she answers: her ATTENDEE line, NEEDS-ACTION.
    let (_, parsed, _) = calendar(&app, &format!("/i/{}/calendar.ics", tokens[0])).await;
    for parser in PARSERS {
        let event = &parsed[parser]["events"][0];
        assert_eq!(event["summary"], title.as_str(), "{parser}");
        assert!(event["description"].as_str().unwrap().starts_with("Ligne 1;\nLigne 2, \\ fin"), "{parser}: {event}");
        assert!(event["description"].as_str().unwrap().contains("(Europe/Paris)"), "{parser}: the zone is named");
        assert_eq!(event["uid"], format!("{first}@convive"), "{parser}");
        assert!(event["location"].as_str().unwrap().starts_with("Chez \"Léon\"; 2e étage, fond"), "{parser}: {event}");
        // vobject does not decode RFC 6868; the other two (as Thunderbird
        // and Apple Calendar) give the name back.
        let expected = if parser == "vobject" { "Doe, Jane; ^'JD^' ^^_^^ 🎉" } else { "Doe, Jane; \"JD\" ^_^ 🎉" };
        assert_eq!(event["attendees"][0]["cn"], expected, "{parser}");
        assert_eq!(event["attendees"][0]["partstat"], "NEEDS-ACTION", "{parser}");
        assert_eq!(parsed[parser]["method"], "PUBLISH", "{parser}");
    }
    assert_eq!(parsed["icalendar"]["events"][0]["status"], "CONFIRMED");

    for (token, answer) in tokens.iter().zip(["yes", "yes", "no"]) {
        app.answer(token, json!({ "answer": answer })).await.expect(StatusCode::OK);
    }
    let (_, parsed, _) = calendar(&app, &format!("/i/{}/calendar.ics", tokens[0])).await;
    for parser in PARSERS {
        assert_eq!(parsed[parser]["events"][0]["attendees"][0]["partstat"], "ACCEPTED", "{parser}");
    }

    // Her feed: the link is on her page; the events she said yes to, in UTC.
    let page = app.page(&format!("/i/{}", tokens[0])).await.decoded();
    let start = page.find("/feeds/guests/").expect("the feed link is on her page");
    let feed = page[start..].split('"').next().unwrap().to_owned();
    assert!(page.contains(&format!("webcal://127.0.0.1:8080{feed}")));
    let (etag, parsed, text) = calendar(&app, &feed).await;
    // Named in her language, which is her invitation's (French) here.
    assert!(text.contains("X-WR-CALNAME:Mes événements"), "{text}");
    for parser in PARSERS {
        let events = parsed[parser]["events"].as_array().unwrap();
        let uids: Vec<&str> = events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
        assert_eq!(uids, [format!("{first}@convive"), format!("{second}@convive")], "{parser}");
        assert!(events[1]["start"].as_str().unwrap().ends_with("T22:00:00+00:00"), "{parser}: New York 18:00 in UTC");
    }
    assert_eq!(parsed["icalendar"]["x_wr_timezone"], "Europe/Paris");
    assert_eq!(parsed["icaljs"]["x_wr_timezone"], "Europe/Paris");

    // Unchanged: 304 to a conditional GET.
    let again = app.client.get(format!("{}{feed}", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // A move shows up everywhere with a higher SEQUENCE: her feed, her copy,
    // the organiser's feed; a cancellation too, as CANCELLED.
    let organiser_feed = app.get("/api/v1/me/feed").await.expect(StatusCode::OK)["https"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();
    app.patch(&format!("/api/v1/events/{first}"), json!({ "venue_name": "Ailleurs" })).await.expect(StatusCode::OK);
    app.post(&format!("/api/v1/events/{second}/cancel"), json!({})).await.expect(StatusCode::OK);
    let changed = app.client.get(format!("{}{feed}", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    for path in [feed.as_str(), organiser_feed.as_str()] {
        let (_, parsed, _) = calendar(&app, path).await;
        let events = parsed["icalendar"]["events"].as_array().unwrap();
        let moved = events.iter().find(|e| e["uid"] == format!("{first}@convive")).unwrap();
        assert_eq!(moved["sequence"], 1, "{path}");
        assert!(moved["location"].as_str().unwrap().starts_with("Ailleurs"), "{path}");
        let cancelled = events.iter().find(|e| e["uid"] == format!("{second}@convive")).unwrap();
        assert_eq!(cancelled["status"], "CANCELLED", "{path}");
        assert_eq!(cancelled["sequence"], 1, "{path}");
        for parser in PARSERS {
            assert!(
                parsed[parser]["events"].as_array().unwrap().iter().any(|e| e["uid"] == format!("{first}@convive")),
                "{parser}"
            );
        }
    }
    let (_, parsed, _) = calendar(&app, &format!("/i/{}/calendar.ics", tokens[0])).await;
    assert_eq!(parsed["icaljs"]["events"][0]["sequence"], 1);

    // A change of mind takes the event out of her feed.
    app.answer(&tokens[0], json!({ "answer": "no" })).await.expect(StatusCode::OK);
    let (_, parsed, _) = calendar(&app, &feed).await;
    assert_eq!(parsed["vobject"]["events"].as_array().unwrap().len(), 1);

    // A forged token finds nothing.
    assert_eq!(app.page("/feeds/guests/AAAA.BBBB.ics").await.status, StatusCode::NOT_FOUND);
}

/// An organiser can open any of her guests' pages, and so their feed: it
/// must not show what that address accepted from other organisers.
#[tokio::test]
async fn a_guests_feed_shows_only_the_events_of_the_organiser_who_invited_her() {
    let app = spawn_app().await;
    let mine = app.create_published_event(json!({ "title": "Mine" })).await;
    let (_, my_token) = app.invite(&mine, "jane@example.org").await;
    app.answer(&my_token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);

    let other = app.create_organiser("Bea", "bea@example.org").await;
    let body = crate::helpers::cafe_des_victoires();
    let theirs = app
        .request(reqwest::Method::POST, "/api/v1/events", Some(&other), Some(body))
        .await
        .expect(StatusCode::CREATED);
    let theirs = theirs["id"].as_str().unwrap().to_owned();
    app.request(reqwest::Method::POST, &format!("/api/v1/events/{theirs}/publish"), Some(&other), None)
        .await
        .expect(StatusCode::OK);
    let guest = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/events/{theirs}/guests"),
            Some(&other),
            Some(json!({ "email": "jane@example.org" })),
        )
        .await
        .expect(StatusCode::CREATED);
    app.answer(guest["invitation_token"].as_str().unwrap(), json!({ "answer": "yes" })).await.expect(StatusCode::OK);

    let page = app.page(&format!("/i/{my_token}")).await.decoded();
    let start = page.find("/feeds/guests/").expect("the feed link is on her page");
    let feed = page[start..].split('"').next().unwrap().to_owned();
    let (_, parsed, _) = calendar(&app, &feed).await;
    for parser in PARSERS {
        let uids: Vec<&str> =
            parsed[parser]["events"].as_array().unwrap().iter().map(|e| e["uid"].as_str().unwrap()).collect();
        assert_eq!(uids, [format!("{mine}@convive")], "{parser}");
    }
}
