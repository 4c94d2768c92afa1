//! Running a series together: its owner invites a co-organiser and a door
//! helper to the series (the same invitation, email and page as for an
//! event); each has her role on the series and on every one of its dates;
//! the stronger of an event role and a series role wins; removing her
//! ends her access to the series and all its dates at once.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use convive::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with_clock, spawn_app_with_mail_on_demand};
use crate::mailbox::MailServer;
use crate::team::{accept, camilles_invitation};

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// A published first date and its series; returns (series id, date id).
pub(crate) async fn series_with_a_date(app: &TestApp) -> (String, String) {
    let first = app.create_published_event(json!({})).await;
    let series = app
        .post("/api/v1/series", json!({ "name": "Café des Victoires", "rule": "weekly", "first_date": first }))
        .await
        .expect(StatusCode::CREATED);
    (id(&series), first)
}

/// Invites `email` to the series' team with `role` as its owner; returns the member's id.
pub(crate) async fn invite_to_series(app: &TestApp, series_id: &str, email: &str, role: &str) -> String {
    let member = app
        .post(&format!("/api/v1/series/{series_id}/team"), json!({ "email": email, "role": role }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(member["status"], "invited", "{member:#}");
    assert_eq!(member["role"], role);
    id(&member)
}

#[tokio::test]
async fn a_series_co_organiser_invited_by_email_runs_the_series_and_every_date_until_the_owner_removes_her() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let (series_id, first) = series_with_a_date(&app).await;
    app.dispatch_all_pending_emails().await;
    let before = server.messages().len();

    let member = invite_to_series(&app, &series_id, "Camille@Example.org", "co_organiser").await;
    app.dispatch_all_pending_emails().await;
    let (invitation, link) = camilles_invitation(&server, before);
    // Its dates speak French: so does the invitation.
    assert!(invitation.subject().contains("la série «\u{a0}Café des Victoires\u{a0}»"), "{}", invitation.subject());
    assert!(invitation.text().contains("organiser la série"), "{}", invitation.text());

    // She accepts and lands on the series, which she runs but whose team is the owner's.
    let s = format!("/dashboard/series/{series_id}");
    let (camille, landed) = accept(&app, &link, "Camille Roux").await;
    assert_eq!(landed, s);
    let page = camille.get(&s).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(!page.html.contains("id=\"series-team-link\""), "the team is the owner's");
    assert_eq!(camille.get(&format!("{s}/team")).await.status, StatusCode::NOT_FOUND);
    assert!(camille.get("/dashboard/series").await.decoded().contains("Café des Victoires"), "in her series");
    assert_eq!(camille.get(&format!("/dashboard/events/{first}")).await.status, StatusCode::OK, "a past date too");
    assert!(camille.get("/dashboard").await.html.contains("id=\"shared-events\""));
    let owner = crate::dashboard::sign_in_as_owner(&app).await;
    assert!(owner.get(&s).await.html.contains("id=\"series-team-link\""));

    // She adds the next date from the dashboard, and its guests through the API.
    let added = camille.submit(&s, &format!("{s}/dates"), &[]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let next_page = added.headers["location"].to_str().unwrap().to_owned();
    let next = next_page.trim_start_matches("/dashboard/events/").to_owned();
    let next_date = app.get(&format!("/api/v1/events/{next}")).await.expect(StatusCode::OK);
    assert_eq!(next_date["series_id"], series_id.as_str(), "the owner's date, in the series");
    let key = app.api_key_for("camille@example.org").await;
    let as_camille = |method: Method, path: String, body: Option<Value>| {
        let key = key.clone();
        let app = &app;
        async move { app.request(method, &path, Some(&key), body).await }
    };
    as_camille(Method::POST, format!("/api/v1/events/{next}/guests"), Some(json!({ "email": "paul@example.org" })))
        .await
        .expect(StatusCode::CREATED);
    assert!(app.guests(&next).await.iter().any(|g| g["email"] == "paul@example.org"));
    let community = as_camille(Method::GET, format!("/api/v1/series/{series_id}/members"), None).await;
    assert_eq!(community.status, StatusCode::OK);
    let listed = as_camille(Method::GET, "/api/v1/series".to_owned(), None).await.expect(StatusCode::OK);
    assert_eq!(listed["series"].as_array().unwrap().len(), 1, "{listed:#}");
    let events = as_camille(Method::GET, "/api/v1/events".to_owned(), None).await.expect(StatusCode::OK);
    assert_eq!(events["events"].as_array().unwrap().len(), 2, "both dates in her list: {events:#}");
    // The team stays the owner's.
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/series/{series_id}/team"), None),
        (
            Method::POST,
            format!("/api/v1/series/{series_id}/team"),
            Some(json!({ "email": "eve@example.org", "role": "co_organiser" })),
        ),
        (Method::DELETE, format!("/api/v1/series/{series_id}/team/{member}"), None),
    ] {
        let reply = as_camille(method.clone(), path.clone(), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {:#}", reply.body);
    }

    // Removed, her session and her key lose the series and every date at once.
    let team = app.get(&format!("/api/v1/series/{series_id}/team")).await.expect(StatusCode::OK);
    assert_eq!(team["members"][0]["status"], "accepted");
    app.delete(&format!("/api/v1/series/{series_id}/team/{member}")).await.expect(StatusCode::NO_CONTENT);
    for path in [s.clone(), format!("/dashboard/events/{first}"), next_page.clone(), format!("{s}/community.csv")] {
        assert_eq!(camille.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!camille.get("/dashboard/series").await.decoded().contains("Café des Victoires"));
    assert!(!camille.get("/dashboard").await.html.contains("id=\"shared-events\""));
    for path in
        [format!("/api/v1/series/{series_id}"), format!("/api/v1/events/{first}"), format!("/api/v1/events/{next}")]
    {
        assert_eq!(as_camille(Method::GET, path.clone(), None).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let events = as_camille(Method::GET, "/api/v1/events".to_owned(), None).await.expect(StatusCode::OK);
    assert!(events["events"].as_array().unwrap().is_empty());
}

/// A clock the test moves.
fn movable_clock(start: DateTime<Utc>) -> (Clock, Arc<Mutex<DateTime<Utc>>>) {
    let now = Arc::new(Mutex::new(start));
    let read = Arc::clone(&now);
    (Clock::from_fn(move || *read.lock().unwrap()), now)
}

/// The first date's morning, 07:00 in Paris.
pub(crate) fn first_morning() -> DateTime<Utc> {
    let year = Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    Utc.with_ymd_and_hms(year, 12, 3, 6, 0, 0).unwrap()
}

#[tokio::test]
async fn a_series_door_helper_keeps_the_door_of_each_date_on_its_day_and_reaches_nothing_else() {
    let (clock, now) = movable_clock(first_morning());
    let app = spawn_app_with_clock(clock).await;
    let (series_id, first) = series_with_a_date(&app).await;
    let next = id(&app.post(&format!("/api/v1/series/{series_id}/dates"), json!({})).await.expect(StatusCode::CREATED));
    app.post(&format!("/api/v1/events/{next}/publish"), json!({})).await.expect(StatusCode::OK);
    let other = app.create_published_event(json!({ "title": "Autre petit-déjeuner" })).await;
    let (guest, _) = app.invite(&first, "zelie@example.org").await;
    let (next_guest, _) = app.invite(&next, "zelie@example.org").await;

    let member = invite_to_series(&app, &series_id, "dora@example.org", "door_helper").await;
    let (dora, landed) = accept(&app, &format!("/team/{}", app.team_token(&member)), "Dora").await;
    assert_eq!(landed, "/dashboard", "her dashboard lists her doors");
    let first_door = format!("/dashboard/events/{first}/check-in");
    let overview = dora.get("/dashboard").await;
    assert!(overview.html.contains(&first_door.replace('/', "&#x2f;")), "{}", overview.html);

    // The first date's door, on its day: the page and a check-in.
    assert_eq!(dora.get(&first_door).await.status, StatusCode::OK);
    let key = app.api_key_for("dora@example.org").await;
    let checked = app
        .request(Method::POST, &format!("/api/v1/events/{first}/guests/{guest}/check-in"), Some(&key), Some(json!({})))
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{:#}", checked.body);
    // Nothing else: the series' pages and API, the dates' other pages, the
    // next date's door before its day, another event's door.
    let s = format!("/dashboard/series/{series_id}");
    for path in [
        s.clone(),
        format!("{s}/settings"),
        format!("{s}/defaults"),
        format!("{s}/team"),
        format!("{s}/community.csv"),
        format!("/dashboard/events/{first}"),
        format!("/dashboard/events/{first}/results"),
        format!("/dashboard/events/{next}/check-in"),
        format!("/dashboard/events/{other}/check-in"),
    ] {
        assert_eq!(dora.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!dora.get("/dashboard/series").await.decoded().contains("Café des Victoires"));
    for path in [
        format!("/api/v1/series/{series_id}"),
        format!("/api/v1/series/{series_id}/members"),
        format!("/api/v1/series/{series_id}/defaults"),
        format!("/api/v1/series/{series_id}/team"),
        format!("/api/v1/events/{first}"),
        format!("/api/v1/events/{first}/guests"),
    ] {
        let reply = app.request(Method::GET, &path, Some(&key), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {:#}", reply.body);
    }
    let listed = app.request(Method::GET, "/api/v1/series", Some(&key), None).await.expect(StatusCode::OK);
    assert!(listed["series"].as_array().unwrap().is_empty(), "{listed:#}");
    let early = app
        .request(
            Method::POST,
            &format!("/api/v1/events/{next}/guests/{next_guest}/check-in"),
            Some(&key),
            Some(json!({})),
        )
        .await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);

    // The next date's day: its door opens for her, the first one's closes.
    let next_start: DateTime<Utc> =
        app.get(&format!("/api/v1/events/{next}")).await.expect(StatusCode::OK)["starts_at"]["utc"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
    *now.lock().unwrap() = next_start - Duration::hours(1);
    assert_eq!(dora.get(&format!("/dashboard/events/{next}/check-in")).await.status, StatusCode::OK);
    assert_eq!(dora.get(&first_door).await.status, StatusCode::NOT_FOUND);

    // Co-organiser of the next date itself: the stronger role wins there, and only there.
    let on_date = crate::team::invite_to_team(&app, &next, "dora@example.org", "co_organiser").await;
    accept(&app, &format!("/team/{}", app.team_token(&on_date)), "").await;
    assert_eq!(dora.get(&format!("/dashboard/events/{next}")).await.status, StatusCode::OK);
    assert_eq!(dora.get(&format!("/dashboard/events/{first}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(dora.get(&s).await.status, StatusCode::NOT_FOUND);

    // Her series role changed to co-organiser: the series opens to her.
    let changed = app
        .patch(&format!("/api/v1/series/{series_id}/team/{member}"), json!({ "role": "co_organiser" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["role"], "co_organiser");
    assert_eq!(dora.get(&s).await.status, StatusCode::OK);
    assert_eq!(dora.get(&format!("/dashboard/events/{first}")).await.status, StatusCode::OK);
    app.patch(&format!("/api/v1/series/{series_id}/team/{member}"), json!({ "role": "owner" }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_series_team_page_invites_and_removes_in_the_owners_words() {
    let app = crate::helpers::spawn_app().await;
    let (series_id, _) = series_with_a_date(&app).await;
    let owner = crate::dashboard::sign_in_as_owner(&app).await.in_french();
    let t = format!("/dashboard/series/{series_id}/team");
    let page = owner.get(&t).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.decoded();
    assert!(html.contains("Personne d'autre n'organise cette série pour l'instant."), "{html}");
    assert!(html.contains("chacune de ses dates"), "{html}");
    let invited = owner.submit(&t, &t, &[("email", "camille@example.org"), ("role", "co_organiser")]).await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.html);
    let html = owner.follow(&invited).await.decoded();
    assert!(html.contains("Invitation envoyée à camille@example.org."), "{html}");
    let refused = owner.submit(&t, &t, &[("email", "anne@example.org"), ("role", "co_organiser")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "the owner is not her own teammate");
    let team = app.get(&format!("/api/v1/series/{series_id}/team")).await.expect(StatusCode::OK);
    let member = team["members"][0]["id"].as_str().unwrap().to_owned();
    let removed = owner.submit(&t, &format!("{t}/{member}/remove"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let team = app.get(&format!("/api/v1/series/{series_id}/team")).await.expect(StatusCode::OK);
    assert!(team["members"].as_array().unwrap().is_empty());
}

/// The series' « Équipe » page and the « Langue » page, on a phone and on a
/// desktop, in French: axe-core finds nothing, nothing overflows.
/// Screenshots in target/screenshots/series-team-* and language-*.
#[tokio::test]
async fn the_series_team_and_language_pages_read_well_on_a_phone_and_a_desktop() {
    let app = crate::helpers::spawn_app_with(Clock::system(), crate::helpers::reachable_at_its_links).await;
    let (series_id, _) = series_with_a_date(&app).await;
    invite_to_series(&app, &series_id, "camille.roux@example.org", "co_organiser").await;
    invite_to_series(&app, &series_id, "dora@example.org", "door_helper").await;
    let owner = crate::dashboard::sign_in_with(&app, &app.login_link("anne@example.org").await).await;
    let (name, value) = owner.cookie().split_once('=').unwrap();
    for (page, path, expected) in [
        ("series-team", format!("/dashboard/series/{series_id}/team"), "camille.roux@example.org"),
        ("language", "/dashboard/language".to_owned(), "Votre langue"),
    ] {
        for (width, height, mobile) in [(360, 740, true), (1280, 900, false)] {
            let seen = crate::browser::browser(
                "visit",
                &json!({
                    "url": format!("{}{path}", app.address), "audit": true,
                    "cookies": [{ "name": name, "value": value, "url": app.address }],
                    "width": width, "height": height, "mobile": mobile, "locale": "fr-FR",
                    "screenshot": crate::browser::screenshot(&format!("{page}-{width}")),
                }),
            )
            .await;
            assert_eq!(seen["status"], 200, "{seen}");
            assert_eq!(seen["axe"], json!([]), "{seen}");
            assert_eq!(seen["horizontal_overflow"], false, "{seen}");
            assert!(seen["text"].as_str().unwrap().contains(expected), "{seen}");
        }
    }
}
