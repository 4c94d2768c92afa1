//! Delivery against a real relay's habits: connections it closes while they
//! sit in the pool must cost no email an attempt.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app_with_mail;
use crate::mailbox::MailServer;

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_pooled_connection_the_server_closed_is_replaced_without_costing_an_attempt() {
    let mut server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    app.invite(&event_id, "first@example.org").await;
    server.wait_for(1, WAIT).await;

    // The relay restarts (or times the idle connection out): the connection
    // left in Convive's pool is dead, though nothing says so yet.
    server.stop();
    server.resume().await;

    app.invite(&event_id, "second@example.org").await;
    let messages = server.wait_for(2, WAIT).await;
    assert_eq!(messages.last().unwrap().recipient(), "second@example.org");
    let guest = app.guest(&event_id, "second@example.org").await;
    let email = &guest["emails"][0];
    assert_eq!(email["status"], "sent", "{guest}");
    assert_eq!(email["attempts"], 1, "the stale connection cost no attempt: {guest}");
    app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
}
