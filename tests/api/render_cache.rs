//! Pages, calendar files and event reads kept rendered: read again, they
//! cost no statement; changed (here, by another process, or by time
//! alone), they are rendered afresh.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode, header};
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, Statement};
use serde_json::json;

use crate::helpers::{ON_DEMAND, TestApp, backend_is_postgres, spawn_app_with_parts};
use convive::clock::Clock;

async fn statements_of<F: Future>(app: &TestApp, request: F) -> (u64, F::Output) {
    let before = app.db.statements_run();
    let output = request.await;
    (app.db.statements_run() - before, output)
}

/// Reads `path` until a read costs no statement, and returns that read.
/// On PostgreSQL this process hears of its own last write a moment after
/// it commits (the notification every process listens to), which makes
/// the next read a miss: a few tries, without sleeping, absorb it.
async fn read_from_memory(app: &TestApp, path: &str) -> crate::helpers::Page {
    for _ in 0..50 {
        let (spent, page) = statements_of(app, app.page(path)).await;
        if spent == 0 {
            return page;
        }
        tokio::task::yield_now().await;
    }
    panic!("{path} read again is never answered from memory");
}

async fn ics(app: &TestApp, token: &str) -> String {
    app.page(&format!("/i/{token}/calendar.ics")).await.html
}

#[tokio::test]
async fn a_page_read_again_costs_nothing_until_what_it_shows_changes() {
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let event_id = app.create_published_event(json!({ "capacity": 30, "open_registration": true })).await;
    let (_, token) = app.invite(&event_id, "sophie@example.org").await;

    for path in [format!("/i/{token}"), format!("/i/{token}/calendar.ics"), format!("/e/{event_id}")] {
        let first = app.page(&path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let again = read_from_memory(&app, &path).await;
        assert_eq!(again.html, first.html, "{path}");
        let etag = again.headers[header::ETAG].to_str().unwrap().to_owned();
        let (spent, conditional) = statements_of(&app, async {
            app.client.get(format!("{}{path}", app.address)).header(header::IF_NONE_MATCH, &etag).send().await.unwrap()
        })
        .await;
        assert_eq!(conditional.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(conditional.headers()[header::ETAG], etag.as_str());
        assert_eq!(spent, 0, "{path}: a 304 reads nothing");
    }

    // Her answer changes her page and her calendar at once.
    assert!(ics(&app, &token).await.contains("PARTSTAT=NEEDS-ACTION"));
    app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    assert!(ics(&app, &token).await.contains("PARTSTAT=ACCEPTED"));

    // The organiser's change shows on the public page and in the API.
    let event_path = format!("/api/v1/events/{event_id}");
    let mut spent = Vec::new();
    for _ in 0..50 {
        let (used, _) = statements_of(&app, async { app.get(&event_path).await.expect(StatusCode::OK) }).await;
        spent.push(used);
        if used == 0 {
            break;
        }
    }
    assert_eq!(spent.last(), Some(&0), "the event read again is answered from memory: {spent:?}");
    app.patch(&event_path, json!({ "title": "Café des Victoires, nouvelle formule" })).await.expect(StatusCode::OK);
    assert_eq!(app.get(&event_path).await.expect(StatusCode::OK)["title"], "Café des Victoires, nouvelle formule");
    assert!(app.page(&format!("/e/{event_id}")).await.html.contains("nouvelle formule"));
}

/// The read kept for its owner is hers alone: another organiser asking for
/// the same path gets what she always got.
#[tokio::test]
async fn an_event_read_kept_in_memory_is_not_shown_to_another_organiser() {
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let event_id = app.create_published_event(json!({})).await;
    let path = format!("/api/v1/events/{event_id}");
    for _ in 0..2 {
        app.get(&path).await.expect(StatusCode::OK);
    }
    let stranger = app.create_organiser("Bruno Autre", "bruno@example.org").await;
    app.request(Method::GET, &path, Some(&stranger), None).await.expect(StatusCode::NOT_FOUND);
    app.request(Method::GET, &path, None, None).await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_page_kept_in_memory_closes_its_answers_when_the_deadline_passes() {
    let now = Arc::new(Mutex::new(Utc::now()));
    let clock = {
        let now = Arc::clone(&now);
        Clock::from_fn(move || *now.lock().unwrap())
    };
    let app = spawn_app_with_parts(clock, ON_DEMAND, |_| {}).await;
    let start: DateTime<Utc> = *now.lock().unwrap() + Duration::days(3);
    let deadline = *now.lock().unwrap() + Duration::seconds(30);
    let event_id = app
        .create_published_event(json!({
            "starts_at": start.to_rfc3339(),
            "ends_at": (start + Duration::hours(2)).to_rfc3339(),
            "rsvp_deadline": deadline.to_rfc3339(),
        }))
        .await;
    let (_, token) = app.invite(&event_id, "sophie@example.org").await;
    let path = format!("/i/{token}");
    assert!(!app.page(&path).await.html.contains("id=\"answers-closed\""));
    assert!(!app.page(&path).await.html.contains("id=\"answers-closed\""));
    *now.lock().unwrap() = deadline;
    assert!(app.page(&path).await.html.contains("id=\"answers-closed\""), "the deadline closes the page kept");
}

/// Another process (here, a connection of the test's own) changes the
/// event: the server's kept page gives way as soon as it hears of it,
/// through PostgreSQL's notification or SQLite's data version.
#[tokio::test]
async fn a_change_made_by_another_process_reaches_the_pages_kept_in_memory() {
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let event_id = app.create_published_event(json!({ "open_registration": true })).await;
    let path = format!("/e/{event_id}");
    assert!(!app.page(&path).await.html.contains("Petit-déjeuner déplacé"));
    read_from_memory(&app, &path).await;

    let other = Database::connect(app.database_url()).await.expect("a second connection");
    let (backend, sql) = if backend_is_postgres() {
        (DatabaseBackend::Postgres, "UPDATE events SET title = $1 WHERE id = $2")
    } else {
        (DatabaseBackend::Sqlite, "UPDATE events SET title = ? WHERE id = ?")
    };
    let id: uuid::Uuid = event_id.parse().unwrap();
    other
        .execute_raw(Statement::from_sql_and_values(backend, sql, ["Petit-déjeuner déplacé".into(), id.into()]))
        .await
        .expect("the other process writes");
    // No sleep: ask again until the page says it, or give up after 10 s.
    let seen = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            if app.page(&path).await.html.contains("Petit-déjeuner déplacé") {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(seen.is_ok(), "the page kept in memory still shows the old title");
}

/// Every table a page reads tells the other processes when it changes; a
/// table added later must take the trigger in its migration.
#[tokio::test]
async fn every_table_a_page_reads_notifies_other_processes_of_its_changes() {
    if !backend_is_postgres() {
        return;
    }
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |_| {}).await;
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN
               (SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = 'convive_changed')",
        ))
        .await
        .unwrap();
    let silent: Vec<String> = rows.iter().map(|row| row.try_get("", "tablename").unwrap()).collect();
    let unwatched = migration::m20261208_000050_notify_changes::UNWATCHED;
    let forgotten: Vec<_> = silent.iter().filter(|table| !unwatched.contains(&table.as_str())).collect();
    assert!(forgotten.is_empty(), "tables without the convive_changed trigger: {forgotten:?}");
}
