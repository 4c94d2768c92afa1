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

/// The guest list and the door list show each guest's answers to the
/// questions under her name, in the organiser's language, escaped; the door
/// list gives the first one-choice question a column (a dietary need, read
/// down at a glance) and leaves long texts for the results page.
#[tokio::test]
async fn the_guest_list_and_the_door_list_show_each_guests_answers_escaped() {
    let app = spawn_app().await;
    let questions = json!([
        { "key": "diet", "kind": "one_choice", "label_fr": "Régime", "label_en": "Diet",
          "options": [ { "key": "veg", "label_fr": "Végétarien", "label_en": "Vegetarian" },
                       { "key": "none", "label_fr": "Aucun", "label_en": "None" } ] },
        { "key": "company", "kind": "short_text", "label_fr": "Société", "label_en": "Company" },
        { "key": "speak", "kind": "yes_no", "label_fr": "Intervenir", "label_en": "Speak" },
        { "key": "note", "kind": "long_text", "label_fr": "Remarque", "label_en": "Note" }
    ]);
    let event_id = app.create_published_event(json!({ "questions": questions })).await;
    let (_, token) = app.invite(&event_id, "anne@example.org").await;
    let answers = json!({ "diet": "veg", "company": "<script>alert(1)</script> & Cie", "speak": true,
                          "note": "Une longue remarque" });
    app.answer(&token, json!({ "answer": "yes", "questions": answers })).await.expect(StatusCode::OK);
    let owner = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;

    let english = owner.get(&format!("/dashboard/events/{event_id}")).await;
    assert_eq!(english.status, StatusCode::OK);
    let escaped = "&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; Cie";
    assert!(!english.html.contains("<script>alert(1)"), "escaped: {}", english.html);
    let line = format!(
        "<ul class=\"qa\"><li><span class=\"qa-label\" dir=\"auto\">Diet</span>: <span dir=\"auto\">Vegetarian</span></li>\
         <li><span class=\"qa-label\" dir=\"auto\">Company</span>: <span dir=\"auto\">{escaped}</span></li>\
         <li><span class=\"qa-label\" dir=\"auto\">Speak</span>: <span dir=\"auto\">Yes</span></li>\
         <li><span class=\"qa-label\" dir=\"auto\">Note</span>: <span dir=\"auto\">Une longue remarque</span></li></ul>"
    );
    assert!(english.html.contains(&line), "{line} in {}", english.html);

    let door = owner.in_french().get(&format!("/dashboard/events/{event_id}/door-list")).await;
    assert_eq!(door.status, StatusCode::OK);
    assert!(door.html.contains("<th scope=\"col\" class=\"choice\" dir=\"auto\">Régime</th>"), "{}", door.html);
    assert!(door.html.contains("<td class=\"choice\" dir=\"auto\">Végétarien</td>"), "{}", door.html);
    let under_name = format!(
        "<ul class=\"qa\"><li><span class=\"qa-label\" dir=\"auto\">Société</span>\u{a0}: <span dir=\"auto\">{escaped}</span></li>\
         <li><span class=\"qa-label\" dir=\"auto\">Intervenir</span>\u{a0}: <span dir=\"auto\">Oui</span></li></ul>"
    );
    assert!(door.html.contains(&under_name), "{under_name} in {}", door.html);
    assert!(!door.html.contains("Une longue remarque"), "long texts stay on the results page");
    assert!(!door.html.contains("<script>alert(1)"));
}
