//! Group commit: answers arriving together share one SQLite transaction,
//! and what each guest said is kept whatever the others do.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::json;

use crate::helpers::{TestApp, backend_is_postgres, spawn_app};
use convive::storage::{self, GroupUndone, StorageError};

#[tokio::test]
async fn answers_arriving_together_are_each_kept_and_one_refused_costs_the_others_nothing() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "companions_allowed": 1 })).await;
    let mut tokens = Vec::new();
    for i in 0..24 {
        tokens.push(app.invite(&event_id, &format!("guest{i}@example.org")).await.1);
    }
    // Every fourth guest brings more companions than allowed: refused.
    let requests = tokens.iter().enumerate().map(|(i, token)| {
        let companions = if i % 4 == 0 { 3 } else { i % 2 };
        app.answer(token, json!({ "answer": "yes", "companions": companions, "comment": format!("Invité {i}") }))
    });
    for (i, reply) in futures::future::join_all(requests).await.into_iter().enumerate() {
        if i % 4 == 0 {
            reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        } else {
            reply.expect(StatusCode::OK);
        }
    }
    let guests = app.guests(&event_id).await;
    for i in 0..24 {
        let guest = guests.iter().find(|g| g["email"] == format!("guest{i}@example.org")).unwrap();
        if i % 4 == 0 {
            assert!(guest["reply"].is_null(), "a refused answer leaves nothing: {guest:#}");
        } else {
            assert_eq!(guest["reply"]["answer"], "yes");
            assert_eq!(guest["reply"]["companions"], i % 2);
            assert_eq!(guest["reply"]["comment"], format!("Invité {i}"));
        }
    }
    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    assert_eq!(history["changes"].as_array().unwrap().len(), 18);
}

/// How the second member of a group ends, after the first has written.
enum Second {
    Commits,
    /// Refused before writing: ends with `rollback`.
    FailsBeforeWriting,
    /// Dropped before writing, as a request whose client left: a statement
    /// of its might have been running.
    DroppedBeforeWriting,
    FailsAfterWriting,
}

/// A first writer holds the turn and writes `First` as the event's title;
/// a second, queued behind it, joins its group, writes `Second` (unless it
/// fails first) and ends as told. Returns how each commit went and the
/// title then stored.
async fn group_of_two(second: Second) -> (Result<(), StorageError>, Result<(), StorageError>, String) {
    let app = spawn_app().await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    let set_title =
        |title: &str| Statement::from_string(DatabaseBackend::Sqlite, format!("UPDATE events SET title = '{title}'"));
    let first = storage::begin_grouped_write(&app.db).await.unwrap();
    let db = app.db.clone();
    let second_sql = set_title("Second");
    let second = tokio::spawn(async move {
        let tx = storage::begin_grouped_write(&db).await.unwrap();
        match second {
            Second::FailsBeforeWriting => return tx.rollback().await.map_err(StorageError::from),
            Second::DroppedBeforeWriting => return Ok(()),
            _ => {}
        }
        tx.execute_raw(second_sql).await.unwrap();
        match second {
            Second::Commits => tx.commit().await,
            _ => Ok(()),
        }
    });
    // The test's runtime has one thread: the second now waits for the turn.
    tokio::task::yield_now().await;
    first.execute_raw(set_title("First")).await.unwrap();
    let first = first.commit().await;
    let second = second.await.unwrap();
    (first, second, title_of(&app, &event_id).await)
}

async fn title_of(app: &TestApp, event_id: &str) -> String {
    let event = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    event["title"].as_str().unwrap().to_owned()
}

fn undone(outcome: &Result<(), StorageError>) -> bool {
    matches!(outcome, Err(StorageError::Database(err)) if err.is::<GroupUndone>())
}

#[tokio::test]
async fn the_members_of_a_group_commit_together() {
    if backend_is_postgres() {
        return; // PostgreSQL's transactions lock rows and never group.
    }
    let (first, second, title) = group_of_two(Second::Commits).await;
    assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
    assert_eq!(title, "Second");
}

#[tokio::test]
async fn a_member_failing_before_writing_leaves_its_group_as_it_was() {
    if backend_is_postgres() {
        return;
    }
    let (first, _, title) = group_of_two(Second::FailsBeforeWriting).await;
    assert!(first.is_ok(), "{first:?}");
    assert_eq!(title, "First");
}

#[tokio::test]
async fn a_member_dropped_before_writing_undoes_its_group_as_it_may_have_written() {
    if backend_is_postgres() {
        return;
    }
    let (first, _, title) = group_of_two(Second::DroppedBeforeWriting).await;
    assert!(undone(&first), "{first:?}");
    assert_eq!(title, "Café des Victoires");
}

#[tokio::test]
async fn a_member_failing_after_writing_undoes_its_group_and_the_others_are_told() {
    if backend_is_postgres() {
        return;
    }
    let (first, _, title) = group_of_two(Second::FailsAfterWriting).await;
    assert!(undone(&first), "{first:?}");
    assert_eq!(title, "Café des Victoires");
}

/// A writer that takes an open group to commit it, then is dropped (its
/// client gone) while the commit runs: the group's member, waiting for the
/// turn, is told its writes went in, not that they were undone (it would
/// run its answer a second time).
#[tokio::test]
async fn a_writer_dropped_while_it_commits_a_group_leaves_its_members_told_the_truth() {
    if backend_is_postgres() {
        return;
    }
    let app = spawn_app().await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    let member = storage::begin_grouped_write(&app.db).await.unwrap();
    member
        .execute_raw(Statement::from_string(DatabaseBackend::Sqlite, "UPDATE events SET title = 'Kept'"))
        .await
        .unwrap();
    let committed = tokio::spawn(member.commit());
    // The writer queues for the turn the member holds.
    let mut writer = Box::pin(storage::begin_write(&app.db));
    assert!(futures::poll!(writer.as_mut()).is_pending());
    // The test's runtime has one thread: the member leaves its group open,
    // hands the turn to the writer and queues behind it for the commit.
    tokio::task::yield_now().await;
    tokio::task::yield_now().await;
    // The writer takes the group and starts its commit, then is dropped.
    assert!(futures::poll!(writer.as_mut()).is_pending());
    drop(writer);
    let committed = committed.await.unwrap();
    assert!(committed.is_ok(), "the group was committed, but its member heard {committed:?}");
    assert_eq!(title_of(&app, &event_id).await, "Kept");
}
