//! An organiser can neither see nor change another organiser's events,
//! guests or answers: every organiser endpoint answers 404 to foreign ids,
//! exactly as for ids that do not exist. Those who run an event with its
//! owner reach what their role allows, and get the same 404 for the rest.

use reqwest::{Method, StatusCode};
use serde_json::json;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use convive::clock::Clock;
use serde_json::Value;

use crate::dashboard::Browser;
use crate::helpers::{TestApp, spawn_app, spawn_app_with_clock};
use crate::team::{accept, invite_to_team};

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

/// A link to `path` as the pages write it (escaped).
fn href(path: &str) -> String {
    format!("href=\"{}\"", path.replace('/', "&#x2f;"))
}

/// A clock the test moves.
fn movable_clock(start: DateTime<Utc>) -> (Clock, Arc<Mutex<DateTime<Utc>>>) {
    let now = Arc::new(Mutex::new(start));
    let read = Arc::clone(&now);
    (Clock::from_fn(move || *read.lock().unwrap()), now)
}

/// Who tries: the owner, a co-organiser, a door helper, another organiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Owner,
    Co,
    Door,
    Stranger,
}

const OWNER: &[Who] = &[Who::Owner];
const RUNS: &[Who] = &[Who::Owner, Who::Co];
const DOOR: &[Who] = &[Who::Owner, Who::Co, Who::Door];

/// An event on its day with its whole team signed in: the owner, a
/// co-organiser and a door helper (both joined through the emailed link),
/// another organiser, and a guest of each one's own (so that removing or
/// erasing one leaves the others').
struct Team {
    app: TestApp,
    now: Arc<Mutex<DateTime<Utc>>>,
    morning: DateTime<Utc>,
    event_id: String,
    pending: String,
    /// Each one's API key, the owner last (she cancels the event at the end).
    keys: Vec<(Who, String)>,
    cookies: HashMap<Who, String>,
    guests: HashMap<Who, String>,
}

impl Team {
    fn browser(&self, who: Who) -> Browser<'_> {
        Browser::with_cookie(&self.app, &self.cookies[&who])
    }
}

async fn team_on_the_day() -> Team {
    // The breakfast's day, 07:00 in Paris.
    let year = Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let morning = Utc.with_ymd_and_hms(year, 12, 3, 6, 0, 0).unwrap();
    let (clock, now) = movable_clock(morning);
    let app = spawn_app_with_clock(clock).await;
    let event_id = app.create_published_event(json!({})).await;
    let co_member = invite_to_team(&app, &event_id, "camille@example.org", "co_organiser").await;
    let door_member = invite_to_team(&app, &event_id, "dora@example.org", "door_helper").await;
    let pending = invite_to_team(&app, &event_id, "later@example.org", "door_helper").await;
    let mut cookies = HashMap::new();
    let (co, co_landed) = accept(&app, &format!("/team/{}", app.team_token(&co_member)), "Camille").await;
    cookies.insert(Who::Co, co.cookie().to_owned());
    let (door, door_landed) = accept(&app, &format!("/team/{}", app.team_token(&door_member)), "Dora").await;
    cookies.insert(Who::Door, door.cookie().to_owned());
    assert_eq!(co_landed, format!("/dashboard/events/{event_id}"));
    assert_eq!(door_landed, format!("/dashboard/events/{event_id}/check-in"), "a door helper lands at the door");
    let owner = crate::dashboard::sign_in_with(&app, &app.login_link("anne@example.org").await).await;
    cookies.insert(Who::Owner, owner.cookie().to_owned());
    let stranger_key = app.create_organiser("Mallory", "mallory@example.org").await;
    let mallory = crate::dashboard::sign_in_with(&app, &app.login_link("mallory@example.org").await).await;
    cookies.insert(Who::Stranger, mallory.cookie().to_owned());
    let keys = vec![
        (Who::Stranger, stranger_key),
        (Who::Door, app.api_key_for("dora@example.org").await),
        (Who::Co, app.api_key_for("camille@example.org").await),
        (Who::Owner, app.api_key.clone()),
    ];
    let mut guests = HashMap::new();
    for (who, _) in &keys {
        let (id, _) = app.invite(&event_id, &format!("{who:?}@example.org").to_lowercase()).await;
        guests.insert(*who, id);
    }
    drop((co, door, owner, mallory));
    Team { app, now, morning, event_id, pending, keys, cookies, guests }
}

/// A dashboard form: where it posts, its fields, who may send it.
type FormTry = (String, Vec<(&'static str, String)>, &'static [Who]);

#[tokio::test]
async fn every_dashboard_page_and_form_answers_each_role_as_its_rights_say() {
    let team = team_on_the_day().await;
    let (app, event_id, guests) = (&team.app, &team.event_id, &team.guests);
    let e = format!("/api/v1/events/{event_id}");
    // The dashboard's pages and forms, the same way.
    let d = format!("/dashboard/events/{event_id}");
    for who in [Who::Stranger, Who::Door, Who::Co, Who::Owner] {
        let browser = team.browser(who);
        let g = format!("{d}/guests/{}", guests[&who]);
        let pages: [(String, &[Who]); 11] = [
            (d.clone(), RUNS),
            (format!("{d}/edit"), RUNS),
            (format!("{d}/results"), RUNS),
            (format!("{d}/guests.csv"), RUNS),
            (format!("{d}/preview"), RUNS),
            (format!("{g}/data.json"), RUNS),
            (format!("{d}/team"), OWNER),
            (format!("{d}/cancel"), OWNER),
            (format!("{d}/check-in"), DOOR),
            (format!("{d}/check-in/counts.json"), DOOR),
            (format!("{d}/door-list"), DOOR),
        ];
        for (path, allowed) in pages {
            let page = browser.get(&path).await;
            let expected = if allowed.contains(&who) { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(page.status, expected, "{who:?} GET {path}");
        }
        let name = format!("{who:?}").to_lowercase();
        let forms: [FormTry; 5] = [
            (format!("{d}/check-in/{}", guests[&who]), vec![], DOOR),
            (format!("{d}/check-in/{}/undo", guests[&who]), vec![], DOOR),
            (
                format!("{d}/walk-ins"),
                vec![("name", "Zélie".into()), ("email", format!("{name}.door@example.org"))],
                DOOR,
            ),
            (format!("{g}/answer"), vec![("answer", "maybe".into()), ("companions", "0".into())], RUNS),
            // Series and copies are the owner's.
            (format!("{d}/duplicate"), vec![], OWNER),
        ];
        for (path, fields, allowed) in forms {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let sent = browser.submit("/dashboard", &path, &fields).await;
            let expected = if allowed.contains(&who) { StatusCode::SEE_OTHER } else { StatusCode::NOT_FOUND };
            assert_eq!(sent.status, expected, "{who:?} POST {path}: {}", sent.html);
        }
    }
    // Her door and nothing else: the helper's own overview links only to it.
    let door = team.browser(Who::Door);
    let overview = door.get("/dashboard").await;
    assert!(overview.html.contains(&href(&format!("{d}/check-in"))), "{}", overview.html);
    assert!(!overview.html.contains(&href(&d)), "{}", overview.html);
    let door_page = door.get(&format!("{d}/check-in")).await;
    assert!(!door_page.html.contains(&href(&d)), "no way back to a page she may not see");

    // The history knows who kept the door.
    let activity = app.get(&format!("{e}/activity")).await.expect(StatusCode::OK);
    let check_ins: Vec<&Value> =
        activity["activity"].as_array().unwrap().iter().filter(|l| l["action"] == "checked_in").collect();
    assert!(check_ins.iter().any(|l| l["by"]["name"] == "Dora" && l["subject"] == "door@example.org"), "{activity:#}");
}

#[tokio::test]
async fn a_door_helper_keeps_her_door_on_the_day_only_and_of_her_event_only() {
    let team = team_on_the_day().await;
    let (app, event_id, guests, now, morning) = (&team.app, &team.event_id, &team.guests, &team.now, team.morning);
    let (door, co) = (team.browser(Who::Door), team.browser(Who::Co));
    let e = format!("/api/v1/events/{event_id}");
    let d = format!("/dashboard/events/{event_id}");
    assert_eq!(door.get(&format!("{d}/check-in")).await.status, StatusCode::OK);
    // The next day, the helper's door is closed; the co-organiser's is not.
    *now.lock().unwrap() = morning + Duration::days(1);
    assert_eq!(door.get(&format!("{d}/check-in")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(door.get(&format!("{d}/door-list")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(co.get(&format!("{d}/check-in")).await.status, StatusCode::OK);
    let door_key = app.api_key_for("dora@example.org").await;
    let late = app
        .request(Method::POST, &format!("{e}/guests/{}/check-in", guests[&Who::Door]), Some(&door_key), Some(json!({})))
        .await;
    assert_eq!(late.status, StatusCode::NOT_FOUND);
    *now.lock().unwrap() = morning;
    // Another event of the same owner, the same day: not hers.
    let other = app.create_published_event(json!({ "title": "Autre petit-déjeuner" })).await;
    assert_eq!(door.get(&format!("/dashboard/events/{other}/check-in")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(co.get(&format!("/dashboard/events/{other}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_organiser_endpoint_answers_each_role_as_its_rights_say() {
    let team = team_on_the_day().await;
    let (app, event_id, guests, pending) = (&team.app, &team.event_id, &team.guests, &team.pending);
    let e = format!("/api/v1/events/{event_id}");
    for (who, key) in &team.keys {
        let g = format!("{e}/guests/{}", guests[who]);
        let name = format!("{who:?}").to_lowercase();
        // Destructive ones last, the owner's cancel at the very end.
        let attempts: Vec<(Method, String, Option<Value>, &[Who])> = vec![
            (Method::GET, e.clone(), None, RUNS),
            (Method::PATCH, e.clone(), Some(json!({ "description": "Croissants." })), RUNS),
            (Method::POST, format!("{e}/publish"), Some(json!({})), RUNS),
            (Method::GET, format!("{e}/summary"), None, RUNS),
            (Method::GET, format!("{e}/answers/history"), None, RUNS),
            (Method::GET, format!("{e}/activity"), None, RUNS),
            (Method::GET, format!("{e}/guests"), None, RUNS),
            (Method::GET, format!("{e}/guests.csv"), None, RUNS),
            (Method::POST, format!("{e}/guests"), Some(json!({ "email": format!("{name}.2@example.org") })), RUNS),
            (
                Method::POST,
                format!("{e}/guests/bulk"),
                Some(json!({ "guests": [{ "email": format!("{name}.3@example.org") }] })),
                RUNS,
            ),
            (Method::PUT, format!("{g}/answer"), Some(json!({ "answer": "yes" })), RUNS),
            (Method::GET, format!("{g}/data"), None, RUNS),
            (Method::POST, format!("{e}/emails/resend-failed"), Some(json!({})), RUNS),
            (Method::POST, format!("{g}/check-in"), Some(json!({})), DOOR),
            (Method::DELETE, format!("{g}/check-in"), None, DOOR),
            (
                Method::POST,
                format!("{e}/walk-ins"),
                Some(json!({ "name": "Walk In", "email": format!("{name}.walk@example.org") })),
                DOOR,
            ),
            (Method::GET, format!("{e}/team"), None, OWNER),
            (
                Method::POST,
                format!("{e}/team"),
                Some(json!({ "email": format!("{name}.team@example.org"), "role": "door_helper" })),
                OWNER,
            ),
            (Method::POST, format!("{e}/duplicate"), Some(json!({})), OWNER),
            (Method::POST, format!("{g}/erase"), Some(json!({ "confirm": true })), RUNS),
            (Method::DELETE, g.clone(), None, RUNS),
            (Method::DELETE, format!("{e}/team/{pending}"), None, OWNER),
            (Method::POST, format!("{e}/cancel"), Some(json!({})), OWNER),
        ];
        // The guest list import reads its body first: a pasted list.
        let list = format!("{name}.4@example.org\n");
        let who_imports = format!("{who:?} import");
        pasted_import_answered_as_its_rights_say(
            app,
            &who_imports,
            &format!("{e}/guests/import"),
            key,
            list,
            RUNS.contains(who),
        )
        .await;
        for (method, path, body, allowed) in attempts {
            let reply = app.request(method.clone(), &path, Some(key.as_str()), body).await;
            answered_as_its_rights_say(&format!("{who:?} {method} {path}"), &reply, allowed.contains(who));
        }
    }
}

/// A reply is a success where her role allows it, else the same 404 as for
/// something that does not exist.
/// A pasted list posted to an import by `key`: imported if `allowed`,
/// else 404, as if the event or series did not exist.
pub async fn pasted_import_answered_as_its_rights_say(
    app: &TestApp,
    attempt: &str,
    path: &str,
    key: &str,
    list: String,
    allowed: bool,
) {
    let import = app
        .client
        .post(format!("{}{path}", app.address))
        .bearer_auth(key)
        .header("content-type", "text/plain")
        .body(list)
        .send()
        .await
        .unwrap()
        .status();
    if allowed {
        assert!(import.is_success(), "{attempt}: {import}");
    } else {
        assert_eq!(import, StatusCode::NOT_FOUND, "{attempt}");
    }
}

pub fn answered_as_its_rights_say(attempt: &str, reply: &crate::helpers::Reply, allowed: bool) {
    if allowed {
        assert!(reply.status.is_success(), "{attempt} must be allowed: {} {:#}", reply.status, reply.body);
    } else {
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{attempt} must be 404: {:#}", reply.body);
        assert_eq!(reply.body["error"], "not_found");
    }
}
