//! One rule behind every door: what the API, the dashboard, the guest pages
//! and the emails once each decided for themselves, and decided differently.
//! Each test goes through two doors and expects the same outcome.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::{sign_in_with, terminal_login_link};
use crate::helpers::{TestApp, spawn_app, spawn_app_with_mail_and};
use crate::mailbox::{MailServer, parse_ics};

const WAIT: Duration = Duration::from_secs(20);

/// A published event with one seat, taken by `first`; `second` waits.
async fn one_seat_two_guests(app: &TestApp) -> (String, (String, String), (String, String)) {
    let event_id = app.create_published_event(json!({ "capacity": 1, "companions_allowed": 0 })).await;
    let first = app.invite(&event_id, "first@example.org").await;
    let second = app.invite(&event_id, "second@example.org").await;
    app.answer(&first.1, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    let waiting = app.answer(&second.1, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    assert_eq!(waiting["waitlist_position"], 1, "{waiting}");
    (event_id, first, second)
}

#[tokio::test]
async fn removing_a_seated_guest_seats_the_next_one_and_tells_her_at_once() {
    let server = MailServer::start().await;
    // The scheduler would not tick for an hour: only the removal itself can
    // wake the dispatcher.
    let app = spawn_app_with_mail_and(&server, |s| s.scheduler_interval_seconds = 3600).await;
    let (event_id, first, _) = one_seat_two_guests(&app).await;
    // Two invitations, and the second guest's place on the waiting list.
    let kinds: Vec<String> = server.wait_for(3, WAIT).await.iter().map(crate::mailbox::Received::kind).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "invitation").count(), 2, "{kinds:?}");
    assert!(kinds.contains(&"waitlisted".to_owned()), "{kinds:?}");

    app.delete(&format!("/api/v1/events/{event_id}/guests/{}", first.0)).await.expect(StatusCode::NO_CONTENT);

    // She hears she has a seat, and her organiser hears it too.
    let messages = server.wait_for(5, WAIT).await;
    let promoted = messages.iter().find(|m| m.kind() == "promoted").unwrap();
    assert_eq!(promoted.recipient(), "second@example.org");
    let note = messages.iter().find(|m| m.kind() == "organiser_note").expect("a note to the organiser");
    assert!(
        note.text().contains("second@example.org") && note.text().contains("a obtenu une place"),
        "{}",
        note.text()
    );
    assert_eq!(app.guest(&event_id, "second@example.org").await["waitlist_position"], json!(null));
}

#[tokio::test]
async fn a_waiting_yes_is_tentative_in_her_calendar_file_and_in_her_emails() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_and(&server, |_| {}).await;
    let (event_id, _, second) = one_seat_two_guests(&app).await;
    server.wait_for(3, WAIT).await;

    // Moving the event sends everyone concerned an update with her status.
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let moved = json!({ "starts_at": format!("{year}-12-03T09:00"), "ends_at": format!("{year}-12-03T10:30") });
    app.patch(&format!("/api/v1/events/{event_id}"), moved).await.expect(StatusCode::OK);
    let messages = server.wait_for(5, WAIT).await;
    let update = messages
        .iter()
        .find(|m| m.kind() == "update" && m.recipient() == "second@example.org")
        .expect("the waiting guest gets the update");
    let in_email = parse_ics(&update.calendar_parts()[0].2);

    let file = app.page(&format!("/i/{}/calendar.ics", second.1)).await;
    assert_eq!(file.status, StatusCode::OK);
    let in_file = parse_ics(&file.html);

    for parsed in [&in_email, &in_file] {
        assert_eq!(parsed["icalendar"]["events"][0]["attendees"][0]["partstat"], "TENTATIVE", "{parsed}");
    }
}

#[tokio::test]
async fn a_walk_in_with_too_many_companions_is_refused_by_the_api_and_the_dashboard_alike() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let too_many = json!({ "name": "Carl", "email": "carl@example.org", "companions": 101 });
    let refused = app.post(&format!("/api/v1/events/{event_id}/walk-ins"), too_many).await;
    let body = refused.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["companions"].is_string(), "{body}");

    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;
    let check_in = format!("/dashboard/events/{event_id}/check-in");
    let walk_ins = format!("/dashboard/events/{event_id}/walk-ins");
    let fields = [("name", "Carl"), ("email", "carl@example.org"), ("companions", "101")];
    let page = anne.submit(&check_in, &walk_ins, &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(page.decoded().contains("entre 0 et 100") || page.decoded().contains("between 0 and 100"));
    let not_a_number = [("name", "Carl"), ("email", "carl@example.org"), ("companions", "deux")];
    assert_eq!(anne.submit(&check_in, &walk_ins, &not_a_number).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.guests(&event_id).await.is_empty(), "nobody was added");

    let fine = [("name", "Carl"), ("email", "carl@example.org"), ("companions", "2")];
    assert_eq!(anne.submit(&check_in, &walk_ins, &fine).await.status, StatusCode::SEE_OTHER);
    let carl = app.guest(&event_id, "carl@example.org").await;
    assert_eq!(carl["walk_in"], true, "{carl}");
    assert_eq!(carl["checked_in_companions"], 2, "{carl}");
}

#[tokio::test]
async fn the_dashboard_reads_a_pasted_list_as_the_api_does() {
    let app = spawn_app().await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;
    let event_page = format!("/dashboard/events/{event_id}");
    let import = format!("/dashboard/events/{event_id}/guests/import");

    // Text copied from an old document, in Windows-1252: "Zoé Lefèvre".
    let mut pasted = b"Zo\xe9 Lef\xe8vre <zoe@example.org>\n".to_vec();
    pasted.extend_from_slice(b"bob@example.org\n");
    let page = anne.upload(&event_page, &import, &[("list", &pasted, None)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(app.guest(&event_id, "zoe@example.org").await["name"], "Zoé Lefèvre");
    assert_eq!(app.guests(&event_id).await.len(), 2);

    // An empty list is refused with a sentence, as the API refuses it.
    let page = anne.upload(&event_page, &import, &[("list", b"  \n", None)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(page.decoded().contains("La liste est vide") || page.decoded().contains("The list is empty"));
    let api = app
        .client
        .post(format!("{}/api/v1/events/{event_id}/guests/import", app.address))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/plain")
        .body("  \n")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.guests(&event_id).await.len(), 2);
}

/// A long list is imported in the background: the page follows it, and its
/// guests appear all together with the report, or not at all.
#[tokio::test]
async fn a_long_list_is_imported_in_the_background_and_followed_on_a_page() {
    let app = spawn_app().await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;
    let event_page = format!("/dashboard/events/{event_id}");
    let import = format!("/dashboard/events/{event_id}/guests/import");
    let rows = (0..2_500).map(|n| format!("Invitée {n};guest{n}@example.org\n"));
    let file: String =
        std::iter::once("Nom;E-mail\n".to_owned()).chain(rows).chain(["Refusée;nope\n".to_owned()]).collect();

    let started = anne.upload(&event_page, &import, &[("file", file.as_bytes(), Some("liste.csv"))]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.html);
    let job_page = started.headers["location"].to_str().unwrap().to_owned();
    assert!(job_page.starts_with(&format!("/dashboard/events/{event_id}/imports/")), "{job_page}");

    // The page refreshes itself while the import runs, then shows the report.
    let mut followed = 0;
    let report = loop {
        // Read before the page: if the page still says "running" after, the
        // guests read here were written by nothing yet visible.
        let listed = app.guests(&event_id).await.len();
        let page = anne.get(&job_page).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        if !page.html.contains("id=\"import-progress\"") {
            break page;
        }
        assert!(page.html.contains("http-equiv=\"refresh\"") && page.html.contains("<progress"), "{}", page.html);
        assert_eq!(listed, 0, "nothing shows before the end");
        followed += 1;
        assert!(followed < 10_000, "the import never ended");
    };
    assert!(report.html.contains("id=\"import-report\""), "{}", report.html);
    assert!(report.decoded().contains("2500"), "the report counts the guests added");
    assert!(report.html.contains("nope"), "and lists the row it refused");
    assert_eq!(app.guests(&event_id).await.len(), 2_500);

    // Another organiser cannot follow it.
    app.create_organiser("Bea", "bea@example.org").await;
    let bea = sign_in_with(&app, &terminal_login_link(&app, "bea@example.org").await).await;
    assert_eq!(bea.get(&job_page).await.status, StatusCode::NOT_FOUND);
}
