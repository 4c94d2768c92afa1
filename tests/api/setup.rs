//! The first run in the browser: a fresh install leads from `/` to the
//! setup page, which takes the one-time code printed in the server's log,
//! creates the first organiser and signs her in, once; afterwards the page
//! is gone and `/` leads to the dashboard or the sign-in page. Also: error
//! pages for browsers, JSON for API clients; the command line's links.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

use crate::cli::{convive, stop_with_sigterm};
use crate::helpers::{Page, TestApp, no_redirects, spawn_app, spawn_fresh_app_with, test_database};

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

fn location(page: &Page) -> &str {
    page.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The session cookie a response set (`name=value`), if any.
fn session_cookie(page: &Page) -> Option<String> {
    page.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("convive_session=") && !v.starts_with("convive_session=;"))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut request = no_redirects().get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the app answers");
    let (status, headers) = (response.status(), response.headers().clone());
    Page { status, headers, html: response.text().await.unwrap() }
}

/// Sends the setup form as a French browser would, with the page's own token.
async fn set_up(app: &TestApp, code: &str, name: &str, email: &str) -> Page {
    let form = app.page("/setup").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let csrf = form.csrf();
    let fields = [("code", code), ("name", name), ("email", email), ("csrf", &csrf)];
    app.submit_with("/setup", &fields, &[("accept-language", "fr-FR,fr;q=0.9")]).await
}

#[tokio::test]
async fn a_fresh_install_leads_from_the_home_page_to_the_setup_form() {
    let app = spawn_fresh_app_with(|_| {}).await;
    assert!(app.setup_code.is_some(), "a fresh install prints a setup code");

    let home = app.page("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&home), "/setup");

    let setup = get_with(&app, "/setup", &[("accept-language", "fr-FR,fr;q=0.9")]).await;
    assert_eq!(setup.status, StatusCode::OK);
    let html = setup.decoded();
    assert!(html.contains("<html lang=\"fr\""), "{html}");
    assert!(html.contains("Code d'installation") && html.contains("journal du serveur"), "{html}");
    for field in ["code", "name", "email", "csrf"] {
        assert!(html.contains(&format!("name=\"{field}\"")), "no {field} field: {html}");
    }
    assert!(!html.contains(app.setup_code.as_deref().unwrap()), "the page never shows the code");

    // The link printed in the log fills the code in.
    let code = app.setup_code.as_deref().unwrap();
    let linked = app.page(&format!("/setup?code={code}")).await;
    assert!(linked.html.contains(&format!("value=\"{code}\"")), "{}", linked.html);
}

#[tokio::test]
async fn the_setup_code_is_required_and_a_wrong_one_is_refused_in_her_language() {
    let app = spawn_fresh_app_with(|_| {}).await;

    for code in ["", "ABCD-EFGH-JKMN"] {
        let refused = set_up(&app, code, "Camille Rousseau", "camille@example.org").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        let html = refused.decoded();
        assert!(html.contains("Ce code ne correspond pas"), "{html}");
        assert!(html.contains("aria-invalid=\"true\""), "the code field is marked: {html}");
        assert!(html.contains("value=\"Camille Rousseau\""), "what she typed is kept: {html}");
        assert!(session_cookie(&refused).is_none(), "nobody is signed in");
    }

    // The same in English, for an English browser.
    let form = app.page("/setup").await;
    let fields = [("code", "WRONG"), ("name", "Camille"), ("email", "camille@example.org"), ("csrf", &form.csrf())];
    let refused = app.submit_with("/setup", &fields, &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.decoded().contains("This code does not match"), "{}", refused.html);

    // Nothing was created: the instance still needs setting up.
    assert_eq!(location(&app.page("/").await), "/setup");
}

#[tokio::test]
async fn the_setup_code_creates_the_first_organiser_signs_her_in_and_works_once() {
    let app = spawn_fresh_app_with(|_| {}).await;
    let code = app.setup_code.clone().unwrap();
    // A form kept open in another tab.
    let setup_csrf = app.page("/setup").await.csrf();

    // Bad fields are said, and do not spend the code.
    let invalid = set_up(&app, &code, " ", "pas-une-adresse").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = invalid.decoded();
    assert!(html.contains("Indiquez votre nom") && html.contains("adresse e-mail valide"), "{html}");

    // Typed in lower case with spaces: still her code.
    let typed = code.to_lowercase().replace('-', " ");
    let done = set_up(&app, &typed, "Camille Rousseau", "camille@example.org").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(location(&done), "/dashboard");
    let cookie = session_cookie(&done).expect("she is signed in");

    // The same cookie the sign-in link gives: the dashboard is hers.
    let dashboard = get_with(&app, "/dashboard", &[("cookie", &cookie)]).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.decoded().contains("Camille Rousseau"), "{}", dashboard.html);
    // Her browser spoke French at sign-up: her emails will too.
    let email = convive::domain::email_address::EmailAddress::parse("camille@example.org").unwrap();
    let her = convive::storage::organisers::find_by_email(&*app.db, &email).await.unwrap().unwrap();
    assert_eq!(her.language, Some(convive::domain::event::Language::Fr));

    // `/`: her dashboard when signed in, else the sign-in page.
    assert_eq!(location(&get_with(&app, "/", &[("cookie", &cookie)]).await), "/dashboard");
    assert_eq!(location(&app.page("/").await), "/login");
    assert_eq!(location(&get_with(&app, "/", &[("cookie", "convive_session=stale")]).await), "/login");

    // The page is gone, and the code works no more.
    let gone = app.page("/setup").await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&gone), "/login");
    let fields =
        [("code", code.as_str()), ("name", "Mallory"), ("email", "mallory@example.org"), ("csrf", &setup_csrf)];
    let again = app.submit_with("/setup", &fields, &[("accept", BROWSER_ACCEPT)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.html);
    assert!(again.html.contains("<html"), "a page: {}", again.html);
    assert!(session_cookie(&again).is_none());
    let csrf = app.page("/login").await.csrf();

    // She is the one organiser, and signs in again like any organiser.
    let sign_in = app.submit("/login", &[("email", "camille@example.org"), ("csrf", &csrf)]).await;
    assert_eq!(sign_in.status, StatusCode::OK);
    let organisers = convive::storage::organisers::first(&app.db, 10).await.unwrap();
    assert_eq!(organisers.iter().map(|o| o.email.as_str()).collect::<Vec<_>>(), ["camille@example.org"]);
}

#[tokio::test]
async fn the_setup_code_is_spent_once_whichever_form_sends_it_first() {
    let app = spawn_fresh_app_with(|_| {}).await;
    let code = app.setup_code.clone().unwrap();
    // Two forms opened before either was sent.
    let (first, second) = (app.page("/setup").await.csrf(), app.page("/setup").await.csrf());
    let one = app
        .submit("/setup", &[("code", &code), ("name", "Camille"), ("email", "camille@example.org"), ("csrf", &first)])
        .await;
    let two = app
        .submit("/setup", &[("code", &code), ("name", "Mallory"), ("email", "mallory@example.org"), ("csrf", &second)])
        .await;
    assert_eq!(one.status, StatusCode::SEE_OTHER);
    assert_eq!(two.status, StatusCode::NOT_FOUND, "{}", two.html);
    assert!(two.html.contains("<html"), "a page, not JSON: {}", two.html);
    assert!(session_cookie(&two).is_none());
}

#[tokio::test]
async fn the_setup_form_is_refused_without_its_token_or_from_another_site() {
    let app = spawn_fresh_app_with(|_| {}).await;
    let code = app.setup_code.clone().unwrap();
    let fields = [("code", code.as_str()), ("name", "Mallory"), ("email", "mallory@example.org")];

    let no_token = app.submit("/setup", &fields).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);

    let csrf = app.page("/setup").await.csrf();
    let mut with_token = fields.to_vec();
    with_token.push(("csrf", &csrf));
    let cross_site = app.submit_with("/setup", &with_token, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    assert!(session_cookie(&cross_site).is_none());
    assert_eq!(location(&app.page("/").await), "/setup", "still not set up");
}

#[tokio::test]
async fn an_organiser_created_from_the_terminal_closes_the_setup_page() {
    let app = spawn_fresh_app_with(|_| {}).await;
    let code = app.setup_code.clone().unwrap();
    let csrf = app.page("/setup").await.csrf();
    // What `convive organiser create` does.
    app.create_organiser("Anne", "anne@example.org").await;

    assert_eq!(location(&app.page("/").await), "/login");
    assert_eq!(location(&app.page("/setup").await), "/login");
    let fields = [("code", code.as_str()), ("name", "Mallory"), ("email", "mallory@example.org"), ("csrf", &csrf)];
    let refused = app.submit("/setup", &fields).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(session_cookie(&refused).is_none());
}

#[tokio::test]
async fn browsers_get_error_pages_in_their_language_and_api_clients_the_json_shape() {
    let app = spawn_app().await;
    let french_browser = [("accept", BROWSER_ACCEPT), ("accept-language", "fr-FR,fr;q=0.9,en;q=0.8")];

    // An unknown address.
    let page = get_with(&app, "/nulle-part", &french_browser).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.html.contains("<html lang=\"fr\"") && page.decoded().contains("Lien introuvable"), "{}", page.html);

    // The API opened in a browser (the link of a notification, say).
    let page = get_with(&app, "/api/v1/events", &french_browser).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(page.headers["www-authenticate"], "Bearer");
    let html = page.decoded();
    assert!(html.contains("tableau de bord") && html.contains("href=\"/\""), "{html}");

    // A route that takes only POST, in English.
    let page = get_with(&app, "/logout", &[("accept", BROWSER_ACCEPT), ("accept-language", "en")]).await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(page.html.contains("<html lang=\"en\""), "{}", page.html);
    assert!(page.headers.contains_key("allow"));

    // API clients, whatever else they accept, keep the one JSON shape.
    for accept in [None, Some("*/*"), Some("application/json"), Some("application/json, text/html;q=0.5")] {
        for path in ["/nulle-part", "/api/v1/events"] {
            let mut request = reqwest::Client::new().get(format!("{}{path}", app.address));
            if let Some(accept) = accept {
                request = request.header("accept", accept);
            }
            let response = request.send().await.unwrap();
            assert!(response.status().is_client_error());
            let body: serde_json::Value = response.json().await.expect("JSON");
            assert!(body["error"].is_string() && body["message"].is_string(), "{accept:?} {path}: {body}");
        }
    }
}

/// The code in the link the log prints (`…/setup?code=ABCD-EFGH-JKMN`).
fn code_in(log: &str) -> String {
    let start = log.find("?code=").unwrap_or_else(|| panic!("no setup link in the log:\n{log}")) + "?code=".len();
    let code: String = log[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    assert_eq!(code.len(), 14, "{log}");
    code
}

/// Sends the setup form to the server at `base`, with its page's token.
async fn post_setup(base: &str, code: &str) -> reqwest::Response {
    let client = no_redirects();
    let form = client.get(format!("{base}/setup")).send().await.unwrap().text().await.unwrap();
    let csrf = Page { status: StatusCode::OK, headers: reqwest::header::HeaderMap::new(), html: form }.csrf();
    client
        .post(format!("{base}/setup"))
        .form(&[("code", code), ("name", "Camille"), ("email", "camille@example.org"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap()
}

/// Reads the server's log line by line until `until` appears; returns what it read.
fn read_log_until(server: &mut Child, until: &str) -> String {
    let stderr = server.stderr.take().expect("piped");
    let mut lines = BufReader::new(stderr).lines();
    let mut read = String::new();
    loop {
        let Some(Ok(line)) = lines.next() else { panic!("the server stopped before logging {until:?}:\n{read}") };
        read.push_str(&line);
        read.push('\n');
        if line.contains(until) {
            // Keep draining, so the server never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return read;
        }
    }
}

/// The server's log up to the line saying it listens (at most 30 s), and the server.
async fn until_listening(mut server: Child) -> (String, Child) {
    let reading = tokio::task::spawn_blocking(move || (read_log_until(&mut server, "convive is listening"), server));
    tokio::time::timeout(Duration::from_secs(30), reading).await.expect("the server starts").unwrap()
}

fn serve(database_url: &str, port: u16) -> Child {
    convive()
        .arg("serve")
        .env("CONVIVE_DATABASE_URL", database_url)
        .env("CONVIVE_BIND", format!("127.0.0.1:{port}"))
        .env("CONVIVE_LOG", "info")
        .env("CONVIVE_MAIL_DIR", std::env::temp_dir().join("convive-setup-test-mail"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn the_server_prints_a_setup_code_only_while_there_is_no_organiser() {
    let database = test_database().await;
    let port = free_port();
    let server = serve(&database.url, port);
    let (log, mut first) = until_listening(server).await;
    let code = code_in(&log);
    assert!(log.contains(&format!("http://127.0.0.1:{port}/setup?code={code}")), "{log}");

    let base = format!("http://127.0.0.1:{port}");
    let client = no_redirects();
    let home = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.headers()["location"], "/setup");
    let done = post_setup(&base, &code).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/dashboard");
    let stopped = stop_with_sigterm(&mut first).await;
    assert!(stopped.success(), "{stopped:?}");

    // Started again with an organiser: no code, and `/` signs in.
    let (log, mut second) = until_listening(serve(&database.url, port)).await;
    assert!(!log.contains("setup code") && !log.contains("?code="), "no setup code once an organiser exists:\n{log}");
    let home = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.headers()["location"], "/login");
    let stopped = stop_with_sigterm(&mut second).await;
    assert!(stopped.success(), "{stopped:?}");
}

#[tokio::test]
async fn login_link_prints_the_public_url_the_server_runs_at() {
    let database = test_database().await;
    let port = free_port();
    let config = database.scratch.path().join("server.toml");
    std::fs::write(
        &config,
        format!(
            "database_url = \"{}\"\nbind = \"127.0.0.1:{port}\"\npublic_url = \"https://rsvp.example.org/convive\"\n",
            database.url
        ),
    )
    .unwrap();
    let created = convive()
        .args(["organiser", "create", "--name", "Anne", "--email", "anne@example.org"])
        .env("CONVIVE_DATABASE_URL", &database.url)
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let login_link = |extra: &[(&str, &str)]| {
        let mut command = convive();
        command.args(["organiser", "login-link", "--email", "anne@example.org"]);
        command.env("CONVIVE_DATABASE_URL", &database.url);
        for (name, value) in extra {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };

    // Before any server ran here: the default.
    assert!(login_link(&[]).starts_with("http://127.0.0.1:8080/login/"));

    // The server, started with its URL in its own file: a command that
    // reads no file prints the server's URL, not its own default.
    let server = convive()
        .args(["serve", "--config"])
        .arg(&config)
        .env("CONVIVE_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (_, mut server) = until_listening(server).await;
    let link = login_link(&[]);
    assert!(link.starts_with("https://rsvp.example.org/convive/login/"), "{link}");
    let link = login_link(&[("CONVIVE_CONFIG", config.to_str().unwrap())]);
    assert!(link.starts_with("https://rsvp.example.org/convive/login/"), "{link}");
    // Told otherwise, the command prints what it was told.
    let link = login_link(&[("CONVIVE_PUBLIC_URL", "https://other.example.org")]);
    assert!(link.starts_with("https://other.example.org/login/"), "{link}");
    assert!(stop_with_sigterm(&mut server).await.success());
}

#[tokio::test]
async fn the_code_any_process_printed_works_on_every_process_of_one_database() {
    let database = test_database().await;
    let (one, two) = (free_port(), free_port());
    let (log_one, mut first) = until_listening(serve(&database.url, one)).await;
    let (log_two, mut second) = until_listening(serve(&database.url, two)).await;
    let (code_one, code_two) = (code_in(&log_one), code_in(&log_two));
    assert_ne!(code_one, code_two, "each process prints its own");

    // Behind a load balancer, the form may reach the other process.
    let done = post_setup(&format!("http://127.0.0.1:{two}"), &code_one).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    // Then neither code opens anything, on either process.
    for (port, code) in [(one, &code_two), (two, &code_two), (one, &code_one)] {
        let base = format!("http://127.0.0.1:{port}");
        let home = no_redirects().get(format!("{base}/")).send().await.unwrap();
        assert_eq!(home.headers()["location"], "/login");
        let refused = no_redirects()
            .post(format!("{base}/setup"))
            .form(&[("code", code.as_str()), ("name", "Mallory"), ("email", "mallory@example.org")])
            .send()
            .await
            .unwrap();
        assert!(refused.status().is_client_error(), "{port}: {}", refused.status());
    }
    let stopped = stop_with_sigterm(&mut first).await;
    assert!(stopped.success(), "{stopped:?}");
    let stopped = stop_with_sigterm(&mut second).await;
    assert!(stopped.success(), "{stopped:?}");
}
