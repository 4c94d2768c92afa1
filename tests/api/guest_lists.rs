//! Guest lists in and out of spreadsheets: CSV and pasted imports with
//! their per-row report, the CSV export, and the same through the `convive`
//! binary, on the local database and on a running server.

use std::fmt::Write as _;
use std::process::Output;

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::{Value, json};

use crate::cli::convive;
use crate::dashboard::{sign_in_with, terminal_login_link};
use crate::helpers::{Reply, TestApp, spawn_app};

/// POSTs a raw body with its content type, as the first organiser.
async fn import(app: &TestApp, event_id: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Reply {
    import_as(app, &app.api_key, event_id, content_type, body).await
}

async fn import_as(
    app: &TestApp,
    key: &str,
    event_id: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> Reply {
    let response = app
        .client
        .post(format!("{}/api/v1/events/{event_id}/guests/import", app.address))
        .bearer_auth(key)
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("the app answers");
    let status = response.status();
    let text = response.text().await.unwrap();
    Reply { status, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
}

async fn event_id(app: &TestApp) -> String {
    app.create_event(json!({})).await["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_french_spreadsheet_with_semicolons_is_imported_with_a_report_per_row() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    app.invite(&event_id, "deja@example.org").await;
    let csv = "\u{feff}Prénom;Nom;Adresse e-mail;Langue\r\n\
               Anne;Martin;anne@example.org;fr\r\n\
               Bob;Roy;not-an-address;en\r\n\
               Zoé;Durand;DEJA@example.org;\r\n\
               Carla;;carla@example.org;de\r\n\
               ;;;\r\n\
               Anne;Martin bis;Anne@Example.org;fr\r\n\
               \"Dupont; Jean\";;jean@example.org;EN\r\n";

    let report = import(&app, &event_id, "text/csv", csv).await.expect(StatusCode::OK);

    assert_eq!(
        report,
        json!({
            "added": 2,
            "duplicates": 2,
            "invalid": 2,
            "encoding": "utf-8",
            "separator": ";",
            "header": true,
            "columns": { "email": 2, "name": null, "first_name": 0, "last_name": 1, "language": 3 },
            "rows": [
                { "line": 2, "email": "anne@example.org", "name": "Anne Martin", "status": "added", "reasons": {} },
                { "line": 3, "email": "not-an-address", "name": "Bob Roy", "status": "invalid",
                  "reasons": { "email": "'not-an-address' is not a valid email address" },
                  "reason_codes": { "email": { "code": "invalid_email", "params": { "value": "not-an-address" } } } },
                { "line": 4, "email": "deja@example.org", "name": "Zoé Durand", "status": "duplicate",
                  "reasons": { "email": "is already invited to this event" },
                  "reason_codes": { "email": { "code": "already_invited", "params": { "email": "deja@example.org" } } } },
                { "line": 5, "email": "carla@example.org", "name": "Carla", "status": "invalid",
                  "reasons": { "language": "'de' is not a supported language; use 'fr' or 'en'" },
                  "reason_codes": { "language": { "code": "invalid_language", "params": { "value": "de" } } } },
                { "line": 7, "email": "anne@example.org", "name": "Anne Martin bis", "status": "duplicate",
                  "reasons": { "email": "is listed earlier in this file (line 2)" },
                  "reason_codes": { "email": { "code": "listed_earlier", "params": { "line": "2" } } } },
                { "line": 8, "email": "jean@example.org", "name": "Dupont; Jean", "status": "added", "reasons": {} },
            ],
        })
    );
    let guests = app.guests(&event_id).await;
    assert_eq!(guests.len(), 3);
    let jean = app.guest(&event_id, "jean@example.org").await;
    assert_eq!(jean["language"], "en");
    assert_eq!(jean["name"], "Dupont; Jean");
}

#[tokio::test]
async fn a_file_excel_saved_as_windows_1252_keeps_its_accents() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    let report = import(&app, &event_id, "text/csv", &b"Nom,Courriel\r\nZo\xE9 Durand,zoe@example.org\r\n"[..])
        .await
        .expect(StatusCode::OK);
    assert_eq!(report["encoding"], "windows-1252");
    assert_eq!(report["added"], 1);
    assert_eq!(app.guest(&event_id, "zoe@example.org").await["name"], "Zoé Durand");
}

#[tokio::test]
async fn a_pasted_list_is_imported_line_by_line() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    let pasted =
        "Anne Martin <anne@example.org>\n\n  bob@example.org  \n\"Roy, Carla\" <carla@example.org>\nnot an address\n";

    let report = import(&app, &event_id, "text/plain; charset=utf-8", pasted).await.expect(StatusCode::OK);

    assert_eq!((report["added"].as_u64(), report["invalid"].as_u64()), (Some(3), Some(1)));
    assert_eq!(report["separator"], Value::Null);
    assert_eq!(report["columns"], Value::Null);
    let lines: Vec<(u64, &str)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, [(1, "added"), (3, "added"), (4, "added"), (5, "invalid")]);
    assert_eq!(app.guest(&event_id, "carla@example.org").await["name"], "Roy, Carla");
    assert_eq!(app.guest(&event_id, "bob@example.org").await["name"], "");
}

#[tokio::test]
async fn only_csv_and_plain_text_are_accepted() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    for content_type in ["application/json", "multipart/form-data; boundary=x", ""] {
        let error = import(&app, &event_id, content_type, "anne@example.org")
            .await
            .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(error["error"], "unsupported_media_type", "{content_type}");
        assert!(error["message"].as_str().unwrap().contains("text/csv"), "{error}");
    }
}

#[tokio::test]
async fn a_file_without_an_email_column_is_refused_with_a_reason() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    let error = import(&app, &event_id, "text/csv", "Nom;Téléphone\nAnne;0102030405\n")
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    let reason = error["fields"]["body"].as_str().unwrap();
    assert!(reason.contains("no column holds email addresses") && reason.contains("Nom, Téléphone"), "{reason}");
    let error = import(&app, &event_id, "text/plain", "\n\n").await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["fields"]["body"], "the list holds no guests");
    assert!(app.guests(&event_id).await.is_empty());
}

#[tokio::test]
async fn another_organisers_event_cannot_be_imported_into_or_exported() {
    let app = spawn_app().await;
    let other_key = app.create_organiser("Bea", "bea@example.org").await;
    let event_id = event_id(&app).await;
    let error = import_as(&app, &other_key, &event_id, "text/csv", "email\nx@example.org\n")
        .await
        .expect_error(StatusCode::NOT_FOUND);
    assert_eq!(error["error"], "not_found");
    let export = app
        .request(reqwest::Method::GET, &format!("/api/v1/events/{event_id}/guests.csv"), Some(&other_key), None)
        .await;
    export.expect_error(StatusCode::NOT_FOUND);
    let anonymous =
        app.request(reqwest::Method::GET, &format!("/api/v1/events/{event_id}/guests.csv"), None, None).await;
    anonymous.expect_error(StatusCode::UNAUTHORIZED);
    assert!(app.guests(&event_id).await.is_empty());
}

#[tokio::test]
async fn imports_may_exceed_the_general_body_limit_up_to_eight_mebibytes() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    // 300 rows with a 5 KB notes column: 1.5 MB, over the 1 MiB of other routes.
    let mut csv = String::from("email;notes\n");
    for i in 0..300 {
        writeln!(csv, "guest{i}@example.org;{}", "x".repeat(5000)).unwrap();
    }
    assert!(csv.len() > 1024 * 1024);
    let report = import(&app, &event_id, "text/csv", csv).await.expect(StatusCode::OK);
    assert_eq!(report["added"], 300);

    let too_large = format!("email\n{}", "guest@example.org\n".repeat(9 * 1024 * 1024 / 18 + 1));
    let error = import(&app, &event_id, "text/csv", too_large).await.expect_error(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error["error"], "payload_too_large");
}

#[tokio::test]
async fn the_export_opens_in_a_spreadsheet_without_running_anything() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let anne = app
        .post(
            &format!("/api/v1/events/{event_id}/guests"),
            json!({ "email": "anne@example.org", "name": "=HYPERLINK(\"http://evil.example\",\"click\")", "language": "fr" }),
        )
        .await
        .expect(StatusCode::CREATED);
    let anne_id = anne["id"].as_str().unwrap();
    app.put(
        &format!("/api/v1/events/{event_id}/guests/{anne_id}/answer"),
        json!({ "answer": "yes", "companions": 1, "comment": "Vegetarian, please\nand thanks" }),
    )
    .await
    .expect(StatusCode::OK);
    app.post(&format!("/api/v1/events/{event_id}/guests/{anne_id}/check-in"), json!({})).await.expect(StatusCode::OK);
    app.invite(&event_id, "bob@example.org").await;
    let me = app.get("/api/v1/me").await.expect(StatusCode::OK);
    let organiser_id = me["id"].as_str().unwrap().parse().unwrap();
    convive::storage::unsubscribes::add(&*app.db, organiser_id, "bob@example.org", chrono::Utc::now()).await.unwrap();
    app.post(&format!("/api/v1/events/{event_id}/walk-ins"), json!({ "name": "Carla", "email": "carla@example.org" }))
        .await
        .expect(StatusCode::CREATED);

    let response = app
        .client
        .get(format!("{}/api/v1/events/{event_id}/guests.csv", app.address))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header(CONTENT_TYPE), "text/csv; charset=utf-8");
    assert_eq!(header(CONTENT_DISPOSITION), "attachment; filename=\"cafe-des-victoires-guests.csv\"");
    assert!(header(CACHE_CONTROL).contains("no-store"));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 byte-order mark for Excel");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let records: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        records[0],
        "Name,Email,Language,Answer,Companions,Comment,Waiting list,Checked in,Walk-in,Unsubscribed"
    );
    let anne = records[1];
    let defused = "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",anne@example.org,fr,yes,1,\
                   \"Vegetarian, please\nand thanks\",,";
    assert!(anne.starts_with(defused), "{anne}");
    // When she came, at the event's place (the Café is in Paris).
    let checked_in = anne[defused.len()..].strip_suffix(",no,no").unwrap();
    let paris_now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris);
    let came = chrono::NaiveDateTime::parse_from_str(checked_in, "%Y-%m-%d %H:%M").unwrap();
    assert!((paris_now.naive_local() - came).num_minutes().abs() <= 2, "{checked_in}");
    assert_eq!(records[2], "bob@example.org,bob@example.org,,,,,,,no,yes");
    assert!(
        records[3].starts_with("Carla,carla@example.org,,,,,,20") && records[3].ends_with(",yes,no"),
        "{}",
        records[3]
    );
    assert_eq!(records.len(), 4);

    // In French, as French Excel splits it: `;`, French words, French dates.
    let french = app
        .client
        .get(format!("{}/api/v1/events/{event_id}/guests.csv?language=fr", app.address))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    let french = french.text().await.unwrap();
    let lines: Vec<&str> = french.trim_start_matches('\u{feff}').split_terminator("\r\n").collect();
    assert_eq!(
        lines[0],
        "Nom;E-mail;Langue;Réponse;Accompagnants;Commentaire;Liste d'attente;Arrivée;Sans invitation;Désinscrit"
    );
    assert!(lines[1].contains(";anne@example.org;fr;oui;1;") && lines[1].ends_with(";non;non"), "{}", lines[1]);
    assert!(lines[1].contains(&paris_now.format(";%d/%m/%Y ").to_string()), "{}", lines[1]);
    assert_eq!(lines[2], "bob@example.org;bob@example.org;;;;;;;non;oui");
    let unknown = app
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/events/{event_id}/guests.csv?language=de"),
            Some(&app.api_key),
            None,
        )
        .await;
    unknown.expect(StatusCode::UNPROCESSABLE_ENTITY);

    // What was exported comes back as it was: nobody new, every name intact.
    let report = import(&app, &event_id, "text/csv", bytes.to_vec()).await.expect(StatusCode::OK);
    assert_eq!((report["added"].as_u64(), report["duplicates"].as_u64()), (Some(0), Some(3)));
    assert_eq!(report["rows"][0]["name"], "=HYPERLINK(\"http://evil.example\",\"click\")");
}

// --- The `convive` binary ---------------------------------------------------

async fn run(command: std::process::Command) -> Output {
    // Async, so the app served by this very test keeps answering meanwhile.
    tokio::process::Command::from(command).output().await.expect("the binary runs")
}

#[track_caller]
fn succeeded(output: &Output) -> String {
    assert!(output.status.success(), "exit {}; stderr:\n{}", output.status, String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// `convive ARGS` on the app's database.
fn locally(app: &TestApp, args: &[&str]) -> std::process::Command {
    let mut command = convive();
    command.args(args).env("CONVIVE_DATABASE_URL", app.database_url());
    command
}

/// `convive ARGS` against the app's HTTP API.
fn remotely(app: &TestApp, args: &[&str]) -> std::process::Command {
    let mut command = convive();
    command.args(args).env("CONVIVE_URL", &app.address).env("CONVIVE_API_KEY", &app.api_key);
    // A local database that does not exist: the command must not need one.
    command.env("CONVIVE_DATABASE_URL", "sqlite:///nonexistent/dir/convive.db");
    command
}

/// A spreadsheet of `count` guests, `Guest 0,guest0@example.org` onwards.
fn numbered_guests(count: usize) -> String {
    let mut csv = String::from("Name,Email\n");
    for i in 0..count {
        writeln!(csv, "Guest {i},guest{i}@example.org").unwrap();
    }
    csv
}

#[tokio::test]
async fn the_terminal_imports_ten_thousand_rows_into_the_local_database() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    let folder = tempfile::tempdir().unwrap();
    let mut csv = numbered_guests(10_000);
    csv.push_str("Nobody,nobody-at-example.org\nGuest 0 again,GUEST0@example.org\n");
    let file = folder.path().join("guests.csv");
    std::fs::write(&file, csv).unwrap();

    let output = run(locally(&app, &["guests", "import", "--event", &event_id, file.to_str().unwrap()])).await;

    let stdout = succeeded(&output);
    assert!(stdout.starts_with("added: 10000\nduplicates: 1\ninvalid: 1\n"), "{stdout}");
    assert!(
        stdout.contains(
            "10002  invalid    nobody-at-example.org  email 'nobody-at-example.org' is not a valid email address"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("10003  duplicate  guest0@example.org     email is listed earlier in this file (line 2)"),
        "{stdout}"
    );
    assert_eq!(app.summary(&event_id).await["invited"], 10_000);

    // Then out again, to standard output and to a file.
    let exported = run(locally(&app, &["guests", "export", "--event", &event_id])).await;
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    assert!(exported.stdout.starts_with(b"\xEF\xBB\xBFName,Email,Language,Answer,"));
    assert_eq!(exported.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count(), 10_001);
    let copy = folder.path().join("copy.csv");
    let to_file =
        run(locally(&app, &["guests", "export", "--event", &event_id, "--output", copy.to_str().unwrap()])).await;
    assert!(succeeded(&to_file).is_empty(), "nothing on stdout when writing a file");
    assert_eq!(std::fs::read(&copy).unwrap(), exported.stdout);

    let events = succeeded(&run(locally(&app, &["events", "list"])).await);
    assert!(
        events.contains(&event_id) && events.contains("Café des Victoires") && events.contains("10000/0"),
        "{events}"
    );
}

#[tokio::test]
async fn the_terminal_reports_what_it_cannot_do_with_a_failing_exit() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    let folder = tempfile::tempdir().unwrap();
    let missing = folder.path().join("missing.csv");
    let output = run(locally(&app, &["guests", "import", "--event", &event_id, missing.to_str().unwrap()])).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));

    let no_emails = folder.path().join("phones.csv");
    std::fs::write(&no_emails, "name;phone\nAnne;0102030405\n").unwrap();
    let output = run(locally(&app, &["guests", "import", "--event", &event_id, no_emails.to_str().unwrap()])).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no column holds email addresses"));

    let unknown = uuid::Uuid::new_v4().to_string();
    let output = run(locally(&app, &["guests", "export", "--event", &unknown])).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains(&format!("no event {unknown}")));

    app.create_organiser("Bea", "bea@example.org").await;
    let output = run(locally(&app, &["events", "list"])).await;
    assert!(String::from_utf8_lossy(&output.stderr).contains("--organiser"), "two organisers: say which");
    let listed = succeeded(&run(locally(&app, &["events", "list", "--organiser", "anne@example.org"])).await);
    assert!(listed.contains(&event_id));
}

#[tokio::test]
async fn the_terminal_works_against_a_running_server_with_its_url_and_key() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    app.invite(&event_id, "deja@example.org").await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("guests.csv");
    std::fs::write(&file, "email;name\nanne@example.org;Anne\ndeja@example.org;Déjà\nnope;Nope\n").unwrap();

    let output = run(remotely(&app, &["guests", "import", "--event", &event_id, file.to_str().unwrap()])).await;

    let stdout = succeeded(&output);
    assert!(
        stdout.starts_with("added: 1\nduplicates: 1\ninvalid: 1\nread as: utf-8, separator ';', a header row\n"),
        "{stdout}"
    );
    assert!(stdout.contains("deja@example.org  email is already invited to this event"), "{stdout}");
    assert_eq!(app.guests(&event_id).await.len(), 2);

    let exported = run(remotely(&app, &["guests", "export", "--event", &event_id])).await;
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    let text = String::from_utf8(exported.stdout).unwrap();
    assert!(text.contains("\r\nAnne,anne@example.org,"), "{text}");

    let events = succeeded(&run(remotely(&app, &["events", "list"])).await);
    assert!(events.contains(&event_id) && events.contains("draft") && events.contains("2/0"), "{events}");

    // The server's refusals come back as errors with their reason.
    let mut wrong_key = remotely(&app, &["events", "list"]);
    wrong_key.env("CONVIVE_API_KEY", "cvk_wrong");
    let output = run(wrong_key).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("401"), "{}", String::from_utf8_lossy(&output.stderr));
    let unknown = uuid::Uuid::new_v4().to_string();
    let output = run(remotely(&app, &["guests", "import", "--event", &unknown, file.to_str().unwrap()])).await;
    assert!(String::from_utf8_lossy(&output.stderr).contains("404"));
    assert!(!output.status.success());
}

/// More guests than either database takes parameters in one statement
/// (32,766 on SQLite, 65,535 on PostgreSQL): the list and the export must
/// not bind one parameter per guest.
#[tokio::test]
async fn seventy_thousand_guests_are_listed_and_exported() {
    const GUESTS: usize = 70_000;
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("guests.csv");
    std::fs::write(&file, numbered_guests(GUESTS)).unwrap();
    let output = run(locally(&app, &["guests", "import", "--event", &event_id, file.to_str().unwrap()])).await;
    assert!(succeeded(&output).starts_with(&format!("added: {GUESTS}\n")));

    // A thousand at a time, each page from where the last one ended.
    let first = app.get(&format!("/api/v1/events/{event_id}/guests?limit=1000")).await.expect(StatusCode::OK);
    assert_eq!(first["guests"].as_array().unwrap().len(), 1000);
    assert_eq!(first["guests"][0]["email"], "guest0@example.org");
    assert_eq!(app.guests(&event_id).await.len(), GUESTS);
    let export = app
        .client
        .get(format!("{}/api/v1/events/{event_id}/guests.csv", app.address))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(export.text().await.unwrap().lines().count(), GUESTS + 1);

    // Her pages stay light: a hundred guests at a time with a search, and
    // the door's list shortened until she types a name.
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;
    let page = anne.get(&format!("/dashboard/events/{event_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.len() < 1_000_000, "{} bytes", page.html.len());
    assert_eq!(page.html.matches("@example.org</").count(), 100);
    assert!(page.html.contains("Page 1 of 700"), "the pager says where she is");
    let last = anne.get(&format!("/dashboard/events/{event_id}?page=700")).await;
    assert!(last.html.contains("guest69999@example.org"));
    let found = anne.get(&format!("/dashboard/events/{event_id}?q=GUEST12345%40")).await;
    assert!(found.html.contains("guest12345@example.org") && !found.html.contains("guest12346@"));
    let door = anne.get(&format!("/dashboard/events/{event_id}/check-in")).await;
    assert!(
        door.html.len() < 1_000_000 && door.html.contains("id=\"more-guests\""),
        "{} {}",
        door.status,
        &door.html[..door.html.len().min(3000)]
    );
}

/// An import is all or nothing: killed while it writes, it leaves no guest.
#[tokio::test]
async fn an_import_killed_part_way_leaves_no_guest() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("guests.csv");
    std::fs::write(&file, numbered_guests(30_000)).unwrap();
    let mut command = locally(&app, &["guests", "import", "--event", &event_id, file.to_str().unwrap()]);
    command.env("CONVIVE_LOG", "warn,convive=debug").stderr(std::process::Stdio::piped());
    let mut child = tokio::process::Command::from(command).spawn().unwrap();
    // Once rows are written (and not yet committed), the process dies.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains("import in progress") {
            break;
        }
    }
    child.kill().await.unwrap();
    assert!(app.guests(&event_id).await.is_empty(), "a killed import keeps nothing");

    // The same file, run to the end, adds everyone.
    let output = run(locally(&app, &["guests", "import", "--event", &event_id, file.to_str().unwrap()])).await;
    assert!(succeeded(&output).starts_with("added: 30000\n"));
}

#[tokio::test]
async fn a_list_longer_than_one_import_takes_is_refused_whole() {
    let app = spawn_app().await;
    let event_id = event_id(&app).await;
    let mut text = String::new();
    for i in 0..100_001 {
        writeln!(text, "g{i}@example.org").unwrap();
    }
    let body = import(&app, &event_id, "text/plain", text).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["body"].as_str().unwrap().contains("100000"), "{body}");
    assert!(app.guests(&event_id).await.is_empty());
}
