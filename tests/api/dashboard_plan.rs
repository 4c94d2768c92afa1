//! The event form in plain choices: the reminder plan as presets or steps
//! of a number and a unit (the API keeps ISO 8601), and time zones by city
//! with their offset on the event's date.

use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::{Browser, sign_in_with, terminal_login_link};
use crate::helpers::{Page, TestApp, spawn_app};

async fn anne(app: &TestApp) -> Browser<'_> {
    sign_in_with(app, &terminal_login_link(app, "anne@example.org").await).await.in_french()
}

/// The form's fields for a breakfast on 12 March next year, with `plan`.
fn fields(plan: &[(&'static str, &'static str)]) -> Vec<(&'static str, String)> {
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let mut fields = vec![
        ("title", "Café des Victoires".to_owned()),
        ("venue_name", "Café".to_owned()),
        ("starts_at", format!("{year}-03-12T08:30")),
        ("ends_at", format!("{year}-03-12T10:00")),
        ("time_zone", "Europe/Brussels".to_owned()),
        ("language", "fr".to_owned()),
        ("companions_allowed", "0".to_owned()),
    ];
    fields.extend(plan.iter().map(|(name, value)| (*name, (*value).to_owned())));
    fields
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(name, value)| (*name, value.as_str())).collect()
}

/// Creates the event from the form and returns its plan as the API shows it.
async fn created_plan(app: &TestApp, anne: &Browser<'_>, plan: &[(&'static str, &'static str)]) -> serde_json::Value {
    let fields = fields(plan);
    let created = anne.submit("/dashboard/events/new", "/dashboard/events/new", &pairs(&fields)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let id = created.headers["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    app.get(&format!("/api/v1/events/{id}")).await.expect(StatusCode::OK)["plan"].clone()
}

/// The `<input>` or `<option>` tag that holds `marker`.
fn tag<'a>(page: &'a Page, marker: &str) -> &'a str {
    let at = page.html.find(marker).unwrap_or_else(|| panic!("no {marker} in:\n{}", page.html));
    let start = page.html[..at].rfind('<').unwrap();
    let end = at + page.html[at..].find('>').unwrap();
    &page.html[start..=end]
}

#[tokio::test]
async fn a_preset_or_her_own_steps_in_days_and_hours_become_the_plan_the_api_shows_in_iso_8601() {
    let app = spawn_app().await;
    let anne = anne(&app).await;

    // The new form offers "comme d'habitude", ticked, and no ISO 8601.
    let form = anne.get("/dashboard/events/new").await;
    assert!(tag(&form, "id=\"plan_preset-usual\"").contains("checked"), "{}", form.html);
    assert!(form.decoded().contains("Comme d'habitude"));
    assert!(!form.html.contains("P7D") && !form.html.contains("ISO"), "{}", form.html);

    let usual = created_plan(&app, &anne, &[("plan_preset", "usual"), ("nudge_maybes", "on")]).await;
    assert_eq!(usual["nudges"], json!(["P7D", "P3D"]), "{usual}");
    assert_eq!(
        (&usual["answers_close"], &usual["reminder"], &usual["follow_up"]),
        (&json!("P2D"), &json!("P1D"), &json!("PT2H"))
    );
    assert_eq!(usual["nudge_maybes"], true);

    let one = created_plan(&app, &anne, &[("plan_preset", "one_nudge")]).await;
    assert_eq!((&one["nudges"], &one["nudge_maybes"]), (&json!(["P3D"]), &json!(false)), "{one}");
    let none = created_plan(&app, &anne, &[("plan_preset", "no_nudges")]).await;
    assert_eq!((&none["nudges"], &none["reminder"]), (&json!([]), &json!("P1D")), "{none}");

    // Her own: blank rows left out, steps in days and hours, no reminder.
    let own = created_plan(
        &app,
        &anne,
        &[
            ("plan_preset", "custom"),
            ("nudge_amount_0", "10"),
            ("nudge_unit_0", "days"),
            ("nudge_amount_1", ""),
            ("nudge_unit_1", "days"),
            ("nudge_amount_2", " 36 "),
            ("nudge_unit_2", "hours"),
            ("close_amount", "12"),
            ("close_unit", "hours"),
            ("reminder_amount", ""),
            ("reminder_unit", "days"),
            ("follow_up_amount", "1"),
            ("follow_up_unit", "days"),
        ],
    )
    .await;
    assert_eq!(own["nudges"], json!(["P10D", "P1DT12H"]), "{own}");
    assert_eq!(
        (&own["answers_close"], &own["reminder"], &own["follow_up"]),
        (&json!("PT12H"), &json!(null), &json!("P1D"))
    );
}

#[tokio::test]
async fn a_step_she_typed_wrong_is_named_in_french_and_her_other_fields_are_kept() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let fields = fields(&[
        ("plan_preset", "custom"),
        ("nudge_amount_0", "7"),
        ("nudge_unit_0", "days"),
        ("nudge_amount_1", "sept"),
        ("nudge_unit_1", "days"),
        ("close_amount", ""),
        ("close_unit", "days"),
        ("reminder_amount", "400"),
        ("reminder_unit", "days"),
    ]);
    let refused = anne.submit("/dashboard/events/new", "/dashboard/events/new", &pairs(&fields)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    let text = refused.decoded();
    // Each wrong step says so where she typed it, in French, and the summary links there.
    assert!(text.contains("id=\"nudge_amount_1-error\">Indiquez un nombre entier, par exemple 7\u{a0}jours"), "{text}");
    assert!(text.contains("id=\"close_amount-error\">Indiquez un délai, par exemple 2\u{a0}jours."), "{text}");
    assert!(text.contains("id=\"reminder_amount-error\">Indiquez un nombre entier"), "{text}");
    assert!(text.contains("href=\"#nudge_amount_1\">Relance 2\u{a0}: "), "{text}");
    assert!(!text.contains("ISO") && !text.contains("is not a whole number"), "{text}");
    assert!(tag(&refused, "id=\"nudge_amount_1\"").contains("aria-invalid=\"true\""));
    // What she typed is all still there: the wrong value, the plan she chose, the rest.
    assert!(tag(&refused, "id=\"nudge_amount_1\"").contains("value=\"sept\""));
    assert!(tag(&refused, "id=\"nudge_amount_0\"").contains("value=\"7\""));
    assert!(tag(&refused, "id=\"plan_preset-custom\"").contains("checked"));
    assert!(tag(&refused, "id=\"title\"").contains("value=\"Café des Victoires\""));
    assert!(tag(&refused, "value=\"Europe&#x2f;Brussels\"").contains("selected"));
    assert_eq!(app.get("/api/v1/events").await.expect(StatusCode::OK)["events"], json!([]), "nothing saved");
}

#[tokio::test]
async fn a_plan_set_through_the_api_shows_as_its_preset_or_its_steps_and_saving_keeps_it() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let usual = app.create_event(json!({})).await;
    let page = anne.get(&format!("/dashboard/events/{}/edit", usual["id"].as_str().unwrap())).await;
    assert!(tag(&page, "id=\"plan_preset-usual\"").contains("checked"), "{}", page.html);

    let seconds = app
        .create_event(json!({ "plan": { "nudges": ["PT90M", "PT30S"], "answers_close": "PT10S", "reminder": null } }))
        .await;
    let id = seconds["id"].as_str().unwrap();
    let edit = format!("/dashboard/events/{id}/edit");
    let page = anne.get(&edit).await;
    assert!(tag(&page, "id=\"plan_preset-custom\"").contains("checked"), "{}", page.html);
    assert!(tag(&page, "id=\"nudge_amount_0\"").contains("value=\"90\""));
    assert!(page.html.contains("<option value=\"minutes\" selected>minutes</option>"), "{}", page.html);
    assert!(tag(&page, "id=\"nudge_amount_1\"").contains("value=\"30\""));
    assert!(page.html.contains("<option value=\"seconds\" selected>secondes</option>"));
    assert!(tag(&page, "id=\"reminder_amount\"").contains("value=\"\""));

    // Saved as shown, the plan is the same.
    let before = app.get(&format!("/api/v1/events/{id}")).await.expect(StatusCode::OK)["plan"].clone();
    let posted = form_values(&page.html);
    let posted: Vec<(&str, &str)> = posted.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let saved = anne.post(&edit, &posted).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let after = app.get(&format!("/api/v1/events/{id}")).await.expect(StatusCode::OK)["plan"].clone();
    assert_eq!(before, after);
}

#[tokio::test]
async fn time_zones_are_cities_common_ones_first_with_the_offset_of_the_event_date_in_her_language() {
    let app = spawn_app().await;
    let anne = anne(&app).await;
    let form = anne.get("/dashboard/events/new").await;
    let text = form.decoded();
    let paris = text.find(">Paris (UTC+").expect("Paris is offered");
    for city in
        [">Bruxelles (UTC+", ">Genève (UTC+", ">Montréal (UTC\u{2212}", ">Londres (UTC", ">New York (UTC\u{2212}"]
    {
        let at = text.find(city).unwrap_or_else(|| panic!("{city} in {text}"));
        assert!(paris < at, "Paris comes first");
    }
    // The rest, by region and by name, after the common ones.
    let europe = text.find("<optgroup label=\"Europe\">").unwrap();
    assert!(text.find(">Bruxelles").unwrap() < europe && europe < text.find(">Amsterdam (UTC+").unwrap());
    assert!(text.find(">Amsterdam").unwrap() < text.find(">Athens").unwrap());
    assert!(!text.contains(">Europe/Paris<") && !text.contains("US/Eastern"), "names, not codes");

    // On the event's date: Paris is UTC+2 in June, UTC+1 in December; in English, English names.
    let event = app.create_event(json!({ "starts_at": "2031-06-10T08:30", "ends_at": "2031-06-10T10:00" })).await;
    let edit = anne.get(&format!("/dashboard/events/{}/edit", event["id"].as_str().unwrap())).await;
    assert!(tag(&edit, ">Paris (UTC+2)").contains("selected"), "{}", edit.html);
    app.create_organiser("Bea", "bea@example.org").await;
    let english = sign_in_with(&app, &terminal_login_link(&app, "bea@example.org").await).await;
    let winter = app.create_event(json!({ "starts_at": "2031-12-10T08:30", "ends_at": "2031-12-10T10:00" })).await;
    let page = english.get(&format!("/dashboard/events/{}/edit", winter["id"].as_str().unwrap())).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "another organiser's event");
    let new = english.get("/dashboard/events/new").await.decoded();
    assert!(new.contains(">Brussels (UTC+") && new.contains(">Geneva (UTC+") && new.contains("Most used"), "{new}");
    let edit = anne.get(&format!("/dashboard/events/{}/edit", winter["id"].as_str().unwrap())).await;
    assert!(tag(&edit, ">Paris (UTC+1)").contains("selected"), "{}", edit.html);
}

/// What a browser would post from the page's event form: inputs with a
/// value, ticked boxes and radios, each select's chosen option, textareas.
fn form_values(html: &str) -> Vec<(String, String)> {
    let decode = |raw: &str| {
        raw.replace("&#x2f;", "/")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let attr = |tag: &str, name: &str| {
        let marker = format!(" {name}=\"");
        tag.find(&marker).map(|at| decode(tag[at + marker.len()..].split('"').next().unwrap()))
    };
    let form = &html[html.find("id=\"event-form\"").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let (mut values, mut select) = (Vec::new(), None);
    for piece in form.split('<').skip(1) {
        let (tag, text) = piece.split_once('>').unwrap_or((piece, ""));
        let kind = tag.split_whitespace().next().unwrap_or_default();
        match kind {
            "input" => {
                let Some(name) = attr(tag, "name") else { continue };
                let ticked = matches!(attr(tag, "type").as_deref(), Some("radio" | "checkbox"));
                if !ticked || tag.contains(" checked") {
                    values.push((name, attr(tag, "value").unwrap_or_default()));
                }
            }
            "select" => select = attr(tag, "name"),
            "option" if tag.contains(" selected") => {
                if let Some(name) = &select {
                    values.push((name.clone(), attr(tag, "value").unwrap_or_default()));
                }
            }
            "textarea" => values.push((attr(tag, "name").unwrap(), decode(text))),
            _ => {}
        }
    }
    values
}

#[tokio::test]
async fn the_venue_summary_has_its_own_step_in_plain_words_and_the_venue_contact_is_checked() {
    let app = spawn_app().await;
    let anne = anne(&app).await;

    // Offered with the reminder's time, whatever the preset.
    let form = anne.get("/dashboard/events/new").await;
    assert!(form.decoded().contains("Point pour le lieu"), "{}", form.html);
    assert!(tag(&form, "id=\"venue_summary_amount\"").contains("value=\"1\""), "{}", form.html);
    assert!(tag(&form, "id=\"venue_contact\"").contains("type=\"email\""), "{}", form.html);

    let plan = created_plan(
        &app,
        &anne,
        &[("plan_preset", "usual"), ("venue_summary_amount", "6"), ("venue_summary_unit", "hours")],
    )
    .await;
    assert_eq!((&plan["reminder"], &plan["venue_summary"]), (&json!("P1D"), &json!("PT6H")), "{plan}");
    let off = created_plan(&app, &anne, &[("plan_preset", "usual"), ("venue_summary_amount", "")]).await;
    assert_eq!(off["venue_summary"], json!(null), "blank is none: {off}");

    let mut with_contact = fields(&[("plan_preset", "usual"), ("venue_contact", "accueil@cafe-victoires.fr")]);
    let created = anne.submit("/dashboard/events/new", "/dashboard/events/new", &pairs(&with_contact)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let id = created.headers["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let event = app.get(&format!("/api/v1/events/{id}")).await.expect(StatusCode::OK);
    assert_eq!(event["venue_contact"], "accueil@cafe-victoires.fr");
    let edit = anne.get(&format!("/dashboard/events/{id}/edit")).await;
    assert!(tag(&edit, "id=\"venue_contact\"").contains("accueil@cafe-victoires.fr"), "{}", edit.html);

    with_contact.retain(|(name, _)| *name != "venue_contact");
    with_contact.push(("venue_contact", "le café du coin".to_owned()));
    let refused = anne.submit("/dashboard/events/new", "/dashboard/events/new", &pairs(&with_contact)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("id=\"venue_contact-error\""), "{}", refused.html);
    assert!(tag(&refused, "id=\"venue_contact\"").contains("le café du coin"), "her text is kept");
}
