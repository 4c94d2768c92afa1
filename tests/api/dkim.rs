//! DKIM: a key made by `convive dkim generate` signs every email, and an
//! independent verifier (Python's dkimpy) accepts what the SMTP server got.

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};

use convive::clock::Clock;

use crate::helpers::{ON_DEMAND, send_mail_to, spawn_app_with_parts};
use crate::mailbox::{MailServer, tool};

/// (private key PEM, DNS name, TXT value), as the command prints them.
pub(crate) fn generate_key(algorithm: &str) -> (String, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_convive"))
        .args(["dkim", "generate", "--selector", "s2026", "--domain", "convive.test", "--algorithm", algorithm])
        .env("CONVIVE_LOG", "error")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let pem = String::from_utf8(output.stdout).unwrap();
    let instructions = String::from_utf8(output.stderr).unwrap();
    let line = instructions.lines().find(|l| l.contains("._domainkey.")).expect("the DNS record is printed");
    let (name, rest) = line.trim().split_once("  TXT  ").unwrap();
    (pem, name.to_owned(), rest.trim_matches('"').to_owned())
}

pub(crate) fn dkimpy(raw: &str, name: &str, record: &str) -> Value {
    let mut child = Command::new("python3")
        .arg(tool("dkim_verify.py"))
        .args(["--name", name, "--record", record])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with dkimpy is installed (tests/tools/requirements.txt)");
    child.stdin.take().unwrap().write_all(raw.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "dkimpy failed:\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn every_email_leaves_signed_and_an_independent_verifier_accepts_it() {
    let (pem, name, record) = generate_key("rsa");
    assert_eq!(name, "s2026._domainkey.convive.test");
    assert!(record.starts_with("v=DKIM1; k=rsa; p="), "{record}");
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"), "{pem}");

    let server = MailServer::start().await;
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, |s| {
        send_mail_to(s, &server);
        s.mail_from = "Convive <rsvp@convive.test>".to_owned();
        s.dkim_private_key = Some(pem.clone().into());
        s.dkim_selector = Some("s2026".to_owned());
    })
    .await;
    // Text that lettre encodes in headers and bodies: the signature covers the bytes sent.
    let event_id =
        app.create_published_event(json!({ "title": "Petit-déjeuner « réseau », 8h30 =?utf-8?q?x?=" })).await;
    app.post(
        &format!("/api/v1/events/{event_id}/guests"),
        json!({ "email": "zoe@example.org", "name": "Zoé Lefèvre" }),
    )
    .await
    .expect(StatusCode::CREATED);
    app.dispatch_all_pending_emails().await;
    let messages = server.messages();
    let invitation = messages.iter().find(|m| m.recipient() == "zoe@example.org").expect("her invitation");

    let result = dkimpy(&invitation.raw, &name, &record);
    assert_eq!(result["verified"], true, "{result}\n{}", invitation.raw);
    assert_eq!(result["domain"], "convive.test");
    assert_eq!(result["selector"], "s2026");
    assert_eq!(result["canonicalization"], "relaxed/relaxed");
    assert_eq!(result["algorithm"], "rsa-sha256");
    let headers: Vec<&str> = result["headers"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    for needed in ["list-unsubscribe", "list-unsubscribe-post", "subject", "to", "message-id", "date"] {
        assert!(headers.contains(&needed), "{needed} is not signed: {headers:?}");
    }
    assert!(headers.iter().filter(|h| **h == "from").count() >= 2, "From is over-signed: {headers:?}");

    // The same verifier rejects what was changed on the way, or a second From.
    let tampered =
        invitation.raw.replacen("List-Unsubscribe-Post: List-Unsubscribe=One-Click", "List-Unsubscribe-Post: x", 1);
    assert_ne!(tampered, invitation.raw);
    assert_eq!(dkimpy(&tampered, &name, &record)["verified"], false);
    let second_from = invitation.raw.replacen("\r\n\r\n", "\r\nFrom: boss@convive.test\r\n\r\n", 1);
    assert_eq!(dkimpy(&second_from, &name, &record)["verified"], false);
    let (_, _, other_record) = generate_key("rsa");
    assert_eq!(dkimpy(&invitation.raw, &name, &other_record)["verified"], false, "another key does not verify it");
}
