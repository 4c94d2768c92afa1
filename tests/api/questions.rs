//! Questions for guests (issue 15): set on an event through the API,
//! answered by guests and by the organiser, checked with coded problems,
//! kept in the history and totalled per choice over those who come.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn breakfast_questions() -> Value {
    json!([
        { "key": "diet", "kind": "one_choice", "required": true,
          "label_fr": "Régime alimentaire", "label_en": "Dietary needs",
          "options": [
              { "key": "vegetarian", "label_fr": "Végétarien", "label_en": "Vegetarian" },
              { "key": "vegan", "label_fr": "Végétalien", "label_en": "Vegan" },
              { "key": "none", "label_fr": "Aucun", "label_en": "None" }
          ] },
        { "key": "company", "kind": "short_text", "label_fr": "Votre entreprise" },
        { "kind": "several_choices", "label_en": "Topics",
          "options": [ { "label_en": "Rust" }, { "label_en": "SQL" } ] },
        { "key": "speak", "kind": "yes_no", "label_fr": "Souhaitez-vous intervenir ?", "label_en": "Would you like to speak?" }
    ])
}

async fn refused(app: &TestApp, token: &str, body: Value, field: &str) -> Value {
    let error = app.answer(token, body).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    error["field_codes"][field].clone()
}

#[tokio::test]
async fn guests_answer_the_questions_of_an_event_checked_kept_in_history_and_totalled() {
    let app = spawn_app().await;
    let event = app.create_event(json!({ "questions": breakfast_questions() })).await;
    let event_id = event["id"].as_str().unwrap().to_owned();
    let questions = &event["questions"];
    assert_eq!(questions[0]["options"][1], json!({ "key": "vegan", "label": { "fr": "Végétalien", "en": "Vegan" } }));
    // Left out, a key is numbered; a label in one language serves both.
    assert_eq!(questions[2]["key"], "q3");
    assert_eq!(questions[2]["options"][1], json!({ "key": "o2", "label": { "fr": "SQL", "en": "SQL" } }));
    assert_eq!(questions[1]["label"]["en"], "Votre entreprise");
    app.post(&format!("/api/v1/events/{event_id}/publish"), json!({})).await.expect(StatusCode::OK);
    let (_, anne) = app.invite(&event_id, "anne@example.org").await;
    let (_, bob) = app.invite(&event_id, "bob@example.org").await;
    let (carla_id, carla) = app.invite(&event_id, "carla@example.org").await;

    // Her invitation shows the questions in both languages.
    let invitation = app.get(&format!("/api/v1/invitations/{anne}")).await.expect(StatusCode::OK);
    assert_eq!(invitation["event"]["questions"][3]["label"]["fr"], "Souhaitez-vous intervenir ?");

    // Each kind refuses what it does not offer, with a code and its value.
    let missing = refused(&app, &anne, json!({ "answer": "yes" }), "questions.diet").await;
    assert_eq!(missing["code"], "required");
    let maybe = refused(&app, &anne, json!({ "answer": "maybe", "questions": { "diet": "" } }), "questions.diet").await;
    assert_eq!(maybe["code"], "required");
    let fish =
        refused(&app, &anne, json!({ "answer": "yes", "questions": { "diet": "fish" } }), "questions.diet").await;
    assert_eq!(fish, json!({ "code": "not_an_option", "params": { "value": "fish" } }));
    let two = json!({ "answer": "yes", "questions": { "diet": ["vegan", "none"] } });
    assert_eq!(refused(&app, &anne, two, "questions.diet").await["code"], "one_choice_only");
    let long = json!({ "answer": "yes", "questions": { "diet": "none", "company": "x".repeat(201) } });
    assert_eq!(
        refused(&app, &anne, long, "questions.company").await,
        json!({ "code": "too_long", "params": { "max": "200" } })
    );
    let perhaps = json!({ "answer": "yes", "questions": { "diet": "none", "speak": "perhaps" } });
    assert_eq!(refused(&app, &anne, perhaps, "questions.speak").await["code"], "yes_or_no");
    let stranger = json!({ "answer": "yes", "questions": { "diet": "none", "shoe_size": "38" } });
    assert_eq!(refused(&app, &anne, stranger, "questions.shoe_size").await["code"], "unknown_question");
    assert!(app.guest(&event_id, "anne@example.org").await["reply"].is_null(), "a refused answer records nothing");

    // Answers come back normal: trimmed, options in their order.
    let given = json!({ "answer": "yes", "companions": 1, "questions": {
        "diet": "vegetarian", "company": "  Acme  ", "q3": ["o2", "o1"], "speak": true } });
    let answered = app.answer(&anne, given).await.expect(StatusCode::OK);
    let expected = json!({ "diet": "vegetarian", "company": "Acme", "q3": ["o1", "o2"], "speak": true });
    assert_eq!(answered["reply"]["questions"], expected);
    app.answer(&bob, json!({ "answer": "yes", "questions": { "diet": "vegetarian", "speak": false } }))
        .await
        .expect(StatusCode::OK);
    // A "no" is asked nothing more.
    app.answer(&carla, json!({ "answer": "no" })).await.expect(StatusCode::OK);
    // Without `questions`, a change of answer keeps hers.
    let again = app.answer(&anne, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    assert_eq!(again["reply"]["questions"], expected);

    // The organiser types what she knows (a phone call): no question binds her, options still do.
    let path = format!("/api/v1/events/{event_id}/guests/{carla_id}/answer");
    let wrong = app.put(&path, json!({ "answer": "yes", "questions": { "diet": "fish" } })).await;
    assert_eq!(
        wrong.expect_error(StatusCode::UNPROCESSABLE_ENTITY)["field_codes"]["questions.diet"]["code"],
        "not_an_option"
    );
    app.put(&path, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    let carla_now =
        app.put(&path, json!({ "answer": "yes", "questions": { "diet": "vegan" } })).await.expect(StatusCode::OK);
    assert_eq!(carla_now["reply"]["questions"], json!({ "diet": "vegan" }));
    assert_eq!(app.guest(&event_id, "anne@example.org").await["reply"]["questions"], expected);

    // Totals count each seated guest once per choice.
    let summary = app.summary(&event_id).await;
    let totals: Vec<(String, Vec<(String, u64)>)> = summary["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let options = q["options"].as_array().unwrap();
            (
                q["key"].as_str().unwrap().to_owned(),
                options.iter().map(|o| (o["key"].as_str().unwrap().to_owned(), o["count"].as_u64().unwrap())).collect(),
            )
        })
        .collect();
    let pairs = |list: &[(&str, u64)]| list.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect::<Vec<_>>();
    assert_eq!(
        totals,
        vec![
            ("diet".to_owned(), pairs(&[("vegetarian", 2), ("vegan", 1), ("none", 0)])),
            ("q3".to_owned(), pairs(&[("o1", 1), ("o2", 1)])),
            ("speak".to_owned(), pairs(&[("yes", 1), ("no", 1)])),
        ]
    );
    assert_eq!(summary["questions"][0]["options"][0]["label"]["fr"], "Végétarien");

    // The history keeps what she answered each time.
    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    let carla_changes: Vec<&Value> =
        history["changes"].as_array().unwrap().iter().filter(|c| c["guest_id"] == carla_id.as_str()).collect();
    let carla_questions: Vec<&Value> = carla_changes.iter().map(|c| &c["reply"]["questions"]).collect();
    assert_eq!(carla_questions, vec![&json!({}), &json!({}), &json!({ "diet": "vegan" })]);

    // Relabelled with its keys given back, a question keeps its answers.
    let mut renamed = breakfast_questions();
    renamed[0]["label_fr"] = json!("Régime");
    let patched =
        app.patch(&format!("/api/v1/events/{event_id}"), json!({ "questions": renamed })).await.expect(StatusCode::OK);
    assert_eq!(patched["questions"][0]["label"]["fr"], "Régime");
    assert_eq!(app.summary(&event_id).await["questions"][0]["options"][0]["count"], 2);
    // Other changes keep the questions.
    let retitled = app
        .patch(&format!("/api/v1/events/{event_id}"), json!({ "title": "Petit-déjeuner" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(retitled["questions"], patched["questions"]);
}

#[tokio::test]
async fn bad_questions_are_refused_with_the_place_of_each_problem() {
    let app = spawn_app().await;
    let questions = json!([
        { "key": "diet", "kind": "one_choice", "label_fr": "Régime", "options": [ { "label_fr": "Seul" } ] },
        { "key": "diet", "kind": "essay", "label_fr": "" },
        { "key": "Shoe Size", "kind": "short_text", "label_en": "Shoe size" },
        { "kind": "several_choices", "label_fr": "Ateliers", "options": [ { "key": "a", "label_fr": "A" }, { "key": "a", "label_fr": "B" } ] }
    ]);
    let mut body = crate::helpers::cafe_des_victoires();
    crate::helpers::merge(&mut body, json!({ "questions": questions }));
    let error = app.post("/api/v1/events", body).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<(String, String)> = error["field_codes"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(field, coded)| (field.clone(), coded["code"].as_str().unwrap().to_owned()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("questions.0.options", "too_few_options"),
        ("questions.1.key", "duplicate_key"),
        ("questions.1.kind", "invalid_question_kind"),
        ("questions.1.label", "required"),
        ("questions.2.key", "invalid_key"),
        ("questions.3.options.1", "duplicate_key"),
    ]
    .iter()
    .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(codes, expected, "{error:#}");
    assert_eq!(error["fields"]["questions.0.options"], "a choice needs at least 2 options");
}
