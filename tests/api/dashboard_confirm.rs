//! No surprises in the dashboard: an action that emails guests or deletes
//! asks first and says whom it reaches, sends nothing before she confirms,
//! and ends with a message saying what it did. A cancelled event is
//! read-only; at the door, walk-ins show as such and "expected" counts
//! those still to come. In French, as most organisers read it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::dashboard::{Browser, sign_in_with, terminal_login_link};
use crate::helpers::{ON_DEMAND, Page, TestApp, spawn_app, spawn_app_with_parts};

/// The kinds of email queued for each guest, by address.
async fn emails_by_guest(app: &TestApp, event_id: &str) -> Vec<(String, Vec<String>)> {
    let mut guests: Vec<(String, Vec<String>)> = app
        .guests(event_id)
        .await
        .iter()
        .map(|g| {
            let kinds = g["emails"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned());
            (g["email"].as_str().unwrap().to_owned(), kinds.collect())
        })
        .collect();
    guests.sort();
    guests
}

/// The guests who have an email of `kind`, by address.
async fn who_got(app: &TestApp, event_id: &str, kind: &str) -> Vec<String> {
    emails_by_guest(app, event_id)
        .await
        .into_iter()
        .filter(|(_, kinds)| kinds.iter().any(|k| k == kind))
        .map(|(email, _)| email)
        .collect()
}

async fn answer_for(app: &TestApp, event_id: &str, guest_id: &str, answer: &str) {
    app.put(&format!("/api/v1/events/{event_id}/guests/{guest_id}/answer"), json!({ "answer": answer }))
        .await
        .expect(StatusCode::OK);
}

async fn walk_in(app: &TestApp, event_id: &str, name: &str, email: &str) -> Value {
    app.post(&format!("/api/v1/events/{event_id}/walk-ins"), json!({ "name": name, "email": email }))
        .await
        .expect(StatusCode::CREATED)
}

/// The door's "expected" figure, as its script reads it.
async fn expected(anne: &Browser<'_>, door: &str) -> Value {
    serde_json::from_str::<Value>(&anne.get(&format!("{door}/counts.json")).await.html).unwrap()["expected"].clone()
}

async fn anne(app: &TestApp) -> Browser<'_> {
    sign_in_with(app, &terminal_login_link(app, "anne@example.org").await).await.in_french()
}

/// The text of the confirmation's count, and of the message after.
fn reach(page: &Page) -> String {
    text_of(page, "id=\"confirm-reach\">")
}

fn flash(page: &Page) -> String {
    text_of(page, "id=\"flash\" role=\"status\">")
}

fn text_of(page: &Page, marker: &str) -> String {
    let html = page.decoded();
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker} in:\n{html}")) + marker.len();
    html[start..].split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn publishing_says_how_many_invitations_will_leave_and_sends_none_before_she_confirms() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    let event_path = format!("/dashboard/events/{event_id}");

    // An empty list: publishing would send nothing, and says so.
    let asked = anne.get(&format!("{event_path}/publish")).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.html);
    assert_eq!(reach(&asked), "Publier n'enverra aucune invitation\u{a0}: la liste d'invités est vide.");

    app.invite(&event_id, "sophie@example.org").await;
    let asked = anne.get(&format!("{event_path}/publish")).await;
    assert_eq!(reach(&asked), "Publier enverra 1\u{a0}invitation, tout de suite.");

    for n in 2..=3 {
        app.invite(&event_id, &format!("guest{n}@example.org")).await;
    }
    // The event page leads to the question, not to the action.
    let page = anne.get(&event_path).await;
    assert!(page.html.contains("id=\"publish-form\" method=\"get\""), "{}", page.html);
    let asked = anne.get(&format!("{event_path}/publish")).await;
    assert_eq!(reach(&asked), "Publier enverra 3\u{a0}invitations, tout de suite.");
    assert!(asked.decoded().contains("Publier et envoyer les 3\u{a0}invitations"), "{}", asked.html);
    assert!(who_got(&app, &event_id, "invitation").await.is_empty(), "nothing leaves before she confirms");
    assert_eq!(app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK)["status"], "draft");

    let done = anne.submit(&format!("{event_path}/publish"), &format!("{event_path}/publish"), &[]).await;
    let after = anne.follow(&done).await;
    assert_eq!(flash(&after), "L'événement est publié\u{a0}: 3\u{a0}invitations sont en route.");
    assert_eq!(who_got(&app, &event_id, "invitation").await.len(), 3);
    // Shown once: the next visit has no message.
    assert!(!anne.get(&event_path).await.html.contains("id=\"flash\""));
}

#[tokio::test]
async fn cancelling_says_how_many_guests_will_be_told_and_leaves_a_read_only_page() {
    // Mail leaves only when the test sends it: a background dispatcher would
    // hold rows in `sending` while the test reads them.
    let app = spawn_app_with_parts(convive::clock::Clock::system(), ON_DEMAND, |_| {}).await;
    let anne = anne(&app).await;
    let event_id = app.create_published_event(json!({})).await;
    let event_path = format!("/dashboard/events/{event_id}");
    let (yes, _) = app.invite(&event_id, "yes@example.org").await;
    let (no, _) = app.invite(&event_id, "no@example.org").await;
    app.invite(&event_id, "silent@example.org").await;
    app.invite(&event_id, "gone@example.org").await;
    answer_for(&app, &event_id, &yes, "yes").await;
    answer_for(&app, &event_id, &no, "no").await;
    walk_in(&app, &event_id, "Zoé", "zoe@example.org").await;
    // Unsubscribed from her emails: the queue would skip her, so she is not counted.
    let me = app.get("/api/v1/me").await.expect(StatusCode::OK);
    let organiser_id = me["id"].as_str().unwrap().parse().unwrap();
    convive::storage::unsubscribes::add(&*app.db, organiser_id, "gone@example.org", chrono::Utc::now()).await.unwrap();

    let asked = anne.get(&format!("{event_path}/cancel")).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.html);
    assert_eq!(
        reach(&asked),
        "3\u{a0}invités recevront l'annulation, avec de quoi retirer l'événement de leur agenda."
    );
    assert!(asked.decoded().contains("Annuler et prévenir 3\u{a0}invités"), "{}", asked.html);
    assert!(who_got(&app, &event_id, "cancellation").await.is_empty(), "nothing leaves before she confirms");

    let done = anne.submit(&format!("{event_path}/cancel"), &format!("{event_path}/cancel"), &[]).await;
    let after = anne.follow(&done).await;
    assert_eq!(flash(&after), "L'événement est annulé\u{a0}: 3\u{a0}invités reçoivent l'annulation.");
    // Exactly those counted: not the one who declined. The unsubscribed
    // guest's row is queued and skipped at sending, as every email of hers.
    app.dispatch_all_pending_emails().await;
    let told: Vec<String> = app
        .guests(&event_id)
        .await
        .iter()
        .filter(|g| {
            g["emails"].as_array().unwrap().iter().any(|e| e["kind"] == "cancellation" && e["status"] == "sent")
        })
        .map(|g| g["email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(told.len(), 3, "{told:?}");
    assert!(!told.iter().any(|e| e == "no@example.org" || e == "gone@example.org"), "{told:?}");

    // Read-only: nothing on the page changes it, and the rules refuse it too.
    let page = anne.get(&event_path).await;
    let html = page.decoded();
    assert!(html.contains("id=\"cancelled-note\""), "{html}");
    for gone in ["id=\"add-guests\"", "/edit\"", "id=\"publish-form\"", "id=\"cancel-form\"", "/remove\"", "/answer\""]
    {
        assert!(!html.contains(gone), "{gone} on a cancelled event's page");
    }
    assert_eq!(anne.get(&format!("{event_path}/edit")).await.status, StatusCode::GONE);
    assert_eq!(anne.get(&format!("{event_path}/cancel")).await.status, StatusCode::GONE);
    let refused = app.post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": "late@example.org" })).await;
    assert_eq!(refused.expect_error(StatusCode::CONFLICT)["error"], "event_cancelled");
    let refused = anne.submit(&event_path, &format!("{event_path}/guests/{yes}/remove"), &[]).await;
    assert_eq!(refused.status, StatusCode::GONE);
    let walk_ins = format!("/api/v1/events/{event_id}/walk-ins");
    let refused = app.post(&walk_ins, json!({ "name": "X", "email": "x@example.org" })).await;
    assert_eq!(refused.expect_error(StatusCode::CONFLICT)["error"], "event_cancelled");
    assert_eq!(app.guests(&event_id).await.len(), 5, "the list stays as it was");
}

/// The event form's fields for the Café des Victoires, as she would type them.
fn form(starts: &str, description: &str) -> Vec<(&'static str, String)> {
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    vec![
        ("title", "Café des Victoires".to_owned()),
        ("description", description.to_owned()),
        ("venue_name", "Café".to_owned()),
        ("starts_at", format!("{year}-03-12T{starts}")),
        ("ends_at", format!("{year}-03-12T10:00")),
        ("time_zone", "Europe/Paris".to_owned()),
        ("language", "fr".to_owned()),
        ("companions_allowed", "0".to_owned()),
        ("plan_preset", "custom".to_owned()),
        ("nudge_amount_0", "7".to_owned()),
        ("nudge_unit_0", "days".to_owned()),
        ("close_amount", "2".to_owned()),
        ("close_unit", "days".to_owned()),
    ]
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(name, value)| (*name, value.as_str())).collect()
}

#[tokio::test]
async fn a_change_of_time_says_who_gets_the_update_first_and_a_change_that_sends_nothing_saves_at_once() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let created =
        anne.submit("/dashboard/events/new", "/dashboard/events/new", &pairs(&form("08:30", "Petit déjeuner"))).await;
    let event_path = created.headers["location"].to_str().unwrap().to_owned();
    let event_id = event_path.rsplit('/').next().unwrap().to_owned();
    let (yes, _) = app.invite(&event_id, "yes@example.org").await;
    let (no, _) = app.invite(&event_id, "no@example.org").await;
    app.invite(&event_id, "silent@example.org").await;
    let published = anne.submit(&event_path, &format!("{event_path}/publish"), &[]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    answer_for(&app, &event_id, &yes, "yes").await;
    answer_for(&app, &event_id, &no, "no").await;
    walk_in(&app, &event_id, "Zoé", "zoe@example.org").await;
    let edit = format!("{event_path}/edit");

    // The description alone: no email, saved at once, and she is told so.
    let saved = anne.submit(&edit, &edit, &pairs(&form("08:30", "Petit déjeuner, croissants"))).await;
    let after = anne.follow(&saved).await;
    assert_eq!(flash(&after), "Modifications enregistrées\u{a0}; aucun e-mail n'est parti.");
    assert!(who_got(&app, &event_id, "update").await.is_empty());

    // A new start: asked first, with the count the rules will send (the
    // walk-in and the silent guest included, the one who declined not).
    let moved = form("08:45", "Petit déjeuner, croissants");
    let asked = anne.submit(&edit, &edit, &pairs(&moved)).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.html);
    assert_eq!(reach(&asked), "3\u{a0}invités recevront la modification, et leur agenda sera mis à jour.");
    assert!(asked.html.contains("value=\"confirm\""), "{}", asked.html);
    let api_event = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    assert!(api_event["starts_at"].to_string().contains("T07:30:00"), "not saved yet: {api_event}");
    assert!(who_got(&app, &event_id, "update").await.is_empty(), "nothing leaves before she confirms");

    // Back to the form: what she typed is still there, nothing saved.
    let mut back = pairs(&moved);
    back.push(("step", "back"));
    let form_again = anne.submit(&edit, &edit, &back).await;
    assert_eq!(form_again.status, StatusCode::OK);
    assert!(form_again.html.contains("T08:45"), "{}", form_again.html);
    assert!(who_got(&app, &event_id, "update").await.is_empty());

    let mut confirmed = pairs(&moved);
    confirmed.push(("step", "confirm"));
    let done = anne.submit(&edit, &edit, &confirmed).await;
    let after = anne.follow(&done).await;
    assert_eq!(flash(&after), "Modifications enregistrées\u{a0}: 3\u{a0}invités reçoivent la modification.");
    let mut updated = who_got(&app, &event_id, "update").await;
    updated.sort();
    assert_eq!(updated, ["silent@example.org", "yes@example.org", "zoe@example.org"]);
}

#[tokio::test]
async fn removing_a_guest_names_her_first_and_every_action_on_a_guest_says_what_it_did() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let event_id = app.create_published_event(json!({})).await;
    let event_path = format!("/dashboard/events/{event_id}");
    let sophie = app
        .post(
            &format!("/api/v1/events/{event_id}/guests"),
            json!({ "email": "sophie@example.org", "name": "Sophie Lefèvre" }),
        )
        .await
        .expect(StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let remove = format!("{event_path}/guests/{sophie}/remove");

    // Resending her invitation, and recording an answer she phoned in.
    let resent = anne.submit(&event_path, &format!("{event_path}/guests/{sophie}/resend"), &[]).await;
    assert_eq!(flash(&anne.follow(&resent).await), "Invitation renvoyée à Sophie Lefèvre.");
    let answered =
        anne.submit(&event_path, &format!("{event_path}/guests/{sophie}/answer"), &[("answer", "yes")]).await;
    assert_eq!(flash(&anne.follow(&answered).await), "Réponse enregistrée pour Sophie Lefèvre.");
    let resent = anne.submit(&event_path, &format!("{event_path}/emails/resend-failed"), &[]).await;
    assert_eq!(flash(&anne.follow(&resent).await), "Aucun e-mail à renvoyer.");

    // "Retirer" asks first, naming her; she is still there meanwhile.
    let page = anne.get(&event_path).await;
    assert!(page.decoded().contains(&format!("method=\"get\" action=\"{remove}\"")), "{}", page.html);
    let asked = anne.get(&remove).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.html);
    assert!(asked.decoded().contains("Retirer Sophie Lefèvre de la liste\u{a0}?"), "{}", asked.html);
    assert_eq!(
        reach(&asked),
        "Sophie Lefèvre ne recevra plus aucun e-mail pour cet événement, et sa réponse sera effacée."
    );
    assert_eq!(app.guests(&event_id).await.len(), 1, "nothing deleted before she confirms");

    let done = anne.submit(&remove, &remove, &[]).await;
    assert_eq!(flash(&anne.follow(&done).await), "Sophie Lefèvre ne fait plus partie de la liste.");
    assert!(app.guests(&event_id).await.is_empty());
}

#[tokio::test]
async fn at_the_door_walk_ins_show_as_such_and_expected_counts_those_still_to_come() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let event_id = app.create_published_event(json!({})).await;
    let event_path = format!("/dashboard/events/{event_id}");
    let door = format!("{event_path}/check-in");
    let (jane, _) = app.invite(&event_id, "jane@example.org").await;
    let (ben, _) = app.invite(&event_id, "ben@example.org").await;
    app.invite(&event_id, "silent@example.org").await;
    answer_for(&app, &event_id, &jane, "yes").await;
    answer_for(&app, &event_id, &ben, "yes").await;
    assert_eq!(expected(&anne, &door).await, 2);

    let checked = anne.submit(&door, &format!("{door}/{jane}"), &[]).await;
    assert_eq!(checked.status, StatusCode::SEE_OTHER);
    assert_eq!(expected(&anne, &door).await, 1, "Jane came: one still expected");
    let page = anne.get(&door).await;
    assert!(page.html.contains("<strong id=\"count-expected\">1</strong>"), "{}", page.html);

    // A walk-in came without being expected: the figure does not move.
    let added = anne
        .submit(&door, &format!("{event_path}/walk-ins"), &[("name", "Zoé Martin"), ("email", "zoe@example.org")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    assert_eq!(expected(&anne, &door).await, 1);
    // Undoing a check-in makes her expected again.
    anne.submit(&door, &format!("{door}/{jane}/undo"), &[]).await;
    assert_eq!(expected(&anne, &door).await, 2);

    // Shown as a walk-in, not as someone who did not answer.
    let zoe = app.guest(&event_id, "zoe@example.org").await;
    let zoe_id = zoe["id"].as_str().unwrap();
    for (path, marker) in
        [(door.clone(), format!("id=\"g-{zoe_id}\"")), (event_path.clone(), format!("id=\"guest-{zoe_id}\""))]
    {
        let html = anne.get(&path).await.decoded();
        let start = html.find(&marker).unwrap_or_else(|| panic!("{marker} not in {html}"));
        let row = &html[start..start + html[start..].find("</li>").or_else(|| html[start..].find("</tr>")).unwrap()];
        assert!(row.contains("Sans invitation"), "{row}");
        assert!(!row.contains("Pas de réponse"), "{row}");
        assert_eq!(row.matches("Sans invitation").count(), 1, "once: {row}");
    }
    // The silent guest still shows as not having answered.
    assert!(anne.get(&door).await.decoded().contains("Pas de réponse"));
}
