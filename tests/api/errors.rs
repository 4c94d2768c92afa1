//! Bad input gets a clear 4xx in the one error shape, never a 500.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{cafe_des_victoires, merge, spawn_app};

#[tokio::test]
async fn a_missing_or_wrong_api_key_is_refused() {
    let app = spawn_app().await;
    for key in [None, Some("cvk_not-a-real-key"), Some(""), Some("Basic dXNlcjpwYXNz")] {
        let reply = app.request(Method::GET, "/api/v1/events", key, None).await;
        assert_eq!(reply.expect_error(StatusCode::UNAUTHORIZED)["error"], "unauthorized");
    }
    let forged = format!("cvk_{}", "A".repeat(43));
    app.request(Method::GET, "/api/v1/events", Some(&forged), None).await.expect_error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let app = spawn_app().await;
    let reply = app
        .client
        .post(format!("{}/api/v1/events", app.address))
        .bearer_auth(&app.api_key)
        .header("content-type", "application/json")
        .body(r#"{"title": "Café"#)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");
}

#[tokio::test]
async fn a_body_without_the_json_content_type_is_a_415() {
    let app = spawn_app().await;
    let reply = app
        .client
        .post(format!("{}/api/v1/events", app.address))
        .bearer_auth(&app.api_key)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_media_type");
}

#[tokio::test]
async fn wrong_types_missing_and_unknown_fields_are_named() {
    let app = spawn_app().await;
    let cases = [
        (json!({ "capacity": "thirty" }), "capacity"),
        (json!({ "title": 42 }), "title"),
        (json!({ "companions_allowed": -1 }), "companions_allowed"),
        (json!({ "colour": "blue" }), "colour"),
    ];
    for (overrides, field) in cases {
        let mut body = cafe_des_victoires();
        merge(&mut body, overrides);
        let error = app.post("/api/v1/events", body).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error["fields"][field].is_string(), "{field} should be named: {error:#}");
    }
    let mut body = cafe_des_victoires();
    body.as_object_mut().unwrap().remove("starts_at");
    let error = app.post("/api/v1/events", body).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["fields"]["starts_at"], "is required");
}

#[tokio::test]
async fn invalid_event_values_get_a_message_per_field() {
    let app = spawn_app().await;
    let cases = [
        (json!({ "time_zone": "Europe/Atlantis" }), "time_zone"),
        (json!({ "ends_at": "2000-01-01T00:00" }), "ends_at"),
        (json!({ "starts_at": "next tuesday" }), "starts_at"),
        (json!({ "starts_at": "2030-03-31T02:30", "time_zone": "Europe/Paris" }), "starts_at"),
        (json!({ "title": "x".repeat(201) }), "title"),
        (json!({ "title": "   " }), "title"),
        (json!({ "description": "x".repeat(5001) }), "description"),
        (json!({ "capacity": 0 }), "capacity"),
        (json!({ "language": "de" }), "language"),
        (json!({ "venue_map_url": "javascript:alert(1)" }), "venue_map_url"),
        (json!({ "rsvp_deadline": "2099-01-01T00:00" }), "rsvp_deadline"),
    ];
    for (overrides, field) in cases {
        let mut body = cafe_des_victoires();
        merge(&mut body, overrides.clone());
        let error = app.post("/api/v1/events", body).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error["error"], "validation_failed");
        assert!(error["fields"][field].is_string(), "{overrides} should fail on {field}: {error:#}");
    }
    assert!(app.get("/api/v1/events").await.expect(StatusCode::OK)["events"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn invalid_guests_and_answers_are_refused_with_the_field_named() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let path = format!("/api/v1/events/{event_id}/guests");
    for (body, field) in [
        (json!({ "email": "anne" }), "email"),
        (json!({ "email": "anne@example.org\r\nBcc: all@example.org" }), "email"),
        (json!({ "email": format!("{}@example.org", "a".repeat(250)) }), "email"),
        (json!({ "email": "anne@example.org", "name": "n".repeat(201) }), "name"),
        (json!({ "email": "anne@example.org", "language": "klingon" }), "language"),
        (json!({ "name": "Anne" }), "email"),
    ] {
        let error = app.post(&path, body.clone()).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error["fields"][field].is_string(), "{body} should fail on {field}: {error:#}");
    }
    let (_, token) = app.invite(&event_id, "anne@example.org").await;
    for (body, field) in [
        (json!({ "answer": "yes", "comment": "c".repeat(1001) }), "comment"),
        (json!({ "answer": "yes", "companions": -1 }), "companions"),
        (json!({ "answer": "yes", "companions": 1.5 }), "companions"),
        (json!({ "companions": 1 }), "answer"),
    ] {
        let error = app.answer(&token, body.clone()).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error["fields"][field].is_string(), "{body} should fail on {field}: {error:#}");
    }
}

#[tokio::test]
async fn unknown_routes_ids_and_methods_are_reported_in_the_same_shape() {
    let app = spawn_app().await;
    app.get("/api/v1/nothing-here").await.expect_error(StatusCode::NOT_FOUND);
    app.get("/api/v1/events/not-a-uuid").await.expect_error(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/events/{}", uuid::Uuid::new_v4())).await.expect_error(StatusCode::NOT_FOUND);
    app.request(Method::DELETE, "/api/v1/events", Some(&app.api_key), None)
        .await
        .expect_error(StatusCode::METHOD_NOT_ALLOWED);
    let error = app.get("/api/v1/events?limit=0").await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["limit"].is_string());
    app.get("/api/v1/events?limit=many").await.expect_error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let app = spawn_app().await;
    let mut body = cafe_des_victoires();
    merge(&mut body, json!({ "description": "x".repeat(2 * 1024 * 1024) }));
    let reply = app.post("/api/v1/events", body).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.body["error"], "payload_too_large");
}

#[tokio::test]
async fn paging_beyond_what_a_database_counts_is_refused_not_a_crash() {
    let app = spawn_app().await;
    let body =
        app.get("/api/v1/events?offset=9223372036854775808").await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["offset"].is_string(), "{body}");
    app.get("/api/v1/events?offset=9223372036854775807").await.expect(StatusCode::OK);
    app.get("/api/v1/events?limit=201").await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_profile_and_the_preferences_each_answer_only_their_own_method() {
    let app = spawn_app().await;
    app.get("/api/v1/me").await.expect(StatusCode::OK);
    app.put("/api/v1/me", json!({ "notifications": "off" })).await.expect_error(StatusCode::METHOD_NOT_ALLOWED);
    app.get("/api/v1/me/preferences").await.expect_error(StatusCode::METHOD_NOT_ALLOWED);
    app.put("/api/v1/me/preferences", json!({ "notifications": "off" })).await.expect(StatusCode::OK);
    let me = app.put("/api/v1/me/preferences", json!({ "notifications": "off", "language": "en" })).await;
    assert_eq!(me.expect(StatusCode::OK)["language"], "en");
    assert_eq!(app.get("/api/v1/me").await.expect(StatusCode::OK)["language"], "en");
    app.put("/api/v1/me/preferences", json!({ "notifications": "off", "language": "de" }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
}
