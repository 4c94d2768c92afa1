//! The question editor of the dashboard's event form: questions of every
//! kind in plain words, no key in sight, kept when reworded, mistakes told
//! next to the field in her language, and the same editor for a series'
//! defaults, which its next date asks.

use regex::Regex;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::dashboard::{Browser, sign_in_with, terminal_login_link};
use crate::helpers::{Page, TestApp, spawn_app};

async fn anne(app: &TestApp) -> Browser<'_> {
    sign_in_with(app, &terminal_login_link(app, "anne@example.org").await).await.in_french()
}

/// The event's own fields: a breakfast on 12 March next year.
fn event_fields() -> Vec<(String, String)> {
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    [
        ("title", "Café des Victoires".to_owned()),
        ("venue_name", "Café".to_owned()),
        ("starts_at", format!("{year}-03-12T08:30")),
        ("ends_at", format!("{year}-03-12T10:00")),
        ("time_zone", "Europe/Paris".to_owned()),
        ("language", "fr".to_owned()),
        ("companions_allowed", "0".to_owned()),
        ("plan_preset", "usual".to_owned()),
        ("question_editor", "on".to_owned()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// One question's fields as the editor names them.
fn question(i: usize, kind: &str, fr: &str, en: &str, required: bool, options: (&str, &str)) -> Vec<(String, String)> {
    let mut fields = vec![
        (format!("question_{i}_kind"), kind.to_owned()),
        (format!("question_{i}_label_fr"), fr.to_owned()),
        (format!("question_{i}_label_en"), en.to_owned()),
        (format!("question_{i}_options_fr"), options.0.to_owned()),
        (format!("question_{i}_options_en"), options.1.to_owned()),
    ];
    if required {
        fields.push((format!("question_{i}_required"), "on".to_owned()));
    }
    fields
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect()
}

fn unescaped(raw: &str) -> String {
    raw.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every field the page's event form would post as it stands: inputs
/// (ticked boxes only, not buttons), textareas, and selected options.
fn form_as_shown(page: &Page) -> Vec<(String, String)> {
    let html = &page.html;
    let mut fields = Vec::new();
    let attr = |tag: &str, name: &str| {
        Regex::new(&format!(r#"\b{name}="([^"]*)""#)).unwrap().captures(tag).map(|c| unescaped(&c[1]))
    };
    for input in Regex::new(r"<input\b[^>]*>").unwrap().find_iter(html) {
        let tag = input.as_str();
        let Some(name) = attr(tag, "name") else { continue };
        let kind = attr(tag, "type").unwrap_or_else(|| "text".to_owned());
        if (kind == "checkbox" || kind == "radio") && !tag.contains(" checked") {
            continue;
        }
        fields.push((name, attr(tag, "value").unwrap_or_default()));
    }
    for area in Regex::new(r#"(?s)<textarea name="([^"]+)"[^>]*>(.*?)</textarea>"#).unwrap().captures_iter(html) {
        fields.push((area[1].to_owned(), unescaped(&area[2])));
    }
    let selected = Regex::new(r#"<option value="([^"]*)"[^>]*\bselected"#).unwrap();
    for select in Regex::new(r#"(?s)<select name="([^"]+)"[^>]*>(.*?)</select>"#).unwrap().captures_iter(html) {
        if let Some(chosen) = selected.captures(&select[2]) {
            fields.push((select[1].to_owned(), unescaped(&chosen[1])));
        }
    }
    fields
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let field = fields.iter_mut().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no field {name}"));
    value.clone_into(&mut field.1);
}

/// The questions as the API gives them, without their keys.
fn without_keys(questions: &Value) -> Value {
    let mut questions = questions.clone();
    for question in questions.as_array_mut().unwrap() {
        question.as_object_mut().unwrap().remove("key");
        for option in question["options"].as_array_mut().unwrap() {
            option.as_object_mut().unwrap().remove("key");
        }
    }
    questions
}

fn keys_of(questions: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    for question in questions.as_array().unwrap() {
        keys.push(question["key"].as_str().unwrap().to_owned());
        for option in question["options"].as_array().unwrap() {
            keys.push(option["key"].as_str().unwrap().to_owned());
        }
    }
    keys
}

#[tokio::test]
async fn she_adds_a_question_of_each_kind_from_the_dashboard_and_the_event_asks_exactly_those() {
    let app = spawn_app().await;
    let anne = anne(&app).await;

    // The new form: no question yet, the kinds in plain words, no key.
    let form = anne.get("/dashboard/events/new").await;
    let shown = form.decoded();
    assert!(shown.contains("Questions aux invités") && shown.contains("Ajouter une question"), "{shown}");
    assert!(!shown.contains("question_0_kind"), "no question until she adds one");

    // "Ajouter une question" brings the form back with a blank one, nothing typed lost.
    let mut fields = event_fields();
    fields.push(("question_action".to_owned(), "add".to_owned()));
    let added = anne.submit("/dashboard/events/new", "/dashboard/events/new", &pairs(&fields)).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.html);
    let shown = added.decoded();
    for kind in ["Réponse courte", "Texte libre", "Un choix parmi plusieurs", "Plusieurs choix possibles", "Oui ou non"]
    {
        assert!(shown.contains(&format!(">{kind}</option>")), "{kind} in {shown}");
    }
    assert!(shown.contains("value=\"Café des Victoires\""), "the title is kept");
    assert!(Regex::new(r#"id="question_0_label_fr"[^>]*autofocus"#).unwrap().is_match(&shown), "{shown}");
    assert!(!shown.contains("\"kind\":"), "no JSON");

    // Five questions, one of each kind, one label left empty in each language.
    let mut fields = event_fields();
    fields.extend(question(0, "short_text", "Votre entreprise", "Your company", false, ("", "")));
    fields.extend(question(1, "long_text", "Allergies", "", false, ("", "")));
    fields.extend(question(
        2,
        "one_choice",
        "Régime alimentaire",
        "Dietary needs",
        true,
        ("Végétarien\nVégétalien\n\nAucun  ", "Vegetarian\nVegan\nNone"),
    ));
    fields.extend(question(3, "several_choices", "", "Topics", false, ("", "Rust\nSQL")));
    fields.extend(question(4, "yes_no", "Souhaitez-vous intervenir ?", "Would you like to speak?", false, ("x", "")));
    let created = anne.submit("/dashboard/events/new", "/dashboard/events/new", &pairs(&fields)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let event_path = created.headers["location"].to_str().unwrap().to_owned();
    let id = event_path.rsplit('/').next().unwrap();
    let event = app.get(&format!("/api/v1/events/{id}")).await.expect(StatusCode::OK);
    let w = |fr: &str, en: &str| json!({ "fr": fr, "en": en });
    let option = |fr: &str, en: &str| json!({ "label": w(fr, en) });
    assert_eq!(
        without_keys(&event["questions"]),
        json!([
            { "kind": "short_text", "label": w("Votre entreprise", "Your company"), "required": false, "options": [] },
            { "kind": "long_text", "label": w("Allergies", "Allergies"), "required": false, "options": [] },
            { "kind": "one_choice", "label": w("Régime alimentaire", "Dietary needs"), "required": true,
              "options": [option("Végétarien", "Vegetarian"), option("Végétalien", "Vegan"), option("Aucun", "None")] },
            { "kind": "several_choices", "label": w("Topics", "Topics"), "required": false,
              "options": [option("Rust", "Rust"), option("SQL", "SQL")] },
            { "kind": "yes_no", "label": w("Souhaitez-vous intervenir ?", "Would you like to speak?"), "required": false, "options": [] },
        ])
    );
    let keys = keys_of(&event["questions"]);
    let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "every key its own: {keys:?}");

    // Her event's page lists them, with a way to change them; her form shows no key.
    let page = anne.follow(&created).await.decoded();
    assert!(page.contains("Questions posées aux invités") && page.contains("Régime alimentaire"), "{page}");
    assert!(
        page.contains("Un choix parmi plusieurs\u{a0}: <span dir=\"auto\">Végétarien, Végétalien, Aucun</span>"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"{event_path}/edit#questions\"")), "{page}");
    let edit = anne.get(&format!("{event_path}/edit")).await;
    let visible = Regex::new(r#"<input type="hidden"[^>]*>"#).unwrap().replace_all(&edit.html, "");
    for key in &keys {
        assert!(!visible.contains(key.as_str()), "{key} is shown");
    }
}

#[tokio::test]
async fn rewording_or_moving_questions_and_choices_keeps_their_keys_and_the_answers_given() {
    let app = spawn_app().await;
    let event_id = app
        .create_published_event(json!({ "questions": [
            { "key": "diet", "kind": "one_choice", "label_fr": "Régime", "label_en": "Diet", "required": true,
              "options": [ { "key": "veg", "label_fr": "Végétarien", "label_en": "Vegetarian" },
                           { "key": "vegan", "label_fr": "Végétalien", "label_en": "Vegan" } ] },
            { "key": "company", "kind": "short_text", "label_fr": "Entreprise", "label_en": "Company" }
        ] }))
        .await;
    let (guest_id, token) = app.invite(&event_id, "zoe@example.org").await;
    let given = json!({ "diet": "vegan", "company": "Dupont & fils" });
    app.answer(&token, json!({ "answer": "yes", "questions": given })).await.expect(StatusCode::OK);
    let anne = anne(&app).await;
    let edit_path = format!("/dashboard/events/{event_id}/edit");

    // Her form says who already answered, and what removing would do.
    let form = anne.get(&edit_path).await;
    let shown = form.decoded();
    assert!(shown.contains("1\u{a0}invité a déjà répondu à cette question."), "{shown}");
    assert!(shown.contains("n'apparaîtront plus dans les résultats ni dans l'export"), "{shown}");

    // She moves the company up, rewords both questions and a choice, and adds one.
    let mut fields = form_as_shown(&form);
    fields.retain(|(name, _)| name != "csrf");
    fields.push(("question_action".to_owned(), "down_0".to_owned()));
    let moved = anne.submit(&edit_path, &edit_path, &pairs(&fields)).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.html);
    let mut fields = form_as_shown(&moved);
    fields.retain(|(name, _)| name != "csrf");
    assert_eq!(fields.iter().find(|(n, _)| n == "question_0_label_fr").unwrap().1, "Entreprise", "moved");
    set(&mut fields, "question_0_label_fr", "Votre entreprise");
    set(&mut fields, "question_1_label_fr", "Régime alimentaire");
    set(&mut fields, "question_1_options_fr", "Végétarien\nVégétalien strict\nSans gluten");
    set(&mut fields, "question_1_options_en", "Vegetarian\nStrict vegan\nGluten-free");
    let saved = anne.submit(&edit_path, &edit_path, &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);

    let event = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    let questions = &event["questions"];
    assert_eq!((questions[0]["key"].as_str(), questions[1]["key"].as_str()), (Some("company"), Some("diet")));
    assert_eq!(questions[0]["label"], json!({ "fr": "Votre entreprise", "en": "Company" }));
    let options = &questions[1]["options"];
    assert_eq!(options[1]["label"], json!({ "fr": "Végétalien strict", "en": "Strict vegan" }));
    assert_eq!(
        (options[0]["key"].as_str(), options[1]["key"].as_str()),
        (Some("veg"), Some("vegan")),
        "the vegan line, reworded in its place, keeps its key: {options}"
    );
    let new_key = options[2]["key"].as_str().unwrap();
    assert!(!["veg", "vegan"].contains(&new_key), "{options}");
    // Her answers stand, and count under the new wording.
    assert_eq!(app.guest(&event_id, "zoe@example.org").await["reply"]["questions"], given);
    let results = anne.get(&format!("/dashboard/events/{event_id}/results")).await.decoded();
    assert!(results.contains("Végétalien strict"), "{results}");

    // Saved with a change that asks first (a new title): the confirmation carries her questions.
    let mut fields = form_as_shown(&anne.get(&edit_path).await);
    fields.retain(|(name, _)| name != "csrf");
    set(&mut fields, "title", "Café des Victoires, nouvelle formule");
    set(&mut fields, "question_0_label_en", "Your company");
    let asked = anne.submit(&edit_path, &edit_path, &pairs(&fields)).await;
    assert!(asked.status == StatusCode::OK && asked.html.contains("id=\"confirm-form\""), "{}", asked.html);
    let mut confirmed = form_as_shown(&asked);
    confirmed.retain(|(name, _)| name != "csrf");
    confirmed.push(("step".to_owned(), "confirm".to_owned()));
    let saved = anne.submit(&edit_path, &edit_path, &pairs(&confirmed)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let after = app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK);
    assert_eq!(after["title"], "Café des Victoires, nouvelle formule");
    assert_eq!(after["questions"][0]["label"], json!({ "fr": "Votre entreprise", "en": "Your company" }));
    assert_eq!(keys_of(&after["questions"]), keys_of(&event["questions"]), "{after}");
    assert_eq!(after["questions"][1], event["questions"][1], "the required choice, as it was");

    // She removes the question Zoé answered: an answer set later without
    // touching the questions is not refused for it, and leaves it out.
    let mut fields = form_as_shown(&anne.get(&edit_path).await);
    fields.retain(|(name, _)| name != "csrf");
    fields.push(("question_action".to_owned(), "remove_0".to_owned()));
    let removed = anne.submit(&edit_path, &edit_path, &pairs(&fields)).await;
    let mut fields = form_as_shown(&removed);
    fields.retain(|(name, _)| name != "csrf");
    let saved = anne.submit(&edit_path, &edit_path, &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let answer = format!("/api/v1/events/{event_id}/guests/{guest_id}/answer");
    let set = app.put(&answer, json!({ "answer": "yes", "companions": 0 })).await.expect(StatusCode::OK);
    assert_eq!(set["reply"]["questions"], json!({ "diet": "vegan" }), "{set}");
}

#[tokio::test]
async fn a_mistake_in_a_question_is_told_next_to_it_in_her_language_and_nothing_typed_is_lost() {
    let app = spawn_app().await;
    app.create_organiser("Bea", "bea@example.org").await;
    let french = anne(&app).await;
    let english = sign_in_with(&app, &terminal_login_link(&app, "bea@example.org").await).await;
    for (browser, no_choices, no_label, summary) in [
        (
            &french,
            "Proposez au moins 2\u{a0}choix, un par ligne.",
            "Donnez un intitulé, en français ou en anglais.",
            "Question 1\u{a0}: ",
        ),
        (&english, "Offer at least 2 choices, one per line.", "Give a label, in French or in English.", "Question 1: "),
    ] {
        let mut fields = event_fields();
        fields.extend(question(0, "one_choice", "Régime", "Diet", true, ("Végétarien", "")));
        fields.extend(question(1, "short_text", "", "", false, ("", "")));
        fields.extend(question(2, "several_choices", "Ateliers", "", false, ("", "")));
        let refused = browser.submit("/dashboard/events/new", "/dashboard/events/new", &pairs(&fields)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        let shown = refused.decoded();
        let error = |name: &str| {
            let found = Regex::new(&format!(r#"<p class="field-error" id="{name}-error">([^<]*)</p>"#)).unwrap();
            found.captures(&shown).map_or_else(|| panic!("no error by {name}: {shown}"), |c| c[1].to_owned())
        };
        assert_eq!(error("question_0_options_fr"), no_choices);
        assert_eq!(error("question_1_label_fr"), no_label);
        assert_eq!(error("question_2_options_fr"), no_choices);
        assert!(shown.contains(&format!("href=\"#question_0_options_fr\">{summary}{no_choices}")), "{shown}");
        assert!(shown.contains(r#"id="question_1_label_fr" value="" lang="fr" maxlength="200" aria-invalid="true""#));
        // What she typed comes back as she typed it.
        let kept = form_as_shown(&refused);
        for (name, value) in [
            ("title", "Café des Victoires"),
            ("question_0_kind", "one_choice"),
            ("question_0_label_fr", "Régime"),
            ("question_0_label_en", "Diet"),
            ("question_0_required", "on"),
            ("question_0_options_fr", "Végétarien"),
            ("question_2_kind", "several_choices"),
            ("question_2_label_fr", "Ateliers"),
        ] {
            assert!(kept.iter().any(|(n, v)| n == name && v == value), "{name}={value} kept: {kept:?}");
        }
    }
    assert!(app.get("/api/v1/events").await.expect(StatusCode::OK)["events"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_series_defaults_editor_gives_the_next_date_of_the_series_its_questions() {
    let app = spawn_app().await;
    let event = app.create_published_event(json!({})).await;
    let anne = anne(&app).await;
    let created = anne
        .submit(
            "/dashboard/series",
            "/dashboard/series",
            &[("name", "Café des Victoires"), ("first_date", &event), ("rule", "monthly")],
        )
        .await;
    let series_path = created.headers["location"].to_str().unwrap().to_owned();
    let defaults_path = format!("{series_path}/defaults");

    // The same editor: add a question, then save it with the defaults.
    let form = anne.get(&defaults_path).await;
    assert!(form.decoded().contains("Ajouter une question"), "{}", form.html);
    let mut fields = form_as_shown(&form);
    fields.retain(|(name, _)| name != "csrf");
    fields.push(("question_action".to_owned(), "add".to_owned()));
    let added = anne.submit(&defaults_path, &defaults_path, &pairs(&fields)).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.html);
    assert!(added.decoded().contains("Réglages des prochains rendez-vous"), "still the defaults' form");
    let mut fields = form_as_shown(&added);
    fields.retain(|(name, _)| name != "csrf");
    set(&mut fields, "question_0_kind", "yes_no");
    set(&mut fields, "question_0_label_fr", "Restez-vous déjeuner ?");
    let saved = anne.submit(&defaults_path, &defaults_path, &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);

    let next = anne.submit(&series_path, &format!("{series_path}/dates"), &[]).await;
    let next_id = next.headers["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let next_date = app.get(&format!("/api/v1/events/{next_id}")).await.expect(StatusCode::OK);
    assert_eq!(
        without_keys(&next_date["questions"]),
        json!([{ "kind": "yes_no", "label": { "fr": "Restez-vous déjeuner ?", "en": "Restez-vous déjeuner ?" },
                 "required": false, "options": [] }])
    );
    // And the form shows it again, to change.
    let again = anne.get(&defaults_path).await.decoded();
    assert!(again.contains("value=\"Restez-vous déjeuner ?\""), "{again}");
}
