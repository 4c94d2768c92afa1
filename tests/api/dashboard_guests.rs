//! The guest list on the event page: compact rows whose actions open in a
//! menu, a filter by answer alongside the search, and each guest's personal
//! link, the very one her emails carry, to pass on by hand.

use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::{sign_in_with, terminal_login_link};
use crate::helpers::{Page, spawn_app};

/// The guests' rows shown, by the address under their name.
fn listed(page: &Page) -> Vec<String> {
    let mut emails: Vec<String> = page
        .html
        .split("<tr id=\"guest-")
        .skip(1)
        .filter_map(|row| row.split("class=\"cell-sub\">").nth(1))
        .map(|rest| rest.split('<').next().unwrap().to_owned())
        .collect();
    emails.sort();
    emails
}

#[tokio::test]
async fn the_guest_list_filters_by_answer_with_the_search_and_gives_each_guest_her_own_link() {
    let app = spawn_app().await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let event_id = app.create_published_event(json!({ "capacity": 1, "companions_allowed": 0 })).await;
    let mut tokens = Vec::new();
    for (email, answer) in [
        ("seated@example.org", Some("yes")),
        ("waiting@example.org", Some("yes")),
        ("no@example.org", Some("no")),
        ("maybe@example.org", Some("maybe")),
        ("silent@example.org", None),
    ] {
        let (id, token) = app.invite(&event_id, email).await;
        if let Some(answer) = answer {
            app.put(&format!("/api/v1/events/{event_id}/guests/{id}/answer"), json!({ "answer": answer }))
                .await
                .expect(StatusCode::OK);
        }
        tokens.push((id, token));
    }
    app.post(&format!("/api/v1/events/{event_id}/walk-ins"), json!({ "name": "Paul", "email": "paul@example.org" }))
        .await
        .expect(StatusCode::CREATED);
    let base = format!("/dashboard/events/{event_id}");

    let all = anne.get(&base).await;
    assert_eq!(listed(&all).len(), 6, "{}", all.html);
    for (filter, expected) in [
        ("yes", vec!["seated@example.org"]),
        ("waiting", vec!["waiting@example.org"]),
        ("no", vec!["no@example.org"]),
        ("maybe", vec!["maybe@example.org"]),
        ("none", vec!["silent@example.org"]),
    ] {
        let page = anne.get(&format!("{base}?answer={filter}")).await;
        assert_eq!(listed(&page), expected, "{filter}");
        assert!(page.html.contains(&format!("<option value=\"{filter}\" selected>")), "the filter stays chosen");
        assert!(page.decoded().contains("1\u{a0}invité correspond."), "{}", page.decoded());
    }
    // With the search: both apply.
    let page = anne.get(&format!("{base}?answer=yes&q=waiting")).await;
    assert!(listed(&page).is_empty());
    assert!(page.decoded().contains("Personne ne correspond."), "{}", page.decoded());
    let page = anne.get(&format!("{base}?answer=all&q=example")).await;
    assert_eq!(listed(&page).len(), 6);

    // Each row's actions are in a menu that opens without a script, with her link.
    let row = all.html.split("<tr id=\"guest-").find(|row| row.contains("silent@example.org")).unwrap();
    assert!(row.contains("<details class=\"row-menu\"") && row.contains("<summary>Actions"), "{row}");
    let (silent, token) = &tokens[4];
    // The app's public URL, then her token: the link of her emails.
    let link =
        row.split(&format!("id=\"link-{silent}\" class=\"url\" value=\"")).nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(link.replace("&#x2f;", "/"), format!("http://127.0.0.1:8080/i/{token}"), "{row}");
    assert!(row.contains("readonly") && row.contains("data-copy=\"link-"), "{row}");
    // The link is hers: it opens her invitation.
    let opened = app.page(&format!("/i/{token}")).await;
    assert_eq!(opened.status, StatusCode::OK);
    let script = reqwest::get(format!("{}/static/dashboard.js", app.address)).await.unwrap();
    assert_eq!(script.status(), StatusCode::OK);
}
