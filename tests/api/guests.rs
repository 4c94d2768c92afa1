use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn inviting_a_guest_normalises_her_address_and_hands_out_her_token_once() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let event_id = event["id"].as_str().unwrap();
    let guest = app
        .post(
            &format!("/api/v1/events/{event_id}/guests"),
            json!({ "email": "  Anne.Martin@Example.ORG ", "name": "Anne Martin", "language": "en" }),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(guest["email"], "anne.martin@example.org");
    assert_eq!(guest["language"], "en");
    let token = guest["invitation_token"].as_str().unwrap();
    assert!(token.len() >= 43, "at least 256 bits, base64url");
    assert!(guest["invitation_url"].as_str().unwrap().ends_with(token));

    let listed = app.guest(event_id, "anne.martin@example.org").await;
    assert!(listed.get("invitation_token").is_none(), "the token is never shown again");
    assert_eq!(listed["reply"], serde_json::Value::Null);
}

#[tokio::test]
async fn inviting_the_same_address_twice_is_a_conflict() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let path = format!("/api/v1/events/{}/guests", event["id"].as_str().unwrap());
    app.post(&path, json!({ "email": "anne@example.org" })).await.expect(StatusCode::CREATED);
    let error = app.post(&path, json!({ "email": "ANNE@example.org" })).await.expect_error(StatusCode::CONFLICT);
    assert_eq!(error["error"], "guest_already_invited");
    assert!(error["message"].as_str().unwrap().contains("anne@example.org"));
}

#[tokio::test]
async fn the_same_address_may_be_invited_to_two_events() {
    let app = spawn_app().await;
    let first = app.create_event(json!({})).await;
    let second = app.create_event(json!({})).await;
    app.invite(first["id"].as_str().unwrap(), "anne@example.org").await;
    app.invite(second["id"].as_str().unwrap(), "anne@example.org").await;
}

#[tokio::test]
async fn a_bulk_invitation_reports_each_row() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let event_id = event["id"].as_str().unwrap();
    app.invite(event_id, "already@example.org").await;

    let report = app
        .post(
            &format!("/api/v1/events/{event_id}/guests/bulk"),
            json!({ "guests": [
                { "email": "one@example.org", "name": "One" },
                { "email": "not-an-address" },
                { "email": "Already@example.org" },
                { "email": "two@example.org", "language": "de" },
                { "email": "ONE@example.org" },
                { "email": "three@example.org", "language": "en" },
                { "email": "four@example.org", "language": " FR\t" },
                // A Unicode space is not "no language": the OpenAPI document's
                // pattern says only ASCII spaces are trimmed.
                { "email": "five@example.org", "language": "\u{2029}" },
            ] }),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(report["added"], 3);
    assert_eq!(report["duplicates"], 2);
    assert_eq!(report["invalid"], 3);
    let statuses: Vec<&str> =
        report["rows"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["added", "invalid", "duplicate", "invalid", "duplicate", "added", "added", "invalid"]);
    assert_eq!(report["rows"][6]["guest"]["language"], "fr");
    assert!(report["rows"][7]["errors"]["language"].is_string());
    assert!(report["rows"][1]["errors"]["email"].is_string());
    assert!(report["rows"][3]["errors"]["language"].is_string());
    assert!(report["rows"][0]["guest"]["invitation_token"].is_string());
    assert_eq!(app.guests(event_id).await.len(), 4);
}

#[tokio::test]
async fn a_bulk_invitation_must_not_be_empty_or_huge() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let path = format!("/api/v1/events/{}/guests/bulk", event["id"].as_str().unwrap());
    let error = app.post(&path, json!({ "guests": [] })).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["guests"].is_string());
    let many: Vec<_> = (0..1001).map(|i| json!({ "email": format!("g{i}@example.org") })).collect();
    app.post(&path, json!({ "guests": many })).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn removing_a_guest_takes_her_off_the_list() {
    let app = spawn_app().await;
    let event = app.create_event(json!({})).await;
    let event_id = event["id"].as_str().unwrap();
    let (guest_id, token) = app.invite(event_id, "anne@example.org").await;
    app.delete(&format!("/api/v1/events/{event_id}/guests/{guest_id}")).await.expect(StatusCode::NO_CONTENT);
    assert!(app.guests(event_id).await.is_empty());
    app.delete(&format!("/api/v1/events/{event_id}/guests/{guest_id}")).await.expect_error(StatusCode::NOT_FOUND);
    let invitation = app.request(reqwest::Method::GET, &format!("/api/v1/invitations/{token}"), None, None).await;
    invitation.expect_error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn removing_a_guest_who_said_yes_to_an_event_without_capacity_works() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "capacity": null, "companions_allowed": 2 })).await;
    let (guest_id, token) = app.invite(&event_id, "anne@example.org").await;
    app.answer(&token, json!({ "answer": "yes", "companions": 2 })).await.expect(StatusCode::OK);
    app.delete(&format!("/api/v1/events/{event_id}/guests/{guest_id}")).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(app.summary(&event_id).await["seats_taken"], 0);
}

/// The list comes a page at a time: each page starts where the last ended,
/// even when guests are removed or added in between.
#[tokio::test]
async fn the_guest_list_is_read_a_page_at_a_time() {
    let app = spawn_app().await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    for n in 0..5 {
        app.invite(&event_id, &format!("guest{n}@example.org")).await;
    }
    let page = |query: String| {
        let app = &app;
        let event_id = &event_id;
        async move { app.get(&format!("/api/v1/events/{event_id}/guests?{query}")).await }
    };
    let emails = |body: &Value| -> Vec<String> {
        body["guests"].as_array().unwrap().iter().map(|g| g["email"].as_str().unwrap().to_owned()).collect()
    };
    let first = page("limit=2".into()).await.expect(StatusCode::OK);
    assert_eq!(emails(&first), ["guest0@example.org", "guest1@example.org"]);
    let next = first["next"].as_str().unwrap().to_owned();

    // guest2 leaves, guest5 arrives: the next page neither skips nor repeats.
    let guest2 = app.guest(&event_id, "guest2@example.org").await["id"].as_str().unwrap().to_owned();
    app.delete(&format!("/api/v1/events/{event_id}/guests/{guest2}")).await.expect(StatusCode::NO_CONTENT);
    app.invite(&event_id, "guest5@example.org").await;
    let second = page(format!("limit=2&after={next}")).await.expect(StatusCode::OK);
    assert_eq!(emails(&second), ["guest3@example.org", "guest4@example.org"]);
    let last = page(format!("limit=2&after={}", second["next"].as_str().unwrap())).await.expect(StatusCode::OK);
    assert_eq!(emails(&last), ["guest5@example.org"]);
    assert!(last["next"].is_null(), "the last page says so");
    assert_eq!(page(String::new()).await.expect(StatusCode::OK)["guests"].as_array().unwrap().len(), 5);

    for query in ["limit=0", "limit=1001", "after=not-a-cursor", "after=bm9wZQ"] {
        let refused = page(query.to_owned()).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused["fields"].as_object().is_some_and(|f| f.len() == 1), "{query}: {refused}");
    }
}
