//! Series on the dashboard: her pages only, forms with their token, words
//! in her language, and "invite the community" asked first.

use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::{sign_in_with, terminal_login_link};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_series_page_is_hers_alone_and_inviting_the_community_asks_first() {
    let app = spawn_app().await;
    let event = app.create_published_event(json!({})).await;
    app.invite(&event, "zelie@example.org").await;
    app.create_organiser("Bea", "bea@example.org").await;
    let bea = sign_in_with(&app, &terminal_login_link(&app, "bea@example.org").await).await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();

    // She makes her event a series: its list becomes the community.
    let created = anne
        .submit(
            "/dashboard/series",
            "/dashboard/series",
            &[("name", "Café des Victoires"), ("first_date", &event), ("rule", "monthly")],
        )
        .await;
    let page = anne.follow(&created).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.decoded();
    assert!(html.contains("La série est créée."), "{html}");
    assert!(html.contains("0 sur 1"), "a count, never a bare percentage: {html}");
    let series_path = created.headers["location"].to_str().unwrap().to_owned();

    let csv = anne.get(&format!("{series_path}/community.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.html.contains("Nom;Prénom;E-mail") && csv.html.contains("zelie@example.org"), "{}", csv.html);

    // Another organiser reaches none of it.
    assert_eq!(bea.get(&series_path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(bea.get(&format!("{series_path}/community.csv")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(bea.get(&format!("/dashboard/events/{event}/invite-community")).await.status, StatusCode::NOT_FOUND);
    let refused = bea.submit("/dashboard/series", &format!("{series_path}/dates"), &[]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!bea.get("/dashboard/series").await.html.contains("Café des Victoires"));

    // A new member of the community: inviting her is asked first, with the count.
    let series = app.get("/api/v1/series").await.expect(StatusCode::OK);
    let series_id = series["series"][0]["id"].as_str().unwrap();
    app.post(&format!("/api/v1/series/{series_id}/members"), json!({ "email": "paul@example.org" }))
        .await
        .expect(StatusCode::CREATED);
    let ask = anne.get(&format!("/dashboard/events/{event}/invite-community")).await;
    assert!(
        ask.decoded().contains("1\u{a0}personne rejoint la liste et reçoit son invitation maintenant."),
        "{}",
        ask.html
    );
    assert!(app.guests(&event).await.iter().all(|g| g["email"] != "paul@example.org"), "asking changes nothing");
    // Without the session's token, nothing happens.
    let forged = anne.post(&format!("/dashboard/events/{event}/invite-community"), &[("csrf", "forged")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let done = anne
        .submit(
            &format!("/dashboard/events/{event}/invite-community"),
            &format!("/dashboard/events/{event}/invite-community"),
            &[],
        )
        .await;
    let page = anne.follow(&done).await;
    assert!(page.decoded().contains("1\u{a0}personne de la communauté est sur la liste."), "{}", page.html);
    assert!(app.guests(&event).await.iter().any(|g| g["email"] == "paul@example.org"));

    // The next date, in one tap, then her page in English.
    let next = anne.submit(&series_path, &format!("{series_path}/dates"), &[]).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER);
    let page = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.get(&series_path).await;
    let html = page.decoded();
    assert!(html.contains("Add the next date") && html.contains("Community") && html.contains("0 of 1"), "{html}");
    assert_eq!(
        app.get(&format!("/api/v1/series/{series_id}")).await.expect(StatusCode::OK)["dates"].as_array().unwrap().len(),
        2
    );
}
