//! The day before, with the reminder, those who run the event get the
//! venue's summary through the real SMTP server: the headcount with
//! companions, the names expected, the waiting list; once, however many
//! schedulers run.

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;

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
    assert!(
        owners.subject().starts_with("Demain\u{a0}: 6\u{a0}personnes attendues")
            || owners.subject().starts_with("Demain\u{a0}: 6 personnes attendues"),
        "{}",
        owners.subject()
    );
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
