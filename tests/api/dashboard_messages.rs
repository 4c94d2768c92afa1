//! What the dashboard says after an action, and before one: who was
//! checked in, an error in an error's style, and who gets the seat of a
//! guest she removes.

use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::{Browser, sign_in_with, terminal_login_link};
use crate::helpers::{Page, TestApp, spawn_app};

async fn anne(app: &TestApp) -> Browser<'_> {
    sign_in_with(app, &terminal_login_link(app, "anne@example.org").await).await.in_french()
}

/// The text of the element that starts right after `marker`.
fn text_after(page: &Page, marker: &str) -> Option<String> {
    let html = page.decoded();
    let start = html.find(marker)? + marker.len();
    Some(html[start..].split('<').next().unwrap().to_owned())
}

async fn guest(app: &TestApp, event_id: &str, email: &str, name: &str) -> String {
    let guest = app
        .post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": email, "name": name }))
        .await
        .expect(StatusCode::CREATED);
    guest["id"].as_str().unwrap().to_owned()
}

async fn answer(app: &TestApp, event_id: &str, guest_id: &str, companions: u32) {
    app.put(
        &format!("/api/v1/events/{event_id}/guests/{guest_id}/answer"),
        json!({ "answer": "yes", "companions": companions }),
    )
    .await
    .expect(StatusCode::OK);
}

#[tokio::test]
async fn a_tap_at_the_door_ends_with_a_message_naming_who_was_checked_in_and_undone() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let event_id = app.create_published_event(json!({})).await;
    let zelie = guest(&app, &event_id, "zelie@example.org", "Zélie Marchand").await;
    let door = format!("/dashboard/events/{event_id}/check-in");

    let tapped = anne.submit(&door, &format!("{door}/{zelie}"), &[("q", "zél")]).await;
    assert_eq!(tapped.headers["location"], format!("{door}?q=z%C3%A9l").as_str());
    let page = anne.follow(&tapped).await;
    assert_eq!(
        text_after(&page, "id=\"flash\" role=\"status\">").as_deref(),
        Some("Arrivée de Zélie Marchand enregistrée.")
    );
    assert!(!anne.get(&door).await.html.contains("id=\"flash\""), "said once");

    let undone = anne.submit(&door, &format!("{door}/{zelie}/undo"), &[]).await;
    let page = anne.follow(&undone).await;
    assert_eq!(
        text_after(&page, "id=\"flash\" role=\"status\">").as_deref(),
        Some("Arrivée de Zélie Marchand annulée.")
    );

    let walk_in = anne
        .submit(
            &door,
            &format!("/dashboard/events/{event_id}/walk-ins"),
            &[("name", "Paul Passant"), ("email", "paul@example.org")],
        )
        .await;
    let page = anne.follow(&walk_in).await;
    assert_eq!(
        text_after(&page, "id=\"flash\" role=\"status\">").as_deref(),
        Some("Paul Passant est sur la liste, et son arrivée est enregistrée.")
    );
}

#[tokio::test]
async fn an_answer_she_records_that_is_refused_shows_as_an_error_not_as_a_success() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let event_id = app.create_published_event(json!({ "capacity": 2, "companions_allowed": 1 })).await;
    let full = guest(&app, &event_id, "full@example.org", "Déjà Là").await;
    answer(&app, &event_id, &full, 1).await;
    let sophie = guest(&app, &event_id, "sophie@example.org", "Sophie Lefèvre").await;
    let event_path = format!("/dashboard/events/{event_id}");
    let set = format!("{event_path}/guests/{sophie}/answer");

    for (fields, status, message) in [
        (
            vec![("answer", "yes"), ("companions", "101")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Le nombre d'accompagnants doit être compris entre 0 et",
        ),
        (vec![("answer", "")], StatusCode::UNPROCESSABLE_ENTITY, ""),
    ] {
        let refused = anne.submit(&event_path, &set, &fields).await;
        assert_eq!(refused.status, status, "{}", refused.html);
        let error =
            text_after(&refused, "id=\"flash-error\" role=\"alert\">").unwrap_or_else(|| panic!("{}", refused.html));
        assert!(error.starts_with(message) && !error.is_empty(), "{error}");
        assert!(refused.html.contains("class=\"notice notice-error\""), "{}", refused.html);
        assert!(!refused.html.contains("notice notice-ok"), "no success box: {}", refused.html);
    }
    assert!(app.guest(&event_id, "sophie@example.org").await["reply"].is_null());
}

#[tokio::test]
async fn removing_a_guest_who_holds_a_seat_says_who_on_the_waiting_list_gets_it() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let event_id = app.create_published_event(json!({ "capacity": 2, "companions_allowed": 1 })).await;
    let seated = guest(&app, &event_id, "seated@example.org", "Camille Assise").await;
    answer(&app, &event_id, &seated, 1).await;
    let first = guest(&app, &event_id, "first@example.org", "Zélie Marchand").await;
    answer(&app, &event_id, &first, 0).await;
    let second = guest(&app, &event_id, "second@example.org", "Bruno Lefèvre").await;
    answer(&app, &event_id, &second, 0).await;
    let path = |guest: &str| format!("/dashboard/events/{event_id}/guests/{guest}/remove");

    // Her two seats go to the two first waiting, who are told by email.
    let asked = anne.get(&path(&seated)).await.decoded();
    assert!(
        asked.contains(
            "Ses places reviennent à Zélie Marchand et Bruno Lefèvre, les premières personnes sur la liste d'attente."
        ),
        "{asked}"
    );
    assert!(asked.contains("Un e-mail le leur annonce aussitôt."), "{asked}");
    // Someone who is waiting frees no seat: nothing of the sort is said.
    let asked = anne.get(&path(&first)).await.decoded();
    assert!(!asked.contains("liste d'attente."), "{asked}");

    let done = anne.submit(&path(&seated), &path(&seated), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    for email in ["first@example.org", "second@example.org"] {
        assert!(app.guest(&event_id, email).await["waitlist_position"].is_null(), "{email} got a seat");
    }
}

#[tokio::test]
async fn the_quick_answer_from_the_guest_list_keeps_the_comment_the_guest_left() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let event_id = app.create_published_event(json!({ "companions_allowed": 1 })).await;
    let sophie = guest(&app, &event_id, "sophie@example.org", "Sophie Lefèvre").await;
    app.put(
        &format!("/api/v1/events/{event_id}/guests/{sophie}/answer"),
        json!({ "answer": "maybe", "comment": "Végétarienne ; j'arrive vers 9 h" }),
    )
    .await
    .expect(StatusCode::OK);
    let event_path = format!("/dashboard/events/{event_id}");

    // She phoned to say yes, with a friend: the organiser sets it from the list.
    let set = anne
        .submit(&event_path, &format!("{event_path}/guests/{sophie}/answer"), &[("answer", "yes"), ("companions", "1")])
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.html);

    let reply = &app.guest(&event_id, "sophie@example.org").await["reply"];
    assert_eq!(reply["answer"], "yes");
    assert_eq!(reply["companions"], 1);
    assert_eq!(reply["comment"], "Végétarienne ; j'arrive vers 9 h", "her comment is kept: {reply}");
}
