//! Each guest's data in her hands: "my data" gives her everything held about
//! her address at one organiser, "forget me" erases it. Checked in the
//! database itself: after erasure her address, name and words appear in no
//! column of any table (listed from the schema, on either backend), the
//! counts stand, and nothing more is sent to her.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{ON_DEMAND, TestApp, backend_is_postgres, send_mail_to, spawn_app_with_parts};
use crate::mailbox::MailServer;
use crate::webhooks::{Receiver, reach_local_receivers, register};
use convive::clock::Clock;

const HER: &str = "sophie.kerbrat@example.org";
const HER_NAME: &str = "Sophie Kerbrat";
const HER_COMMENT: &str = "Allergique aux noix";

/// Every (table, column) of the schema, read from the database's catalogue.
async fn columns(app: &TestApp) -> Vec<(String, String)> {
    let backend = app.db.get_database_backend();
    let sql = if backend_is_postgres() {
        "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
         WHERE table_schema = 'public' ORDER BY 1, 2"
    } else {
        "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' ORDER BY 1, 2"
    };
    let rows = app.db.query_all_raw(Statement::from_string(backend, sql.to_owned())).await.unwrap();
    rows.iter().map(|r| (r.try_get::<String>("", "t").unwrap(), r.try_get::<String>("", "c").unwrap())).collect()
}

/// Where `needle` appears (case aside) in any column of any table, as text.
async fn places_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let columns = columns(app).await;
    assert!(columns.len() > 100, "the catalogue lists the schema: {columns:?}");
    let mut found = Vec::new();
    for (table, column) in columns {
        let cast =
            if backend_is_postgres() { format!("\"{column}\"::text") } else { format!("CAST(\"{column}\" AS TEXT)") };
        let sql = format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE LOWER({cast}) LIKE LOWER($1)");
        let sql = if backend_is_postgres() { sql } else { sql.replace("$1", "?") };
        let row = app
            .db
            .query_one_raw(Statement::from_sql_and_values(backend, sql, [format!("%{needle}%").into()]))
            .await
            .unwrap()
            .unwrap();
        if row.try_get::<i64>("", "n").unwrap() > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

async fn her_traces(app: &TestApp) -> Vec<String> {
    let mut found = Vec::new();
    for needle in [HER, HER_NAME, HER_COMMENT] {
        found.extend(places_holding(app, needle).await.into_iter().map(|place| format!("{needle}: {place}")));
    }
    found
}

struct Scene {
    app: TestApp,
    mail: MailServer,
    receiver: Receiver,
    endpoint: String,
    events: [String; 2],
    token: String,
    guest: String,
}

/// Anne's two breakfasts: Sophie is invited to both, answers, comments and
/// is checked in at the first; the invitation to the second is still
/// queued; a webhook receiver heard it all; Marc is invited too.
async fn scene() -> Scene {
    let mail = MailServer::start().await;
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |settings| {
        reach_local_receivers(settings);
        send_mail_to(settings, &mail);
    })
    .await;
    let receiver = Receiver::start().await;
    let endpoint = register(&app, &receiver, &[]).await;
    let first = app.create_published_event(json!({ "capacity": 10 })).await;
    let (guest, token) = invite(&app, &first, HER, HER_NAME).await;
    invite(&app, &first, "marc@example.org", "Marc Lefèvre").await;
    app.answer(&token, json!({ "answer": "yes", "companions": 1, "comment": HER_COMMENT }))
        .await
        .expect(StatusCode::OK);
    app.post(&format!("/api/v1/events/{first}/guests/{guest}/check-in"), json!({})).await.expect(StatusCode::OK);
    app.dispatch_all_pending_emails().await;
    app.dispatch_webhooks_at(Utc::now()).await;
    // Invited to the second after the dispatch: her invitation waits in the queue.
    let january = Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 2;
    let second = app
        .create_published_event(json!({
            "title": "Café des Victoires, janvier",
            "starts_at": format!("{january}-01-14T08:30"),
            "ends_at": format!("{january}-01-14T10:00"),
        }))
        .await;
    invite(&app, &second, HER, HER_NAME).await;
    Scene { app, mail, receiver, endpoint, events: [first, second], token, guest }
}

async fn invite(app: &TestApp, event: &str, email: &str, name: &str) -> (String, String) {
    let guest = app
        .post(&format!("/api/v1/events/{event}/guests"), json!({ "email": email, "name": name }))
        .await
        .expect(StatusCode::CREATED);
    (guest["id"].as_str().unwrap().to_owned(), guest["invitation_token"].as_str().unwrap().to_owned())
}

async fn summaries(app: &TestApp, events: &[String; 2]) -> Vec<Value> {
    let mut all = Vec::new();
    for event in events {
        let mut summary = app.summary(event).await;
        summary.as_object_mut().unwrap().remove("generated_at");
        all.push(summary);
    }
    all
}

fn sent_to_her(mail: &MailServer) -> usize {
    mail.messages().iter().filter(|m| m.recipient() == HER).count()
}

#[tokio::test]
async fn my_data_holds_everything_about_her_at_this_organiser_and_nothing_else() {
    let scene = scene().await;
    let app = &scene.app;
    let data = app
        .request(Method::GET, &format!("/api/v1/invitations/{}/data", scene.token), None, None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(data["email"], HER);
    let invitations = data["invitations"].as_array().unwrap();
    assert_eq!(invitations.len(), 2, "{data:#}");
    let first = invitations.iter().find(|i| i["event"]["id"] == scene.events[0].as_str()).unwrap();
    assert_eq!(first["name"], HER_NAME);
    assert_eq!((first["answer"].clone(), first["comment"].clone()), (json!("yes"), json!(HER_COMMENT)));
    assert!(first["checked_in_at"].is_string());
    assert_eq!(first["answer_history"][0]["comment"], HER_COMMENT);
    assert!(first["emails"].as_array().unwrap().iter().any(|m| m["kind"] == "invitation" && m["status"] == "sent"));
    let text = data.to_string();
    assert!(!text.contains("marc@example.org") && !text.contains(&scene.token), "only hers, and no token: {data:#}");

    // The same file from her page, and for her organiser.
    let page = app.page(&format!("/i/{}", scene.token)).await;
    assert!(page.decoded().contains(&format!("/i/{}/data.json", scene.token)), "her page links to her data");
    let file = app.page(&format!("/i/{}/data.json", scene.token)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let from_file: Value = serde_json::from_str(&file.html).unwrap();
    assert_eq!(from_file["invitations"], data["invitations"]);
    let for_organiser = app
        .get(&format!("/api/v1/events/{}/guests/{}/data", scene.events[0], scene.guest))
        .await
        .expect(StatusCode::OK);
    assert_eq!(for_organiser["invitations"], data["invitations"]);
}

#[tokio::test]
async fn after_forget_me_she_is_nowhere_in_the_database_the_counts_stand_and_nothing_more_reaches_her() {
    let scene = scene().await;
    let app = &scene.app;
    assert!(!her_traces(app).await.is_empty(), "the check finds her before");
    let before = summaries(app, &scene.events).await;
    let mails_before = sent_to_her(&scene.mail);
    assert!(mails_before > 0);
    let hooks_before = scene.receiver.received().len();

    // From her page: the confirmation, then the erasure.
    let confirm = app.page(&format!("/i/{}/forget", scene.token)).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.decoded().contains("Effacer tout ce que Anne Organiser garde de vous"), "{}", confirm.html);
    let done = app.submit(&format!("/i/{}/forget", scene.token), &[("csrf", &confirm.csrf())]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.html);
    assert!(done.html.contains("id=\"confirmation\""), "{}", done.html);

    let traces = her_traces(app).await;
    assert!(traces.is_empty(), "she is still in the database: {traces:#?}");
    assert_eq!(summaries(app, &scene.events).await, before, "the counts stand");
    assert_eq!(app.guest(&scene.events[0], "marc@example.org").await["name"], "Marc Lefèvre", "others stay");
    assert_eq!(app.page(&format!("/i/{}", scene.token)).await.status, StatusCode::NOT_FOUND, "her link is dead");

    // Nothing queued for her leaves, now or when reminders fall due.
    let far = Utc::now() + Duration::days(400);
    app.run_due_work_at(far).await;
    app.dispatch_webhooks_at(far).await;
    assert_eq!(sent_to_her(&scene.mail), mails_before, "no email reached her after the erasure");
    let to_no_one: Vec<String> = scene
        .mail
        .messages()
        .iter()
        .map(|m| m.recipient().to_owned())
        .filter(|r| r.ends_with("@erased.invalid"))
        .collect();
    assert!(to_no_one.is_empty(), "reminders went to the erased rows: {to_no_one:?}");
    let later = &scene.receiver.received()[hooks_before..];
    assert!(later.iter().all(|r| !r.to_string().contains(HER)), "nothing about her went out either: {later:#?}");
    // What was logged lost its payload.
    let log = app.get(&format!("/api/v1/webhooks/{}/deliveries", scene.endpoint)).await.expect(StatusCode::OK);
    assert!(!log.to_string().contains(HER), "{log:#}");
    assert_eq!(erasures(app).await, vec!["guest".to_owned()], "that it happened is recorded, and when");
}

async fn erasures(app: &TestApp) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let sql = "SELECT cause, erased_at FROM erasures".to_owned();
    let rows = app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
    rows.iter().map(|r| r.try_get::<String>("", "cause").unwrap()).collect()
}

#[tokio::test]
async fn her_organiser_can_erase_her_too_unsubscribe_included() {
    let scene = scene().await;
    let app = &scene.app;
    let leaving = app
        .client
        .post(format!("{}/unsubscribe/{}", app.address, app.unsubscribe_token(scene.guest.parse().unwrap())))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(leaving.status(), StatusCode::OK);
    app.dispatch_webhooks_at(Utc::now()).await;
    let before = summaries(app, &scene.events).await;
    let path = format!("/api/v1/events/{}/guests/{}/erase", scene.events[0], scene.guest);
    app.post(&path, json!({ "confirm": false })).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    let erased = app.post(&path, json!({ "confirm": true })).await.expect(StatusCode::OK);
    assert_eq!(erased["guests"], 2, "both of her invitations");
    let traces = her_traces(app).await;
    assert!(traces.is_empty(), "she is still in the database: {traces:#?}");
    assert_eq!(summaries(app, &scene.events).await, before);
    assert_eq!(erasures(app).await, vec!["organiser".to_owned()]);

    // Another organiser reaches neither her data nor its erasure.
    let intruder = app.create_organiser("Mallory", "mallory@example.org").await;
    let marc = app.guest(&scene.events[0], "marc@example.org").await;
    let base = format!("/api/v1/events/{}/guests/{}", scene.events[0], marc["id"].as_str().unwrap());
    for (method, path, body) in [
        (Method::GET, format!("{base}/data"), None),
        (Method::POST, format!("{base}/erase"), Some(json!({ "confirm": true }))),
    ] {
        let reply = app.request(method.clone(), &path, Some(&intruder), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    assert_eq!(app.guest(&scene.events[0], "marc@example.org").await["name"], "Marc Lefèvre");
}

#[tokio::test]
async fn the_retention_setting_erases_guests_the_chosen_days_after_the_event_ends() {
    let scene = scene().await;
    let app = &scene.app;
    app.put("/api/v1/me/retention", json!({ "retention_days": 0 }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    let set = app.put("/api/v1/me/retention", json!({ "retention_days": 30 })).await.expect(StatusCode::OK);
    assert_eq!(set["retention_days"], 30);
    assert_eq!(app.get("/api/v1/me/retention").await.expect(StatusCode::OK)["retention_days"], 30);
    let event = app.get(&format!("/api/v1/events/{}", scene.events[0])).await.expect(StatusCode::OK);
    let ends_at: DateTime<Utc> = event["ends_at"]["utc"].as_str().unwrap().parse().unwrap();
    let before = summaries(app, &scene.events).await;

    let (report, _) = app.run_due_work_at(ends_at + Duration::days(29)).await;
    assert_eq!(report.erased, 0, "not yet");
    assert_eq!(app.guest(&scene.events[0], HER).await["name"], HER_NAME);
    let (report, _) = app.run_due_work_at(ends_at + Duration::days(30) + Duration::minutes(1)).await;
    assert_eq!(report.erased, 2, "her and Marc, at the first breakfast");
    assert_eq!(summaries(app, &scene.events).await, before, "the counts stand");
    // The first breakfast's guests are anonymised; her invitation to the
    // second, which has not ended, is untouched.
    let names: Vec<Value> = app.guests(&scene.events[0]).await.iter().map(|g| g["name"].clone()).collect();
    assert_eq!(names, [json!(""), json!("")]);
    assert_eq!(app.guest(&scene.events[1], HER).await["name"], HER_NAME);
    assert_eq!(erasures(app).await, vec!["retention".to_owned()]);
    let (report, _) = app.run_due_work_at(ends_at + Duration::days(31)).await;
    assert_eq!(report.erased, 0, "once");
}

#[tokio::test]
async fn from_her_row_on_the_event_page_the_organiser_downloads_or_erases_a_guests_data() {
    use crate::dashboard::{sign_in_with, terminal_login_link};
    let scene = scene().await;
    let app = &scene.app;
    let anne = sign_in_with(app, &terminal_login_link(app, "anne@example.org").await).await.in_french();
    let base = format!("/dashboard/events/{}/guests/{}", scene.events[0], scene.guest);
    let event_page = anne.get(&format!("/dashboard/events/{}", scene.events[0])).await;
    assert!(event_page.decoded().contains(&format!("{base}/erase")), "her row offers it");

    let file = anne.get(&format!("{base}/data.json")).await;
    assert_eq!(file.status, StatusCode::OK);
    let data: Value = serde_json::from_str(&file.html).unwrap();
    assert_eq!(data["email"], HER);

    let ask = anne.get(&format!("{base}/erase")).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.decoded().contains("Effacer les données de Sophie Kerbrat"), "{}", ask.html);
    let before = summaries(app, &scene.events).await;
    let done = anne.submit(&format!("{base}/erase"), &format!("{base}/erase"), &[]).await;
    let back = anne.follow(&done).await;
    assert!(back.decoded().contains("Ses données sont effacées."), "{}", back.html);
    assert!(her_traces(app).await.is_empty());
    assert_eq!(summaries(app, &scene.events).await, before);
}

#[tokio::test]
async fn the_organiser_sets_how_long_guests_data_is_kept_from_the_dashboard() {
    use crate::dashboard::{sign_in_with, terminal_login_link};
    let app = crate::helpers::spawn_app().await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let page = anne.get("/dashboard/retention").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("id=\"retention-on\" value=\"on\" checked"), "off by default");
    let refused = anne.submit("/dashboard/retention", "/dashboard/retention", &[("on", "on"), ("days", "0")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.decoded().contains("Une durée entre 1 et 3650 jours"), "{}", refused.html);
    let saved = anne.submit("/dashboard/retention", "/dashboard/retention", &[("on", "on"), ("days", "60")]).await;
    assert!(anne.follow(&saved).await.decoded().contains("C'est enregistré"));
    assert_eq!(app.get("/api/v1/me/retention").await.expect(StatusCode::OK)["retention_days"], 60);
    let off = anne.submit("/dashboard/retention", "/dashboard/retention", &[("days", "60")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/api/v1/me/retention").await.expect(StatusCode::OK)["retention_days"], Value::Null);
}
