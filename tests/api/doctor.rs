//! The mail health check (`convive doctor mail` and the dashboard page)
//! against a real DNS server (dnslib): what the sender domain publishes,
//! what is missing with the exact record to publish, and a test message
//! that arrives through a real SMTP server and verifies with dkimpy.

use reqwest::StatusCode;
use serde_json::json;

use convive::clock::Clock;

use crate::cli::convive;
use crate::dashboard::{sign_in_with, terminal_login_link};
use crate::dkim::{dkimpy, generate_key};
use crate::dns::DnsServer;
use crate::helpers::{ON_DEMAND, TestApp, send_mail_to, spawn_app_with_parts};
use crate::mailbox::MailServer;

const SPF: &str = "v=spf1 a:smtp.convive.test mx ~all";
const DMARC: &str = "v=DMARC1; p=none; rua=mailto:dmarc@convive.test";

/// A key for convive.test (selector s2026): (PEM, DNS name, TXT value).
struct Key {
    pem: String,
    name: String,
    record: String,
}

fn key() -> Key {
    let (pem, name, record) = generate_key("rsa");
    Key { pem, name, record }
}

async fn app_with(key: &Key, dns: &DnsServer, mail: &MailServer) -> TestApp {
    let (pem, address) = (key.pem.clone(), dns.address);
    spawn_app_with_parts(Clock::system(), ON_DEMAND, |s| {
        send_mail_to(s, mail);
        "Convive <rsvp@convive.test>".clone_into(&mut s.mail_from);
        s.dkim_private_key = Some(pem.into());
        s.dkim_selector = Some("s2026".to_owned());
        s.dns_server = Some(address);
    })
    .await
}

/// `convive doctor <args>` with the app's settings, in a terminal speaking `lang`.
fn doctor(app: &TestApp, key: &Key, dns: &DnsServer, lang: &str, args: &[&str]) -> std::process::Output {
    convive()
        .arg("doctor")
        .args(args)
        .env("CONVIVE_DATABASE_URL", app.database_url())
        .env("CONVIVE_MAIL_FROM", "Convive <rsvp@convive.test>")
        .env("CONVIVE_DKIM_PRIVATE_KEY", &key.pem)
        .env("CONVIVE_DKIM_SELECTOR", "s2026")
        .env("CONVIVE_DNS_SERVER", dns.address.to_string())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_mail_health_page_is_green_when_spf_dkim_and_dmarc_are_published() {
    let key = key();
    let dns = DnsServer::start(&[
        ("convive.test", "google-site-verification=abc"),
        ("convive.test", SPF),
        (&key.name, &key.record),
        ("_dmarc.convive.test", DMARC),
    ]);
    let mail = MailServer::start().await;
    let app = app_with(&key, &dns, &mail).await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    // A careful organiser finds it from any dashboard page.
    assert!(anne.get("/dashboard").await.html.contains("href=\"/dashboard/mail-health\""));

    let page = anne.get("/dashboard/mail-health").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.decoded();
    assert!(text.contains("Tout est en place"), "{text}");
    assert_eq!(text.matches("En place").count(), 3, "{text}");
    assert!(text.contains(SPF) && text.contains(DMARC), "what was found is shown: {text}");
    assert!(!text.contains("Enregistrement TXT à publier"), "{text}");
}

#[tokio::test]
async fn a_missing_dkim_record_is_named_with_the_record_to_publish_in_the_terminal_and_the_dashboard() {
    use crate::browser::{browser, screenshot};

    let key = key();
    let dns = DnsServer::start(&[("convive.test", SPF), ("_dmarc.convive.test", DMARC)]);
    let mail = MailServer::start().await;
    let app = app_with(&key, &dns, &mail).await;

    let output = doctor(&app, &key, &dns, "C.UTF-8", &["mail"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "something to fix: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("DKIM: your email's signature — Missing"), "{stdout}");
    assert!(stdout.contains(&format!("    {}  TXT  \"{}\"", key.name, key.record)), "{stdout}");
    assert!(stdout.contains("SPF: the servers allowed to send — In place"), "{stdout}");
    assert!(stdout.contains("One thing to fix"), "{stdout}");

    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let text = anne.get("/dashboard/mail-health").await.decoded();
    assert!(text.contains("Un point à corriger"), "{text}");
    assert!(text.contains("Absent") && text.contains(&key.record) && text.contains(&key.name), "{text}");

    // Once published, it is green.
    dns.publish(&[("convive.test", SPF), ("_dmarc.convive.test", DMARC), (&key.name, &key.record)]);
    let output = doctor(&app, &key, &dns, "fr_FR.UTF-8", &["mail"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("Tout est en place"), "{stdout}");

    // Seen as she sees it, with one record missing again.
    dns.publish(&[("convive.test", SPF), (&key.name, &key.record)]);
    let cookie = anne.cookie().split_once('=').unwrap();
    for width in [1280, 360] {
        let seen = browser(
            "visit",
            &json!({
                "url": format!("{}/dashboard/mail-health", app.address), "width": width, "height": 900, "locale": "fr-FR",
                "cookies": [{ "name": cookie.0, "value": cookie.1, "url": app.address }],
                "screenshot": screenshot(&format!("mail-health-{width}")), "audit": true,
            }),
        )
        .await;
        assert_eq!(seen["status"], 200, "{width}: {seen}");
        assert_eq!(seen["horizontal_overflow"], false, "the mail health page at {width} px scrolls sideways");
        assert_eq!(seen["axe"], json!([]), "axe-core finds the mail health page at {width} px wanting");
    }
}

#[tokio::test]
async fn the_test_message_arrives_through_smtp_signed_and_dkimpy_verifies_it() {
    let key = key();
    let dns = DnsServer::start(&[(&key.name, &key.record)]);
    let mail = MailServer::start().await;
    let app = app_with(&key, &dns, &mail).await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();

    let sent = anne.submit("/dashboard/mail-health", "/dashboard/mail-health/test", &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert!(anne.follow(&sent).await.decoded().contains("Un e-mail de test part vers anne@example.org."));
    app.dispatch_all_pending_emails().await;

    let messages = mail.messages();
    let test = messages.iter().find(|m| m.recipient() == "anne@example.org").expect("the test message arrived");
    assert!(test.raw.contains("X-Convive-Kind: mail_test"), "{}", test.raw);
    let result = dkimpy(&test.raw, &key.name, &key.record);
    assert_eq!(result["verified"], true, "{result}\n{}", test.raw);
    assert_eq!(result["domain"], "convive.test");

    // The terminal queues one too, for an organiser's address.
    let output = doctor(&app, &key, &dns, "C.UTF-8", &["mail", "--send-test", "anne@example.org"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("A test email is on its way to anne@example.org."), "{stdout}");
    app.dispatch_all_pending_emails().await;
    assert_eq!(mail.messages().iter().filter(|m| m.recipient() == "anne@example.org").count(), 2);
}
