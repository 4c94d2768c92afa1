//! Every word in the reader's language: what the rules refuse reaches the
//! organiser's dashboard in her words (from the message catalogue), while
//! the API keeps its English sentences and adds stable codes.

use reqwest::StatusCode;
use serde_json::json;

use crate::dashboard::{Browser, sign_in_with, terminal_login_link};
use crate::helpers::{TestApp, spawn_app};

/// An event form with its end before its start.
async fn event_ending_before_it_starts(anne: &Browser<'_>) -> String {
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let starts = format!("{year}-03-12T08:30");
    let fields = [
        ("title", "Café des Victoires"),
        ("venue_name", "Café"),
        ("starts_at", starts.as_str()),
        ("ends_at", "2000-01-01T00:00"),
        ("time_zone", "Europe/Paris"),
        ("language", "fr"),
        ("capacity", "30"),
        ("companions_allowed", "1"),
        ("nudges", "P7D"),
        ("answers_close", "P2D"),
    ];
    let page = anne.submit("/dashboard/events/new", "/dashboard/events/new", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    page.decoded()
}

/// Pastes a list with a bad address and one already invited; the report.
async fn import_with_a_bad_address_and_a_duplicate(app: &TestApp, anne: &Browser<'_>) -> String {
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    app.invite(&event_id, "deja@example.org").await;
    let event_page = format!("/dashboard/events/{event_id}");
    let import = format!("/dashboard/events/{event_id}/guests/import");
    let pasted = b"Zoe <zoe@example.org>\nnope\ndeja@example.org\n";
    let page = anne.upload(&event_page, &import, &[("list", pasted, None)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let page = page.decoded();
    assert!(page.contains("id=\"import-report\""), "{page}");
    page
}

#[tokio::test]
async fn a_french_dashboard_says_what_is_wrong_in_french() {
    let app = spawn_app().await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();

    let form = event_ending_before_it_starts(&anne).await;
    assert!(form.contains("La fin doit être après le début."), "{form}");
    assert!(!form.contains("must be after"), "{form}");

    let report = import_with_a_bad_address_and_a_duplicate(&app, &anne).await;
    assert!(report.contains("«\u{a0}nope\u{a0}» n'est pas une adresse e-mail valide."), "{report}");
    assert!(report.contains("deja@example.org fait déjà partie des invités."), "{report}");
    assert!(report.contains("1 ajouté<") && report.contains("1 invalide<"), "{report}");
    for english in ["is not a valid email address", "already invited to", "email:"] {
        assert!(!report.contains(english), "{english} in {report}");
    }
}

#[tokio::test]
async fn an_english_dashboard_says_what_is_wrong_in_english() {
    let app = spawn_app().await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;

    let form = event_ending_before_it_starts(&anne).await;
    assert!(form.contains("The end must be after the start."), "{form}");

    let report = import_with_a_bad_address_and_a_duplicate(&app, &anne).await;
    assert!(report.contains("“nope” is not a valid email address."), "{report}");
    assert!(report.contains("deja@example.org is already on the guest list."), "{report}");
    assert!(!report.contains("n'est pas"), "{report}");
}

#[tokio::test]
async fn the_api_keeps_its_english_sentences_and_adds_stable_codes() {
    let app = spawn_app().await;
    let mut event = crate::helpers::cafe_des_victoires();
    event["ends_at"] = json!("2000-01-01T00:00:00Z");
    event["time_zone"] = json!("Nowhere/Atlantis");
    let error = app.post("/api/v1/events", event).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error["fields"]["time_zone"],
        "'Nowhere/Atlantis' is not an IANA time zone; use a name such as 'Europe/Paris'"
    );
    assert_eq!(
        error["field_codes"]["time_zone"],
        json!({ "code": "invalid_time_zone", "params": { "value": "Nowhere/Atlantis" } })
    );

    let mut event = crate::helpers::cafe_des_victoires();
    event["ends_at"] = json!("2000-01-01T00:00:00Z");
    let error = app.post("/api/v1/events", event).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["fields"]["ends_at"], "must be after starts_at");
    assert_eq!(error["field_codes"]["ends_at"], json!({ "code": "ends_before_start" }));
}

/// `convive organiser create` in a terminal speaking `lang`; the label of
/// the key it made, as her dashboard lists it.
async fn first_key_label(app: &TestApp, email: &str, lang: &str) -> String {
    let mut command = crate::cli::convive();
    command
        .args(["organiser", "create", "--name", "Camille", "--email", email])
        .env("CONVIVE_DATABASE_URL", app.database_url())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang);
    let created = tokio::process::Command::from(command).output().await.unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let camille = sign_in_with(app, &terminal_login_link(app, email).await).await;
    let keys = camille.get("/dashboard/keys").await;
    assert_eq!(keys.status, StatusCode::OK, "{}", keys.html);
    keys.decoded()
}

#[tokio::test]
async fn the_first_key_is_named_in_the_terminals_language() {
    let app = spawn_app().await;
    let french = first_key_label(&app, "camille@example.org", "fr_FR.UTF-8").await;
    assert!(french.contains("Clé créée à l'installation"), "{french}");
    let english = first_key_label(&app, "dave@example.org", "C.UTF-8").await;
    assert!(english.contains("Created at setup") && !english.contains("first key"), "{english}");
}

#[tokio::test]
async fn the_plan_in_french_takes_the_plural_article_for_several_nudges() {
    let app = spawn_app().await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let (starts, ends) = (format!("{year}-03-12T08:30"), format!("{year}-03-12T10:00"));
    let fields = [
        ("title", "Café des Victoires"),
        ("venue_name", "Café"),
        ("starts_at", starts.as_str()),
        ("ends_at", ends.as_str()),
        ("time_zone", "Europe/Paris"),
        ("language", "fr"),
        ("capacity", "30"),
        ("companions_allowed", "1"),
        // The usual plan: nudges seven and three days before.
        ("plan_preset", "usual"),
    ];
    let created = anne.submit("/dashboard/events/new", "/dashboard/events/new", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let page = anne.get(created.headers["location"].to_str().unwrap()).await.decoded();
    // Lower case: the sentence follows « Ce que recevront vos invités : ».
    assert!(page.contains("relances les 5 et 9 mars"), "{page}");
}
