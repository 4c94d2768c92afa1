//! The organiser's own words, written per language: a guest reads those of
//! her language, and never words written for another.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::{sign_in_with, terminal_login_link};
use crate::helpers::{TestApp, spawn_app_with_mail};
use crate::mailbox::MailServer;

/// The longest a test waits for the SMTP server to receive what it expects.
const WAIT: Duration = Duration::from_secs(20);

async fn invite_in(app: &TestApp, event_id: &str, email: &str, language: &str) {
    app.post(
        &format!("/api/v1/events/{event_id}/guests"),
        json!({ "email": email, "name": email, "language": language }),
    )
    .await
    .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn each_guest_reads_the_organisers_words_in_her_own_language_or_none() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event = app
        .create_event(json!({
            "language": "fr",
            "words": {
                "invitation": "Bonjour à toutes et à tous,",
                "translations": { "en": { "invitation": "Hello everyone," } },
            },
        }))
        .await;
    let event_id = event["id"].as_str().unwrap().to_owned();
    assert_eq!(event["words"]["translations"]["en"]["invitation"], "Hello everyone,");
    invite_in(&app, &event_id, "sophie@example.org", "fr").await;
    invite_in(&app, &event_id, "jane@example.org", "en").await;
    app.post(&format!("/api/v1/events/{event_id}/publish"), json!({})).await.expect(StatusCode::OK);

    let messages = server.wait_for(2, WAIT).await;
    let text_for = |to: &str| messages.iter().find(|m| m.recipient() == to).expect(to).text().replace("\r\n", "\n");
    let (sophie, jane) = (text_for("sophie@example.org"), text_for("jane@example.org"));
    assert!(sophie.starts_with("Bonjour à toutes et à tous,") && !sophie.contains("Hello everyone"), "{sophie}");
    assert!(jane.starts_with("Hello everyone,") && !jane.contains("Bonjour à toutes"), "{jane}");

    // Without words in her language, an English guest reads the usual
    // greeting in English, not the French words.
    app.patch(
        &format!("/api/v1/events/{event_id}"),
        json!({ "words": { "invitation": "Bonjour à toutes et à tous," } }),
    )
    .await
    .expect(StatusCode::OK);
    invite_in(&app, &event_id, "ben@example.org", "en").await;
    let messages = server.wait_for(3, WAIT).await;
    let ben = messages.iter().find(|m| m.recipient() == "ben@example.org").expect("ben's invitation").text();
    assert!(!ben.contains("Bonjour") && ben.contains("Hello"), "{ben}");

    // Words "translated" into the event's own language are refused, named.
    let error = app
        .patch(
            &format!("/api/v1/events/{event_id}"),
            json!({ "words": { "translations": { "fr": { "nudge": "Alors ?" } } } }),
        )
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["words.translations.fr"].is_string(), "{error}");
}

#[tokio::test]
async fn the_dashboard_form_keeps_her_words_for_the_other_language() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event = app
        .create_event(json!({
            "language": "fr",
            "words": { "nudge": "Alors, vous venez ?", "translations": { "en": { "nudge": "So, are you coming?" } } },
        }))
        .await;
    let event_id = event["id"].as_str().unwrap().to_owned();
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let form = anne.get(&format!("/dashboard/events/{event_id}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    let html = form.decoded();
    assert!(html.contains("Vos mots en anglais"), "the other language is named");
    assert!(html.contains("name=\"other_words_nudge\"") && html.contains("So, are you coming?"), "{html}");
}
