//! The venue's summary through the real SMTP server: by default with the
//! reminder, else at its own time in the plan, to those who run the event
//! and to the venue's contact: the headcount with companions, the names
//! expected, the waiting list, the catering totals; once, however many
//! schedulers run.

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::Browser;
use crate::helpers::spawn_app_with_mail_on_demand;
use crate::mailbox::MailServer;
use crate::team::{accept, invite_to_team};

#[tokio::test]
async fn those_who_run_the_event_get_the_venues_summary_with_the_reminder_once_with_its_totals() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let diet = json!([{ "key": "diet", "kind": "one_choice", "label_fr": "Régime alimentaire", "options": [
        { "key": "veg", "label_fr": "Végétarien" }, { "key": "vegan", "label_fr": "Végétalien" } ] }]);
    let event_id =
        app.create_published_event(json!({ "capacity": 6, "companions_allowed": 2, "questions": diet })).await;
    let co = invite_to_team(&app, &event_id, "camille@example.org", "co_organiser").await;
    accept(&app, &format!("/team/{}", app.team_token(&co)), "Camille Roux").await;
    let door = invite_to_team(&app, &event_id, "dora@example.org", "door_helper").await;
    accept(&app, &format!("/team/{}", app.team_token(&door)), "Dora").await;
    // 3 + 2 + 1 seats fill the 6; Denis's party of 2 waits; Eve declines.
    // Only the seated count for catering: 2 vegetarians, 1 vegan.
    for (name, answer, companions, comment, diet) in [
        ("Anne Martin", "yes", 2, "Sans gluten", "veg"),
        ("Bruno Lefèvre", "yes", 1, "", "veg"),
        ("Chloé Petit", "yes", 0, "", "vegan"),
        ("Denis Roy", "yes", 1, "", "veg"),
        ("Eve Durand", "no", 0, "", "veg"),
    ] {
        let email = format!("{}@example.org", name.split(' ').next().unwrap().to_lowercase());
        let guest = app
            .post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": email, "name": name }))
            .await
            .expect(StatusCode::CREATED);
        app.put(
            &format!("/api/v1/events/{event_id}/guests/{}/answer", guest["id"].as_str().unwrap()),
            json!({ "answer": answer, "companions": companions, "comment": comment, "questions": { "diet": diet } }),
        )
        .await
        .expect(StatusCode::OK);
    }
    let event = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    let starts: DateTime<Utc> = event["starts_at"]["utc"].as_str().unwrap().parse().unwrap();
    let summaries = || server.messages().into_iter().filter(|m| m.kind() == "venue_summary").collect::<Vec<_>>();

    // Not before its time (the default plan: with the reminder, a day before).
    app.run_due_work_at(starts - Duration::days(1) - Duration::minutes(1)).await;
    assert!(summaries().is_empty());
    // Two schedulers at once, as two processes on one database: one queues.
    let at = starts - Duration::days(1) + Duration::minutes(1);
    let (first, second) = tokio::join!(app.run_due_work_at(at), app.run_due_work_at(at));
    assert!(first.0.slots + second.0.slots >= 1, "{first:?} {second:?}");
    app.run_due_work_at(at + Duration::hours(1)).await;
    let sent = summaries();
    let mut to: Vec<String> = sent.iter().map(|m| m.recipient().to_owned()).collect();
    to.sort();
    assert_eq!(to, ["anne@example.org", "camille@example.org"], "the owner and the co-organiser, once each");

    let owners = sent.iter().find(|m| m.recipient() == "anne@example.org").unwrap();
    // The event speaks French: so does its summary.
    assert!(owners.subject().starts_with("6\u{a0}personnes attendues le "), "{}", owners.subject());
    let text = owners.text();
    for expected in [
        "Personnes attendues\u{a0}: 6 (dont 3 accompagnants), pour 6 places.",
        "Liste d'attente\u{a0}: 1 (2 personnes).",
        "- Anne Martin (+2) — Sans gluten",
        "- Bruno Lefèvre (+1)",
        "1. Denis Roy (+1)",
        "- Régime alimentaire — Végétarien\u{a0}: 2, Végétalien\u{a0}: 1",
        &format!("/dashboard/events/{event_id}/door-list"),
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(text.lines().any(|l| l.trim_end() == "- Chloé Petit"), "no companion, no comment:\n{text}");
    assert!(!text.contains("Eve"), "who declined is not expected:\n{text}");
    assert!(owners.html().contains("Anne Martin"), "{}", owners.html());
}

/// Guests for the summaries below: 3 + 2 seated of 5 seats, a party of 2
/// waiting, one declining; the seated count for catering.
async fn fill_the_cafe(app: &crate::helpers::TestApp, event_id: &str) {
    for (name, answer, companions, comment, diet) in [
        ("Anne Martin", "yes", 2, "Sans gluten, merci", "veg"),
        ("Bruno Lefèvre", "yes", 1, "", "vegan"),
        ("Denis Roy", "yes", 1, "", "veg"),
        ("Eve Durand", "no", 0, "", "veg"),
    ] {
        let email = format!("{}@example.org", name.split(' ').next().unwrap().to_lowercase());
        let guest = app
            .post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": email, "name": name }))
            .await
            .expect(StatusCode::CREATED);
        app.put(
            &format!("/api/v1/events/{event_id}/guests/{}/answer", guest["id"].as_str().unwrap()),
            json!({ "answer": answer, "companions": companions, "comment": comment, "questions": { "diet": diet } }),
        )
        .await
        .expect(StatusCode::OK);
    }
}

fn diet() -> serde_json::Value {
    json!([{ "key": "diet", "kind": "one_choice", "label_fr": "Régime alimentaire", "label_en": "Diet", "options": [
        { "key": "veg", "label_fr": "Végétarien", "label_en": "Vegetarian" },
        { "key": "vegan", "label_fr": "Végétalien", "label_en": "Vegan" } ] }])
}

#[tokio::test]
async fn the_venue_contact_gets_the_summary_at_its_own_time_in_the_events_language_once_without_a_reminder() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app
        .create_published_event(json!({
            "language": "en", "capacity": 5, "companions_allowed": 2, "questions": diet(),
            "venue_contact": "  accueil@cafe-victoires.fr ",
            // No reminder: the summary still goes, six hours before.
            "plan": { "reminder": null, "venue_summary": "PT6H" },
        }))
        .await;
    fill_the_cafe(&app, &event_id).await;
    let event = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    assert_eq!(event["venue_contact"], "accueil@cafe-victoires.fr");
    assert_eq!(event["plan"]["venue_summary"], "PT6H");
    assert_eq!(event["plan"]["reminder"], serde_json::Value::Null);
    let starts: DateTime<Utc> = event["starts_at"]["utc"].as_str().unwrap().parse().unwrap();
    let sent = |kind: &str| server.messages().into_iter().filter(|m| m.kind() == kind).collect::<Vec<_>>();

    app.run_due_work_at(starts - Duration::hours(6) - Duration::minutes(1)).await;
    assert!(sent("venue_summary").is_empty(), "not before its time");
    let at = starts - Duration::hours(6) + Duration::minutes(1);
    let (first, second) = tokio::join!(app.run_due_work_at(at), app.run_due_work_at(at));
    assert_eq!(first.0.queued + second.0.queued, 2, "one scheduler queues the two: {first:?} {second:?}");
    app.run_due_work_at(at + Duration::hours(1)).await;

    let summaries = sent("venue_summary");
    let mut to: Vec<&str> = summaries.iter().map(crate::mailbox::Received::recipient).collect();
    to.sort_unstable();
    assert_eq!(to, ["accueil@cafe-victoires.fr", "anne@example.org"], "the venue and the owner, once each");
    assert!(sent("reminder").is_empty(), "the plan has no reminder");

    let venue = summaries.iter().find(|m| m.recipient() == "accueil@cafe-victoires.fr").unwrap();
    assert!(venue.subject().starts_with("5 people expected on "), "{}", venue.subject());
    assert!(venue.header("Reply-To").unwrap_or_default().contains("anne@example.org"), "the venue answers the owner");
    let text = venue.text();
    for line in [
        "Hello,",
        "People expected: 5 (of whom 3 companions), for 5 seats.",
        "Waiting list: 1 (2 people).",
        "- Diet — Vegetarian: 1, Vegan: 1",
        "- Anne Martin (+2)",
        "- Bruno Lefèvre (+1)",
        "1. Denis Roy (+1)",
    ] {
        assert!(text.lines().any(|l| l.trim_end() == line), "{line:?} in:\n{text}");
    }
    for absent in ["Sans gluten", "/dashboard/", "Eve"] {
        assert!(!text.contains(absent) && !venue.html().contains(absent), "{absent:?} is not for the venue:\n{text}");
    }
    // Those who run the event are told the venue has its copy.
    let owners = summaries.iter().find(|m| m.recipient() == "anne@example.org").unwrap();
    assert!(owners.text().contains("- Anne Martin (+2) — Sans gluten, merci"), "{}", owners.text());
    assert!(owners.text().contains("The venue (accueil@cafe-victoires.fr) gets this summary too"), "{}", owners.text());
}

#[tokio::test]
async fn a_summary_turned_off_sends_nothing_and_a_wrong_venue_contact_is_refused() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let mut body = crate::helpers::cafe_des_victoires();
    crate::helpers::merge(&mut body, json!({ "venue_contact": "le café" }));
    let refused = app.post("/api/v1/events", body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!refused["fields"]["venue_contact"].is_null(), "{refused:#}");

    let event_id = app
        .create_published_event(json!({
            "venue_contact": "accueil@cafe-victoires.fr", "questions": diet(), "capacity": 5,
            "companions_allowed": 2, "plan": { "venue_summary": null },
        }))
        .await;
    fill_the_cafe(&app, &event_id).await;
    let event = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    assert!(event["plan"]["schedule"].as_array().unwrap().iter().all(|s| s["kind"] != "venue_summary"), "{event:#}");
    let starts: DateTime<Utc> = event["starts_at"]["utc"].as_str().unwrap().parse().unwrap();
    app.run_due_work_at(starts - Duration::hours(1)).await;
    assert!(server.messages().iter().any(|m| m.kind() == "reminder"), "the reminder still goes");
    assert!(server.messages().iter().all(|m| m.kind() != "venue_summary"), "no summary");
}

#[tokio::test]
async fn each_organiser_gets_the_summary_in_her_own_language_and_the_venue_in_the_events_once_each() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app
        .create_published_event(json!({
            "capacity": 5, "companions_allowed": 2, "questions": diet(),
            "venue_contact": "accueil@cafe-victoires.fr",
        }))
        .await;
    fill_the_cafe(&app, &event_id).await;
    // Camille's browser speaks English when she joins the team: her emails will too.
    let co = invite_to_team(&app, &event_id, "camille@example.org", "co_organiser").await;
    let link = format!("/team/{}", app.team_token(&co));
    let english = Browser::anonymous(&app).in_english();
    let page = english.get(&link).await;
    let joined = english.post(&link, &[("csrf", &page.csrf()), ("name", "Camille Roux")]).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.html);
    let anne = crate::dashboard::sign_in_as_owner(&app).await;
    // Her choice is her dashboard's language too, whatever her browser asks.
    let chosen = anne.submit("/dashboard/language", "/dashboard/language", &[("language", "en")]).await;
    let page = anne.follow(&chosen).await;
    assert!(page.html.contains("<html lang=\"en\""), "{}", page.html);
    assert!(page.decoded().contains("Your dashboard and your emails are now in this language."), "{}", page.html);
    // Anne chooses French for hers on the dashboard.
    let chosen = anne.submit("/dashboard/language", "/dashboard/language", &[("language", "fr")]).await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.html);
    let page = anne.follow(&chosen).await.decoded();
    assert!(page.contains("<option value=\"fr\" selected>"), "{page}");
    // Dora keeps the door: no summary for her.
    let door = invite_to_team(&app, &event_id, "dora@example.org", "door_helper").await;
    accept(&app, &format!("/team/{}", app.team_token(&door)), "Dora").await;

    let event = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    let starts: DateTime<Utc> = event["starts_at"]["utc"].as_str().unwrap().parse().unwrap();
    let summaries = || server.messages().into_iter().filter(|m| m.kind() == "venue_summary").collect::<Vec<_>>();
    app.run_due_work_at(starts - Duration::days(1) - Duration::minutes(1)).await;
    assert!(summaries().is_empty(), "not before its time");
    let at = starts - Duration::days(1) + Duration::minutes(1);
    let (first, second) = tokio::join!(app.run_due_work_at(at), app.run_due_work_at(at));
    assert_eq!(
        first.0.queued + second.0.queued,
        2 + 3,
        "two reminders (the seated), and one summary each: {first:?} {second:?}"
    );
    app.run_due_work_at(at + Duration::hours(1)).await;

    let sent = summaries();
    let mut to: Vec<&str> = sent.iter().map(crate::mailbox::Received::recipient).collect();
    to.sort_unstable();
    assert_eq!(to, ["accueil@cafe-victoires.fr", "anne@example.org", "camille@example.org"], "once each");
    let to_whom = |address: &str| sent.iter().find(|m| m.recipient() == address).unwrap();
    let camille = to_whom("camille@example.org");
    assert!(camille.subject().starts_with("5 people expected on "), "{}", camille.subject());
    assert!(camille.text().contains("People expected: 5 (of whom 3 companions), for 5 seats."), "{}", camille.text());
    assert!(camille.text().contains("- Anne Martin (+2) — Sans gluten, merci"), "{}", camille.text());
    assert!(camille.text().contains("- Diet — Vegetarian: 1, Vegan: 1"), "{}", camille.text());
    let anne = to_whom("anne@example.org");
    assert!(anne.subject().starts_with("5\u{a0}personnes attendues le "), "{}", anne.subject());
    let venue = to_whom("accueil@cafe-victoires.fr");
    assert!(venue.subject().starts_with("5\u{a0}personnes attendues le "), "the event's language: {}", venue.subject());
    assert!(venue.text().contains("Personnes attendues\u{a0}: 5"), "{}", venue.text());

    // Her sign-in link, asked from a French page, is written in English too.
    let french = Browser::anonymous(&app).in_french();
    let asked = french.submit("/login", "/login", &[("email", "camille@example.org")]).await;
    assert!(asked.status.is_success() || asked.status == StatusCode::SEE_OTHER, "{}", asked.html);
    app.dispatch_all_pending_emails().await;
    let login = server.messages().into_iter().find(|m| m.kind() == "login_link").expect("a sign-in link");
    assert_eq!(login.subject(), "Your Convive sign-in link");
}
