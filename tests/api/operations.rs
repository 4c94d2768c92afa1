use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_and_readiness_probes_answer() {
    let app = spawn_app().await;
    assert_eq!(app.request(reqwest::Method::GET, "/healthz", None, None).await.expect(StatusCode::OK)["status"], "ok");
    assert_eq!(app.request(reqwest::Method::GET, "/readyz", None, None).await.expect(StatusCode::OK)["status"], "ok");
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_the_docs_page_is_served() {
    let app = spawn_app().await;
    let doc = app.request(reqwest::Method::GET, "/api/openapi.json", None, None).await.expect(StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/events/{event_id}/publish",
        "/api/v1/events/{event_id}/cancel",
        "/api/v1/events/{event_id}/summary",
        "/api/v1/events/{event_id}/answers/history",
        "/api/v1/events/{event_id}/guests",
        "/api/v1/events/{event_id}/guests/bulk",
        "/api/v1/events/{event_id}/guests/{guest_id}",
        "/api/v1/events/{event_id}/guests/{guest_id}/answer",
        "/api/v1/invitations/{token}",
        "/api/v1/invitations/{token}/answer",
        "/api/v1/invitations/{token}/calendar.ics",
        "/api/v1/me",
        "/api/v1/me/preferences",
        "/unsubscribe/{token}",
        "/feeds/{file}",
        "/api/v1/me/feed",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains_key(path), "{path} is missing from the OpenAPI document");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["api_key"].is_object());

    let page = app.client.get(format!("{}/api/docs", app.address)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let response = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert!(response.headers().get("x-request-id").is_some());
}

/// With its database gone, the service says so to its load balancer at once.
/// On PostgreSQL only: a SQLite file cannot be taken away from under an
/// open connection.
#[tokio::test]
async fn without_its_database_the_service_is_not_ready_within_two_seconds() {
    use sea_orm::{ConnectionTrait, Database};
    if !crate::helpers::backend_is_postgres() {
        return;
    }
    let app = spawn_app().await;
    let name = app.database_url().rsplit('/').next().unwrap().to_owned();
    let admin = Database::connect(format!("{}/postgres", crate::helpers::postgres_server_url())).await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)")).await.unwrap();
    let asked = std::time::Instant::now();
    let body = app.request(reqwest::Method::GET, "/readyz", None, None).await.expect(StatusCode::SERVICE_UNAVAILABLE);
    assert!(asked.elapsed() < std::time::Duration::from_secs(3), "{:?}", asked.elapsed());
    assert_eq!(body["status"], "database unreachable");
}
