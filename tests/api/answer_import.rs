//! Answers to questions round-trip (issue 15): given on the invitation page
//! and through the API, exported as CSV in French and in English, imported
//! into another event with the same questions through the API and the
//! dashboard, they come back the same, with the same totals; a bad cell is
//! told per row and column in the organiser's language, the rest imported.

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::dashboard::sign_in_as_owner;
use crate::helpers::{TestApp, spawn_app};

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
          "options": [ { "key": "rust", "label_en": "Rust" }, { "key": "sql", "label_en": "SQL; bases" } ] },
        { "key": "speak", "kind": "yes_no", "label_fr": "Souhaitez-vous intervenir ?", "label_en": "Would you like to speak?" },
        { "key": "note", "kind": "long_text", "label_fr": "Autre chose ?", "label_en": "Anything else?" }
    ])
}

async fn export(app: &TestApp, event_id: &str, language: &str) -> Vec<u8> {
    let response = app
        .client
        .get(format!("{}/api/v1/events/{event_id}/guests.csv?language={language}", app.address))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.bytes().await.unwrap().to_vec()
}

async fn import(app: &TestApp, event_id: &str, csv: Vec<u8>) -> Value {
    let response = app
        .client
        .post(format!("{}/api/v1/events/{event_id}/guests/import", app.address))
        .bearer_auth(&app.api_key)
        .header(CONTENT_TYPE, "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Each guest's answer as the API gives it, by address.
async fn replies(app: &TestApp, event_id: &str) -> Vec<(String, Value)> {
    let mut replies: Vec<(String, Value)> = app
        .guests(event_id)
        .await
        .into_iter()
        .map(|g| (g["email"].as_str().unwrap().to_owned(), g["reply"].clone()))
        .collect();
    replies.sort_by(|a, b| a.0.cmp(&b.0));
    replies
}

/// What the summary counts: the answers and the totals per choice.
fn totals(summary: &Value) -> Value {
    json!([summary["answered"], summary["yes"], summary["no"], summary["maybe"], summary["questions"]])
}

#[tokio::test]
async fn answers_from_the_page_and_the_api_come_back_after_an_export_and_an_import_in_either_language() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({ "questions": questions() })).await;

    // Anne answers on her invitation page.
    let (_, token) = app.invite(&event_id, "anne@example.org").await;
    let path = format!("/i/{token}");
    let csrf = app.page(&path).await.csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("answer", "yes"),
        ("companions", "1"),
        ("comment", "=1+1; \"à bientôt\""),
        ("q.diet", "vegan"),
        ("q.company", "Dupont <b>& fils</b>; Paris"),
        ("q.topics", "rust"),
        ("q.topics", "sql"),
        ("q.speak", "yes"),
        ("q.note", "Ligne un\r\n-ligne deux"),
    ];
    let answered = app.submit(&path, &fields).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.html);
    // Bob answers through the API; Carla declines; Dan has not answered.
    let (_, bob) = app.invite(&event_id, "bob@example.org").await;
    let body = json!({ "answer": "maybe", "questions": { "diet": "none", "topics": ["sql"], "speak": false } });
    app.answer(&bob, body).await.expect(StatusCode::OK);
    let (_, carla) = app.invite(&event_id, "carla@example.org").await;
    app.answer(&carla, json!({ "answer": "no", "comment": "Désolée" })).await.expect(StatusCode::OK);
    app.invite(&event_id, "dan@example.org").await;
    let original = replies(&app, &event_id).await;
    assert_eq!(original[0].1["questions"]["note"], "Ligne un\n-ligne deux", "{original:?}");
    let original_totals = totals(&app.summary(&event_id).await);

    let owner = sign_in_as_owner(&app).await;
    for language in ["fr", "en"] {
        let csv = export(&app, &event_id, language).await;

        // Through the API…
        let copy = app.create_event(json!({ "questions": questions() })).await["id"].as_str().unwrap().to_owned();
        let report = import(&app, &copy, csv.clone()).await;
        assert_eq!((report["added"].as_u64(), report["invalid"].as_u64()), (Some(4), Some(0)), "{report:#}");
        assert_eq!(report["questions"], json!({ "diet": 10, "company": 11, "topics": 12, "speak": 13, "note": 14 }));
        assert_eq!(replies(&app, &copy).await, original, "{language}");
        assert_eq!(totals(&app.summary(&copy).await), original_totals, "{language}");
        // …set by the organiser, in the history with her name.
        let history = app.get(&format!("/api/v1/events/{copy}/answers/history")).await.expect(StatusCode::OK);
        let changes = history["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 3, "{history:#}");
        assert!(changes.iter().all(|c| c["channel"] == "organiser"), "{history:#}");
        let activity = app.get(&format!("/api/v1/events/{copy}/activity")).await.expect(StatusCode::OK);
        let set: Vec<&Value> =
            activity["activity"].as_array().unwrap().iter().filter(|l| l["action"] == "answer_set").collect();
        assert_eq!(set.len(), 3, "{activity:#}");
        assert!(set.iter().all(|l| l["by"]["email"] == "anne@example.org"), "{activity:#}");

        // …and through the dashboard.
        let copy = app.create_event(json!({ "questions": questions() })).await["id"].as_str().unwrap().to_owned();
        let page = format!("/dashboard/events/{copy}");
        let shown = owner.upload(&page, &format!("{page}/guests/import"), &[("file", &csv, Some("guests.csv"))]).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
        assert_eq!(replies(&app, &copy).await, original, "{language}");
        assert_eq!(totals(&app.summary(&copy).await), original_totals, "{language}");

        // Imported again, nobody's answer changes: she is already invited.
        let again = import(&app, &copy, csv).await;
        assert_eq!(again["duplicates"].as_u64(), Some(4), "{again:#}");
        assert_eq!(replies(&app, &copy).await, original, "{language}");
    }
}

#[tokio::test]
async fn bad_answer_cells_are_told_per_row_and_column_in_her_language_and_the_rest_is_imported() {
    let app = spawn_app().await;
    let long = "x".repeat(201);
    let csv = format!(
        "E-mail;Réponse;Régime alimentaire;Votre entreprise;Sujets\r\n\
         anne@example.org;oui;Poisson;;\r\n\
         bob@example.org;peut-être;Aucun;{long};Rust\r\n\
         carla@example.org;oui;;Acme;\r\n\
         dan@example.org;non;;;\r\n\
         eve@example.org;Oui;végétalien;<b>Eve & Co</b>;\"rust ; SQL; bases\"\r\n"
    );
    let cases = [
        (
            "fr",
            [
                "«\u{a0}Régime alimentaire\u{a0}»\u{a0}: «\u{a0}Poisson\u{a0}» ne fait pas partie des choix proposés.",
                "«\u{a0}Votre entreprise\u{a0}»\u{a0}: Trop long\u{a0}: 200\u{a0}caractères au maximum.",
                "«\u{a0}Régime alimentaire\u{a0}»\u{a0}: Ce champ est obligatoire.",
            ],
        ),
        (
            "en",
            [
                "\"Dietary needs\": \"Poisson\" is not one of the choices offered.",
                "\"Your company\": Too long: 200 characters at most.",
                "\"Dietary needs\": This field is required.",
            ],
        ),
    ];
    for (language, messages) in cases {
        let event_id = app.create_event(json!({ "questions": questions() })).await["id"].as_str().unwrap().to_owned();
        let owner =
            if language == "fr" { sign_in_as_owner(&app).await.in_french() } else { sign_in_as_owner(&app).await };
        let page = format!("/dashboard/events/{event_id}");
        let shown = owner
            .upload(&page, &format!("{page}/guests/import"), &[("file", csv.as_bytes(), Some("guests.csv"))])
            .await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
        let text = shown.decoded();
        for message in messages {
            assert!(text.contains(message), "{language}: {message} in {text}");
        }
        // The rows without a problem are added, with their answers.
        let emails: Vec<String> =
            app.guests(&event_id).await.iter().map(|g| g["email"].as_str().unwrap().to_owned()).collect();
        assert_eq!(emails, ["dan@example.org", "eve@example.org"]);
        let eve = app.guest(&event_id, "eve@example.org").await;
        assert_eq!(
            eve["reply"]["questions"],
            json!({ "diet": "vegan", "company": "<b>Eve & Co</b>", "topics": ["rust", "sql"] })
        );
        assert_eq!(eve["reply"]["answer"], "yes");
    }

    // The API says the same in English, with codes, under each cell's field.
    let event_id = app.create_event(json!({ "questions": questions() })).await["id"].as_str().unwrap().to_owned();
    let report = import(&app, &event_id, csv.into_bytes()).await;
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows[0]["reasons"], json!({ "questions.diet": "'Poisson' is not one of the options" }));
    assert_eq!(rows[0]["reason_codes"]["questions.diet"]["code"], "not_an_option");
    assert_eq!(rows[1]["reasons"], json!({ "questions.company": "must be at most 200 characters (got 201)" }));
    assert_eq!(rows[2]["reasons"], json!({ "questions.diet": "must be answered" }));
    assert_eq!(rows[2]["status"], "invalid");
    assert_eq!((report["added"].as_u64(), report["invalid"].as_u64()), (Some(2), Some(3)));
}

#[tokio::test]
async fn an_answer_that_is_not_one_or_answers_without_an_answer_are_refused_by_their_column() {
    let app = spawn_app().await;
    let event_id = app.create_event(json!({ "questions": questions() })).await["id"].as_str().unwrap().to_owned();
    let csv = "Email,Answer,Companions,Dietary needs\n\
               anne@example.org,perhaps,,Vegan\n\
               bob@example.org,,2,Vegan\n\
               carla@example.org,yes,-1,Vegan\n";
    let owner = sign_in_as_owner(&app).await.in_french();
    let page = format!("/dashboard/events/{event_id}");
    let shown = owner.upload(&page, &format!("{page}/guests/import"), &[("file", csv.as_bytes(), Some("g.csv"))]).await;
    let text = shown.decoded();
    for message in [
        "Réponse\u{a0}: «\u{a0}perhaps\u{a0}» n'est pas une réponse\u{a0}: écrivez oui, non ou peut-être.",
        "Réponse\u{a0}: Ce champ est obligatoire.",
        "Accompagnants\u{a0}: Un nombre entier entre 0 et 100.",
    ] {
        assert!(text.contains(message), "{message} in {text}");
    }
    assert!(app.guests(&event_id).await.is_empty());
}
