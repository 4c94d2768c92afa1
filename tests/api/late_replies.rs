//! Calendar replies the rules refuse are answered, not dropped: one after
//! the deadline gets an email (once per message, in her language, saying
//! whom to write to) and waits for the organiser; a "yes" on a full event
//! joins the waiting list, as on her page, and she is told so.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::json;

use convive::clock::Clock;

use crate::inbound::{GUEST, answer_of, fixture, held, invited_on, post_message};
use crate::mailbox::{MailServer, Received};

/// A clock the test moves.
fn movable() -> (Clock, Arc<Mutex<DateTime<Utc>>>) {
    let now = Arc::new(Mutex::new(Utc::now()));
    let read = Arc::clone(&now);
    (Clock::from_fn(move || *read.lock().unwrap()), now)
}

fn next_year() -> i32 {
    chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1
}

fn to_her(server: &MailServer, kind: &str) -> Vec<Received> {
    server.messages().into_iter().filter(|m| m.recipient() == GUEST && m.kind() == kind).collect()
}

#[tokio::test]
async fn a_calendar_reply_after_the_deadline_is_answered_by_email_once_and_left_to_the_organiser() {
    let server = MailServer::start().await;
    let (clock, now) = movable();
    let year = next_year();
    let event = json!({ "title": "Petit-déjeuner", "rsvp_deadline": format!("{year}-12-01T18:00") });
    let (app, event_id, to) = invited_on(&server, clock, event, |_| {}).await;
    let uid = format!("{event_id}@convive");

    // In time, her calendar's "yes" is hers.
    let raw = fixture("gmail", &to, GUEST, &uid, "ACCEPTED", "in-time@mail.example");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    assert_eq!(answer_of(&app, &event_id).await, "yes");

    *now.lock().unwrap() = format!("{year}-12-02T09:00:00Z").parse().unwrap();
    // After the deadline, the same "yes" again changes nothing and needs no answer.
    let raw = fixture("gmail", &to, GUEST, &uid, "ACCEPTED", "late-same@mail.example");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    // Her "no" does not change her answer: it waits for the organiser, and she is told.
    let raw = fixture("outlook", &to, GUEST, &uid, "DECLINED", "late-no@mail.example");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    // Delivered twice (a provider's retry): one email all the same.
    let (status, body) = post_message(&app, &raw, None).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("duplicate")));
    assert_eq!(answer_of(&app, &event_id).await, "yes", "the deadline holds");
    app.dispatch_all_pending_emails().await;

    let answered = to_her(&server, "late_reply");
    assert_eq!(answered.len(), 1, "one email for the one late reply that said something new");
    let email = &answered[0];
    assert_eq!(email.subject(), "Petit-déjeuner\u{a0}: les réponses sont closes");
    let text = email.text();
    assert!(text.contains("votre réponse «\u{a0}non\u{a0}» à l'invitation «\u{a0}Petit-déjeuner\u{a0}»"), "{text}");
    assert!(
        text.contains("Les réponses sont closes depuis le ")
            && text.contains(&format!(" 1er décembre {year} à 18\u{a0}h\u{a0}00\u{a0}:")),
        "{text}"
    );
    assert!(text.contains("Votre réponse reste «\u{a0}oui\u{a0}»."), "{text}");
    assert!(text.contains("Si vous ne pouvez plus venir, prévenez"), "{text}");
    assert!(text.contains("anne@example.org"), "whom to write to: {text}");
    assert!(email.html().contains("href=\"mailto:anne@example.org\""), "{}", email.html());
    // Nothing for her calendar: iTIP has no way to refuse her REPLY, and a
    // CANCEL would say the event is off.
    assert!(email.calendar_parts().is_empty(), "{}", email.raw);

    // The organiser sees it and may still apply it.
    let replies = held(&app).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!((replies[0]["reason"].as_str(), replies[0]["answer"].as_str()), (Some("too_late"), Some("no")));
    let id = replies[0]["id"].as_str().unwrap();
    app.post(&format!("/api/v1/replies-to-check/{id}/apply"), json!({})).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(answer_of(&app, &event_id).await, "no");

    // Applying it by hand sends her no second answer.
    app.dispatch_all_pending_emails().await;
    assert_eq!(to_her(&server, "late_reply").len(), 1);
}

#[tokio::test]
async fn a_late_calendar_yes_in_english_says_whom_to_write_to_to_come_anyway() {
    let server = MailServer::start().await;
    let (clock, now) = movable();
    let year = next_year();
    let event = json!({ "title": "Breakfast", "language": "en", "rsvp_deadline": format!("{year}-12-01T18:00") });
    let (app, event_id, to) = invited_on(&server, clock, event, |_| {}).await;
    *now.lock().unwrap() = format!("{year}-12-02T09:00:00Z").parse().unwrap();
    let raw = fixture("thunderbird", &to, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "late-en@x");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    assert!(answer_of(&app, &event_id).await.is_null());
    app.dispatch_all_pending_emails().await;
    let answered = to_her(&server, "late_reply");
    assert_eq!(answered.len(), 1);
    let text = answered[0].text();
    assert_eq!(answered[0].subject(), "Breakfast: answers are closed");
    assert!(text.contains("Answers have been closed since "), "{text}");
    assert!(text.contains(&format!(" 1 December {year} at 18:00, so it was not recorded.")), "{text}");
    assert!(!text.contains("Your answer stays"), "she had not answered: {text}");
    assert!(text.contains("If you would still like to come, write to"), "{text}");
}

#[tokio::test]
async fn a_calendar_yes_on_a_full_event_joins_the_waiting_list_and_she_is_told() {
    let server = MailServer::start().await;
    let (app, event_id, to) =
        invited_on(&server, Clock::system(), json!({ "title": "Petit-déjeuner", "capacity": 1 }), |_| {}).await;
    let (_, token) = app.invite(&event_id, "first@example.org").await;
    app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);

    let raw = fixture("gmail", &to, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "full@mail.example");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    let guest = app.guest(&event_id, GUEST).await;
    assert_eq!(guest["reply"]["answer"], "yes");
    assert_eq!(guest["waitlist_position"], 1, "as her page would: {guest}");
    assert!(held(&app).await.is_empty(), "nothing to decide for the organiser");
    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    let last = history["changes"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["channel"].as_str(), last["waitlisted"].as_bool()), (Some("calendar"), Some(true)), "{last}");

    app.dispatch_all_pending_emails().await;
    let told = to_her(&server, "waitlisted");
    assert_eq!(told.len(), 1);
    assert!(told[0].text().contains("liste d'attente"), "{}", told[0].text());
    // Her calendar keeps her "yes" until a seat frees: the promotion brings an update.
    assert!(told[0].calendar_parts().is_empty());
}

#[tokio::test]
async fn a_reply_stored_by_a_process_killed_while_ingesting_is_applied_by_the_next_pass() {
    use convive::storage::inbound::{NewInbound, claim_due, store};

    let server = MailServer::start().await;
    let (app, event_id, to) = invited_on(&server, Clock::system(), json!({ "title": "Petit-déjeuner" }), |_| {}).await;
    let raw = fixture("gmail", &to, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "killed@mail.example");
    // What a door does before it processes: the message stored, then
    // claimed by a worker that dies holding it (its lease never released).
    let now = Utc::now();
    let new = NewInbound { key: "mid:killed@mail.example", door: "http", recipient: None, raw: raw.as_bytes() };
    store(&*app.db, &new, now).await.unwrap().expect("stored");
    let claimed = claim_due(&app.db, now, chrono::Duration::minutes(5), 20).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(answer_of(&app, &event_id).await.is_null());

    // Another process, while the lease holds: it leaves the message alone.
    assert_eq!(app.process_inbound_at(now + chrono::Duration::minutes(1)).await, 0);
    assert!(answer_of(&app, &event_id).await.is_null());
    // Once the lease is over (the worker is gone), the next pass applies it, once.
    assert_eq!(app.process_inbound_at(now + chrono::Duration::minutes(6)).await, 1);
    assert_eq!(answer_of(&app, &event_id).await, "yes");
    assert_eq!(app.process_inbound_at(now + chrono::Duration::minutes(20)).await, 0);
}
