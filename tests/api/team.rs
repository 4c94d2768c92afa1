//! Running an event together: the owner invites a co-organiser and a door
//! helper by email, they accept with the emailed link and sign in with
//! their own accounts; each role reaches exactly what it may (the rest is
//! 404, as for events that do not exist); removing someone ends her access;
//! the history says who did what.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use convive::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::dashboard::Browser;
use crate::helpers::{TestApp, spawn_app, spawn_app_with_clock, spawn_app_with_mail_on_demand};
use crate::mailbox::MailServer;

/// Invites `email` with `role` as the owner; returns the member's id.
async fn invite_to_team(app: &TestApp, event_id: &str, email: &str, role: &str) -> String {
    let member = app
        .post(&format!("/api/v1/events/{event_id}/team"), json!({ "email": email, "role": role }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(member["status"], "invited", "{member:#}");
    assert_eq!(member["role"], role);
    member["id"].as_str().unwrap().to_owned()
}

/// Opens the invitation's page, presses its button (with a name, for an
/// address without an account), and returns the signed-in browser and
/// where the app sent her.
async fn accept<'a>(app: &'a TestApp, link: &str, name: &str) -> (Browser<'a>, String) {
    let anonymous = Browser::anonymous(app);
    let page = anonymous.get(link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let accepted = anonymous.post(link, &[("csrf", &page.csrf()), ("name", name)]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.html);
    let to = accepted.headers["location"].to_str().unwrap().to_owned();
    (Browser::from_set_cookie(app, &accepted), to)
}

#[tokio::test]
async fn a_co_organiser_invited_by_email_accepts_edits_and_sets_answers_until_the_owner_removes_her() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    let (anne, _) = app.invite(&event_id, "anne@example.org").await;
    app.dispatch_all_pending_emails().await;
    let before = server.messages().len();

    let member = invite_to_team(&app, &event_id, "Camille@Example.org", "co_organiser").await;
    app.dispatch_all_pending_emails().await;
    let messages = server.messages();
    assert_eq!(messages.len(), before + 1, "one email: the invitation to the team");
    let invitation = &messages[before];
    assert_eq!(invitation.recipient(), "camille@example.org");
    assert_eq!(invitation.kind(), "team_invitation");
    assert!(invitation.subject().contains("Café des Victoires"), "{}", invitation.subject());
    // The event speaks French: so does its invitation.
    assert!(invitation.text().contains("vous invite à organiser"), "{}", invitation.text());
    let link = invitation.link("http://127.0.0.1:8080/team/").trim_start_matches("http://127.0.0.1:8080").to_owned();

    // An address without an account becomes one on accepting, and is signed in.
    let (camille, landed) = accept(&app, &link, "Camille Roux").await;
    assert_eq!(landed, format!("/dashboard/events/{event_id}"));
    let event_page = camille.get(&landed).await;
    assert_eq!(event_page.status, StatusCode::OK, "{}", event_page.html);
    assert!(!event_page.html.contains("id=\"team-link\""), "the team is the owner's");
    assert!(!event_page.html.contains("id=\"cancel-form\""), "cancelling is the owner's");
    assert_eq!(camille.get(&format!("/dashboard/events/{event_id}/team")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(camille.get(&format!("/dashboard/events/{event_id}/cancel")).await.status, StatusCode::NOT_FOUND);
    let overview = camille.get("/dashboard").await;
    assert!(overview.html.contains("id=\"shared-events\"") && overview.html.contains("Café des Victoires"));
    // The link was for once.
    assert_eq!(Browser::anonymous(&app).get(&link).await.status, StatusCode::GONE);

    // She sets Anne's answer from the dashboard, and edits the event through the API.
    let set = camille
        .submit(&landed, &format!("{landed}/guests/{anne}/answer"), &[("answer", "yes"), ("companions", "1")])
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.html);
    assert_eq!(app.guest(&event_id, "anne@example.org").await["reply"]["answer"], "yes");
    let key = app.api_key_for("camille@example.org").await;
    let e = format!("/api/v1/events/{event_id}");
    let edited = app
        .request(Method::PATCH, &e, Some(&key), Some(json!({ "title": "Café des Victoires, deuxième" })))
        .await
        .expect(StatusCode::OK);
    assert_eq!(edited["title"], "Café des Victoires, deuxième");
    let list = app.request(Method::GET, "/api/v1/events", Some(&key), None).await.expect(StatusCode::OK);
    assert_eq!(list["events"].as_array().unwrap().len(), 1, "the event she co-organises is in her list");
    // The team and cancelling stay the owner's.
    for (method, path, body) in [
        (Method::GET, format!("{e}/team"), None),
        (Method::POST, format!("{e}/team"), Some(json!({ "email": "eve@example.org", "role": "co_organiser" }))),
        (Method::POST, format!("{e}/cancel"), Some(json!({}))),
    ] {
        let reply = app.request(method.clone(), &path, Some(&key), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {:#}", reply.body);
    }

    // The history says who did what.
    let activity = app.get(&format!("{e}/activity")).await.expect(StatusCode::OK);
    let lines = activity["activity"].as_array().unwrap();
    let by = |action: &str| {
        lines.iter().find(|l| l["action"] == action).unwrap_or_else(|| panic!("no {action} in {activity:#}"))
    };
    assert_eq!(by("team_invited")["subject"], "camille@example.org");
    assert_eq!(by("answer_set")["by"]["name"], "Camille Roux");
    assert_eq!(by("answer_set")["subject"], "anne@example.org");
    assert_eq!(by("answer_set")["guest_id"], anne.as_str());
    assert_eq!(by("edited")["by"]["email"], "camille@example.org");
    let results =
        crate::dashboard::sign_in_as_owner(&app).await.get(&format!("/dashboard/events/{event_id}/results")).await;
    assert!(results.html.contains("id=\"activity-list\"") && results.html.contains("Camille Roux"), "{}", results.html);

    // Removed, her session and her key lose the event at once.
    let team = app.get(&format!("{e}/team")).await.expect(StatusCode::OK);
    assert_eq!(team["members"][0]["status"], "accepted");
    app.delete(&format!("{e}/team/{member}")).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(camille.get(&landed).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.request(Method::GET, &e, Some(&key), None).await.status, StatusCode::NOT_FOUND);
    assert!(!camille.get("/dashboard").await.html.contains("id=\"shared-events\""));
    assert!(app.get(&format!("{e}/team")).await.expect(StatusCode::OK)["members"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_invitation_to_the_team_is_checked_with_clear_words() {
    let app = spawn_app().await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/events/{event_id}/team");
    let reply = app.post(&path, json!({ "email": "not an address", "role": "boss" })).await;
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field_codes"]["email"]["code"], "invalid_email", "{body:#}");
    assert_eq!(body["field_codes"]["role"]["code"], "invalid_role", "{body:#}");
    let owner_email = app.get("/api/v1/me").await.expect(StatusCode::OK)["email"].as_str().unwrap().to_owned();
    let body = app
        .post(&path, json!({ "email": owner_email, "role": "door_helper" }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field_codes"]["email"]["code"], "owner_in_team", "{body:#}");

    // The dashboard says it in the organiser's language, and keeps what she typed.
    let owner = crate::dashboard::sign_in_as_owner(&app).await.in_french();
    let team = format!("/dashboard/events/{event_id}/team");
    let page = owner.submit(&team, &team, &[("email", "camille@"), ("role", "door_helper")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("value=\"camille@\""), "{}", page.html);
    assert!(page.html.contains("id=\"team-email-error\""), "{}", page.html);
    let page = owner.submit(&team, &team, &[("email", "camille@example.org"), ("role", "chef")]).await;
    assert!(page.html.contains("n&#x27;est pas un rôle") || page.html.contains("n'est pas un rôle"), "{}", page.html);
    let done = owner.submit(&team, &team, &[("email", "camille@example.org"), ("role", "door_helper")]).await;
    let after = owner.follow(&done).await;
    assert!(after.html.contains("Invitation envoyée à camille@example.org"), "{}", after.html);
    assert!(after.html.contains("Accueil le jour J"), "{}", after.html);
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

#[tokio::test]
async fn every_organiser_endpoint_and_page_answers_each_role_as_its_rights_say() {
    // The breakfast's day, 07:00 in Paris.
    let year = Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let morning = Utc.with_ymd_and_hms(year, 12, 3, 6, 0, 0).unwrap();
    let (clock, now) = movable_clock(morning);
    let app = spawn_app_with_clock(clock).await;
    let event_id = app.create_published_event(json!({})).await;
    let e = format!("/api/v1/events/{event_id}");

    let co_member = invite_to_team(&app, &event_id, "camille@example.org", "co_organiser").await;
    let door_member = invite_to_team(&app, &event_id, "dora@example.org", "door_helper").await;
    let pending = invite_to_team(&app, &event_id, "later@example.org", "door_helper").await;
    let (co, co_landed) = accept(&app, &format!("/team/{}", app.team_token(&co_member)), "Camille").await;
    let (door, door_landed) = accept(&app, &format!("/team/{}", app.team_token(&door_member)), "Dora").await;
    assert_eq!(co_landed, format!("/dashboard/events/{event_id}"));
    assert_eq!(door_landed, format!("/dashboard/events/{event_id}/check-in"), "a door helper lands at the door");
    let owner = crate::dashboard::sign_in_with(&app, &app.login_link("anne@example.org").await).await;
    let stranger_key = app.create_organiser("Mallory", "mallory@example.org").await;
    let mallory = crate::dashboard::sign_in_with(&app, &app.login_link("mallory@example.org").await).await;
    // The owner last: she cancels the event at the end.
    let keys = [
        (Who::Stranger, Some(stranger_key)),
        (Who::Door, Some(app.api_key_for("dora@example.org").await)),
        (Who::Co, Some(app.api_key_for("camille@example.org").await)),
        (Who::Owner, Some(app.api_key.clone())),
    ];
    // A guest of each one's own, so that removing or erasing one leaves the others'.
    let mut guests = std::collections::HashMap::new();
    for (who, _) in &keys {
        let (id, _) = app.invite(&event_id, &format!("{who:?}@example.org").to_lowercase()).await;
        guests.insert(*who, id);
    }

    // The dashboard's pages and forms, the same way.
    let d = format!("/dashboard/events/{event_id}");
    for (who, browser) in [(Who::Stranger, &mallory), (Who::Door, &door), (Who::Co, &co), (Who::Owner, &owner)] {
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
        let forms: [(String, Vec<(&str, String)>, &[Who]); 4] = [
            (format!("{d}/check-in/{}", guests[&who]), vec![], DOOR),
            (format!("{d}/check-in/{}/undo", guests[&who]), vec![], DOOR),
            (
                format!("{d}/walk-ins"),
                vec![("name", "Zélie".into()), ("email", format!("{name}.door@example.org"))],
                DOOR,
            ),
            (format!("{g}/answer"), vec![("answer", "maybe".into()), ("companions", "0".into())], RUNS),
        ];
        for (path, fields, allowed) in forms {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let sent = browser.submit("/dashboard", &path, &fields).await;
            let expected = if allowed.contains(&who) { StatusCode::SEE_OTHER } else { StatusCode::NOT_FOUND };
            assert_eq!(sent.status, expected, "{who:?} POST {path}: {}", sent.html);
        }
    }
    // Her door and nothing else: the helper's own overview links only to it.
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

    for (who, key) in &keys {
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
        let import = app
            .client
            .post(format!("{}{e}/guests/import", app.address))
            .bearer_auth(key.as_deref().unwrap_or(&app.api_key))
            .header("content-type", "text/plain")
            .body(format!("{name}.4@example.org\n"))
            .send()
            .await
            .unwrap()
            .status();
        if RUNS.contains(who) {
            assert!(import.is_success(), "{who:?} import: {import}")
        } else {
            assert_eq!(import, StatusCode::NOT_FOUND, "{who:?} import")
        }
        for (method, path, body, allowed) in attempts {
            let reply = app.request(method.clone(), &path, key.as_deref(), body).await;
            if allowed.contains(who) {
                assert!(
                    reply.status.is_success(),
                    "{who:?} {method} {path} must be allowed: {} {:#}",
                    reply.status,
                    reply.body
                );
            } else {
                assert_eq!(
                    reply.status,
                    StatusCode::NOT_FOUND,
                    "{who:?} {method} {path} must be 404: {:#}",
                    reply.body
                );
                assert_eq!(reply.body["error"], "not_found");
            }
        }
    }
}
