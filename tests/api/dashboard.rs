//! The organiser's dashboard over HTTP: signing in with a one-time link
//! (from a real email, or the terminal), sessions that reach only her own
//! events, forms refused without their token, and the workflow pages.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Page, TestApp, spawn_app, spawn_app_with_mail_on_demand};
use crate::mailbox::MailServer;

/// A browser with a session cookie, as far as these tests need one.
pub struct Browser<'a> {
    app: &'a TestApp,
    cookie: String,
    /// Sent as `Accept-Language` when set: the dashboard speaks it.
    language: Option<&'static str>,
}

impl<'a> Browser<'a> {
    /// A browser with no session yet.
    pub fn anonymous(app: &'a TestApp) -> Self {
        Browser { app, cookie: String::new(), language: None }
    }

    /// A browser holding a session cookie (`name=value`).
    pub fn with_cookie(app: &'a TestApp, cookie: &str) -> Self {
        Browser { app, cookie: cookie.to_owned(), language: None }
    }

    /// A browser holding the session a response's `Set-Cookie` opened.
    pub fn from_set_cookie(app: &'a TestApp, answer: &Page) -> Self {
        let cookie = answer.headers["set-cookie"].to_str().unwrap();
        Browser { app, cookie: cookie.split(';').next().unwrap().to_owned(), language: None }
    }
}

impl Browser<'_> {
    /// The same browser, set to French.
    pub fn in_french(self) -> Self {
        Self { language: Some("fr-FR,fr;q=0.9"), ..self }
    }

    /// The same browser, set to English.
    pub fn in_english(self) -> Self {
        Self { language: Some("en-GB,en;q=0.9"), ..self }
    }

    fn with_language(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.language {
            Some(language) => request.header("accept-language", language),
            None => request,
        }
    }

    /// The session cookie, `name=value`, for a real browser to carry.
    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    pub async fn get(&self, path: &str) -> Page {
        let request = client().get(format!("{}{path}", self.app.address)).header("cookie", &self.cookie);
        page(self.with_language(request).send().await.unwrap()).await
    }

    /// Follows a 303 as a browser would: GETs its `Location` with the
    /// cookies it set (the message the action left for the next page).
    pub async fn follow(&self, answer: &Page) -> Page {
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);
        let location = answer.headers["location"].to_str().unwrap();
        let mut cookie = self.cookie.clone();
        for set in answer.headers.get_all("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            cookie = format!("{cookie}; {pair}");
        }
        let request = client().get(format!("{}{location}", self.app.address)).header("cookie", cookie);
        page(self.with_language(request).send().await.unwrap()).await
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let response = self
            .with_language(client().post(format!("{}{path}", self.app.address)))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        page(response).await
    }

    /// POSTs a `multipart/form-data` form (a file upload) with the session's
    /// token taken from `from`; each part is (name, bytes, file name).
    pub async fn upload(&self, from: &str, path: &str, parts: &[(&str, &[u8], Option<&str>)]) -> Page {
        const BOUNDARY: &str = "----convive-test-boundary";
        let csrf = self.get(from).await.csrf();
        let mut body = Vec::new();
        let csrf_part: (&str, &[u8], Option<&str>) = ("csrf", csrf.as_bytes(), None);
        for (name, bytes, file_name) in std::iter::once(&csrf_part).chain(parts) {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
            );
            if let Some(file_name) = file_name {
                body.extend_from_slice(format!("; filename=\"{file_name}\"\r\nContent-Type: text/csv").as_bytes());
            }
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let response = self
            .with_language(client().post(format!("{}{path}", self.app.address)))
            .header("cookie", &self.cookie)
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body)
            .send()
            .await
            .unwrap();
        page(response).await
    }

    /// POSTs a form with the session's token, taken from `from`.
    pub async fn submit(&self, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(from).await.csrf();
        let mut fields = fields.to_vec();
        fields.push(("csrf", &csrf));
        self.post(path, &fields).await
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn page(response: reqwest::Response) -> Page {
    let (status, headers) = (response.status(), response.headers().clone());
    Page { status, headers, html: response.text().await.unwrap() }
}

fn convive() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_convive"));
    for (key, _) in std::env::vars() {
        if key.starts_with("CONVIVE_") {
            command.env_remove(key);
        }
    }
    command.env("CONVIVE_LOG", "warn");
    command
}

/// A sign-in link printed by `convive organiser login-link`, as a path.
/// Awaited, not blocking: the app runs on this test's runtime, and a
/// transaction it holds open must be able to finish while the command waits
/// for the write lock.
pub async fn terminal_login_link(app: &TestApp, email: &str) -> String {
    let mut command = convive();
    command.args(["organiser", "login-link", "--email", email]).env("CONVIVE_DATABASE_URL", app.database_url());
    let output = tokio::process::Command::from(command).output().await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let link = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(link.starts_with("http://127.0.0.1:8080/login/"), "{link}");
    link.trim_start_matches("http://127.0.0.1:8080").to_owned()
}

/// The test app's own organiser (the owner of the events the helpers
/// create), signed in to the dashboard.
pub async fn sign_in_as_owner(app: &TestApp) -> Browser<'_> {
    sign_in_with(app, &terminal_login_link(app, "anne@example.org").await).await
}

/// Opens the link's page, presses its button, and keeps the cookie.
pub async fn sign_in_with<'a>(app: &'a TestApp, link: &str) -> Browser<'a> {
    let anonymous = Browser { app, cookie: String::new(), language: None };
    let page = anonymous.get(link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let signed_in = anonymous.post(link, &[("csrf", &page.csrf())]).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.html);
    assert_eq!(signed_in.headers["location"], "/dashboard");
    let cookie = signed_in.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    Browser { app, cookie: cookie.split(';').next().unwrap().to_owned(), language: None }
}

#[tokio::test]
async fn an_organiser_signs_in_with_the_link_she_received_once_only() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let anonymous = Browser { app: &app, cookie: String::new(), language: None };

    // Signed out, the dashboard sends her to the sign-in page.
    let dashboard = anonymous.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::SEE_OTHER);
    assert_eq!(dashboard.headers["location"], "/login");

    let login = anonymous.get("/login").await;
    let csrf = login.csrf();
    let asked = anonymous.post("/login", &[("email", "Anne@Example.org"), ("csrf", &csrf)]).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.html.contains("id=\"confirmation\""), "{}", asked.html);
    // An unknown address gets the same answer, and no email.
    let unknown = anonymous.post("/login", &[("email", "nobody@example.org"), ("csrf", &csrf)]).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(unknown.html.contains("id=\"confirmation\""));

    app.dispatch_all_pending_emails().await;
    let messages = server.messages();
    assert_eq!(messages.len(), 1, "only the organiser's address gets a link");
    assert_eq!(messages[0].recipient(), "anne@example.org");
    assert_eq!(messages[0].kind(), "login_link");
    let link = messages[0].link("http://127.0.0.1:8080/login/").trim_start_matches("http://127.0.0.1:8080").to_owned();

    let browser = sign_in_with(&app, &link).await;
    let dashboard = browser.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.html);

    // Used once: the link is spent.
    assert_eq!(anonymous.get(&link).await.status, StatusCode::GONE);
    let again = anonymous.post(&link, &[("csrf", "whatever")]).await;
    assert!(again.status == StatusCode::GONE || again.status == StatusCode::FORBIDDEN, "{}", again.status);

    // A forged link finds nothing.
    assert_eq!(anonymous.get("/login/AAAA.BBBB").await.status, StatusCode::NOT_FOUND);

    // Signing out ends the session.
    let out = browser.submit("/dashboard", "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/dashboard").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_expired_sign_in_link_is_refused() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    let offset = Arc::new(AtomicI64::new(0));
    let clock = {
        let offset = Arc::clone(&offset);
        convive::clock::Clock::from_fn(move || {
            chrono::Utc::now() + chrono::Duration::seconds(offset.load(Ordering::SeqCst))
        })
    };
    let app = crate::helpers::spawn_app_with(clock, |_| {}).await;
    let link = terminal_login_link(&app, "anne@example.org").await;
    // The app's clock moves 16 minutes on: the link was for 15.
    offset.store(16 * 60, Ordering::SeqCst);
    let anonymous = Browser { app: &app, cookie: String::new(), language: None };
    assert_eq!(anonymous.get(&link).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn a_session_reaches_only_her_own_events_and_forms_need_their_token() {
    let app = spawn_app().await;
    let anne_event = app.create_published_event(json!({})).await;
    let (anne_guest, _) = app.invite(&anne_event, "jane@example.org").await;
    app.create_organiser("Bea", "bea@example.org").await;
    let bea = sign_in_with(&app, &terminal_login_link(&app, "bea@example.org").await).await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;

    let base = format!("/dashboard/events/{anne_event}");
    for path in [
        base.clone(),
        format!("{base}/edit"),
        format!("{base}/check-in"),
        format!("{base}/results"),
        format!("{base}/preview"),
        format!("{base}/check-in/counts.json"),
        format!("{base}/cancel"),
        format!("{base}/guests/{anne_guest}/remove"),
    ] {
        assert_eq!(bea.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(anne.get(&path).await.status, StatusCode::OK, "{path}");
    }
    for path in [
        format!("{base}/publish"),
        format!("{base}/cancel"),
        format!("{base}/check-in/{anne_guest}"),
        format!("{base}/guests/{anne_guest}/remove"),
        format!("{base}/guests/{anne_guest}/answer"),
    ] {
        let refused = bea.submit("/dashboard", &path, &[("answer", "yes")]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!bea.get("/dashboard").await.html.contains(&anne_event), "her list shows only hers");

    // Without the session's token, or with another session's, nothing happens.
    let bea_csrf = bea.get("/dashboard").await.csrf();
    for fields in [vec![], vec![("csrf", "forged")], vec![("csrf", bea_csrf.as_str())]] {
        let refused = anne.post(&format!("{base}/check-in/{anne_guest}"), &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{fields:?}");
    }
    assert!(app.guest(&anne_event, "jane@example.org").await["checked_in_at"].is_null());
    let done = anne.submit(&base, &format!("{base}/check-in/{anne_guest}"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(app.guest(&anne_event, "jane@example.org").await["checked_in_at"].is_string());
}

#[tokio::test]
async fn the_whole_workflow_runs_from_the_dashboard() {
    let app = spawn_app().await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;

    // Create, with a mistake first.
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let starts = format!("{year}-03-12T08:30");
    let ends = format!("{year}-03-12T10:00");
    let mut fields = vec![
        ("title", "Café des Victoires <b>"),
        ("venue_name", "Café"),
        ("starts_at", starts.as_str()),
        ("ends_at", "2000-01-01T00:00"),
        ("time_zone", "Europe/Paris"),
        ("language", "en"),
        ("capacity", "30"),
        ("companions_allowed", "1"),
        ("plan_preset", "custom"),
        ("nudge_amount_0", "7"),
        ("nudge_unit_0", "days"),
        ("nudge_amount_1", "3"),
        ("nudge_unit_1", "days"),
        ("nudge_amount_2", ""),
        ("nudge_unit_2", "days"),
        ("close_amount", "2"),
        ("close_unit", "days"),
        ("reminder_amount", "1"),
        ("reminder_unit", "days"),
        ("follow_up_amount", "150"),
        ("follow_up_unit", "minutes"),
        ("nudge_maybes", "on"),
    ];
    let wrong = anne.submit("/dashboard/events/new", "/dashboard/events/new", &fields).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.html);
    assert!(wrong.decoded().contains("The end must be after the start."), "{}", wrong.html);
    fields[3] = ("ends_at", ends.as_str());
    let created = anne.submit("/dashboard/events/new", "/dashboard/events/new", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let event_path = created.headers["location"].to_str().unwrap().to_owned();
    let event_id = event_path.rsplit('/').next().unwrap().to_owned();

    // The plan in plain words.
    let page = anne.get(&event_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.decoded().contains(
            "nudges on 5 and 9 March, answers close on 10 March, reminder on 11 March, thank-you on 12 March at 12:30."
        ),
        "{}",
        page.decoded()
    );
    assert!(page.html.contains("Café des Victoires &lt;b&gt;"));

    // Guests, by the API for now; the answer a guest phoned in, from the page.
    let (jane, _) = app.invite(&event_id, "jane@example.org").await;
    let (_ben, _) = app.invite(&event_id, "ben@example.org").await;
    let published = anne.submit(&event_path, &format!("{event_path}/publish"), &[]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let set = anne
        .submit(&event_path, &format!("{event_path}/guests/{jane}/answer"), &[("answer", "yes"), ("companions", "1")])
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.html);
    assert_eq!(app.guest(&event_id, "jane@example.org").await["reply"]["answer"], "yes");

    // The guest list as a spreadsheet file, from the page's link, in her
    // language (English here).
    let export = anne.get(&format!("{event_path}/guests.csv")).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(
        export.html.starts_with("\u{feff}Name,Email,") && export.html.contains("jane@example.org"),
        "{}",
        export.html
    );

    // Preview: each step, in the event's language.
    let preview = anne.get(&format!("{event_path}/preview")).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.html.contains("srcdoc="), "{}", preview.html);

    // Check-in at the door: one guest, one walk-in; the counts follow.
    let door = format!("{event_path}/check-in");
    let checked = anne.submit(&door, &format!("{door}/{jane}"), &[]).await;
    assert_eq!(checked.status, StatusCode::SEE_OTHER);
    let walk_in = anne
        .submit(
            &door,
            &format!("{event_path}/walk-ins"),
            &[("name", "Zoé"), ("email", "zoe@example.org"), ("companions", "0")],
        )
        .await;
    assert_eq!(walk_in.status, StatusCode::SEE_OTHER, "{}", walk_in.html);
    let counts: serde_json::Value = serde_json::from_str(&anne.get(&format!("{door}/counts.json")).await.html).unwrap();
    // Jane, the one "yes", came: nobody is still expected.
    assert_eq!(counts, json!({ "came": 2, "came_people": 3, "walk_ins": 1, "expected": 0 }));
    let search = anne.get(&format!("{door}?q=zoe")).await;
    assert!(search.decoded().contains("zoe@example.org") && !search.decoded().contains("ben@example.org"));

    // Results: the figures and a chart drawn by the server.
    let results = anne.get(&format!("{event_path}/results")).await;
    assert_eq!(results.status, StatusCode::OK);
    chart_reads_well(&results);

    // Edit, then cancel.
    fields[0] = ("title", "Café des Victoires, moved");
    // A new title moves calendar entries: she is asked first, then confirms.
    let asked = anne.submit(&format!("{event_path}/edit"), &format!("{event_path}/edit"), &fields).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.html);
    assert!(asked.html.contains("id=\"confirm-form\""), "{}", asked.html);
    let mut confirmed = fields.clone();
    confirmed.push(("step", "confirm"));
    let edited = anne.submit(&format!("{event_path}/edit"), &format!("{event_path}/edit"), &confirmed).await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.html);
    assert_eq!(
        app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK)["title"],
        "Café des Victoires, moved"
    );
    let cancelled = anne.submit(&event_path, &format!("{event_path}/cancel"), &[]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&format!("/api/v1/events/{event_id}")).await.expect(StatusCode::OK)["status"], "cancelled");
}

#[tokio::test]
async fn api_keys_are_created_and_revoked_from_the_dashboard() {
    let app = spawn_app().await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await;
    let created = anne.submit("/dashboard/keys", "/dashboard/keys", &[("label", "my script")]).await;
    assert_eq!(created.status, StatusCode::OK);
    let start = created.html.find("cvk_").expect("the new key is shown once");
    let key: String =
        created.html[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
    app.request(reqwest::Method::GET, "/api/v1/events", Some(&key), None).await.expect(StatusCode::OK);
    assert!(!anne.get("/dashboard/keys").await.html.contains(&key), "never shown again");

    let list = anne.get("/dashboard/keys").await.decoded();
    let revoke =
        list.split("action=\"").filter_map(|s| s.split('"').next()).find(|a| a.ends_with("/revoke")).map(str::to_owned);
    // Revoke every key until the new one stops working (the list has the first key too).
    let mut revoked_new = false;
    for action in list.split("action=\"").filter_map(|s| s.split('"').next()).filter(|a| a.ends_with("/revoke")) {
        let done = anne.submit("/dashboard/keys", action, &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        if app.request(reqwest::Method::GET, "/api/v1/events", Some(&key), None).await.status
            == StatusCode::UNAUTHORIZED
        {
            revoked_new = true;
        }
    }
    assert!(revoke.is_some() && revoked_new);
}

/// The results of the workflow above: bars, a legend of its own beside the
/// chart rather than over it, dates as words (not ISO), and the headcount
/// with companions (Jane and her one companion).
fn chart_reads_well(results: &Page) {
    assert!(results.html.contains("<svg") && results.html.contains("<rect"), "{}", results.html);
    // A legend of its own, beside the chart rather than over it; dates as words, not ISO.
    assert!(results.html.contains("id=\"chart-legend\""), "{}", results.html);
    let chart = &results.html[results.html.find("<svg").unwrap()..results.html.find("</svg>").unwrap()];
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris);
    assert!(!chart.contains(&today.format("%Y-%m-%d").to_string()), "{chart}");
    assert!(chart.contains(&today.format("%-d %b").to_string()), "in English here: {chart}");
    // The headcount counts companions: Jane and her one companion.
    assert!(results.html.contains("id=\"res-people\">2<"), "{}", results.html);
}
