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

/// `/api/docs` works on a machine without internet: the page and every
/// file it loads come from the server itself, and none of them names
/// another host.
#[tokio::test]
async fn the_api_reference_is_served_whole_by_the_server_itself() {
    let app = spawn_app().await;
    let page = app.client.get(format!("{}/api/docs", app.address)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let base = page.url().clone();
    let html = page.text().await.unwrap();
    let references = attribute_values(&html, &["src", "href"]);
    let extension =
        |reference: &str| std::path::Path::new(reference).extension().map(std::ffi::OsStr::to_ascii_lowercase);
    assert!(references.iter().any(|r| extension(r).is_some_and(|e| e == "js")), "the viewer is a script: {html}");
    assert!(!html.contains("http://") && !html.contains("https://"), "another host is named: {html}");

    let mut fetched = Vec::new();
    for reference in &references {
        assert!(!reference.starts_with("//") && !reference.contains("://"), "{reference} is not the server's");
        let url = base.join(reference).unwrap();
        assert_eq!(url.origin(), base.origin(), "{reference}");
        let response = app.client.get(url.clone()).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let body = response.text().await.unwrap();
        assert!(!body.is_empty(), "{url} is empty");
        if extension(reference).is_some_and(|e| e == "css") {
            // Images in the styles are inline (data:) or the server's own.
            for image in body.split("url(").skip(1) {
                let target = image.trim_start_matches(['"', '\'']);
                assert!(target.starts_with("data:") || !target.contains("://"), "{url}: url({target:.60}");
            }
        }
        fetched.push((reference.clone(), body));
    }

    // The script that starts the viewer points it at our own document.
    let (_, initializer) = fetched.iter().find(|(r, _)| r.contains("initializer")).expect("a starting script");
    assert!(initializer.contains("\"/api/openapi.json\""), "{initializer}");
    assert!(!initializer.contains("http://") && !initializer.contains("https://"), "{initializer}");
    assert!(initializer.contains("\"validatorUrl\": \"none\""), "no online validator badge: {initializer}");
    let document = app.client.get(format!("{}/api/openapi.json", app.address)).send().await.unwrap();
    assert_eq!(document.status(), StatusCode::OK);
}

/// The values of these attributes in an HTML page, in order.
fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    for name in names {
        for quote in ['"', '\''] {
            let marker = format!(" {name}={quote}");
            for part in html.split(&marker).skip(1) {
                values.push(part.split(quote).next().unwrap().to_owned());
            }
        }
    }
    values
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
