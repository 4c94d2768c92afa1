//! In a real browser (headless Chromium driven by playwright-core, through
//! `tests/tools/browser.mjs`): a guest follows the link from the email she
//! actually received, answers, and reads the confirmation, on a desktop and
//! on a phone. Screenshots land in the test's target folder for a look.

use std::fmt::Write as _;
use std::time::Duration;

use tokio::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{reachable_at_its_links, spawn_app_with};
use crate::mailbox::MailServer;

const WAIT: Duration = Duration::from_secs(10);

/// Runs one scenario of `browser.mjs` and returns what it printed. Async:
/// the app runs on this test's runtime and must keep serving meanwhile.
pub async fn browser(scenario: &str, args: &Value) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/browser.mjs");
    let output = Command::new("node")
        .arg(script)
        .arg(scenario)
        .arg(args.to_string())
        .output()
        .await
        .expect("node is installed (see .ci/run)");
    assert!(
        output.status.success(),
        "the browser scenario {scenario} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    serde_json::from_slice(&output.stdout).expect("browser.mjs prints JSON")
}

pub fn screenshot(name: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
    std::fs::create_dir_all(dir).unwrap();
    format!("{dir}/{name}.png")
}

/// Desktop and phone: from the link in the received email to the confirmation.
#[tokio::test]
async fn a_guest_answers_from_her_email_in_a_browser_on_a_desktop_and_on_a_phone() {
    let server = MailServer::start().await;
    let app = spawn_app_with(convive::clock::Clock::system(), |s| {
        reachable_at_its_links(s);
        s.smtp_host = Some("127.0.0.1".to_owned());
        s.smtp_port = Some(server.port);
        s.smtp_security = convive::config::SmtpSecurity::None;
    })
    .await;
    let event_id =
        app.create_published_event(json!({ "title": "Café des Victoires <b>& co</b>", "companions_allowed": 2 })).await;
    for (email, language) in [("desk@example.org", "en"), ("phone@example.org", "fr")] {
        app.post(
            &format!("/api/v1/events/{event_id}/guests"),
            json!({ "email": email, "name": "Jane Doe", "language": language }),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let messages = server.wait_for(2, WAIT).await;
    let event = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    // The year of its start, which the date line names.
    let start = event["starts_at"].to_string();
    let year = start.split(|c: char| !c.is_ascii_digit()).find(|n| n.len() == 4).expect("a year").to_owned();

    for (email, width, height, mobile, confirmation) in [
        ("desk@example.org", 1280, 800, false, "Got it, you're coming!"),
        ("phone@example.org", 360, 740, true, "C'est noté, vous venez"),
    ] {
        let message = messages.iter().find(|m| m.recipient() == email).expect("her invitation");
        // The email itself, as her mail app lays it out: the date and the
        // answer buttons come before she has to scroll.
        let laid_out = browser(
            "email",
            &json!({
                "html": message.html(), "date": year, "width": width, "height": height, "mobile": mobile,
                "screenshot": screenshot(&format!("invitation-email-{width}")),
            }),
        )
        .await;
        let (date, yes) =
            (laid_out["date_bottom"].as_f64().unwrap_or(f64::MAX), laid_out["yes_bottom"].as_f64().unwrap_or(f64::MAX));
        assert!(
            date <= yes && yes <= f64::from(height),
            "the date ends at {date} px, the yes button at {yes} px of {height}: {laid_out}"
        );
        assert_eq!(laid_out["horizontal_overflow"], false, "the email fits {width} px: {laid_out}");
        let yes_link = message.link(&format!("{}/i/", app.address));
        assert!(yes_link.ends_with("?answer=yes"), "the first link is the yes button: {yes_link}");

        // Mail scanners open every link: that alone changes nothing.
        for link in ["?answer=yes", "?answer=no", "?answer=maybe"] {
            let url = yes_link.replace("?answer=yes", link);
            let visited =
                browser("visit", &json!({ "url": url, "width": width, "height": height, "mobile": mobile })).await;
            assert_eq!(visited["status"], 200, "{visited}");
        }
        assert!(app.guest(&event_id, email).await["reply"].is_null(), "opening links answered for her");

        let result = browser(
            "answer",
            &json!({
                "url": yes_link, "answer": "yes", "companions": 1, "comment": "J'apporte des croissants 🥐",
                "width": width, "height": height, "mobile": mobile,
                "screenshot": screenshot(&format!("invitation-{width}")),
                "first_screen": screenshot(&format!("invitation-{width}-first-screen")),
            }),
        )
        .await;
        let before = &result["before"];
        assert_eq!(before["checked"], "yes", "the emailed answer is ticked: {result}");
        // Her answer, ticked, and its button on the first screen, with who invites her.
        let bottom = before["confirm_bottom"].as_f64().expect("the confirm button");
        assert!(bottom <= f64::from(height), "the confirm button ends at {bottom} px of {height}: {result}");
        assert!(before["host"].as_str().unwrap_or_default().contains("Anne Organiser"), "{result}");
        assert_eq!(before["horizontal_overflow"], false, "the page fits {width} px: {result}");
        let after = &result["after"];
        assert_eq!(after["status"], 200, "{result}");
        assert!(after["url"].as_str().unwrap().ends_with("?saved=1"), "{result}");
        let text = after["confirmation"].as_str().unwrap_or_default();
        assert!(text.contains(confirmation), "{email}: {result}");
        assert_eq!(after["checked"], "yes");
        assert_eq!(after["companions"], "1");
        assert_eq!(after["horizontal_overflow"], false, "{result}");

        let guest = app.guest(&event_id, email).await;
        assert_eq!(guest["reply"]["answer"], "yes");
        assert_eq!(guest["reply"]["companions"], 1);
        assert_eq!(guest["reply"]["comment"], "J'apporte des croissants 🥐");
    }
}

/// The organiser's side, in a browser and in French: sign in from the link
/// in the email she received, create the event, import a CSV of 50 rows
/// (some bad), publish after the page that says how many invitations will
/// leave, record two answers phoned in, then on a phone check those two
/// guests and a walk-in in, remove a guest (asked first), read the results
/// and open the cancellation's question without cancelling.
#[tokio::test]
async fn an_organiser_runs_her_event_from_the_dashboard_in_a_browser() {
    let server = MailServer::start().await;
    let app = spawn_app_with(convive::clock::Clock::system(), |s| {
        reachable_at_its_links(s);
        s.smtp_host = Some("127.0.0.1".to_owned());
        s.smtp_port = Some(server.port);
        s.smtp_security = convive::config::SmtpSecurity::None;
    })
    .await;

    // She asks for a link on the sign-in page, and gets it by email.
    let login = app.page("/login").await;
    let asked = app.submit("/login", &[("email", "anne@example.org"), ("csrf", &login.csrf())]).await;
    assert_eq!(asked.status, StatusCode::OK);
    let messages = server.wait_for(1, WAIT).await;
    let login_url = messages[0].link(&format!("{}/login/", app.address));

    // 50 rows: 47 guests, 2 bad addresses, 1 address listed twice.
    let mut csv = String::from("Prénom;Nom;E-mail;Langue\n");
    for i in 1..=45 {
        let _ = writeln!(csv, "Invité;Numéro {i:02};guest{i}@example.org;fr");
    }
    csv.push_str("Zélie;Marchand;zelie@example.org;fr\nBruno;Lefèvre;bruno@example.org;en\n");
    csv.push_str("Pas;D'adresse;pas-une-adresse;fr\nMauvaise;Adresse;x@;fr\n");
    csv.push_str("Zélie;Encore;Zelie@Example.org;fr\n");
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("invites.csv");
    std::fs::write(&csv_path, csv).unwrap();

    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
    std::fs::create_dir_all(shots).unwrap();
    let result = browser(
        "organiser",
        &json!({
            "login_url": login_url,
            "event": {
                "title": "Café des Victoires", "venue_name": "Café des Victoires",
                "venue_address": "6 place des Victoires, 75002 Paris",
                "starts_at": format!("{year}-03-12T08:30"), "ends_at": format!("{year}-03-12T10:00"),
                "time_zone": "Europe/Paris", "language": "fr", "capacity": "40", "companions_allowed": "1",
            },
            "csv_path": csv_path.to_str().unwrap(),
            "phoned": [{ "name": "Zélie Marchand", "answer": "yes" }, { "name": "Bruno Lefèvre", "answer": "yes" }],
            "check_in": ["Zélie Marchand", "Bruno Lefèvre"],
            "walk_in": { "name": "Paul Passant", "email": "paul@example.org" },
            "remove": "Numéro 45",
            "phone": { "width": 360, "height": 740 },
            "screenshots": shots,
            "width": 1280, "height": 900, "locale": "fr-FR",
        }),
    )
    .await;

    std::fs::write(format!("{shots}/journey.json"), format!("{result:#}")).unwrap();
    assert_eq!(result["signed_in_at"], "/dashboard", "{result}");
    // axe-core on every screen of the journey, at 1280 px and at 360 px
    // (screenshots of each in target/screenshots/journey-*-{1280,360}.png).
    let audited = result["axe"].as_object().expect("the audits");
    assert_eq!(audited.len(), 17, "{result}");
    let failing: serde_json::Map<String, Value> = audited
        .iter()
        .filter(|(_, found)| found.as_array().is_some_and(|v| !v.is_empty()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert!(failing.is_empty(), "axe-core violations:\n{:#}", Value::Object(failing));
    let report = result["report"].as_array().unwrap();
    let mut not_added: Vec<(u64, &str)> =
        report.iter().map(|r| (r["line"].as_u64().unwrap(), r["status"].as_str().unwrap())).collect();
    not_added.sort_unstable();
    assert_eq!(not_added, [(49, "invalid"), (50, "invalid"), (51, "duplicate")], "{result}");
    assert!(result["import_counts"].as_str().unwrap().contains("47"), "{result}");
    assert_eq!(result["guests_listed"], 47, "{result}");
    assert_eq!(result["publish_reach"], "Publier enverra 47\u{a0}invitations, tout de suite.", "{result}");
    assert_eq!(result["publish_flash"], "L'événement est publié\u{a0}: 47\u{a0}invitations sont en route.", "{result}");
    assert_eq!(result["status_after_publish"], "published", "{result}");
    assert_eq!(result["remove"]["question"], "Retirer Invité Numéro 45 de la liste\u{a0}?", "{result}");
    assert_eq!(result["remove"]["flash"], "Invité Numéro 45 ne fait plus partie de la liste.", "{result}");
    assert_eq!(result["remove"]["overflow"], false, "the question fits a phone: {result}");
    // Everyone but the one removed would be told, the walk-in included.
    assert_eq!(
        result["cancel_reach"],
        "47\u{a0}invités recevront l'annulation, avec de quoi retirer l'événement de leur agenda.",
        "{result}"
    );
    assert_eq!(result["cancel_kept"], "Publié", "{result}");
    assert_eq!(result["counts"], json!({ "came": "3", "people": "3", "walk_ins": "1" }), "{result}");
    assert_eq!(result["phone_overflow"], false, "the check-in page fits a phone");
    assert_eq!(result["results"]["invited"], "46", "one removed: {result}");
    assert_eq!(result["results"]["came"], "3", "{result}");
    assert_eq!(result["results"]["walk-ins"], "1", "{result}");
    assert_eq!(result["results"]["answered"], "2", "the two who phoned: {result}");
    assert_eq!(result["results"]["no-shows"], "0", "both came: {result}");
    // One day of answers is one bar, dated in French ("3 déc."), not ISO.
    assert_eq!(result["chart"]["bars"], 1, "{result}");
    let dates = result["chart"]["dates"].as_array().unwrap();
    assert!(!dates.is_empty() && dates.iter().all(|d| !d.as_str().unwrap().contains('-')), "{result}");

    // What the browser did is what the service holds.
    let events = app.get("/api/v1/events").await.expect(StatusCode::OK);
    let event_id = events["events"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(events["events"][0]["status"], "published");
    let summary = app.summary(&event_id).await;
    assert_eq!((summary["invited"].as_u64(), summary["came"].as_u64()), (Some(46), Some(3)), "{summary}");
}

/// The first run, in French, on a desktop and on a phone: `/` leads to the
/// setup page, a wrong code is refused in words, the right one opens her
/// dashboard.
#[tokio::test]
async fn the_first_organiser_sets_convive_up_in_a_browser_on_a_desktop_and_on_a_phone() {
    for (width, height, mobile) in [(1280, 800, false), (360, 740, true)] {
        let app = crate::helpers::spawn_fresh_app_with(reachable_at_its_links).await;
        let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
        std::fs::create_dir_all(shots).unwrap();
        let result = browser(
            "setup",
            &json!({
                "url": format!("{}/", app.address), "code": app.setup_code.as_deref().unwrap(),
                "name": "Camille Rousseau", "email": "camille@example.org",
                "screenshots": shots, "prefix": format!("{width}-"), "locale": "fr-FR",
                "width": width, "height": height, "mobile": mobile,
            }),
        )
        .await;
        assert_eq!(result["setup_path"], "/setup", "{result}");
        assert_eq!(result["wrong"]["status"], 422, "{result}");
        let error = result["wrong"]["error"].as_str().unwrap_or_default();
        assert!(error.contains("Ce code ne correspond pas"), "{result}");
        assert_eq!(result["wrong"]["name_kept"], "Camille Rousseau", "{result}");
        assert_eq!(result["landed_at"], "/dashboard", "{result}");
        assert_eq!(result["status"], 200, "{result}");
        assert!(result["text"].as_str().unwrap().contains("Mes événements"), "her dashboard: {result}");
        assert_eq!(result["horizontal_overflow"], false, "the page fits {width} px: {result}");
    }
}

/// The API reference renders with every request to another host refused,
/// as on a machine without internet.
#[tokio::test]
async fn the_api_reference_renders_offline_in_a_browser() {
    let app = crate::helpers::spawn_app_with(convive::clock::Clock::system(), reachable_at_its_links).await;
    let result = browser(
        "docs",
        &json!({
            "url": format!("{}/api/docs", app.address),
            "width": 1280, "height": 900, "screenshot": screenshot("api-docs-1280"),
        }),
    )
    .await;
    assert_eq!(result["outside"], json!([]), "requests to other hosts: {result}");
    assert!(result["operations"].as_u64().unwrap() > 20, "{result}");
    let requests = result["requests"].as_array().unwrap();
    assert!(requests.iter().any(|r| r.as_str().unwrap().ends_with("/api/openapi.json")), "{result}");
}

/// The month to month of a series, in French, on a desktop and a phone:
/// create the series, invite the community, a walk-in at the door, the
/// next date, and who came (screenshots in target/screenshots/series-*).
#[tokio::test]
async fn an_organiser_runs_her_series_month_to_month_in_a_browser() {
    let server = MailServer::start().await;
    let app = spawn_app_with(convive::clock::Clock::system(), |s| {
        reachable_at_its_links(s);
        s.smtp_host = Some("127.0.0.1".to_owned());
        s.smtp_port = Some(server.port);
        s.smtp_security = convive::config::SmtpSecurity::None;
    })
    .await;
    let event_id = app.create_published_event(json!({})).await;
    let login = app.page("/login").await;
    app.submit("/login", &[("email", "anne@example.org"), ("csrf", &login.csrf())]).await;
    let messages = server.wait_for(1, WAIT).await;
    let login_url = messages[0].link(&format!("{}/login/", app.address));
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
    std::fs::create_dir_all(shots).unwrap();
    // Her first date's list becomes the community when she makes it a series.
    for email in ["zelie@example.org", "bruno@example.org", "chloe@example.org"] {
        app.invite(&event_id, email).await;
    }
    let result = browser(
        "series",
        &json!({
            "login_url": login_url, "event_id": event_id, "series_name": "Café des Victoires",
            "walk_in": { "name": "Paul Passant", "email": "paul@example.org" },
            "phone": { "width": 360, "height": 740 }, "screenshots": shots,
            "width": 1280, "height": 900, "locale": "fr-FR",
        }),
    )
    .await;
    std::fs::write(format!("{shots}/series.json"), format!("{result:#}")).unwrap();
    let failing: Vec<&Value> =
        result["axe"].as_object().unwrap().values().filter(|v| v.as_array().is_some_and(|a| !a.is_empty())).collect();
    assert!(failing.is_empty(), "axe-core violations: {:#}", result["axe"]);
    assert_eq!(result["created_flash"], "La série est créée.", "{result}");
    assert_eq!(result["invite_reach"], "Toute la communauté est déjà sur la liste.", "its own list: {result}");
    // The next date: the three, and the walk-in met at the door.
    assert_eq!(
        result["next_reach"], "4\u{a0}personnes rejoignent la liste\u{a0}; les invitations partiront à la publication.",
        "{result}"
    );
    assert_eq!(result["next_invite_flash"], "4\u{a0}personnes de la communauté sont sur la liste.", "{result}");
    let paul = result["members"].as_array().unwrap().iter().find(|m| m["name"].as_str().unwrap().contains("Paul"));
    assert_eq!(paul.unwrap()["attendance"], "1 sur 1", "{result}");
    assert_eq!(result["phone_overflow"], false, "{result}");
    let rhythms: Vec<&str> = result["rhythms"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert_eq!(rhythms.len(), 8, "{result}");
    assert!(rhythms.iter().any(|r| r.starts_with("Le dernier ") && r.ends_with(" de chaque mois")), "{rhythms:?}");
    assert_eq!(result["defaults_heading"], "Réglages des prochains rendez-vous", "{result}");
    let history = result["walk_in_history"].as_array().unwrap();
    // The next date is still a draft: her history holds the date she came to.
    assert_eq!(history.len(), 1, "{result}");
    assert!(history[0].as_str().unwrap().contains("sans invitation"), "{result}");
}

/// A door helper, on her phone, with her own sign-in: she accepts the
/// invitation to the team (her account is made then), checks two guests in
/// and adds a walk-in; the list to print for thirty names fits one A4 page.
#[tokio::test]
async fn a_door_helper_accepts_her_invitation_and_checks_guests_in_from_her_phone() {
    use chrono::TimeZone;
    // The breakfast's morning, 07:00 in Paris: her door is open.
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let morning = chrono::Utc.with_ymd_and_hms(year, 12, 3, 6, 0, 0).unwrap();
    let app = spawn_app_with(convive::clock::Clock::fixed(morning), reachable_at_its_links).await;
    // With the questions a caterer and a door helper read: a dietary need
    // (a column of its own), a company and whether she speaks (under her name).
    let questions = json!([
        { "key": "diet", "kind": "one_choice", "label_fr": "Régime alimentaire", "label_en": "Dietary needs",
          "options": [ { "key": "none", "label_fr": "Aucun" }, { "key": "veg", "label_fr": "Végétarien" },
                       { "key": "gf", "label_fr": "Sans gluten" }, { "key": "halal", "label_fr": "Halal" } ] },
        { "key": "company", "kind": "short_text", "label_fr": "Société" },
        { "key": "speak", "kind": "yes_no", "label_fr": "Prend la parole" }
    ]);
    let event_id = app.create_published_event(json!({ "capacity": 60, "questions": questions })).await;
    let mut names: Vec<String> = (1..=28).map(|i| format!("Invité Numéro {i:02}")).collect();
    names.extend(["Zélie Marchand".to_owned(), "Bruno Lefèvre".to_owned()]);
    let mut expected_people = 0;
    for (i, name) in names.iter().enumerate() {
        let guest = app
            .post(
                &format!("/api/v1/events/{event_id}/guests"),
                json!({ "email": format!("guest{i}@example.org"), "name": name }),
            )
            .await
            .expect(StatusCode::CREATED);
        let companions = u32::from(i % 4 == 0);
        expected_people += 1 + companions;
        let comment = if i == 3 { "Végétarienne, arrive vers 9 h" } else { "" };
        let diet = ["none", "veg", "gf", "halal"][i % 4];
        app.put(
            &format!("/api/v1/events/{event_id}/guests/{}/answer", guest["id"].as_str().unwrap()),
            json!({ "answer": "yes", "companions": companions, "comment": comment, "questions": {
                "diet": diet,
                "company": if i % 3 == 0 { "Boulangerie Dupont & Fils" } else { "" },
                "speak": i % 7 == 0,
            } }),
        )
        .await
        .expect(StatusCode::OK);
    }
    let member = crate::team::invite_to_team(&app, &event_id, "dora@example.org", "door_helper").await;
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
    std::fs::create_dir_all(shots).unwrap();

    let result = browser(
        "door",
        &json!({
            "accept_url": format!("{}/team/{}", app.address, app.team_token(&member)),
            "name": "Dora Lemaire",
            "check_in": ["Zélie Marchand", "Bruno Lefèvre"],
            "walk_in": { "name": "Paul Passant", "email": "paul@example.org" },
            "screenshots": shots,
            "width": 360, "height": 740, "mobile": true, "locale": "fr-FR",
        }),
    )
    .await;
    std::fs::write(format!("{shots}/door.json"), format!("{result:#}")).unwrap();
    assert_eq!(result["landed_at"], format!("/dashboard/events/{event_id}/check-in"), "{result}");
    let failing: serde_json::Map<String, Value> = result["axe"]
        .as_object()
        .expect("the audits")
        .iter()
        .filter(|(_, found)| found.as_array().is_some_and(|v| !v.is_empty()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert!(failing.is_empty(), "axe-core violations:\n{:#}", Value::Object(failing));
    // Zélie comes with a companion.
    assert_eq!(result["counts"], json!({ "came": "3", "people": "4", "walk_ins": "1" }), "{result}");
    assert_eq!(result["overflow"], false, "the door fits her phone: {result}");
    assert_eq!(result["back_links"], 0, "no link to the event's page, which she may not see: {result}");
    // The list to print: everyone expected (a seated "yes"), on one A4 page.
    assert_eq!(result["door_rows"], 30, "{result}");
    assert_eq!(result["list_overflow"], false, "{result}");
    assert_eq!(result["pdf_pages"], 1, "thirty names fit one A4 page: {result}");

    // What her phone did is what the service holds, and it was her.
    let summary = app.summary(&event_id).await;
    assert_eq!(summary["came"], 3, "{summary}");
    let activity = app.get(&format!("/api/v1/events/{event_id}/activity")).await.expect(StatusCode::OK);
    let hers: Vec<&Value> =
        activity["activity"].as_array().unwrap().iter().filter(|l| l["by"]["name"] == "Dora Lemaire").collect();
    assert_eq!(hers.len(), 3, "two check-ins and a walk-in: {activity:#}");

    // The owner's team page, on a phone and on a desktop, in French.
    let owner = crate::dashboard::sign_in_with(&app, &app.login_link("anne@example.org").await).await;
    let (name, value) = owner.cookie().split_once('=').unwrap();
    for (width, height, mobile) in [(360, 740, true), (1280, 900, false)] {
        let seen = browser(
            "visit",
            &json!({
                "url": format!("{}/dashboard/events/{event_id}/team", app.address), "audit": true,
                "cookies": [{ "name": name, "value": value, "url": app.address }],
                "width": width, "height": height, "mobile": mobile, "locale": "fr-FR",
                "screenshot": screenshot(&format!("team-{width}")),
            }),
        )
        .await;
        assert_eq!(seen["status"], 200, "{seen}");
        assert_eq!(seen["axe"], json!([]), "{seen}");
        assert_eq!(seen["horizontal_overflow"], false, "{seen}");
        assert!(seen["text"].as_str().unwrap().contains("dora@example.org"), "{seen}");
    }
    assert_eq!(result["door_people"], expected_people, "companions count too: {result}");
}

/// A guest answers the event's questions on her phone (in French) and on a
/// desktop (in English): a mistake told next to its field, then her answers
/// kept. Screenshots in target/screenshots/questions-*; axe-core on each screen.
#[tokio::test]
async fn a_guest_answers_the_questions_on_her_phone_and_on_a_desktop() {
    let app = spawn_app_with(convive::clock::Clock::system(), reachable_at_its_links).await;
    let questions = json!([
        { "key": "diet", "kind": "one_choice", "required": true,
          "label_fr": "Régime alimentaire", "label_en": "Dietary needs",
          "options": [
              { "key": "vegetarian", "label_fr": "Végétarien", "label_en": "Vegetarian" },
              { "key": "vegan", "label_fr": "Végétalien", "label_en": "Vegan" },
              { "key": "none", "label_fr": "Aucun régime particulier", "label_en": "No particular diet" }
          ] },
        { "key": "company", "kind": "short_text", "label_fr": "Votre entreprise", "label_en": "Your company" },
        { "key": "topics", "kind": "several_choices", "label_fr": "Sujets qui vous intéressent", "label_en": "Topics you care about",
          "options": [ { "key": "rust", "label_en": "Rust" }, { "key": "sql", "label_en": "SQL" }, { "key": "ops", "label_fr": "Exploitation", "label_en": "Operations" } ] },
        { "key": "speak", "kind": "yes_no", "label_fr": "Souhaitez-vous intervenir ?", "label_en": "Would you like to speak?" },
        { "key": "note", "kind": "long_text", "label_fr": "Allergies ou autres contraintes", "label_en": "Allergies or other needs" }
    ]);
    let event_id = app.create_published_event(json!({ "questions": questions, "companions_allowed": 1 })).await;
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
    std::fs::create_dir_all(shots).unwrap();
    for (email, language, width, height, mobile, required) in [
        ("phone@example.org", "fr", 360, 740, true, "Ce champ est obligatoire."),
        ("desk@example.org", "en", 1280, 800, false, "This field is required."),
    ] {
        let guest = app
            .post(
                &format!("/api/v1/events/{event_id}/guests"),
                json!({ "email": email, "name": "Jane", "language": language }),
            )
            .await
            .expect(StatusCode::CREATED);
        let token = guest["invitation_token"].as_str().unwrap();
        let result = browser(
            "questions",
            &json!({
                "url": format!("{}/i/{token}", app.address), "width": width, "height": height, "mobile": mobile,
                "screenshots": shots, "prefix": "questions", "required": "q-diet",
                "texts": { "q-company": "Dupont & fils", "q-note": "J'arrive\nun peu en retard" },
                "choices": ["q-diet-vegan", "q-topics-rust", "q-topics-ops", "q-speak-yes"],
            }),
        )
        .await;
        assert_eq!(result["mistake"]["error"], required, "{result}");
        assert_eq!(result["mistake"]["kept"]["q-company"], "Dupont & fils", "nothing typed is lost: {result}");
        assert_eq!(result["mistake"]["kept"]["q-note"], "J'arrive\nun peu en retard", "{result}");
        assert!(result["after"]["url"].as_str().unwrap().ends_with("?saved=1"), "{result}");
        assert_eq!(result["after"]["ticked"], json!(["q-diet-vegan", "q-topics-rust", "q-topics-ops", "q-speak-yes"]));
        assert_eq!(result["after"]["horizontal_overflow"], false, "{result}");
        assert_eq!(result["mistake"]["horizontal_overflow"], false, "{result}");
        for screen in ["blank", "mistake", "answered"] {
            assert_eq!(result["axe"][screen], json!([]), "axe-core on the {screen} screen at {width} px: {result}");
        }
        let reply = &app.guest(&event_id, email).await["reply"];
        assert_eq!(
            reply["questions"],
            json!({ "diet": "vegan", "company": "Dupont & fils", "topics": ["rust", "ops"], "speak": true, "note": "J'arrive\nun peu en retard" })
        );
    }

    // The organiser reads their answers under their names, on a phone and a desktop.
    let owner = crate::dashboard::sign_in_with(&app, &app.login_link("anne@example.org").await).await;
    let (name, value) = owner.cookie().split_once('=').unwrap();
    for (width, height, mobile) in [(360, 740, true), (1280, 900, false)] {
        let seen = browser(
            "visit",
            &json!({
                "url": format!("{}/dashboard/events/{event_id}#guests-section", app.address), "audit": true,
                "cookies": [{ "name": name, "value": value, "url": app.address }],
                "width": width, "height": height, "mobile": mobile, "locale": "fr-FR",
                "screenshot": screenshot(&format!("questions-guest-list-{width}")),
            }),
        )
        .await;
        assert_eq!(seen["status"], 200, "{seen}");
        assert_eq!(seen["axe"], json!([]), "{seen}");
        assert_eq!(seen["horizontal_overflow"], false, "{seen}");
        let text = seen["text"].as_str().unwrap();
        assert!(text.contains("Régime alimentaire\u{a0}: Végétalien"), "{text}");
    }
}

/// An organiser adds two questions to her event on a phone (in French) and
/// on a desktop: a blank third one refused next to its fields, nothing typed
/// lost, then saved and listed on the event's page. Looks at the venue's
/// fields on the way. Screenshots in target/screenshots/question-editor-*
/// and event-form-venue-*; axe-core on each screen.
#[tokio::test]
async fn an_organiser_adds_questions_to_her_event_on_her_phone_and_on_a_desktop() {
    let app = spawn_app_with(convive::clock::Clock::system(), reachable_at_its_links).await;
    let owner = crate::dashboard::sign_in_with(&app, &app.login_link("anne@example.org").await).await;
    let (name, value) = owner.cookie().split_once('=').unwrap();
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
    std::fs::create_dir_all(shots).unwrap();
    for (width, height, mobile) in [(360, 740, true), (1280, 900, false)] {
        let event = app
            .create_event(json!({
                "venue_contact": "accueil@cafe-victoires.fr",
                "plan": { "venue_summary": "P1D" },
            }))
            .await;
        let event_id = event["id"].as_str().unwrap();
        let result = browser(
            "question_editor",
            &json!({
                "url": format!("{}/dashboard/events/{event_id}/edit", app.address),
                "cookies": [{ "name": name, "value": value, "url": app.address }],
                "width": width, "height": height, "mobile": mobile, "locale": "fr-FR", "screenshots": shots,
                "questions": [
                    { "kind": "one_choice", "label_fr": "Régime alimentaire", "label_en": "Dietary needs", "required": true,
                      "options_fr": "Végétarien\nVégétalien\nAucun", "options_en": "Vegetarian\nVegan\nNone" },
                    { "kind": "yes_no", "label_fr": "Souhaitez-vous intervenir\u{a0}?", "label_en": "" },
                ],
            }),
        )
        .await;
        assert_eq!(result["venue"]["contact"], "accueil@cafe-victoires.fr", "{result}");
        assert_eq!(
            (&result["venue"]["summary_amount"], &result["venue"]["summary_unit"]),
            (&json!("1"), &json!("days"))
        );
        assert_eq!(
            result["mistake"]["errors"],
            json!([
                ["question_2_label_fr-error", "Donnez un intitulé, en français ou en anglais."],
                ["question_2_options_fr-error", "Proposez au moins 2\u{a0}choix, un par ligne."],
            ]),
            "{result}"
        );
        let kept = result["mistake"]["kept"].as_array().unwrap();
        for pair in [
            json!(["question_0_label_fr", "Régime alimentaire"]),
            json!(["question_0_options_en", "Vegetarian\nVegan\nNone"]),
        ] {
            assert!(kept.contains(&pair), "{pair} kept: {result}");
        }
        assert!(
            result["saved"]["url"].as_str().unwrap().ends_with(&format!("/dashboard/events/{event_id}")),
            "{result}"
        );
        let list = result["saved"]["list"].as_str().unwrap();
        assert!(list.contains("Régime alimentaire") && list.contains("Oui ou non"), "{list}");
        for screen in ["venue", "mistake", "saved"] {
            assert_eq!(result[screen]["horizontal_overflow"], false, "{screen} at {width} px: {result}");
        }
        for (screen, found) in result["axe"].as_object().unwrap() {
            assert_eq!(found, &json!([]), "axe-core on the {screen} screen at {width} px: {result}");
        }
        let questions =
            app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK)["questions"].clone();
        assert_eq!(questions.as_array().unwrap().len(), 2, "{questions}");
        assert_eq!(
            questions[1]["label"],
            json!({ "fr": "Souhaitez-vous intervenir\u{a0}?", "en": "Souhaitez-vous intervenir\u{a0}?" })
        );
    }
}
