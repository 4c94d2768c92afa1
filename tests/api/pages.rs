//! The guest's pages over HTTP: what a GET shows (and that it changes
//! nothing), the answer form with its anti-forgery token, mistakes, the
//! deadline, the waiting list, unknown links and the rate limit.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// A published event with one guest; returns (event id, her token).
async fn invited(app: &TestApp, event: serde_json::Value, language: Option<&str>) -> (String, String) {
    let event_id = app.create_published_event(event).await;
    let guest = app
        .post(
            &format!("/api/v1/events/{event_id}/guests"),
            json!({ "email": "jane@example.org", "name": "Jane <b>Doe</b>", "language": language }),
        )
        .await
        .expect(StatusCode::CREATED);
    (event_id, guest["invitation_token"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn the_invitation_page_shows_the_event_and_opening_it_changes_nothing() {
    let app = spawn_app().await;
    let title = "<script>alert(1)</script> Café & \"Croissants\"";
    let (event_id, token) = invited(&app, json!({ "title": title }), None).await;

    for query in ["", "?answer=yes", "?answer=no", "?answer=maybe", "?answer=<script>", "?saved=1"] {
        let page = app.page(&format!("/i/{token}{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        // Escaped wherever it appears; the guest's name too.
        assert!(!page.html.contains("<script>alert"), "{query}: {}", page.html);
        assert!(page.decoded().contains("<script>alert(1)</script> Café & \"Croissants\""), "{}", page.html);
        assert!(page.html.contains("Jane &lt;b&gt;Doe&lt;"), "{}", page.html);
        assert!(!page.html.contains("id=\"confirmation\""), "{query}: nothing was saved");
        // The event's language (French), local time in its zone, the map link.
        assert!(page.html.contains("<html lang=\"fr\""), "{}", page.html);
        assert!(page.decoded().contains("08:30") && page.decoded().contains("Europe/Paris"), "{}", page.html);
        assert!(page.decoded().contains("https://maps.example.org/?q=place+des+Victoires"));
        assert_eq!(page.headers["cache-control"], "no-store");
        assert!(page.headers["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    }
    assert_eq!(app.page(&format!("/i/{token}?answer=yes")).await.checked_answer().as_deref(), Some("yes"));
    assert_eq!(app.page(&format!("/i/{token}?answer=maybe")).await.checked_answer().as_deref(), Some("maybe"));
    assert_eq!(app.page(&format!("/i/{token}")).await.checked_answer(), None);

    let guest = app.guest(&event_id, "jane@example.org").await;
    assert!(guest["reply"].is_null(), "a GET answered for her: {guest}");
    assert_eq!(app.summary(&event_id).await["answered"], 0);
}

#[tokio::test]
async fn a_guest_answers_with_the_form_and_sees_a_confirmation() {
    let app = spawn_app().await;
    let (event_id, token) = invited(&app, json!({}), Some("en")).await;
    let page = app.page(&format!("/i/{token}?answer=yes")).await;
    assert!(page.html.contains("<html lang=\"en\""), "her language wins over the event's");

    let posted = app
        .submit(
            &format!("/i/{token}"),
            &[("csrf", &page.csrf()), ("answer", "yes"), ("companions", "1"), ("comment", "Gluten-free, please <3")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
    assert_eq!(posted.headers["location"], format!("/i/{token}?saved=1"));

    let confirmation = app.page(&format!("/i/{token}?saved=1")).await;
    assert!(confirmation.html.contains("id=\"confirmation\""), "{}", confirmation.html);
    assert!(confirmation.decoded().contains("Got it, you're coming!"), "{}", confirmation.html);
    assert!(confirmation.html.contains("With one companion."));
    assert!(confirmation.html.contains("Gluten-free, please &lt;3"), "her comment, escaped, in the form");
    assert!(confirmation.decoded().contains(&format!("/i/{token}/calendar.ics")), "add-to-calendar links");
    assert!(confirmation.decoded().contains("webcal://"));
    assert_eq!(confirmation.checked_answer().as_deref(), Some("yes"));

    let guest = app.guest(&event_id, "jane@example.org").await;
    assert_eq!(guest["reply"]["answer"], "yes");
    assert_eq!(guest["reply"]["companions"], 1);
    assert_eq!(guest["reply"]["comment"], "Gluten-free, please <3");

    // Changing her mind: a "no" brings no companions.
    let page = app.page(&format!("/i/{token}")).await;
    let posted =
        app.submit(&format!("/i/{token}"), &[("csrf", &page.csrf()), ("answer", "no"), ("companions", "1")]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    let guest = app.guest(&event_id, "jane@example.org").await;
    assert_eq!(guest["reply"]["answer"], "no");
    assert_eq!(guest["reply"]["companions"], 0);
}

#[tokio::test]
async fn a_form_without_a_valid_token_or_from_another_site_is_refused() {
    let app = spawn_app().await;
    let (event_id, token) = invited(&app, json!({}), None).await;
    let (_, other_token) = app.invite(&event_id, "ben@example.org").await;
    let others_csrf = app.page(&format!("/i/{other_token}")).await.csrf();
    let csrf = app.page(&format!("/i/{token}")).await.csrf();

    let path = format!("/i/{token}");
    for (fields, headers) in [
        (vec![("answer", "yes")], vec![]),
        (vec![("answer", "yes"), ("csrf", "forged")], vec![]),
        (vec![("answer", "yes"), ("csrf", others_csrf.as_str())], vec![]),
        (vec![("answer", "yes"), ("csrf", csrf.as_str())], vec![("sec-fetch-site", "cross-site")]),
        // A browser without Fetch Metadata: its Origin names another site.
        (vec![("answer", "yes"), ("csrf", csrf.as_str())], vec![("origin", "https://evil.example")]),
    ] {
        let refused = app.submit_with(&path, &fields, &headers).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{fields:?} {headers:?}");
        assert!(refused.html.contains("<html lang=\"fr\""), "a page in her language: {}", refused.html);
    }
    assert!(app.guest(&event_id, "jane@example.org").await["reply"].is_null());
    // The same form from our own page goes through.
    let accepted =
        app.submit_with(&path, &[("answer", "yes"), ("csrf", &csrf)], &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let host = app.address.trim_start_matches("http://");
    let same_origin = app.address.clone();
    let accepted =
        app.submit_with(&path, &[("answer", "no"), ("csrf", &csrf)], &[("origin", &same_origin), ("host", host)]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "an Origin naming this host is ours");
}

#[tokio::test]
async fn mistakes_show_the_form_again_with_a_message_and_the_values_kept() {
    let app = spawn_app().await;
    let (event_id, token) = invited(&app, json!({ "companions_allowed": 1 }), Some("en")).await;
    let csrf = app.page(&format!("/i/{token}")).await.csrf();
    let path = format!("/i/{token}");

    let no_answer = app.submit(&path, &[("csrf", &csrf), ("comment", "keep me")]).await;
    assert_eq!(no_answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_answer.html.contains("role=\"alert\"") && no_answer.html.contains("Choose an answer"),
        "{}",
        no_answer.html
    );
    assert!(no_answer.html.contains(">keep me</textarea>"));

    let too_many = app.submit(&path, &[("csrf", &csrf), ("answer", "yes"), ("companions", "5")]).await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_many.html.contains("Maximum number of companions: 1."), "{}", too_many.html);
    assert_eq!(too_many.checked_answer().as_deref(), Some("yes"));

    let not_a_number = app.submit(&path, &[("csrf", &csrf), ("answer", "yes"), ("companions", "two")]).await;
    assert_eq!(not_a_number.status, StatusCode::UNPROCESSABLE_ENTITY);

    let long = "x".repeat(1001);
    let too_long = app.submit(&path, &[("csrf", &csrf), ("answer", "maybe"), ("comment", &long)]).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.html.contains("too long"));

    assert!(app.guest(&event_id, "jane@example.org").await["reply"].is_null());
}

#[tokio::test]
async fn after_the_deadline_the_page_says_answers_are_closed_and_shows_her_answer() {
    let app = spawn_app().await;
    let (event_id, token) = invited(&app, json!({}), Some("en")).await;
    app.answer(&token, json!({ "answer": "maybe" })).await.expect(StatusCode::OK);
    let csrf = app.page(&format!("/i/{token}")).await.csrf();
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "rsvp_deadline": "2020-01-01T00:00" }))
        .await
        .expect(StatusCode::OK);

    let page = app.page(&format!("/i/{token}?answer=yes")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Answers closed on"), "{}", page.html);
    assert!(page.html.contains("Your current answer: Maybe."), "{}", page.html);
    assert!(!page.html.contains("id=\"answer-form\""), "no form once closed");

    let late = app.submit(&format!("/i/{token}"), &[("csrf", &csrf), ("answer", "yes")]).await;
    assert_eq!(late.status, StatusCode::GONE);
    assert!(late.html.contains("Answers are closed: your answer could not be saved."), "{}", late.html);
    assert_eq!(app.guest(&event_id, "jane@example.org").await["reply"]["answer"], "maybe");
}

#[tokio::test]
async fn a_yes_to_a_full_event_is_told_its_place_on_the_waiting_list() {
    let app = spawn_app().await;
    let (event_id, token) = invited(&app, json!({ "capacity": 1 }), Some("en")).await;
    let (_, first) = app.invite(&event_id, "first@example.org").await;
    app.answer(&first, json!({ "answer": "yes" })).await.expect(StatusCode::OK);

    let csrf = app.page(&format!("/i/{token}")).await.csrf();
    let posted = app.submit(&format!("/i/{token}"), &[("csrf", &csrf), ("answer", "yes")]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    let page = app.page(&format!("/i/{token}?saved=1")).await;
    assert!(page.html.contains("your yes is on the waiting list"), "{}", page.html);
    assert!(page.html.contains("You are number 1 on the waiting list."));

    // Promoted into the seat the first guest frees, she has none left for a
    // companion: a clear message, and her answer stays as it was.
    app.answer(&first, json!({ "answer": "no" })).await.expect(StatusCode::OK);
    let csrf = app.page(&format!("/i/{token}")).await.csrf();
    let crowded = app.submit(&format!("/i/{token}"), &[("csrf", &csrf), ("answer", "yes"), ("companions", "1")]).await;
    assert_eq!(crowded.status, StatusCode::CONFLICT, "{}", crowded.html);
    assert!(crowded.html.contains("not enough seats"), "{}", crowded.html);
    let guest = app.guest(&event_id, "jane@example.org").await;
    assert_eq!((guest["reply"]["answer"].as_str(), guest["reply"]["companions"].as_u64()), (Some("yes"), Some(0)));
}

#[tokio::test]
async fn an_unknown_link_gets_a_friendly_page_in_the_browsers_language() {
    let app = spawn_app().await;
    for path in ["/i/not-a-token", &format!("/i/{}", "A".repeat(43)), "/i/x/calendar.ics", "/e/not-an-id"] {
        let page = app.page(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.headers["content-type"].to_str().unwrap().starts_with("text/html"), "{path}");
        assert!(page.html.contains("Link not found"), "{path}: {}", page.html);
    }
    let french = app
        .client
        .get(format!("{}/i/not-a-token", app.address))
        .header("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(french.status(), StatusCode::NOT_FOUND);
    let html = french.text().await.unwrap();
    assert!(html.contains("<html lang=\"fr\""), "{html}");
}

#[tokio::test]
async fn the_token_routes_are_rate_limited_per_client() {
    let app = spawn_app_with(convive::clock::Clock::system(), |s| {
        s.rate_limit_per_minute = 60;
        s.rate_limit_burst = 5;
    })
    .await;
    let (_, token) = invited(&app, json!({}), None).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(app.page(&format!("/i/{token}")).await.status);
    }
    assert_eq!(&statuses[..5], &[StatusCode::OK; 5], "{statuses:?}");
    let limited = app.page(&format!("/i/{token}")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
    assert!(limited.html.contains("<html"), "a page, not a bare error");
    // The guest API shares the limit and answers in the JSON error shape.
    let api = app.request(reqwest::Method::GET, &format!("/api/v1/invitations/{token}"), None, None).await;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.body["error"], "too_many_requests");
    // The organiser API is not limited.
    app.get("/api/v1/events").await.expect(StatusCode::OK);
}

/// Pages link one stylesheet by a name that carries its content's hash: a
/// browser keeps it for a year, a page carries no inline style, and the
/// page's policy allows our own stylesheet and nothing else.
#[tokio::test]
async fn the_pages_stylesheet_is_linked_by_its_hash_and_kept_for_a_year() {
    let app = spawn_app().await;
    let (_, token) = invited(&app, json!({}), None).await;
    let page = app.page(&format!("/i/{token}")).await;
    assert!(!page.html.contains("<style"), "the style is inline again: {}", page.html);
    let policy = page.headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("style-src 'self';"), "{policy}");

    let href =
        page.html.split("<link rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let name = href.strip_prefix("/static/pages.").and_then(|rest| rest.strip_suffix(".css"));
    assert!(name.is_some_and(|hash| hash.len() == 12), "{href}");
    let sheet = reqwest::get(format!("{}{href}", app.address)).await.unwrap();
    assert_eq!(sheet.status(), StatusCode::OK);
    assert_eq!(sheet.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(sheet.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(sheet.text().await.unwrap().contains(".button"), "the stylesheet's rules");

    // Another name, or an older hash, is not a stylesheet.
    let stale = reqwest::get(format!("{}/static/pages.000000000000.css", app.address)).await.unwrap();
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);
    let dashboard = app.page("/login").await;
    assert!(dashboard.html.contains("<link rel=\"stylesheet\" href=\"/static/dashboard."), "{}", dashboard.html);
}
