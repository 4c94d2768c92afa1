//! Every series endpoint and page, tried by each role: the series' owner,
//! a co-organiser and a door helper of its team, and another organiser.
//! Each reaches what its role allows and gets 404 for the rest, as for a
//! series that does not exist.

use std::collections::HashMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::dashboard::Browser;
use crate::helpers::{TestApp, spawn_app_with_clock};
use crate::series_team::{first_morning, invite_to_series, series_with_a_date};
use crate::team::accept;
use crate::tenancy::{answered_as_its_rights_say, pasted_import_answered_as_its_rights_say};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Owner,
    Co,
    Door,
    Stranger,
}

const OWNER: &[Who] = &[Who::Owner];
const RUNS: &[Who] = &[Who::Owner, Who::Co];

/// A dashboard form: where it posts, its fields, who may send it.
type FormTry = (String, Vec<(&'static str, String)>, &'static [Who]);

/// A series on its first date's day with its team signed in and holding keys.
struct SeriesTeam {
    app: TestApp,
    series_id: String,
    first: String,
    pending: String,
    keys: Vec<(Who, String)>,
    cookies: HashMap<Who, String>,
}

async fn series_team_on_the_day() -> SeriesTeam {
    let app = spawn_app_with_clock(convive::clock::Clock::from_fn(first_morning)).await;
    let (series_id, first) = series_with_a_date(&app).await;
    let co = invite_to_series(&app, &series_id, "camille@example.org", "co_organiser").await;
    let door = invite_to_series(&app, &series_id, "dora@example.org", "door_helper").await;
    let pending = invite_to_series(&app, &series_id, "later@example.org", "door_helper").await;
    let mut cookies = HashMap::new();
    let (camille, _) = accept(&app, &format!("/team/{}", app.team_token(&co)), "Camille").await;
    cookies.insert(Who::Co, camille.cookie().to_owned());
    let (dora, _) = accept(&app, &format!("/team/{}", app.team_token(&door)), "Dora").await;
    cookies.insert(Who::Door, dora.cookie().to_owned());
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
    drop((camille, dora, owner, mallory));
    SeriesTeam { app, series_id, first, pending, keys, cookies }
}

/// A community member added by the owner; returns its id.
async fn member(app: &TestApp, series_id: &str, email: &str) -> String {
    let added = app
        .post(&format!("/api/v1/series/{series_id}/members"), json!({ "email": email }))
        .await
        .expect(StatusCode::CREATED);
    added["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_series_endpoint_answers_each_role_as_its_rights_say() {
    let team = series_team_on_the_day().await;
    let (app, series_id, first, pending) = (&team.app, &team.series_id, &team.first, &team.pending);
    let s = format!("/api/v1/series/{series_id}");
    let e = format!("/api/v1/events/{first}");
    for (who, key) in &team.keys {
        let name = format!("{who:?}").to_lowercase();
        let m = format!("{s}/members/{}", member(app, series_id, &format!("{name}.member@example.org")).await);
        // The owner's removal of the pending invitation last.
        let attempts: Vec<(Method, String, Option<Value>, &[Who])> = vec![
            (Method::GET, s.clone(), None, RUNS),
            (Method::PATCH, s.clone(), Some(json!({ "late_cancellation_hours": 12 })), RUNS),
            (Method::GET, format!("{s}/defaults"), None, RUNS),
            (Method::PATCH, format!("{s}/defaults"), Some(json!({ "capacity": 25 })), RUNS),
            (Method::POST, format!("{e}/series-defaults"), Some(json!({})), RUNS),
            (Method::POST, format!("{s}/dates"), Some(json!({})), RUNS),
            (Method::POST, format!("{e}/invite-community"), Some(json!({})), RUNS),
            (Method::GET, format!("{s}/members"), None, RUNS),
            (Method::POST, format!("{s}/members"), Some(json!({ "email": format!("{name}.2@example.org") })), RUNS),
            (Method::GET, m.clone(), None, RUNS),
            (Method::PATCH, m.clone(), Some(json!({ "status": "left" })), RUNS),
            (Method::GET, format!("{s}/members.csv"), None, RUNS),
            (Method::POST, format!("{e}/duplicate"), Some(json!({})), OWNER),
            (Method::GET, format!("{s}/team"), None, OWNER),
            (
                Method::POST,
                format!("{s}/team"),
                Some(json!({ "email": format!("{name}.team@example.org"), "role": "door_helper" })),
                OWNER,
            ),
            (Method::PATCH, format!("{s}/team/{pending}"), Some(json!({ "role": "co_organiser" })), OWNER),
            (Method::DELETE, format!("{s}/team/{pending}"), None, OWNER),
        ];
        // The community import reads its body first: a pasted list.
        let list = format!("{name}.3@example.org\n");
        let who_imports = format!("{who:?} import");
        pasted_import_answered_as_its_rights_say(
            app,
            &who_imports,
            &format!("{s}/members/import"),
            key,
            list,
            RUNS.contains(who),
        )
        .await;
        for (method, path, body, allowed) in attempts {
            let reply = app.request(method.clone(), &path, Some(key.as_str()), body).await;
            answered_as_its_rights_say(&format!("{who:?} {method} {path}"), &reply, allowed.contains(who));
        }
        // Her list holds the series if she runs it.
        let listed = app.request(Method::GET, "/api/v1/series", Some(key.as_str()), None).await.expect(StatusCode::OK);
        let holds = listed["series"].as_array().unwrap().iter().any(|one| one["id"] == series_id.as_str());
        assert_eq!(holds, RUNS.contains(who), "{who:?} GET /api/v1/series: {listed:#}");
    }
}

#[tokio::test]
async fn every_series_page_and_form_answers_each_role_as_its_rights_say() {
    let team = series_team_on_the_day().await;
    let (app, series_id, first) = (&team.app, &team.series_id, &team.first);
    let d = format!("/dashboard/series/{series_id}");
    let f = format!("/dashboard/events/{first}");
    for who in [Who::Stranger, Who::Door, Who::Co, Who::Owner] {
        let browser = Browser::with_cookie(app, &team.cookies[&who]);
        let name = format!("{who:?}").to_lowercase();
        let m = format!("{d}/members/{}", member(app, series_id, &format!("{name}.member@example.org")).await);
        let pages: [(String, &[Who]); 8] = [
            (d.clone(), RUNS),
            (format!("{d}/settings"), RUNS),
            (format!("{d}/defaults"), RUNS),
            (format!("{d}/community.csv"), RUNS),
            (m.clone(), RUNS),
            (format!("{f}/invite-community"), RUNS),
            (f.clone(), RUNS),
            (format!("{d}/team"), OWNER),
        ];
        for (path, allowed) in pages {
            let page = browser.get(&path).await;
            let expected = if allowed.contains(&who) { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(page.status, expected, "{who:?} GET {path}");
        }
        let forms: [FormTry; 6] = [
            (format!("{d}/dates"), vec![], RUNS),
            (format!("{d}/members"), vec![("email", format!("{name}.2@example.org")), ("name", name.clone())], RUNS),
            (format!("{m}/status"), vec![("status", "left".into())], RUNS),
            (format!("{f}/series-defaults"), vec![], RUNS),
            (format!("{f}/invite-community"), vec![], RUNS),
            (
                format!("{d}/team"),
                vec![("email", format!("{name}.team@example.org")), ("role", "door_helper".into())],
                OWNER,
            ),
        ];
        for (path, fields, allowed) in forms {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let sent = browser.submit("/dashboard", &path, &fields).await;
            let expected = if allowed.contains(&who) { StatusCode::SEE_OTHER } else { StatusCode::NOT_FOUND };
            assert_eq!(sent.status, expected, "{who:?} POST {path}: {}", sent.html);
        }
        // The series list names it to those who run it only.
        let listed = browser.get("/dashboard/series").await.decoded();
        assert_eq!(listed.contains("Café des Victoires"), RUNS.contains(&who), "{who:?} /dashboard/series");
    }
    // The door helper's door stays open on the day.
    let dora = Browser::with_cookie(app, &team.cookies[&Who::Door]);
    assert_eq!(dora.get(&format!("{f}/check-in")).await.status, StatusCode::OK);
}
