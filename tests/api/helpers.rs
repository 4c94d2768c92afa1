//! `spawn_app()` and the `TestApp` every test drives.

use std::sync::{Arc, Once};

use chrono::{DateTime, Utc};
use convive::app::schedule::JobReport;
use convive::clock::Clock;
use convive::config::Settings;
use convive::domain::email_address::EmailAddress;
use convive::domain::token::SecretKey;
use convive::mail::dispatch::{DispatchReport, Dispatcher};
use convive::mail::transport::Mailer;
use convive::startup::{Application, Parts};
use convive::webhooks::dispatch::{WebhookDispatcher, WebhookReport};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{Value, json};
use uuid::Uuid;

static TRACING: Once = Once::new();

/// The backend under test: `CONVIVE_TEST_BACKEND=postgres` or SQLite.
pub fn backend_is_postgres() -> bool {
    std::env::var("CONVIVE_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// Server URL of the PostgreSQL used by tests (databases are created in it).
pub fn postgres_server_url() -> String {
    std::env::var("CONVIVE_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// A database of its own for one test: a SQLite file in a temporary folder
/// (removed with the guard) or a fresh PostgreSQL database.
pub struct TestDatabase {
    pub url: String,
    /// A folder of the test's own (the SQLite file, mail files…).
    pub scratch: tempfile::TempDir,
}

pub async fn test_database() -> TestDatabase {
    if backend_is_postgres() {
        let name = format!("convive_test_{}", Uuid::new_v4().simple());
        let server = postgres_server_url();
        let admin = Database::connect(format!("{server}/postgres")).await.expect("PostgreSQL is reachable");
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("can create a database");
        admin.close().await.ok();
        TestDatabase { url: format!("{server}/{name}"), scratch: tempfile::tempdir().expect("a temporary folder") }
    } else {
        let scratch = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}?mode=rwc", scratch.path().join("convive.db").display());
        TestDatabase { url, scratch }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: convive::storage::Db,
    /// The first organiser's API key, used by the helpers (empty in a fresh
    /// install, see `spawn_fresh_app`).
    pub api_key: String,
    /// The setup code the app printed when it started, if it had no organiser
    /// then (every app does: `spawn_app` creates its organiser afterwards).
    pub setup_code: Option<String>,
    /// What the app was built with, for running its background work from
    /// the test (`run_due_work_at`, `dispatch_all_pending_emails`).
    settings: Arc<Settings>,
    clock: Clock,
    link_key: SecretKey,
    /// The app's metrics, which the test's scheduler and dispatcher record into.
    metrics: Arc<convive::metrics::Metrics>,
    /// Kept for its lifetime: the temporary folder goes with it.
    database: TestDatabase,
}

/// HTTP alone: no scheduler or dispatcher runs in the background, so nothing
/// is queued by the plan or sent until the test calls `run_due_work_at` or
/// `dispatch_all_pending_emails`, which return once the SMTP server has
/// accepted the mail. Tests that need no particular timing use this; those
/// about the background parts themselves (a handler waking the dispatcher,
/// the real clock) run everything.
pub const ON_DEMAND: Parts = Parts { http: true, scheduler: false, dispatcher: false };

pub async fn spawn_app() -> TestApp {
    spawn_app_with_clock(Clock::system()).await
}

pub fn init_tracing() {
    TRACING.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            let colours = std::io::IsTerminal::is_terminal(&std::io::stdout());
            convive::telemetry::init(
                "info,convive=debug",
                convive::config::LogFormat::Pretty,
                std::io::stdout,
                colours,
            );
        }
    });
}

pub async fn spawn_app_with_clock(clock: Clock) -> TestApp {
    spawn_app_with(clock, |_| {}).await
}

/// The app with its settings adjusted by `configure` (SMTP server, plan
/// timings…). By default mail goes to `.eml` files in the test's folder.
pub async fn spawn_app_with(clock: Clock, configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with_parts(clock, Parts::default(), configure).await
}

/// The app running only `parts` (see `ON_DEMAND`); the scheduler and the
/// dispatcher, when they run, tick every second.
pub async fn spawn_app_with_parts(clock: Clock, parts: Parts, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let mut test_app = start(clock, parts, configure).await;
    test_app.api_key = test_app.create_organiser("Anne Organiser", "anne@example.org").await;
    test_app
}

/// A fresh install: no organiser yet, as after a first `cargo run`.
pub async fn spawn_fresh_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    start(Clock::system(), Parts::default(), configure).await
}

async fn start(clock: Clock, parts: Parts, configure: impl FnOnce(&mut Settings)) -> TestApp {
    init_tracing();
    let database = test_database().await;
    let mut settings = Settings::defaults().expect("defaults are valid");
    settings.bind = "127.0.0.1:0".parse().unwrap();
    settings.database_url = SecretString::from(database.url.clone());
    settings.database_pool_size = 5;
    settings.mail_dir = database.scratch.path().join("mail");
    settings.scheduler_interval_seconds = 1;
    // Tests make many quick requests from one address; the limit has its own test.
    settings.rate_limit_per_minute = 0;
    // The replies of tests/fixtures/ are real clients' messages whose
    // providers' keys are not ours to publish: the checks that need a DNS
    // server and signed replies (tests/api/trust.rs) turn it on.
    settings.inbound_auth = convive::config::InboundAuth::Off;
    configure(&mut settings);
    let settings = Arc::new(settings);
    let app = Application::build_with((*settings).clone(), clock.clone(), parts).await.expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    let setup_code = app.setup_code().map(str::to_owned);
    let link_key = convive::startup::link_key(&settings, &db).await.expect("the app's link key");
    let metrics = app.metrics();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        address,
        client: reqwest::Client::new(),
        db,
        api_key: String::new(),
        setup_code,
        settings,
        clock,
        link_key,
        metrics,
        database,
    }
}

/// An app whose mail goes to `server` over SMTP.
pub async fn spawn_app_with_mail(server: &crate::mailbox::MailServer) -> TestApp {
    spawn_app_with_mail_and(server, |_| {}).await
}

pub async fn spawn_app_with_mail_and(
    server: &crate::mailbox::MailServer,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    spawn_app_with(Clock::system(), |settings| {
        send_mail_to(settings, server);
        configure(settings);
    })
    .await
}

/// An app whose mail goes to `server`, queued and sent only when the test
/// says so (`ON_DEMAND`).
pub async fn spawn_app_with_mail_on_demand(server: &crate::mailbox::MailServer) -> TestApp {
    spawn_app_with_parts(Clock::system(), ON_DEMAND, |settings| send_mail_to(settings, server)).await
}

/// Settings sending the app's mail to `server` over plain SMTP.
pub fn send_mail_to(settings: &mut Settings, server: &crate::mailbox::MailServer) {
    settings.smtp_host = Some("127.0.0.1".to_owned());
    settings.smtp_port = Some(server.port);
    settings.smtp_security = convive::config::SmtpSecurity::None;
    settings.smtp_helo = Some("convive.test".to_owned());
    settings.smtp_timeout_seconds = 5;
}

/// Settings for an app reachable at the links it writes: its public URL is
/// its real address, so a link taken from an email works as it is (in a
/// browser, say). The port is picked free just before the app binds it.
pub fn reachable_at_its_links(settings: &mut Settings) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    settings.bind = format!("127.0.0.1:{port}").parse().unwrap();
    settings.public_url = format!("http://127.0.0.1:{port}").parse().unwrap();
}

/// An HTML page as a guest's browser would get it.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub html: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// The anti-forgery token of the page's form.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.html.find(marker).unwrap_or_else(|| panic!("no csrf field in:\n{}", self.html)) + marker.len();
        self.html[start..].split('"').next().unwrap().to_owned()
    }

    /// The HTML with the entities our templates write decoded, to look for
    /// text as a reader sees it (minijinja also escapes `/` and `'`).
    pub fn decoded(&self) -> String {
        self.html
            .replace("&#x2f;", "/")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    /// The value of the checked `answer` radio, if any.
    pub fn checked_answer(&self) -> Option<String> {
        self.html.split("<input").filter(|tag| tag.contains("name=\"answer\"") && tag.contains("checked")).find_map(
            |tag| {
                let start = tag.find("value=\"")? + 7;
                Some(tag[start..].split('"').next()?.to_owned())
            },
        )
    }
}

/// A response read whole: status plus parsed JSON (Null when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "unexpected status; body: {:#}", self.body);
        self.body
    }

    /// Asserts the shared error shape and returns the error code.
    #[track_caller]
    pub fn expect_error(self, status: StatusCode) -> Value {
        let body = self.expect(status);
        assert!(body["error"].is_string(), "error code missing: {body:#}");
        assert!(body["message"].is_string(), "error message missing: {body:#}");
        body
    }
}

impl TestApp {
    /// The app's database, for running the `convive` binary on it.
    pub fn database_url(&self) -> &str {
        &self.database.url
    }

    /// What the scheduler and then the dispatcher would do at `now`: queues
    /// every reminder and digest due by then, then sends every email due by
    /// then. Returns once the SMTP server has accepted (or refused) each one,
    /// so `server.messages()` is complete. Mail that failed for the moment
    /// waits for its retry time, after `now`.
    pub async fn run_due_work_at(&self, now: DateTime<Utc>) -> (JobReport, DispatchReport) {
        let queued = convive::scheduler::tick(&self.db, now, self.settings.digest_hour_utc, &self.metrics)
            .await
            .expect("the scheduler's work runs");
        (queued, self.dispatch_emails_due_at(now).await)
    }

    /// One pass of the inbound pipeline at `now`, as every process that
    /// sends mail runs it on its tick: returns how many messages it concluded.
    pub async fn process_inbound_at(&self, now: DateTime<Utc>) -> usize {
        let app = convive::app::App::new(
            self.db.clone(),
            Arc::clone(&self.settings),
            Clock::fixed(now),
            self.link_key.clone(),
            Arc::default(),
        );
        convive::app::inbound::process_due(&app).await.expect("the inbound pass runs")
    }

    /// Reads the app's IMAP mailbox once, as its IMAP door does on each
    /// wake-up; returns how many messages it took in.
    pub async fn poll_imap_once(&self) -> usize {
        self.try_poll_imap_with(|_| {}).await.expect("the IMAP mailbox is read")
    }

    /// Reads the app's IMAP mailbox once, its settings changed by `adjust`.
    pub async fn try_poll_imap_with(
        &self,
        adjust: impl FnOnce(&mut convive::mail::inbound::imap::ImapSettings),
    ) -> anyhow::Result<usize> {
        let mut imap = convive::mail::inbound::imap::ImapSettings::from_settings(&self.settings)
            .expect("the app has an IMAP mailbox");
        adjust(&mut imap);
        let app = convive::app::App::new(
            self.db.clone(),
            Arc::clone(&self.settings),
            self.clock.clone(),
            self.link_key.clone(),
            Arc::default(),
        );
        convive::mail::inbound::imap::poll_once(&app, &imap).await
    }

    /// Sends every email due by the app's clock, as the dispatcher would
    /// when woken, and returns once the SMTP server has answered for each.
    pub async fn dispatch_all_pending_emails(&self) -> DispatchReport {
        self.dispatch_emails_due_at(self.clock.now()).await
    }

    /// The dispatcher the app would run, on a clock stopped at `now`.
    /// `dispatch_due` claims batch after batch until none is due at `now`.
    async fn dispatch_emails_due_at(&self, now: DateTime<Utc>) -> DispatchReport {
        self.dispatcher(Clock::fixed(now)).await.dispatch_due(&|| true).await.expect("the outbox drains")
    }

    /// A dispatcher reading `clock`, as a long-running process keeps one
    /// (with what it learnt of the relay) from pass to pass.
    pub async fn dispatcher(&self, clock: Clock) -> Dispatcher {
        let mailer = Mailer::from_settings(&self.settings).expect("the mail transport builds");
        let (claimant, _) = convive::storage::outbox::become_claimant(&self.db).await.expect("a dispatcher may claim");
        Dispatcher::new(
            self.db.clone(),
            claimant,
            mailer,
            Arc::clone(&self.settings),
            self.link_key.clone(),
            clock,
            Arc::clone(&self.metrics),
        )
        .expect("the dispatcher builds")
    }

    /// What the webhook dispatcher would do at `now`: sends every delivery
    /// due by then, and returns once each endpoint has answered (or not).
    pub async fn dispatch_webhooks_at(&self, now: DateTime<Utc>) -> WebhookReport {
        let dispatcher = WebhookDispatcher::new(
            self.db.clone(),
            Arc::clone(&self.settings),
            Clock::fixed(now),
            Arc::clone(&self.metrics),
        )
        .expect("the webhook dispatcher builds");
        dispatcher.dispatch_due(&|| true).await.expect("the webhook queue drains")
    }

    /// The one-click unsubscribe token of a guest's emails.
    pub fn unsubscribe_token(&self, guest_id: Uuid) -> String {
        convive::domain::token::unsubscribe_token(&self.link_key, guest_id)
    }

    /// The token of the link that accepts an invitation to a team, as the
    /// emailed link carries it.
    pub fn team_token(&self, member_id: &str) -> String {
        convive::domain::token::team_token(&self.link_key, Uuid::parse_str(member_id).unwrap())
    }

    /// A sign-in link (a path) for the organiser with this address, made at
    /// the app's own clock (the command line uses the real one).
    pub async fn login_link(&self, email: &str) -> String {
        let email = EmailAddress::parse(email).unwrap();
        let organiser =
            convive::storage::organisers::find_by_email(&*self.db, &email).await.unwrap().expect("she has an account");
        let id =
            convive::storage::sessions::create_login_link(&*self.db, organiser.id, self.clock.now()).await.unwrap();
        format!("/login/{}", convive::domain::token::login_token(&self.link_key, id))
    }

    /// A new API key for the organiser with this address (one who joined
    /// through a team invitation has none until she makes one).
    pub async fn api_key_for(&self, email: &str) -> String {
        let email = EmailAddress::parse(email).unwrap();
        let organiser =
            convive::storage::organisers::find_by_email(&*self.db, &email).await.unwrap().expect("she has an account");
        let key = convive::storage::organisers::create_api_key(&self.db, organiser.id, "Test", chrono::Utc::now())
            .await
            .unwrap();
        key.as_str().to_owned()
    }

    /// Creates another organiser and returns her API key.
    pub async fn create_organiser(&self, name: &str, email: &str) -> String {
        let email = EmailAddress::parse(email).unwrap();
        let (_, key) =
            convive::storage::organisers::create(&self.db, name, &email, "Created at setup", chrono::Utc::now())
                .await
                .expect("organiser created");
        key.as_str().to_owned()
    }

    pub async fn request(&self, method: Method, path: &str, key: Option<&str>, body: Option<Value>) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.address));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the request reaches the server");
        let status = response.status();
        let text = response.text().await.expect("a body");
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Reply { status, body }
    }

    /// As the first organiser.
    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path, Some(&self.api_key), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.request(Method::POST, path, Some(&self.api_key), Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.request(Method::PATCH, path, Some(&self.api_key), Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.request(Method::PUT, path, Some(&self.api_key), Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.request(Method::DELETE, path, Some(&self.api_key), None).await
    }

    /// Creates an event from the defaults below with `overrides` laid over them.
    pub async fn create_event(&self, overrides: Value) -> Value {
        let mut body = cafe_des_victoires();
        merge(&mut body, overrides);
        self.post("/api/v1/events", body).await.expect(StatusCode::CREATED)
    }

    pub async fn create_published_event(&self, overrides: Value) -> String {
        let event = self.create_event(overrides).await;
        let id = event["id"].as_str().unwrap().to_owned();
        self.post(&format!("/api/v1/events/{id}/publish"), json!({})).await.expect(StatusCode::OK);
        id
    }

    /// Invites a guest; returns (guest id, invitation token).
    pub async fn invite(&self, event_id: &str, email: &str) -> (String, String) {
        let guest = self
            .post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": email, "name": email }))
            .await
            .expect(StatusCode::CREATED);
        (guest["id"].as_str().unwrap().to_owned(), guest["invitation_token"].as_str().unwrap().to_owned())
    }

    /// GETs a page (no redirects followed).
    pub async fn page(&self, path: &str) -> Page {
        let response = no_redirects().get(format!("{}{path}", self.address)).send().await.expect("the app answers");
        let (status, headers) = (response.status(), response.headers().clone());
        Page { status, headers, html: response.text().await.unwrap() }
    }

    /// POSTs a form as a browser would (no redirects followed).
    pub async fn submit(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.submit_with(path, fields, &[]).await
    }

    pub async fn submit_with(&self, path: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let mut request = no_redirects()
            .post(format!("{}{path}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the app answers");
        let (status, headers) = (response.status(), response.headers().clone());
        Page { status, headers, html: response.text().await.unwrap() }
    }

    /// A guest answers with her token alone.
    /// Guests' answers waiting for a batch to be written in (SQLite).
    pub fn answers_waiting(&self) -> i64 {
        self.metrics.answers_waiting()
    }

    pub async fn answer(&self, token: &str, body: Value) -> Reply {
        self.request(Method::PUT, &format!("/api/v1/invitations/{token}/answer"), None, Some(body)).await
    }

    pub async fn summary(&self, event_id: &str) -> Value {
        self.get(&format!("/api/v1/events/{event_id}/summary")).await.expect(StatusCode::OK)
    }

    /// Every guest of the event, page after page, as an API client reads them.
    pub async fn guests(&self, event_id: &str) -> Vec<Value> {
        let mut guests = Vec::new();
        let mut path = format!("/api/v1/events/{event_id}/guests?limit=1000");
        loop {
            let body = self.get(&path).await.expect(StatusCode::OK);
            guests.extend(body["guests"].as_array().unwrap().iter().cloned());
            match body["next"].as_str() {
                Some(next) => path = format!("/api/v1/events/{event_id}/guests?limit=1000&after={next}"),
                None => return guests,
            }
        }
    }

    /// The guest with this email, from the organiser's list.
    pub async fn guest(&self, event_id: &str, email: &str) -> Value {
        self.guests(event_id).await.into_iter().find(|g| g["email"] == email).expect("guest is listed")
    }
}

pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The running example: a networking breakfast in Paris, a year ahead.
pub fn cafe_des_victoires() -> Value {
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    json!({
        "title": "Café des Victoires",
        "description": "Networking breakfast.\nCroissants offered.",
        "venue_name": "Café des Victoires",
        "venue_address": "6 place des Victoires, 75002 Paris",
        "venue_map_url": "https://maps.example.org/?q=place+des+Victoires",
        "starts_at": format!("{year}-12-03T08:30"),
        "ends_at": format!("{year}-12-03T10:00"),
        "time_zone": "Europe/Paris",
        "capacity": 30,
        "companions_allowed": 1,
        "language": "fr",
    })
}

pub fn merge(base: &mut Value, overrides: Value) {
    if let (Some(base), Value::Object(overrides)) = (base.as_object_mut(), overrides) {
        for (key, value) in overrides {
            base.insert(key, value);
        }
    }
}
