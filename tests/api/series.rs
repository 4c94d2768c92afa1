//! Series: dates that follow one another, duplicating an event, the
//! community invited to each date, and who really comes.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with_clock};
use convive::clock::Clock;

/// A clock the test moves.
fn movable_clock() -> (Clock, Arc<Mutex<DateTime<Utc>>>) {
    let now = Arc::new(Mutex::new(Utc::now()));
    let read = Arc::clone(&now);
    (Clock::from_fn(move || *read.lock().unwrap()), now)
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

fn starts_at(event: &Value) -> DateTime<Utc> {
    event["starts_at"]["utc"].as_str().unwrap().parse().unwrap()
}

async fn import_csv(app: &TestApp, series_id: &str, csv: &str) -> Value {
    let response = app
        .client
        .post(format!("{}/api/v1/series/{series_id}/members/import", app.address))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn set_answer(app: &TestApp, event_id: &str, email: &str, answer: &str) {
    let guest = app.guest(event_id, email).await;
    app.put(&format!("/api/v1/events/{event_id}/guests/{}/answer", id(&guest)), json!({ "answer": answer }))
        .await
        .expect(StatusCode::OK);
}

async fn check_in(app: &TestApp, event_id: &str, email: &str) {
    let guest = app.guest(event_id, email).await;
    app.post(&format!("/api/v1/events/{event_id}/guests/{}/check-in", id(&guest)), json!({}))
        .await
        .expect(StatusCode::OK);
}

async fn walk_in(app: &TestApp, event_id: &str, email: &str, name: &str) {
    app.post(&format!("/api/v1/events/{event_id}/walk-ins"), json!({ "email": email, "name": name }))
        .await
        .expect(StatusCode::CREATED);
}

async fn invite_community(app: &TestApp, event_id: &str) -> u64 {
    let reply = app.post(&format!("/api/v1/events/{event_id}/invite-community"), json!({})).await;
    reply.expect(StatusCode::OK)["added"].as_u64().unwrap()
}

#[tokio::test]
async fn duplicating_an_event_keeps_its_settings_and_moves_its_dates() {
    let app = spawn_app().await;
    let source = app
        .create_event(json!({
            "capacity": 12,
            "companions_allowed": 2,
            "rsvp_deadline": format!("{}-12-01T18:00", starts_at_year()),
            "open_registration": true,
            "plan": { "nudges": ["P5D"], "reminder": null },
            "words": { "invitation": "Au plaisir de vous revoir !" },
        }))
        .await;
    let source_id = id(&source);
    app.post(&format!("/api/v1/events/{source_id}/publish"), json!({})).await.expect(StatusCode::OK);
    let (_, token) = app.invite(&source_id, "anne@example.org").await;
    app.invite(&source_id, "bob@example.org").await;
    app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);

    let copy = app
        .post(&format!("/api/v1/events/{source_id}/duplicate"), json!({ "with_guests": true }))
        .await
        .expect(StatusCode::CREATED);
    // "The same, next month": the same weekday of the same rank, same local time.
    let (from, to) = (starts_at(&source), starts_at(&copy));
    let zone = chrono_tz::Europe::Paris;
    let (from_local, to_local) = (from.with_timezone(&zone), to.with_timezone(&zone));
    assert_eq!(to_local.weekday(), from_local.weekday());
    assert_eq!((to_local.day() - 1) / 7, (from_local.day() - 1) / 7, "same rank in the month");
    assert_eq!(to_local.time(), from_local.time());
    assert!((28..=35).contains(&(to - from).num_days()), "{from} -> {to}");
    let deadline = |e: &Value| e["rsvp_deadline"]["utc"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    assert_eq!(starts_at(&copy) - deadline(&copy), from - deadline(&source), "answers close as long before");
    for field in [
        "title",
        "description",
        "venue",
        "capacity",
        "companions_allowed",
        "language",
        "plan",
        "words",
        "open_registration",
        "time_zone",
    ] {
        if field == "plan" {
            assert_eq!(copy[field]["nudges"], source[field]["nudges"]);
            assert_eq!(copy[field]["reminder"], source[field]["reminder"]);
        } else {
            assert_eq!(copy[field], source[field], "{field}");
        }
    }
    assert_eq!(copy["status"], "draft");
    let copy_id = id(&copy);
    let guests = app.guests(&copy_id).await;
    let emails: Vec<&str> = guests.iter().map(|g| g["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["anne@example.org", "bob@example.org"]);
    assert!(guests.iter().all(|g| g["reply"].is_null()), "invited afresh, no answers carried over");

    // Without its guests, at a chosen local time.
    let year = starts_at_year() + 1;
    let bare = app
        .post(&format!("/api/v1/events/{source_id}/duplicate"), json!({ "starts_at": format!("{year}-02-11T19:00") }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(bare["starts_at"]["local"], format!("{year}-02-11T19:00:00+01:00"));
    assert_eq!(bare["ends_at"]["local"], format!("{year}-02-11T20:30:00+01:00"));
    assert!(app.guests(&id(&bare)).await.is_empty());
    let wrong = app
        .post(&format!("/api/v1/events/{source_id}/duplicate"), json!({ "starts_at": "next thursday" }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong["fields"]["starts_at"].is_string(), "{wrong:#}");
}

fn starts_at_year() -> i32 {
    Utc::now().year() + 1
}

#[tokio::test]
async fn a_series_suggests_its_next_date_by_its_rule_and_new_dates_start_from_its_defaults() {
    let app = spawn_app().await;
    let first = app.create_event(json!({ "capacity": 20 })).await;
    let series = app
        .post(
            "/api/v1/series",
            json!({ "name": "Café des Victoires", "rule": "every_n_weeks", "every": 2, "first_date": id(&first) }),
        )
        .await
        .expect(StatusCode::CREATED);
    let series_id = id(&series);
    assert_eq!(series["walk_ins_join"], true);
    assert_eq!(series["late_cancellation_hours"], 24);
    // The first date's settings are the series' defaults.
    let defaults = app.get(&format!("/api/v1/series/{series_id}/defaults")).await.expect(StatusCode::OK);
    for field in ["title", "venue", "capacity", "time_zone", "starts_at", "words"] {
        assert_eq!(defaults[field], first[field], "{field}");
    }
    let page = app.get(&format!("/api/v1/series/{series_id}")).await.expect(StatusCode::OK);
    let suggested: DateTime<Utc> = page["next_date_suggested"]["utc"].as_str().unwrap().parse().unwrap();
    assert_eq!(suggested - starts_at(&first), Duration::weeks(2));

    let second = app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED);
    assert_eq!(starts_at(&second), suggested);
    assert_eq!(second["series_id"], series_id.as_str());
    assert_eq!(second["capacity"], 20);

    // A change to one date stays with that date; the next starts from the defaults.
    app.patch(&format!("/api/v1/events/{}", id(&second)), json!({ "capacity": 25 })).await.expect(StatusCode::OK);
    app.patch(&format!("/api/v1/series/{series_id}"), json!({ "rule": "weekly" })).await.expect(StatusCode::OK);
    let third = app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED);
    assert_eq!(starts_at(&third) - starts_at(&second), Duration::weeks(1));
    assert_eq!(third["capacity"], 20);

    // Her defaults, changed by hand: another café at 9:00 for two hours; the
    // dates already made keep theirs.
    let changed = app
        .patch(
            &format!("/api/v1/series/{series_id}/defaults"),
            json!({
                "venue_name": "Café de la Paix",
                "starts_at": format!("{}-01-07T09:00", starts_at_year()),
                "ends_at": format!("{}-01-07T11:00", starts_at_year()),
                "companions_allowed": 1,
            }),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["venue"]["name"], "Café de la Paix");
    let fourth = app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED);
    assert_eq!(fourth["venue"]["name"], "Café de la Paix");
    assert_eq!(fourth["companions_allowed"], 1);
    let local = |e: &Value, f: &str| e[f]["local"].as_str().unwrap()[11..16].to_owned();
    assert_eq!((local(&fourth, "starts_at"), local(&fourth, "ends_at")), ("09:00".to_owned(), "11:00".to_owned()));
    let days = |e: &Value| starts_at(e).with_timezone(&chrono_tz::Europe::Paris).date_naive();
    assert_eq!(days(&fourth) - days(&third), Duration::weeks(1), "the day from the rule, the time from the defaults");
    let third_now = app.get(&format!("/api/v1/events/{}", id(&third))).await.expect(StatusCode::OK);
    assert_eq!(third_now["venue"], third["venue"], "dates already made keep their settings");

    // Or from one of its dates: the second one's capacity becomes the default.
    let from_date =
        app.post(&format!("/api/v1/events/{}/series-defaults", id(&second)), json!({})).await.expect(StatusCode::OK);
    assert_eq!(from_date["capacity"], 25);
    let fifth = app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED);
    assert_eq!(fifth["capacity"], 25);
    let invalid = app
        .patch(&format!("/api/v1/series/{series_id}/defaults"), json!({ "capacity": 0, "title": "" }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid["fields"]["capacity"].is_string() && invalid["fields"]["title"].is_string(), "{invalid:#}");
    let outside = app.create_event(json!({})).await;
    app.post(&format!("/api/v1/events/{}/series-defaults", id(&outside)), json!({}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    let dates = [first.clone(), second.clone(), third.clone(), fourth, fifth];
    let page = app.get(&format!("/api/v1/series/{series_id}")).await.expect(StatusCode::OK);
    let listed: Vec<&str> = page["dates"].as_array().unwrap().iter().map(|d| d["event_id"].as_str().unwrap()).collect();
    assert_eq!(listed, dates.iter().map(id).collect::<Vec<_>>());

    // A date belongs to one series; a series without dates cannot suggest one.
    let again = app.post("/api/v1/series", json!({ "name": "Autre", "first_date": id(&first) })).await;
    assert!(again.expect_error(StatusCode::UNPROCESSABLE_ENTITY)["fields"]["first_date"].is_string());
    let bad = app
        .post(
            "/api/v1/series",
            json!({ "name": "", "rule": "monthly_nth_weekday", "nth": 5, "late_cancellation_hours": 1000 }),
        )
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "nth", "late_cancellation_hours"] {
        assert!(bad["fields"][field].is_string(), "{field}: {bad:#}");
    }
}

#[tokio::test]
async fn a_series_without_a_date_starts_from_defaults_given_whole() {
    let app = spawn_app().await;
    let empty = app.post("/api/v1/series", json!({ "name": "Vide" })).await.expect(StatusCode::CREATED);
    app.post(&format!("/api/v1/series/{}/dates", id(&empty)), json!({}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    app.get(&format!("/api/v1/series/{}/defaults", id(&empty))).await.expect_error(StatusCode::NOT_FOUND);
    // Its defaults given whole, it suggests its first date from them.
    let year = starts_at_year();
    app.patch(
        &format!("/api/v1/series/{}/defaults", id(&empty)),
        json!({
            "title": "Petit-déjeuner",
            "venue_name": "Café",
            "starts_at": format!("{year}-03-05T08:30"),
            "ends_at": format!("{year}-03-05T10:00"),
            "time_zone": "Europe/Paris",
            "language": "fr",
        }),
    )
    .await
    .expect(StatusCode::OK);
    let first_of_empty =
        app.post(&format!("/api/v1/series/{}/dates", id(&empty)), json!({})).await.expect(StatusCode::CREATED);
    assert_eq!(first_of_empty["starts_at"]["local"], format!("{year}-03-05T08:30:00+01:00"));
}

#[tokio::test]
async fn the_community_comes_month_after_month_and_its_history_matches_what_happened() {
    let (clock, now) = movable_clock();
    let app = spawn_app_with_clock(clock).await;
    let set_now = |at: DateTime<Utc>| *now.lock().unwrap() = at;

    let first = app.create_event(json!({})).await;
    let first_id = id(&first);
    let series = app
        .post("/api/v1/series", json!({ "name": "Café des Victoires", "first_date": first_id }))
        .await
        .expect(StatusCode::CREATED);
    let series_id = id(&series);

    // The community from a spreadsheet, read as guest lists are.
    let report = import_csv(
        &app,
        &series_id,
        "Prénom;Nom;Adresse e-mail;Langue\nAnne;Martin;anne@example.org;fr\nBob;Durand;BOB@example.org;\n\
         Chloé;Petit;chloe@example.org;en\nDavid;Roux;david@example.org;fr\nX;Y;pas-une-adresse;fr\nAnne;M;anne@example.org;fr\n",
    )
    .await;
    assert_eq!(
        (report["added"].as_u64(), report["duplicates"].as_u64(), report["invalid"].as_u64()),
        (Some(4), Some(1), Some(1))
    );
    let again = import_csv(&app, &series_id, "email\nanne@example.org\n").await;
    assert_eq!(again["rows"][0]["reasons"]["email"], "is already in the community");

    // Date 1: the community invited in one step.
    app.post(&format!("/api/v1/events/{first_id}/publish"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(invite_community(&app, &first_id).await, 4);
    assert_eq!(invite_community(&app, &first_id).await, 0, "nobody twice");
    set_answer(&app, &first_id, "anne@example.org", "yes").await;
    set_answer(&app, &first_id, "bob@example.org", "yes").await;
    set_answer(&app, &first_id, "chloe@example.org", "no").await;
    set_now(starts_at(&first));
    check_in(&app, &first_id, "anne@example.org").await;
    walk_in(&app, &first_id, "emma@example.org", "Emma Blanc").await;
    walk_in(&app, &first_id, "fred@example.org", "Fred Noir").await;

    // Date 2: the walk-ins met at the door are invited with the others.
    let second = app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED);
    let second_id = id(&second);
    app.post(&format!("/api/v1/events/{second_id}/publish"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(invite_community(&app, &second_id).await, 6);
    let invited: Vec<String> =
        app.guests(&second_id).await.iter().map(|g| g["email"].as_str().unwrap().to_owned()).collect();
    assert!(invited.contains(&"emma@example.org".to_owned()) && invited.contains(&"fred@example.org".to_owned()));
    set_now(starts_at(&second) - Duration::days(5));
    for (email, answer) in [("anne", "yes"), ("bob", "yes"), ("chloe", "yes"), ("emma", "yes"), ("fred", "no")] {
        set_answer(&app, &second_id, &format!("{email}@example.org"), answer).await;
    }
    // Bob cries off three hours before: a late cancellation.
    set_now(starts_at(&second) - Duration::hours(3));
    set_answer(&app, &second_id, "bob@example.org", "no").await;
    set_now(starts_at(&second));
    check_in(&app, &second_id, "anne@example.org").await;
    check_in(&app, &second_id, "chloe@example.org").await;

    // Date 3: nobody checked in, so nobody is a no-show there.
    let third = app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED);
    let third_id = id(&third);
    app.post(&format!("/api/v1/events/{third_id}/publish"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(invite_community(&app, &third_id).await, 6);
    set_now(starts_at(&third) - Duration::days(2));
    set_answer(&app, &third_id, "anne@example.org", "yes").await;
    set_answer(&app, &third_id, "bob@example.org", "yes").await;
    set_answer(&app, &third_id, "emma@example.org", "maybe").await;

    assert_histories(&app, &series_id).await;

    // Her own page: what happened at each date, in order.
    let members = app.get(&format!("/api/v1/series/{series_id}/members")).await.expect(StatusCode::OK);
    let bob = members["members"].as_array().unwrap().iter().find(|m| m["email"] == "bob@example.org").unwrap();
    let bob = app.get(&format!("/api/v1/series/{series_id}/members/{}", id(bob))).await.expect(StatusCode::OK);
    let dates = bob["dates"].as_array().unwrap();
    let flags: Vec<(bool, bool, bool)> = dates
        .iter()
        .map(|d| {
            (
                d["no_show"].as_bool().unwrap(),
                d["late_cancellation"].as_bool().unwrap(),
                d["said_yes"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(flags, [(true, false, true), (false, true, false), (false, false, true)]);

    // The series page: invited / yes / came at each date.
    let page = app.get(&format!("/api/v1/series/{series_id}")).await.expect(StatusCode::OK);
    let per_date: Vec<(u64, u64, u64)> = page["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["invited"].as_u64().unwrap(), d["yes"].as_u64().unwrap(), d["came"].as_u64().unwrap()))
        .collect();
    assert_eq!(per_date, [(4, 2, 3), (6, 3, 2), (6, 2, 0)]);
}

#[tokio::test]
async fn members_added_by_hand_are_validated_and_a_member_who_left_is_not_invited_again() {
    let app = spawn_app().await;
    let first = app.create_published_event(json!({})).await;
    let series =
        app.post("/api/v1/series", json!({ "name": "Apéro", "first_date": first })).await.expect(StatusCode::CREATED);
    let members = format!("/api/v1/series/{}/members", id(&series));
    let anne = app
        .post(&members, json!({ "email": "Anne@Example.org", "name": "Anne", "tags": "voisins, bureau,voisins" }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(anne["email"], "anne@example.org");
    assert_eq!(anne["tags"], json!(["voisins", "bureau"]));
    assert_eq!(anne["joined_how"], "added");
    let twice = app.post(&members, json!({ "email": "anne@example.org" })).await.expect_error(StatusCode::CONFLICT);
    assert_eq!(twice["error"], "member_already_in_community");
    let bad = app
        .post(&members, json!({ "email": "nope", "language": "de" }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad["fields"]["email"].is_string() && bad["fields"]["language"].is_string(), "{bad:#}");
    app.post(&members, json!({ "email": "bob@example.org" })).await.expect(StatusCode::CREATED);

    let left = app.patch(&format!("{members}/{}", id(&anne)), json!({ "status": "left" })).await.expect(StatusCode::OK);
    assert_eq!(left["status"], "left");
    assert!(left["left_at"].is_string());
    assert_eq!(invite_community(&app, &first).await, 1);
    assert!(app.guests(&first).await.iter().all(|g| g["email"] != "anne@example.org"));
    // Not a date of a series: nothing to invite from.
    let alone = app.create_published_event(json!({})).await;
    app.post(&format!("/api/v1/events/{alone}/invite-community"), json!({}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn another_organiser_cannot_reach_my_series_its_members_or_its_dates() {
    let app = spawn_app().await;
    let first = app.create_published_event(json!({})).await;
    let series =
        app.post("/api/v1/series", json!({ "name": "Mine", "first_date": first })).await.expect(StatusCode::CREATED);
    let s = format!("/api/v1/series/{}", id(&series));
    let member =
        app.post(&format!("{s}/members"), json!({ "email": "anne@example.org" })).await.expect(StatusCode::CREATED);
    let m = format!("{s}/members/{}", id(&member));

    let intruder = app.create_organiser("Mallory", "mallory@example.org").await;
    let theirs = app
        .request(Method::POST, "/api/v1/events", Some(&intruder), Some(crate::helpers::cafe_des_victoires()))
        .await
        .expect(StatusCode::CREATED);
    let attempts = [
        (Method::GET, s.clone(), None),
        (Method::PATCH, s.clone(), Some(json!({ "name": "Mine now" }))),
        (Method::POST, format!("{s}/dates"), Some(json!({}))),
        (Method::GET, format!("{s}/members"), None),
        (Method::GET, format!("{s}/members.csv"), None),
        (Method::POST, format!("{s}/members"), Some(json!({ "email": "spy@example.org" }))),
        (Method::GET, m.clone(), None),
        (Method::PATCH, m.clone(), Some(json!({ "status": "left" }))),
        (Method::POST, format!("/api/v1/events/{first}/duplicate"), Some(json!({}))),
        (Method::POST, format!("/api/v1/events/{first}/invite-community"), Some(json!({}))),
        (Method::GET, format!("{s}/defaults"), None),
        (Method::PATCH, format!("{s}/defaults"), Some(json!({ "venue_name": "Elsewhere" }))),
        (Method::POST, format!("/api/v1/events/{first}/series-defaults"), Some(json!({}))),
        (Method::POST, "/api/v1/series".to_owned(), Some(json!({ "name": "Stolen", "first_date": first }))),
    ];
    for (method, path, body) in attempts {
        let reply = app.request(method.clone(), &path, Some(&intruder), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {:#}", reply.body);
        assert_eq!(reply.body["error"], "not_found");
    }
    let import = app
        .client
        .post(format!("{}{s}/members/import", app.address))
        .bearer_auth(&intruder)
        .header("content-type", "text/csv")
        .body("email\nspy@example.org\n")
        .send()
        .await
        .unwrap();
    assert_eq!(import.status(), StatusCode::NOT_FOUND);
    let list = app.request(Method::GET, "/api/v1/series", Some(&intruder), None).await.expect(StatusCode::OK);
    assert!(list["series"].as_array().unwrap().is_empty());
    // Her own event cannot be made a date of my series either: it is hers, the series is not reachable.
    let _ = theirs;
    // Nothing changed.
    let mine = app.get(&s).await.expect(StatusCode::OK);
    assert_eq!(mine["name"], "Mine");
    let defaults = app.get(&format!("{s}/defaults")).await.expect(StatusCode::OK);
    assert_ne!(defaults["venue"]["name"], "Elsewhere");
    assert_eq!(mine["dates"].as_array().unwrap().len(), 1);
    let members = app.get(&format!("{s}/members")).await.expect(StatusCode::OK);
    assert_eq!(members["members"].as_array().unwrap().len(), 1);
    assert_eq!(members["members"][0]["status"], "active");
}

/// The table worked out by hand after the three dates.
async fn assert_histories(app: &TestApp, series_id: &str) {
    // The table worked out by hand: dates, invited, answered, yes, came, no-shows, late cancellations.
    let expected = [
        ("anne@example.org", [3, 3, 3, 3, 2, 0, 0]),
        ("bob@example.org", [3, 3, 3, 2, 0, 1, 1]),
        ("chloe@example.org", [3, 3, 2, 1, 1, 0, 0]),
        ("david@example.org", [3, 3, 0, 0, 0, 0, 0]),
        ("emma@example.org", [3, 2, 2, 1, 1, 1, 0]),
        ("fred@example.org", [3, 2, 1, 0, 1, 0, 0]),
    ];
    let members = app.get(&format!("/api/v1/series/{series_id}/members")).await.expect(StatusCode::OK);
    let members = members["members"].as_array().unwrap();
    assert_eq!(members.len(), expected.len());
    for ((email, counts), member) in expected.iter().zip(members) {
        assert_eq!(member["email"], *email);
        let h = &member["history"];
        let got: Vec<u64> = ["dates", "invited", "answered", "yes", "came", "no_shows", "late_cancellations"]
            .iter()
            .map(|k| h[k].as_u64().unwrap())
            .collect();
        assert_eq!(got, counts, "{email}: {h}");
    }
    let emma = members.iter().find(|m| m["email"] == "emma@example.org").unwrap();
    assert_eq!(emma["joined_how"], "walk_in");
    // The same table in the spreadsheet export, for French Excel.
    let response = app
        .client
        .get(format!("{}/api/v1/series/{series_id}/members.csv?language=fr", app.address))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.unwrap();
    let bob = csv.lines().find(|l| l.contains("bob@example.org")).unwrap();
    assert!(bob.ends_with(";3;3;3;2;0;1;1"), "{csv}");
    let emma_line = csv.lines().find(|l| l.contains("emma@example.org")).unwrap();
    assert!(emma_line.contains(";venu sans invitation;") && emma_line.ends_with(";3;2;2;1;1;1;0"), "{csv}");
    assert!(emma["consented_at"].is_string());
}

#[tokio::test]
async fn one_click_from_a_dates_nudge_leaves_the_series_and_nothing_more_comes_from_it() {
    let server = crate::mailbox::MailServer::start().await;
    let app = crate::helpers::spawn_app_with_mail_on_demand(&server).await;
    let first = app.create_event(json!({})).await;
    let first_id = id(&first);
    let series = app.post("/api/v1/series", json!({ "name": "Café des Victoires", "first_date": first_id })).await;
    let series_id = id(&series.expect(StatusCode::CREATED));
    for email in ["anne@example.org", "david@example.org"] {
        app.post(&format!("/api/v1/series/{series_id}/members"), json!({ "email": email }))
            .await
            .expect(StatusCode::CREATED);
    }
    app.post(&format!("/api/v1/events/{first_id}/publish"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(invite_community(&app, &first_id).await, 2);
    app.dispatch_all_pending_emails().await;
    // The first nudge, a week before.
    let start = starts_at(&first);
    app.run_due_work_at(start - Duration::days(7) + Duration::minutes(1)).await;
    let messages = server.messages();
    let nudge = messages.iter().find(|m| m.kind() == "nudge" && m.recipient() == "david@example.org").unwrap();
    let header = nudge.header("List-Unsubscribe").unwrap();
    let url = header.split(['<', '>']).find(|p| p.starts_with("http")).unwrap().to_owned();
    let path = url.trim_start_matches("http://127.0.0.1:8080").to_owned();

    // The page says what the link does, in the date's language, and offers more.
    let page = app.page(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.decoded();
    assert!(html.contains("Quitter «\u{a0}Café des Victoires\u{a0}»\u{a0}?"), "{html}");
    assert!(html.contains("name=\"scope\" value=\"organiser\""), "{html}");

    // RFC 8058's one-click POST: she leaves the series.
    let done = app.submit(&path, &[("List-Unsubscribe", "One-Click")]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.decoded().contains("vous avez quitté"), "{}", done.html);
    let members = app.get(&format!("/api/v1/series/{series_id}/members")).await.expect(StatusCode::OK);
    let david =
        members["members"].as_array().unwrap().iter().find(|m| m["email"] == "david@example.org").unwrap().clone();
    assert_eq!(david["status"], "left");
    assert_eq!(
        app.guest(&first_id, "david@example.org").await["unsubscribed"],
        false,
        "the organiser's other events still reach her"
    );

    // Not invited to the next date; the second nudge of this one reaches Anne only.
    let second = app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED);
    app.post(&format!("/api/v1/events/{}/publish", id(&second)), json!({})).await.expect(StatusCode::OK);
    assert_eq!(invite_community(&app, &id(&second)).await, 1);
    let before = server.messages().len();
    app.run_due_work_at(start - Duration::days(3) + Duration::minutes(1)).await;
    let later: Vec<(String, String)> =
        server.messages()[before..].iter().map(|m| (m.kind(), m.recipient().to_owned())).collect();
    assert!(later.iter().all(|(_, to)| to != "david@example.org"), "{later:?}");
    assert!(later.contains(&("nudge".to_owned(), "anne@example.org".to_owned())), "{later:?}");

    // Her email's footer names the series: its feed, leaving it, or nothing
    // more from the organiser, each a link of its own.
    let anne =
        server.messages().into_iter().find(|m| m.kind() == "nudge" && m.recipient() == "anne@example.org").unwrap();
    let text = anne.text();
    assert!(text.contains("Quitter «\u{a0}Café des Victoires\u{a0}»"), "{text}");
    assert!(anne.html().contains("prochains rendez-vous de «\u{a0}Café des Victoires\u{a0}»"), "{}", anne.html());
    let feed = anne.link("http://127.0.0.1:8080/feeds/series/");
    let calendar = app.page(feed.trim_start_matches("http://127.0.0.1:8080")).await;
    assert_eq!(calendar.status, StatusCode::OK);
    assert!(calendar.html.contains(&format!("{}@", id(&second))), "the next date is in her feed: {}", calendar.html);
    let nothing_more = anne.link("http://127.0.0.1:8080/unsubscribe/");
    let nothing_more = text
        .lines()
        .find(|line| line.starts_with(&nothing_more) && line.ends_with("?scope=organiser"))
        .unwrap_or_else(|| panic!("a link for nothing more from the organiser: {text}"))
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();
    // That page asks only the organiser-wide question; its button stops everything.
    let page = app.page(&nothing_more).await.decoded();
    assert!(!page.contains("Quitter «"), "{page}");
    assert!(page.contains("name=\"scope\" value=\"organiser\""), "{page}");
    let path = nothing_more.trim_end_matches("?scope=organiser");
    let done = app.submit(path, &[("scope", "organiser")]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(app.guest(&first_id, "anne@example.org").await["unsubscribed"], true);
}

#[tokio::test]
async fn a_members_feed_has_the_dates_to_come_with_her_answers_in_three_parsers() {
    use crate::mailbox::{PARSERS, parse_ics};
    let app = spawn_app().await;
    let first = app.create_published_event(json!({})).await;
    let series = app.post("/api/v1/series", json!({ "name": "Café des Victoires", "first_date": first })).await;
    let series_id = id(&series.expect(StatusCode::CREATED));
    let anne = app
        .post(
            &format!("/api/v1/series/{series_id}/members"),
            json!({ "email": "anne@example.org", "name": "Martin, Anne" }),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(invite_community(&app, &first).await, 1);
    let second =
        id(&app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED));
    app.post(&format!("/api/v1/events/{second}/publish"), json!({})).await.expect(StatusCode::OK);
    let third =
        id(&app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED));
    app.post(&format!("/api/v1/events/{third}/publish"), json!({})).await.expect(StatusCode::OK);
    invite_community(&app, &third).await;
    set_answer(&app, &first, "anne@example.org", "yes").await;
    set_answer(&app, &third, "anne@example.org", "no").await;
    // A draft date is not in it yet.
    app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED);

    let feed = anne["feed_url"].as_str().unwrap();
    assert!(anne["webcal_url"].as_str().unwrap().starts_with("webcal://"));
    let path = feed.trim_start_matches("http://127.0.0.1:8080");
    let response = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(text.contains("X-WR-CALNAME:Café des Victoires"), "{text}");
    let parsed = parse_ics(&text);
    for parser in PARSERS {
        let events = parsed[parser]["events"].as_array().unwrap();
        let uids: Vec<&str> = events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
        assert_eq!(
            uids,
            [format!("{first}@convive"), format!("{second}@convive"), format!("{third}@convive")],
            "{parser}"
        );
        let partstats: Vec<Option<&str>> = events
            .iter()
            .map(|e| e["attendees"].as_array().and_then(|a| a.first()).and_then(|a| a["partstat"].as_str()))
            .collect();
        // Not on the second date's list: no ATTENDEE there.
        assert_eq!(partstats, [Some("ACCEPTED"), None, Some("DECLINED")], "{parser}: {text}");
    }
    let forged = app.client.get(format!("{}/feeds/series/AAAA.BBBB.ics", app.address)).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_community_file_with_tags_and_consent_dates_is_read_and_reads_back_what_the_export_wrote() {
    let app = spawn_app().await;
    let first = app.create_event(json!({})).await;
    let series = app.post("/api/v1/series", json!({ "name": "Café", "first_date": id(&first) })).await;
    let series_id = id(&series.expect(StatusCode::CREATED));
    let report = import_csv(
        &app,
        &series_id,
        "Nom;E-mail;Étiquettes;Consentement\n\
         Anne Martin;anne@example.org;voisins, orateurs;04/03/2026\n\
         Bob Roy;bob@example.org;;2026-03-05 09:30\n\
         Carla;carla@example.org;voisins;le mois dernier\n\
         Anne encore;anne@example.org;;\n",
    )
    .await;
    assert_eq!((report["added"].as_u64(), report["invalid"].as_u64()), (Some(2), Some(1)), "{report:#}");
    assert_eq!(report["duplicates"], 1, "{report:#}");
    let carla = report["rows"].as_array().unwrap().iter().find(|r| r["email"] == "carla@example.org").unwrap();
    assert_eq!(carla["reason_codes"]["consented_at"]["code"], "invalid_date", "{carla:#}");

    let members = app.get(&format!("/api/v1/series/{series_id}/members")).await.expect(StatusCode::OK);
    let member =
        |email: &str| members["members"].as_array().unwrap().iter().find(|m| m["email"] == email).unwrap().clone();
    assert_eq!(member("anne@example.org")["tags"], json!(["voisins", "orateurs"]));
    // A date alone is midnight in the series' zone (Paris, winter: UTC+1).
    assert_eq!(member("anne@example.org")["consented_at"], "2026-03-03T23:00:00Z");
    assert_eq!(member("bob@example.org")["consented_at"], "2026-03-05T08:30:00Z");

    // The export, imported into another series, gives the same tags and consent.
    let export = app
        .client
        .get(format!("{}/api/v1/series/{series_id}/members.csv", app.address))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let other = app.create_event(json!({})).await;
    let copy = app.post("/api/v1/series", json!({ "name": "Copie", "first_date": id(&other) })).await;
    let copy_id = id(&copy.expect(StatusCode::CREATED));
    let again = import_csv(&app, &copy_id, &export).await;
    assert_eq!((again["added"].as_u64(), again["invalid"].as_u64()), (Some(2), Some(0)), "{again:#}");
    let copied = app.get(&format!("/api/v1/series/{copy_id}/members")).await.expect(StatusCode::OK);
    for original in members["members"].as_array().unwrap() {
        let twin = copied["members"].as_array().unwrap().iter().find(|m| m["email"] == original["email"]).unwrap();
        for field in ["name", "tags", "consented_at", "language"] {
            assert_eq!(twin[field], original[field], "{field} of {}", original["email"]);
        }
    }
}
