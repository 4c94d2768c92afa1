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

#[tokio::test]
async fn she_sets_her_series_rhythm_and_the_defaults_of_its_next_dates_from_the_dashboard() {
    let app = spawn_app().await;
    let event = app.create_published_event(json!({ "capacity": 30 })).await;
    app.invite(&event, "zelie@example.org").await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();

    // From the event's page: "make it a series" picks this event as the first date.
    let page = anne.get(&format!("/dashboard/events/{event}")).await.decoded();
    assert!(page.contains("En faire une série") && page.contains("Dupliquer"), "{page}");
    let list = anne.get(&format!("/dashboard/series?first_date={event}")).await.decoded();
    assert!(list.contains(&format!("<option value=\"{event}\" selected>")), "{list}");
    let created = anne
        .submit(
            "/dashboard/series",
            "/dashboard/series",
            &[("name", "Café des Victoires"), ("first_date", &event), ("rule", "monthly")],
        )
        .await;
    let series_path = created.headers["location"].to_str().unwrap().to_owned();

    // Every rhythm, in words with the weekday of her dates.
    let settings_path = format!("{series_path}/settings");
    let form = anne.get(&settings_path).await.decoded();
    let weekday = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
        .into_iter()
        .find(|day| form.contains(&format!("Le dernier {day} de chaque mois")))
        .unwrap_or_else(|| panic!("the last weekday of the month, named: {form}"));
    assert!(form.contains(&format!("Le premier {weekday} de chaque mois")), "{form}");
    // Out of range: said in French, nothing saved.
    let refused = anne
        .submit(
            &settings_path,
            &settings_path,
            &[("name", "Café des Victoires"), ("rule", "weeks"), ("every", "40"), ("late_cancellation_hours", "24")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.decoded().contains("Un nombre entier entre 1 et 12."), "{}", refused.html);
    let saved = anne
        .submit(
            &settings_path,
            &settings_path,
            &[
                ("name", "Café des Victoires"),
                ("rule", "monthly_last"),
                ("every", "2"),
                ("late_cancellation_hours", "48"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let series_page = anne.follow(&saved).await.decoded();
    assert!(series_page.contains(&format!("Le dernier {weekday} de chaque mois")), "{series_page}");
    let series = app.get("/api/v1/series").await.expect(StatusCode::OK)["series"][0].clone();
    assert_eq!((series["rule"].as_str(), series["nth"].as_i64()), (Some("monthly_nth_weekday"), Some(-1)));
    assert_eq!(series["walk_ins_join"], false, "an unticked box is a no");
    assert_eq!(series["late_cancellation_hours"], 48);

    // The defaults of the next dates, in the event form: another café.
    let defaults_path = format!("{series_path}/defaults");
    let form = anne.get(&defaults_path).await.decoded();
    assert!(form.contains("Réglages des prochains rendez-vous") && form.contains("value=\"30\""), "{form}");
    let series_id = series["id"].as_str().unwrap();
    let current = app.get(&format!("/api/v1/series/{series_id}/defaults")).await.expect(StatusCode::OK);
    let starts = current["starts_at"]["local"].as_str().unwrap()[..16].to_owned();
    let ends = current["ends_at"]["local"].as_str().unwrap()[..16].to_owned();
    let fields = [
        ("title", "Café des Victoires"),
        ("venue_name", "Café de la Paix"),
        ("venue_address", ""),
        ("description", ""),
        ("starts_at", starts.as_str()),
        ("ends_at", ends.as_str()),
        ("time_zone", "Europe/Paris"),
        ("capacity", "40"),
        ("companions_allowed", "1"),
        ("language", "fr"),
        ("plan_preset", "usual"),
    ];
    let done = anne.submit(&defaults_path, &defaults_path, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    assert!(anne.follow(&done).await.decoded().contains("Réglages des prochains rendez-vous enregistrés."));
    let next = anne.submit(&series_path, &format!("{series_path}/dates"), &[]).await;
    let next_path = next.headers["location"].to_str().unwrap().to_owned();
    let next_id = next_path.rsplit('/').next().unwrap();
    let next_date = app.get(&format!("/api/v1/events/{next_id}")).await.expect(StatusCode::OK);
    assert_eq!(
        (next_date["venue"]["name"].as_str(), next_date["capacity"].as_u64()),
        (Some("Café de la Paix"), Some(40))
    );

    // Someone else reaches none of it.
    app.create_organiser("Bea", "bea@example.org").await;
    let bea = sign_in_with(&app, &terminal_login_link(&app, "bea@example.org").await).await;
    for path in [&settings_path, &defaults_path] {
        assert_eq!(bea.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let forged = bea.submit("/dashboard", &format!("/dashboard/events/{event}/duplicate"), &[]).await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn she_duplicates_a_date_and_makes_its_settings_the_series_defaults_from_its_page() {
    let app = spawn_app().await;
    let event = app.create_published_event(json!({ "capacity": 30 })).await;
    app.invite(&event, "zelie@example.org").await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let series = app
        .post("/api/v1/series", json!({ "name": "Café des Victoires", "first_date": event }))
        .await
        .expect(StatusCode::CREATED);
    let series_id = series["id"].as_str().unwrap();
    app.patch(&format!("/api/v1/series/{series_id}/defaults"), json!({ "capacity": 40 })).await.expect(StatusCode::OK);

    // Duplicating a date with its guests opens the copy's form to check its date.
    let copied = anne
        .submit(
            &format!("/dashboard/events/{event}"),
            &format!("/dashboard/events/{event}/duplicate"),
            &[("with_guests", "on")],
        )
        .await;
    assert_eq!(copied.status, StatusCode::SEE_OTHER);
    let edit = copied.headers["location"].to_str().unwrap().to_owned();
    assert!(edit.ends_with("/edit"), "{edit}");
    assert!(anne.follow(&copied).await.decoded().contains("Copie créée en brouillon"));
    let copy_id = edit.trim_end_matches("/edit").rsplit('/').next().unwrap();
    let guests = app.guests(copy_id).await;
    assert_eq!(guests.len(), 1);
    assert_eq!(guests[0]["email"], "zelie@example.org");

    // A date's own settings become the defaults, from its page.
    let used = anne
        .submit(&format!("/dashboard/events/{event}"), &format!("/dashboard/events/{event}/series-defaults"), &[])
        .await;
    assert_eq!(used.status, StatusCode::SEE_OTHER);
    let back = app.get(&format!("/api/v1/series/{series_id}/defaults")).await.expect(StatusCode::OK);
    assert_eq!(back["capacity"], 30);
}

#[tokio::test]
async fn she_imports_her_community_adds_someone_and_reads_a_members_history_from_the_dashboard() {
    let app = spawn_app().await;
    let event = app.create_published_event(json!({})).await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let series = app
        .post("/api/v1/series", json!({ "name": "Café des Victoires", "first_date": event }))
        .await
        .expect(StatusCode::CREATED);
    let series_id = series["id"].as_str().unwrap();
    let series_path = format!("/dashboard/series/{series_id}");

    // A spreadsheet with tags and consent, one bad row: the report says which.
    let csv = "Nom;E-mail;Étiquettes;Consentement\nLéa Petit;lea@example.org;voisins;04/03/2026\nMarc;marc@exemple;;\n";
    let page = anne
        .upload(&series_path, &format!("{series_path}/community/import"), &[("file", csv.as_bytes(), Some("c.csv"))])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.decoded();
    assert!(html.contains("id=\"import-report\"") && html.contains("marc@exemple"), "{html}");
    assert!(html.contains("Léa Petit"), "she is in the community table: {html}");
    assert!(app.guests(&event).await.iter().all(|g| g["email"] != "lea@example.org"), "importing invites nobody");
    // Without the session's token, nothing is read.
    let forged = anne.post(&format!("{series_path}/community/import"), &[("csrf", "forged")]).await;
    assert_ne!(forged.status, StatusCode::OK);

    // One person by hand; the same address again is said plainly.
    let added = anne
        .submit(&series_path, &format!("{series_path}/members"), &[("email", "paul@example.org"), ("name", "Paul")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert!(anne.follow(&added).await.decoded().contains("paul@example.org a rejoint la communauté."));
    let again = anne.submit(&series_path, &format!("{series_path}/members"), &[("email", "paul@example.org")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.decoded().contains("fait déjà partie de la communauté"), "{}", again.html);
    let bad = anne.submit(&series_path, &format!("{series_path}/members"), &[("email", "pas une adresse")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Her page: her tags, her consent, and "Remove from the community".
    let members = app.get(&format!("/api/v1/series/{series_id}/members")).await.expect(StatusCode::OK);
    let lea = members["members"].as_array().unwrap().iter().find(|m| m["email"] == "lea@example.org").unwrap();
    let lea_path = format!("{series_path}/members/{}", lea["id"].as_str().unwrap());
    let html = anne.get(&lea_path).await.decoded();
    assert!(html.contains("voisins") && html.contains("mercredi 4 mars 2026"), "{html}");
    assert!(html.contains("Pas encore sur la liste d'un rendez-vous."), "{html}");
    let left = anne.submit(&lea_path, &format!("{lea_path}/status"), &[("status", "left")]).await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert!(anne.follow(&left).await.decoded().contains("a quitté la série"));
    let reach = anne.get(&format!("/dashboard/events/{event}/invite-community")).await.decoded();
    assert!(!reach.contains("2\u{a0}personnes"), "Léa who left is not counted: {reach}");
    let back = anne.submit(&lea_path, &format!("{lea_path}/status"), &[("status", "active")]).await;
    assert!(anne.follow(&back).await.decoded().contains("fait de nouveau partie de la communauté"));

    // Someone else reaches none of it.
    app.create_organiser("Bea", "bea@example.org").await;
    let bea = sign_in_with(&app, &terminal_login_link(&app, "bea@example.org").await).await;
    assert_eq!(bea.get(&lea_path).await.status, StatusCode::NOT_FOUND);
    let refused = bea.submit("/dashboard", &format!("{series_path}/members"), &[("email", "spy@example.org")]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let refused = bea.submit("/dashboard", &format!("{lea_path}/status"), &[("status", "left")]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let refused = bea
        .upload("/dashboard", &format!("{series_path}/community/import"), &[("list", b"spy@example.org", None)])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}
