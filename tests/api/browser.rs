//! In a real browser (headless Chromium driven by playwright-core, through
//! `tests/tools/browser.mjs`): a guest follows the link from the email she
//! actually received, answers, and reads the confirmation, on a desktop and
//! on a phone. Screenshots land in the test's target folder for a look.

use std::time::Duration;
use tokio::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{reachable_at_its_links, spawn_app_with};
use crate::mailbox::MailServer;

const WAIT: Duration = Duration::from_secs(10);

/// Runs one scenario of `browser.mjs` and returns what it printed. Async:
/// the app runs on this test's runtime and must keep serving meanwhile.
async fn browser(scenario: &str, args: &Value) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/browser.mjs");
    let output = Command::new("node")
        .arg(script)
        .arg(scenario)
        .arg(args.to_string())
        .output()
        .await
        .expect("node is installed (see .ci/run)");
    assert!(
        output.status.success(),
        "the browser scenario {scenario} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    serde_json::from_slice(&output.stdout).expect("browser.mjs prints JSON")
}

fn screenshot(name: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
    std::fs::create_dir_all(dir).unwrap();
    format!("{dir}/{name}.png")
}

/// Desktop and phone: from the link in the received email to the confirmation.
#[tokio::test]
async fn a_guest_answers_from_her_email_in_a_browser_on_a_desktop_and_on_a_phone() {
    let server = MailServer::start().await;
    let app = spawn_app_with(convive::clock::Clock::system(), |s| {
        reachable_at_its_links(s);
        s.smtp_host = Some("127.0.0.1".to_owned());
        s.smtp_port = Some(server.port);
        s.smtp_security = convive::config::SmtpSecurity::None;
    })
    .await;
    let event_id =
        app.create_published_event(json!({ "title": "Café des Victoires <b>& co</b>", "companions_allowed": 2 })).await;
    for (email, language) in [("desk@example.org", "en"), ("phone@example.org", "fr")] {
        app.post(
            &format!("/api/v1/events/{event_id}/guests"),
            json!({ "email": email, "name": "Jane Doe", "language": language }),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let messages = server.wait_for(2, WAIT).await;

    for (email, width, height, mobile, confirmation) in [
        ("desk@example.org", 1280, 800, false, "Got it, you're coming!"),
        ("phone@example.org", 360, 740, true, "C'est noté, vous venez"),
    ] {
        let message = messages.iter().find(|m| m.recipient() == email).expect("her invitation");
        let yes_link = message.link(&format!("{}/i/", app.address));
        assert!(yes_link.ends_with("?answer=yes"), "the first link is the yes button: {yes_link}");

        // Mail scanners open every link: that alone changes nothing.
        for link in ["?answer=yes", "?answer=no", "?answer=maybe"] {
            let url = yes_link.replace("?answer=yes", link);
            let visited =
                browser("visit", &json!({ "url": url, "width": width, "height": height, "mobile": mobile })).await;
            assert_eq!(visited["status"], 200, "{visited}");
        }
        assert!(app.guest(&event_id, email).await["reply"].is_null(), "opening links answered for her");

        let result = browser(
            "answer",
            &json!({
                "url": yes_link, "answer": "yes", "companions": 1, "comment": "J'apporte des croissants 🥐",
                "width": width, "height": height, "mobile": mobile,
                "screenshot": screenshot(&format!("invitation-{width}")),
            }),
        )
        .await;
        let before = &result["before"];
        assert_eq!(before["checked"], "yes", "the emailed answer is ticked: {result}");
        assert_eq!(before["horizontal_overflow"], false, "the page fits {width} px: {result}");
        let after = &result["after"];
        assert_eq!(after["status"], 200, "{result}");
        assert!(after["url"].as_str().unwrap().ends_with("?saved=1"), "{result}");
        let text = after["confirmation"].as_str().unwrap_or_default();
        assert!(text.contains(confirmation), "{email}: {result}");
        assert_eq!(after["checked"], "yes");
        assert_eq!(after["companions"], "1");
        assert_eq!(after["horizontal_overflow"], false, "{result}");

        let guest = app.guest(&event_id, email).await;
        assert_eq!(guest["reply"]["answer"], "yes");
        assert_eq!(guest["reply"]["companions"], 1);
        assert_eq!(guest["reply"]["comment"], "J'apporte des croissants 🥐");
    }
}
