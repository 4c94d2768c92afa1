//! Statement budgets of the hot paths: how many statements the database runs
//! for one request (transaction control not counted). A count, not a time,
//! so it holds on any machine; `bench/run.sh` measures the time.

use std::future::Future;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{ON_DEMAND, TestApp, backend_is_postgres, spawn_app_with_parts};
use convive::clock::Clock;

/// The statements `request` made the server run. Nothing else runs in the
/// background of an `ON_DEMAND` app.
async fn statements_of<F: Future>(app: &TestApp, request: F) -> u64 {
    let before = app.db.statements_run();
    request.await;
    app.db.statements_run() - before
}

#[tokio::test]
async fn the_hot_paths_keep_to_their_statement_budgets() {
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let event_id = app.create_published_event(json!({ "capacity": 30, "companions_allowed": 2 })).await;
    let (_, token) = app.invite(&event_id, "sophie@example.org").await;
    let (_, other) = app.invite(&event_id, "marc@example.org").await;
    app.answer(&other, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    let event_path = format!("/api/v1/events/{event_id}");
    // The key is looked up once, then remembered.
    app.get(&event_path).await.expect(StatusCode::OK);

    let mut spent = Vec::new();
    let read = statements_of(&app, async { app.get(&event_path).await.expect(StatusCode::OK) }).await;
    spent.push(("GET event", read, 1));
    let page = statements_of(&app, async { assert_eq!(app.page(&format!("/i/{token}")).await.status, 200) }).await;
    // Her invitation, her event and the organiser's name in one read.
    spent.push(("guest page", page, 1));
    let ics = statements_of(&app, async {
        app.request(Method::GET, &format!("/i/{token}/calendar.ics"), None, None).await.expect(StatusCode::OK);
    })
    .await;
    // The same one read: the organiser's name and address are her ORGANIZER.
    spent.push(("guest .ics", ics, 1));
    let first =
        statements_of(&app, async { app.answer(&token, json!({ "answer": "maybe" })).await.expect(StatusCode::OK) })
            .await;
    // Her invitation (with whether the organiser wants a note, whether
    // anyone waits and whether a webhook endpoint listens, so none of them
    // costs a statement of its own), then her reply and its history: on
    // SQLite as one list of statements, on PostgreSQL as one statement.
    spent.push(("first answer, no seat", first, 2));
    let seated = statements_of(&app, async {
        app.answer(&token, json!({ "answer": "yes", "companions": 1 })).await.expect(StatusCode::OK)
    })
    .await;
    // Her invitation, then her reply, its history and the seat counter in
    // one round trip (on SQLite as one list of statements, on PostgreSQL as
    // one statement), and the note to the organiser (she wants one for each
    // change of mind). SQLite's write transaction holds the database from
    // its first read, so she, her event and the waiting list are not read
    // again under a lock as on PostgreSQL (where she is read again with
    // whether anyone waits, in one statement).
    let budget = if backend_is_postgres() { 5 } else { 3 };
    spent.push(("answer taking seats", seated, budget));
    let freed =
        statements_of(&app, async { app.answer(&token, json!({ "answer": "no" })).await.expect(StatusCode::OK) }).await;
    // On PostgreSQL, seats freed with nobody waiting (read with her under
    // the lock) store the count with her reply, as on SQLite.
    spent.push(("answer freeing seats", freed, if backend_is_postgres() { 5 } else { 3 }));

    let over: Vec<_> = spent.iter().filter(|(_, used, budget)| used > budget).collect();
    assert!(over.is_empty(), "over budget (path, statements, budget): {over:?}; all: {spent:?}");
}

/// On SQLite, guests' answers that arrive while the writer is busy wait
/// together and are written together: their invitations read once, and one
/// list of statements, whatever their number.
#[tokio::test]
async fn guests_answers_arriving_together_are_written_together_on_sqlite() {
    if backend_is_postgres() {
        // PostgreSQL locks rows and writes answers side by side instead.
        return;
    }
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let event_id = app.create_published_event(json!({ "capacity": 30 })).await;
    let mut tokens = Vec::new();
    for i in 0..12 {
        tokens.push(app.invite(&event_id, &format!("guest{i}@example.org")).await.1);
    }
    // The writer is busy: the first answer takes its turn and waits in a
    // batch of its own, and the eleven after it queue behind.
    let busy = convive::storage::begin_write(&app.db).await.unwrap();
    let before = app.db.statements_run();
    let answers = tokens.iter().map(|token| app.answer(token, json!({ "answer": "yes", "companions": 1 })));
    let free_the_writer = async {
        let queued = async {
            while app.answers_waiting() < 11 {
                tokio::task::yield_now().await;
            }
        };
        // A deadline, not a wait: answers that never queue fail here.
        let queued = tokio::time::timeout(std::time::Duration::from_secs(30), queued).await;
        busy.rollback().await.unwrap();
        queued.expect("eleven answers queue behind the first");
    };
    let (replies, ()) = tokio::join!(futures::future::join_all(answers), free_the_writer);
    let spent = app.db.statements_run() - before;
    for reply in replies {
        assert_eq!(reply.expect(StatusCode::OK)["reply"]["answer"], "yes");
    }
    // Two batches: the first answer's (her invitation, her write), then
    // the eleven others' (their rows, their event's, all their writes).
    assert_eq!(spent, 5);
    assert_eq!(app.summary(&event_id).await["seats_taken"], 24);
    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    assert_eq!(history["changes"].as_array().map(Vec::len), Some(12), "{history}");
}

/// Invite-the-community is one set-based insert, whatever the community's
/// size: the statements it runs for 30 members are those it runs for 3.
#[tokio::test]
async fn inviting_the_community_costs_the_same_statements_for_3_members_as_for_300() {
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let mut spent = Vec::new();
    for size in [3, 300] {
        let event_id = app.create_published_event(json!({ "capacity": null })).await;
        let series = app
            .post("/api/v1/series", json!({ "name": format!("Série {size}"), "first_date": event_id }))
            .await
            .expect(StatusCode::CREATED);
        let list = (0..size).map(|i| format!("member{i}@example.org")).collect::<Vec<_>>().join("\n");
        let response = app
            .client
            .post(format!("{}/api/v1/series/{}/members/import", app.address, series["id"].as_str().unwrap()))
            .bearer_auth(&app.api_key)
            .header("content-type", "text/plain")
            .body(list)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let path = format!("/api/v1/events/{event_id}/invite-community");
        let used = statements_of(&app, async {
            assert_eq!(app.post(&path, json!({})).await.expect(StatusCode::OK)["added"], size);
        })
        .await;
        spent.push(used);
    }
    // Lock the date, pick the members, insert them, queue their invitations.
    assert_eq!(spent[0], spent[1], "statements for 3 and for 300 members: {spent:?}");
    assert!(spent[1] <= 5, "{spent:?}");
}

/// The dispatcher's pass over a batch of invitations is set-based too: one
/// claim, one read of each kind of thing the emails refer to, one record of
/// what was sent, whatever the batch's size. Who came is not asked: only
/// the follow-ups go by it.
#[tokio::test]
async fn sending_invitations_costs_the_same_statements_for_3_guests_as_for_30() {
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let mut spent = Vec::new();
    for size in [3_usize, 30] {
        let event_id = app.create_published_event(json!({})).await;
        let guests: Vec<_> = (0..size).map(|i| json!({ "email": format!("guest{i}@example.org") })).collect();
        let added = app.post(&format!("/api/v1/events/{event_id}/guests/bulk"), json!({ "guests": guests })).await;
        assert_eq!(added.expect(StatusCode::OK)["added"], size);
        let dispatcher = app.dispatcher(Clock::system()).await;
        let used = statements_of(&app, async {
            assert_eq!(dispatcher.dispatch_due(&|| true).await.unwrap().sent, size);
        })
        .await;
        spent.push(used);
    }
    assert_eq!(spent[0], spent[1], "statements for 3 and for 30 invitations: {spent:?}");
    // The claim, the event, its organiser, the guests, the unsubscribed,
    // the record of what was sent, and the claim that finds nothing left.
    assert!(spent[1] <= 7, "{spent:?}");
}
