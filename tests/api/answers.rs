use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn read_invitation(app: &TestApp, token: &str) -> Value {
    app.request(Method::GET, &format!("/api/v1/invitations/{token}"), None, None).await.expect(StatusCode::OK)
}

#[tokio::test]
async fn a_guest_reads_and_answers_her_invitation_with_her_token_alone() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let (_, token) = app.invite(&event_id, "anne@example.org").await;

    let invitation = read_invitation(&app, &token).await;
    assert_eq!(invitation["event"]["title"], "Café des Victoires");
    assert_eq!(invitation["reply"], Value::Null);
    assert_eq!(invitation["answers_open"], true);
    assert_eq!(invitation["language"], "fr");
    assert!(invitation["event"].get("summary").is_none(), "guests see no counts");

    let answered = app
        .answer(&token, json!({ "answer": "yes", "companions": 1, "comment": "Avec ma collègue" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(answered["reply"]["answer"], "yes");
    assert_eq!(answered["reply"]["companions"], 1);
    assert_eq!(answered["reply"]["comment"], "Avec ma collègue");
    assert_eq!(read_invitation(&app, &token).await["reply"]["answer"], "yes");

    let summary = app.summary(&event_id).await;
    assert_eq!(
        (summary["invited"].as_u64(), summary["yes"].as_u64(), summary["seats_taken"].as_u64()),
        (Some(1), Some(1), Some(2))
    );
}

#[tokio::test]
async fn a_guest_can_change_her_mind_and_every_change_is_kept() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let (guest_id, token) = app.invite(&event_id, "anne@example.org").await;
    app.answer(&token, json!({ "answer": "maybe" })).await.expect(StatusCode::OK);
    app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.answer(&token, json!({ "answer": "no", "companions": 1 })).await.expect(StatusCode::OK);

    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    let changes = history["changes"].as_array().unwrap();
    let answers: Vec<&str> = changes.iter().map(|c| c["reply"]["answer"].as_str().unwrap()).collect();
    assert_eq!(answers, ["maybe", "yes", "no"]);
    assert!(changes.iter().all(|c| c["guest_id"] == guest_id.as_str() && c["channel"] == "guest"));
    assert_eq!(changes[2]["reply"]["companions"], 0, "a no brings nobody");

    let summary = app.summary(&event_id).await;
    assert_eq!(
        (summary["answered"].as_u64(), summary["no"].as_u64(), summary["yes"].as_u64()),
        (Some(1), Some(1), Some(0))
    );
}

#[tokio::test]
async fn a_yes_that_does_not_fit_waits_and_is_promoted_when_a_seat_frees_up() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": 3, "companions_allowed": 2 })).await;
    let (_, anne) = app.invite(&event_id, "anne@example.org").await;
    let (_, bob) = app.invite(&event_id, "bob@example.org").await;
    let (_, chloe) = app.invite(&event_id, "chloe@example.org").await;

    app.answer(&anne, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK);
    let bob_reply = app.answer(&bob, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK);
    assert_eq!(bob_reply["waitlist_position"], 1, "two seats are needed and one is left");
    let chloe_reply = app.answer(&chloe, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    assert_eq!(chloe_reply["waitlist_position"], 2, "first come, first served: she may not jump ahead of Bob");

    let summary = app.summary(&event_id).await;
    assert_eq!(summary["seats_taken"], 2);
    assert_eq!(summary["waiting"], 2);
    assert_eq!(summary["waiting_seats"], 3);
    assert_eq!(app.guest(&event_id, "bob@example.org").await["waitlist_position"], 1);

    // Anne drops out: Bob's party fits, then Chloe's.
    app.answer(&anne, json!({ "answer": "no" })).await.expect(StatusCode::OK);
    let summary = app.summary(&event_id).await;
    assert_eq!((summary["seats_taken"].as_u64(), summary["waiting"].as_u64()), (Some(3), Some(0)));
    assert_eq!(read_invitation(&app, &bob).await["waitlist_position"], Value::Null);

    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    let promotions = history["changes"].as_array().unwrap().iter().filter(|c| c["channel"] == "waiting_list").count();
    assert_eq!(promotions, 2);
}

#[tokio::test]
async fn a_maybe_holds_no_seat() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": 1 })).await;
    let (_, anne) = app.invite(&event_id, "anne@example.org").await;
    let (_, bob) = app.invite(&event_id, "bob@example.org").await;
    app.answer(&anne, json!({ "answer": "maybe" })).await.expect(StatusCode::OK);
    let bob_reply = app.answer(&bob, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    assert_eq!(bob_reply["waitlist_position"], Value::Null);
    let anne_reply = app.answer(&anne, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    assert_eq!(anne_reply["waitlist_position"], 1);
}

#[tokio::test]
async fn a_seated_guest_asking_for_more_seats_than_remain_keeps_her_answer() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": 2, "companions_allowed": 3 })).await;
    let (_, anne) = app.invite(&event_id, "anne@example.org").await;
    app.answer(&anne, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK);
    let error = app.answer(&anne, json!({ "answer": "yes", "companions": 2 })).await.expect_error(StatusCode::CONFLICT);
    assert_eq!(error["error"], "not_enough_seats");
    assert_eq!(read_invitation(&app, &anne).await["reply"]["companions"], 1);
}

#[tokio::test]
async fn raising_the_capacity_seats_waiting_guests() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": 1 })).await;
    let (_, anne) = app.invite(&event_id, "anne@example.org").await;
    let (_, bob) = app.invite(&event_id, "bob@example.org").await;
    app.answer(&anne, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.answer(&bob, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    assert_eq!(app.summary(&event_id).await["waiting"], 1);
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "capacity": 2 })).await.expect(StatusCode::OK);
    let summary = app.summary(&event_id).await;
    assert_eq!((summary["waiting"].as_u64(), summary["seats_taken"].as_u64()), (Some(0), Some(2)));
}

#[tokio::test]
async fn removing_a_seated_guest_seats_the_next_in_line() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": 1 })).await;
    let (anne_id, anne) = app.invite(&event_id, "anne@example.org").await;
    let (_, bob) = app.invite(&event_id, "bob@example.org").await;
    app.answer(&anne, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.answer(&bob, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.delete(&format!("/api/v1/events/{event_id}/guests/{anne_id}")).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(app.guest(&event_id, "bob@example.org").await["waitlist_position"], Value::Null);
    assert_eq!(app.summary(&event_id).await["seats_taken"], 1);
}

#[tokio::test]
async fn concurrent_answers_never_sell_more_seats_than_there_are() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": 5 })).await;
    let mut tokens = Vec::new();
    for i in 0..20 {
        tokens.push(app.invite(&event_id, &format!("guest{i}@example.org")).await.1);
    }
    let answers = tokens.iter().map(|token| app.answer(token, json!({ "answer": "yes" })));
    for reply in futures::future::join_all(answers).await {
        reply.expect(StatusCode::OK);
    }
    let summary = app.summary(&event_id).await;
    assert_eq!(summary["seats_taken"], 5);
    assert_eq!(summary["waiting"], 15);
    let mut positions: Vec<u64> =
        app.guests(&event_id).await.iter().filter_map(|g| g["waitlist_position"].as_u64()).collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=15).collect::<Vec<_>>());
}

#[tokio::test]
async fn companions_beyond_the_event_limit_are_refused() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "companions_allowed": 1 })).await;
    let (_, token) = app.invite(&event_id, "anne@example.org").await;
    let error = app
        .answer(&token, json!({ "answer": "yes", "companions": 2 }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["companions"].as_str().unwrap().contains('1'));
    let error = app.answer(&token, json!({ "answer": "perhaps" })).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["answer"].is_string());
}

#[tokio::test]
async fn after_the_deadline_a_guest_cannot_answer_but_the_organiser_can() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "rsvp_deadline": "2020-01-01T00:00" })).await;
    let (guest_id, token) = app.invite(&event_id, "anne@example.org").await;
    assert_eq!(read_invitation(&app, &token).await["answers_open"], false);

    let error = app.answer(&token, json!({ "answer": "yes" })).await.expect_error(StatusCode::GONE);
    assert_eq!(error["error"], "answers_closed");
    assert!(
        error["message"].as_str().unwrap().contains("2020-01-01 00:00"),
        "the deadline is given in the event's zone"
    );

    let guest = app
        .put(
            &format!("/api/v1/events/{event_id}/guests/{guest_id}/answer"),
            json!({ "answer": "yes", "companions": 3, "comment": "phoned" }),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(guest["reply"]["answer"], "yes");
    assert_eq!(guest["reply"]["companions"], 3, "the organiser is not bound by the companion limit");
    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    assert_eq!(history["changes"][0]["channel"], "organiser");
}

#[tokio::test]
async fn a_draft_or_cancelled_event_cannot_be_answered() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let event_id = event["id"].as_str().unwrap();
    let (_, token) = app.invite(event_id, "anne@example.org").await;
    let error = app.answer(&token, json!({ "answer": "yes" })).await.expect_error(StatusCode::CONFLICT);
    assert_eq!(error["error"], "event_not_published");
    app.post(&format!("/api/v1/events/{event_id}/cancel"), json!({})).await.expect(StatusCode::OK);
    let error = app.answer(&token, json!({ "answer": "yes" })).await.expect_error(StatusCode::GONE);
    assert_eq!(error["error"], "event_cancelled");
}

#[tokio::test]
async fn a_bad_token_gets_a_404_and_reveals_nothing() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let (_, token) = app.invite(&event_id, "anne@example.org").await;
    let mut wrong = token.clone();
    wrong.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    for bad in [wrong.as_str(), "short", "%00", &"x".repeat(500)] {
        let reply = app.request(Method::GET, &format!("/api/v1/invitations/{bad}"), None, None).await;
        assert_eq!(reply.expect_error(StatusCode::NOT_FOUND)["error"], "not_found");
        app.answer(bad, json!({ "answer": "yes" })).await.expect_error(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn guests_changing_their_minds_concurrently_never_fail_and_seats_stay_consistent() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": 4, "companions_allowed": 1 })).await;
    let mut tokens = Vec::new();
    for i in 0..6 {
        tokens.push(app.invite(&event_id, &format!("guest{i}@example.org")).await.1);
    }
    // Every guest answers several times at once, yes and no interleaved:
    // seat-moving and seat-neutral answers for the same guest race each other.
    let answers = ["yes", "no", "maybe", "yes"];
    let requests = (0..48).map(|i| {
        let body = json!({ "answer": answers[i % answers.len()], "companions": i % 2 });
        app.answer(&tokens[i % tokens.len()], body)
    });
    for reply in futures::future::join_all(requests).await {
        assert!(
            reply.status == StatusCode::OK || reply.status == StatusCode::CONFLICT,
            "unexpected {}: {:#}",
            reply.status,
            reply.body
        );
    }
    let summary = app.summary(&event_id).await;
    let event_id = uuid::Uuid::parse_str(&event_id).unwrap();
    let event = convive::storage::events::find_by_id(&*app.db, event_id).await.unwrap();
    assert_eq!(
        u64::from(event.seats_taken),
        summary["seats_taken"].as_u64().unwrap(),
        "the seat counter matches the guests"
    );
    assert!(summary["seats_taken"].as_u64().unwrap() <= 4);
    if summary["seats_left"].as_u64().unwrap() >= 2 {
        assert_eq!(summary["waiting"], 0, "nobody waits while their party would fit");
    }
}

#[tokio::test]
async fn setting_a_capacity_on_an_unlimited_event_counts_the_guests_already_coming() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": null, "companions_allowed": 1 })).await;
    let (_, anne) = app.invite(&event_id, "anne@example.org").await;
    let (_, bob) = app.invite(&event_id, "bob@example.org").await;
    app.answer(&anne, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK);
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "capacity": 3 })).await.expect(StatusCode::OK);
    let bob_reply = app.answer(&bob, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK);
    assert_eq!(bob_reply["waitlist_position"], 1, "Anne's two seats count once a capacity is set");
}

/// Her earlier comment was written for her earlier answer: a change of
/// answer starts without it, on the page from an email button and in what
/// is recorded when the page sends it back unchanged.
#[tokio::test]
async fn a_change_of_answer_starts_from_an_empty_comment() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let (_, token) = app.invite(&event_id, "anne@example.org").await;
    app.answer(&token, json!({ "answer": "yes", "comment": "Avec plaisir, je viens" })).await.expect(StatusCode::OK);

    let same = app.page(&format!("/i/{token}")).await;
    assert!(same.html.contains(">Avec plaisir, je viens</textarea>"), "{}", same.html);
    let declining = app.page(&format!("/i/{token}?answer=no")).await;
    assert!(declining.html.contains("rows=\"4\"></textarea>"), "{}", declining.html);

    let sent_back = json!({ "answer": "no", "comment": "Avec plaisir, je viens" });
    app.answer(&token, sent_back).await.expect(StatusCode::OK);
    let anne = app.guest(&event_id, "anne@example.org").await;
    assert_eq!((anne["reply"]["answer"].as_str(), anne["reply"]["comment"].as_str()), (Some("no"), Some("")));
    // A new comment with the new answer is hers.
    app.answer(&token, json!({ "answer": "maybe", "comment": "Peut-être en retard" })).await.expect(StatusCode::OK);
    assert_eq!(app.guest(&event_id, "anne@example.org").await["reply"]["comment"], "Peut-être en retard");
}

/// Without a capacity the seat counter is not kept: a "yes" changing her
/// mind on such an event, or after a capacity came and went, never trips on it.
#[tokio::test]
async fn changes_of_mind_on_an_event_without_capacity_never_trip_on_the_seat_counter() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": null, "companions_allowed": 5 })).await;
    let (guest_id, token) = app.invite(&event_id, "anne@example.org").await;
    app.answer(&token, json!({ "answer": "yes", "companions": 3 })).await.expect(StatusCode::OK);
    app.answer(&token, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK);
    app.answer(&token, json!({ "answer": "maybe" })).await.expect(StatusCode::OK);
    app.answer(&token, json!({ "answer": "yes", "companions": 2 })).await.expect(StatusCode::OK);
    // A capacity set, then taken away, then her answer changes again.
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "capacity": 10 })).await.expect(StatusCode::OK);
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "capacity": null })).await.expect(StatusCode::OK);
    let path = format!("/api/v1/events/{event_id}/guests/{guest_id}/answer");
    app.put(&path, json!({ "answer": "yes", "companions": 37 })).await.expect(StatusCode::OK);
    app.put(&path, json!({ "answer": "no" })).await.expect(StatusCode::OK);
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "capacity": 2 })).await.expect(StatusCode::OK);
    app.answer(&token, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK);
    assert_eq!(app.summary(&event_id).await["seats_left"], 0);
}
