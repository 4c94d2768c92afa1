//! Questions for guests on her pages (issue 15): the invitation page and the
//! public registration page show each kind with its input, in her language,
//! prefilled; a mistake is told next to its field, in French and in English,
//! with everything she typed kept; what she answers is what the API reads.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Page, TestApp, spawn_app, spawn_app_with_mail};
use crate::mailbox::MailServer;

fn questions() -> Value {
    json!([
        { "key": "diet", "kind": "one_choice", "required": true,
          "label_fr": "Régime alimentaire", "label_en": "Dietary needs",
          "options": [
              { "key": "vegetarian", "label_fr": "Végétarien", "label_en": "Vegetarian" },
              { "key": "vegan", "label_fr": "Végétalien", "label_en": "Vegan" },
              { "key": "none", "label_fr": "Aucun", "label_en": "None" }
          ] },
        { "key": "company", "kind": "short_text", "label_fr": "Votre entreprise", "label_en": "Your company" },
        { "key": "topics", "kind": "several_choices", "label_fr": "Sujets", "label_en": "Topics",
          "options": [ { "key": "rust", "label_en": "Rust" }, { "key": "sql", "label_en": "SQL" } ] },
        { "key": "speak", "kind": "yes_no", "label_fr": "Souhaitez-vous intervenir ?", "label_en": "Would you like to speak?" },
        { "key": "note", "kind": "long_text", "label_fr": "Autre chose ?", "label_en": "Anything else?" }
    ])
}

/// The message shown next to question `key`, as a reader sees it.
fn field_error(page: &Page, key: &str) -> Option<String> {
    let html = page.decoded();
    let marker = format!("id=\"q-{key}-error\">");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].split("</p>").next()?.to_owned())
}

/// Whether the page shows option `value` of question `key` ticked.
fn ticked(page: &Page, key: &str, value: &str) -> bool {
    let id = format!("id=\"q-{key}-{value}\"");
    page.html.split("<input").any(|tag| tag.contains(&id) && tag.contains(" checked"))
}

async fn guest_page(app: &TestApp, event_id: &str, email: &str, language: &str) -> String {
    let guest = app
        .post(
            &format!("/api/v1/events/{event_id}/guests"),
            json!({ "email": email, "name": email, "language": language }),
        )
        .await
        .expect(StatusCode::CREATED);
    guest["invitation_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_kind_of_question_is_checked_on_the_invitation_page_in_french_and_in_english() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "questions": questions() })).await;
    let cases = [
        (
            "fr",
            "Régime alimentaire",
            "Réponse obligatoire si vous venez ou peut-être.",
            "Ce champ est obligatoire.",
            "«\u{a0}fish\u{a0}» ne fait pas partie des choix proposés.",
            "Trop long\u{a0}: 200\u{a0}caractères au maximum.",
        ),
        (
            "en",
            "Dietary needs",
            "An answer is required if you are coming or might come.",
            "This field is required.",
            "\"fish\" is not one of the choices offered.",
            "Too long: 200 characters at most.",
        ),
    ];
    for (language, label, required, missing, not_offered, too_long) in cases {
        let email = format!("{language}@example.org");
        let token = guest_page(&app, &event_id, &email, language).await;
        let path = format!("/i/{token}");
        let page = app.page(&path).await;
        let shown = page.decoded();
        // Each kind with its input, the labels in her language, "required" in words.
        assert!(shown.contains(label) && shown.contains(required), "{language}: {shown}");
        assert!(shown.contains("<fieldset class=\"question\" id=\"q-diet\""), "{shown}");
        assert!(shown.contains("type=\"radio\" name=\"q.diet\" id=\"q-diet-vegan\""), "{shown}");
        assert!(shown.contains("type=\"checkbox\" name=\"q.topics\" id=\"q-topics-rust\""), "{shown}");
        assert!(shown.contains("type=\"radio\" name=\"q.speak\" id=\"q-speak-yes\""), "{shown}");
        assert!(shown.contains("type=\"text\" name=\"q.company\" id=\"q-company\" value=\"\" maxlength=\"200\""));
        assert!(shown.contains("<textarea name=\"q.note\" id=\"q-note\" maxlength=\"2000\""), "{shown}");
        let csrf = page.csrf();

        // A "yes" without the required one: told next to it, all she typed kept.
        let company = "Dupont <b>& fils</b>";
        let first = app
            .submit(
                &path,
                &[
                    ("csrf", &csrf),
                    ("answer", "yes"),
                    ("q.company", company),
                    ("q.topics", "rust"),
                    ("q.topics", "sql"),
                    ("q.speak", "no"),
                    ("q.note", "Line one\nline two"),
                    ("comment", "See you"),
                ],
            )
            .await;
        assert_eq!(first.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", first.html);
        assert_eq!(field_error(&first, "diet").as_deref(), Some(missing), "{language}");
        assert!(first.html.contains("value=\"Dupont &lt;b&gt;&amp; fils&lt;&#x2f;b&gt;\""), "escaped and kept");
        assert!(!first.html.contains("<b>& fils"), "guest text is escaped");
        assert!(ticked(&first, "topics", "rust") && ticked(&first, "topics", "sql") && ticked(&first, "speak", "no"));
        assert!(first.decoded().contains(">Line one\nline two</textarea>"), "{}", first.html);
        assert!(first.html.contains("aria-invalid=\"true\""));
        assert!(first.decoded().contains("See you"));

        // An option not offered, and an overlong text.
        let long = "x".repeat(201);
        let second =
            app.submit(&path, &[("csrf", &csrf), ("answer", "maybe"), ("q.diet", "fish"), ("q.company", &long)]).await;
        assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_error(&second, "diet").as_deref(), Some(not_offered), "{language}");
        assert_eq!(field_error(&second, "company").as_deref(), Some(too_long), "{language}");
        assert!(second.html.contains(&long), "her text is kept");
        let guest = app.guest(&event_id, &email).await;
        assert!(guest["reply"].is_null(), "nothing was saved: {guest}");

        // A "no" needs no answers.
        let no = app.submit(&path, &[("csrf", &csrf), ("answer", "no")]).await;
        assert_eq!(no.status, StatusCode::SEE_OTHER, "{}", no.html);

        // A "yes" with every answer: kept as the API reads it, and shown again.
        let yes = app
            .submit(
                &path,
                &[
                    ("csrf", &csrf),
                    ("answer", "yes"),
                    ("q.diet", "vegan"),
                    ("q.company", company),
                    ("q.topics", "sql"),
                    ("q.speak", "yes"),
                    ("q.note", ""),
                ],
            )
            .await;
        assert_eq!(yes.status, StatusCode::SEE_OTHER, "{}", yes.html);
        let guest = app.guest(&event_id, &email).await;
        let expected = json!({ "diet": "vegan", "company": company, "topics": ["sql"], "speak": true });
        assert_eq!(guest["reply"]["questions"], expected);
        let again = app.page(&path).await;
        assert!(ticked(&again, "diet", "vegan") && ticked(&again, "topics", "sql") && ticked(&again, "speak", "yes"));
        assert!(!ticked(&again, "topics", "rust"));
        assert!(again.html.contains("value=\"Dupont &lt;b&gt;&amp; fils&lt;&#x2f;b&gt;\""));
    }
}

#[tokio::test]
async fn a_guest_without_questions_sees_no_question_field() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let token = guest_page(&app, &event_id, "jane@example.org", "fr").await;
    let page = app.page(&format!("/i/{token}")).await;
    assert!(!page.html.contains("id=\"questions\""), "{}", page.html);
}

async fn confirmation_path(server: &MailServer, count: usize, email: &str) -> String {
    let messages = server.wait_for(count, Duration::from_secs(10)).await;
    let message = messages.iter().rev().find(|m| m.recipient() == email).expect("a confirmation email");
    message.link("http://127.0.0.1:8080/e/").trim_start_matches("http://127.0.0.1:8080").to_owned()
}

#[tokio::test]
async fn the_registration_page_asks_the_questions_and_her_answers_are_hers_once_confirmed() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let body = json!({ "open_registration": true, "language": "en", "questions": questions() });
    let event_id = app.create_published_event(body).await;
    let path = format!("/e/{event_id}");
    let page = app.page(&path).await;
    assert!(page.decoded().contains("Dietary needs") && page.decoded().contains("An answer is required."));
    let csrf = page.csrf();

    // A bad answer is told with the name's problem, all she typed kept, and nothing sent.
    let wrong = app
        .submit(
            &path,
            &[("csrf", &csrf), ("name", ""), ("email", "zoe@example.org"), ("q.diet", "fish"), ("q.topics", "sql")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_error(&wrong, "diet").as_deref(), Some("\"fish\" is not one of the choices offered."));
    assert!(wrong.html.contains("id=\"name-error\"") && ticked(&wrong, "topics", "sql"));
    assert!(wrong.html.contains("value=\"zoe@example.org\""));
    let missing = app.submit(&path, &[("csrf", &csrf), ("name", "Zoé"), ("email", "zoe@example.org")]).await;
    assert_eq!(field_error(&missing, "diet").as_deref(), Some("This field is required."));

    let fields = [
        ("csrf", csrf.as_str()),
        ("name", "Zoé"),
        ("email", "zoe@example.org"),
        ("website", ""),
        ("q.diet", "vegetarian"),
        ("q.topics", "rust"),
        ("q.topics", "sql"),
        ("q.speak", "no"),
    ];
    let registered = app.submit(&path, &fields).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.html);
    let confirm = confirmation_path(&server, 1, "zoe@example.org").await;
    let page = app.page(&confirm).await;
    let confirmed = app.submit(&confirm, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.html);
    let guest = app.guest(&event_id, "zoe@example.org").await;
    assert_eq!(guest["reply"]["answer"], "yes");
    assert_eq!(guest["reply"]["questions"], json!({ "diet": "vegetarian", "topics": ["rust", "sql"], "speak": false }));
    let hers = app.page(confirmed.headers["location"].to_str().unwrap()).await;
    assert!(ticked(&hers, "diet", "vegetarian") && ticked(&hers, "speak", "no"));
}

#[tokio::test]
async fn the_results_page_shows_the_same_totals_as_the_summary_and_who_wrote_what() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "questions": questions() })).await;
    let answers = [
        ("anne@example.org", json!({ "diet": "vegan", "company": "Dupont & fils", "speak": true })),
        ("bob@example.org", json!({ "diet": "vegan", "topics": ["rust"] })),
        ("carla@example.org", json!({ "diet": "none", "note": "<i>Je</i> serai en retard" })),
    ];
    for (email, questions) in answers {
        let token = guest_page(&app, &event_id, email, "fr").await;
        app.answer(&token, json!({ "answer": "yes", "questions": questions })).await.expect(StatusCode::OK);
    }
    // A "no" is not counted.
    let token = guest_page(&app, &event_id, "dan@example.org", "fr").await;
    app.answer(&token, json!({ "answer": "no", "questions": { "diet": "vegetarian" } })).await.expect(StatusCode::OK);

    let owner = crate::dashboard::sign_in_as_owner(&app).await.in_french();
    let results = owner.get(&format!("/dashboard/events/{event_id}/results")).await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.html);
    let shown = results.decoded();
    for question in app.summary(&event_id).await["questions"].as_array().unwrap() {
        assert!(shown.contains(question["label"]["fr"].as_str().unwrap()), "{shown}");
        for option in question["options"].as_array().unwrap() {
            let line = format!(
                "{}</span>\u{a0}: <strong class=\"num\">{}</strong>",
                option["label"]["fr"].as_str().unwrap(),
                option["count"]
            );
            assert!(shown.contains(&line), "{line} in {shown}");
        }
    }
    assert!(shown.contains("Végétalien</span>\u{a0}: <strong class=\"num\">2</strong>"), "{shown}");
    assert!(shown.contains("Végétarien</span>\u{a0}: <strong class=\"num\">0</strong>"), "the no is not counted");
    assert!(shown.contains("anne@example.org</strong>\u{a0}: <span dir=\"auto\" class=\"pre\">Dupont & fils</span>"));
    assert!(results.html.contains("&lt;i&gt;Je&lt;&#x2f;i&gt; serai en retard"), "escaped: {}", results.html);
}

#[tokio::test]
async fn the_csv_export_has_a_column_per_question_headed_by_its_label_in_the_exports_language() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "questions": questions() })).await;
    let token = guest_page(&app, &event_id, "anne@example.org", "fr").await;
    let csrf = app.page(&format!("/i/{token}")).await.csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("answer", "yes"),
        ("q.diet", "vegan"),
        ("q.company", "=Dupont; fils"),
        ("q.topics", "rust"),
        ("q.topics", "sql"),
        ("q.speak", "yes"),
    ];
    assert_eq!(app.submit(&format!("/i/{token}"), &fields).await.status, StatusCode::SEE_OTHER);
    let api = app.guest(&event_id, "anne@example.org").await;
    assert_eq!(api["reply"]["questions"]["topics"], json!(["rust", "sql"]));

    for (language, head, line) in [
        (
            "fr",
            "Désinscrit;Régime alimentaire;Votre entreprise;Sujets;Souhaitez-vous intervenir ?;Autre chose ?",
            "non;Végétalien;'=Dupont; fils;Rust ; SQL;oui;",
        ),
        (
            "en",
            "Unsubscribed,Dietary needs,Your company,Topics,Would you like to speak?,Anything else?",
            "no,Vegan,'=Dupont; fils,Rust ; SQL,yes,",
        ),
    ] {
        let response = reqwest::Client::new()
            .get(format!("{}/api/v1/events/{event_id}/guests.csv?language={language}", app.address))
            .bearer_auth(&app.api_key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        let mut lines = text.lines();
        assert!(lines.next().unwrap().ends_with(head), "{language}: {text}");
        // Cells holding the separator (`;` in French) are quoted, formulas defused.
        let quoted = if language == "fr" {
            line.replace("'=Dupont; fils", "\"'=Dupont; fils\"").replace("Rust ; SQL", "\"Rust ; SQL\"")
        } else {
            line.to_owned()
        };
        assert!(lines.next().unwrap().ends_with(&quoted), "{language}: {text}");
    }
}
