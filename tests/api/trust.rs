//! Trust: with `inbound_auth = "require"`, a calendar reply is applied only
//! when a DKIM signature aligned with its From domain verifies (DMARC's
//! rule), checked by mail-auth against a real DNS server (dnslib) that
//! publishes the guest's provider's key and DMARC policy; the replies are
//! signed as her provider would, by an independent signer (dkimpy). What
//! fails is held as « authentication failed » and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use convive::config::InboundAuth;

use crate::dns::{DnsServer, SigningKey};
use crate::helpers::TestApp;
use crate::inbound::{GUEST, answer_of, fixture, held, invited_with, post_message};
use crate::mailbox::MailServer;

/// Zoé's provider (example.org) signs with selector `s1` and asks for
/// DMARC `p=reject`; evil.test signs with its own key.
struct Dns {
    server: DnsServer,
    hers: SigningKey,
    evil: SigningKey,
}

fn published() -> Dns {
    let hers = SigningKey::generate();
    let evil = SigningKey::generate();
    let server = DnsServer::start(&[
        ("s1._domainkey.example.org", &hers.record),
        ("_dmarc.example.org", "v=DMARC1; p=reject; rua=mailto:dmarc@example.org"),
        ("s1._domainkey.evil.test", &evil.record),
    ]);
    Dns { server, hers, evil }
}

async fn checking_app(mail: &MailServer, dns: &Dns) -> (TestApp, String, String) {
    let address = dns.server.address;
    invited_with(mail, |s| {
        s.inbound_auth = InboundAuth::Require;
        s.dns_server = Some(address);
    })
    .await
}

#[tokio::test]
async fn a_reply_signed_by_the_guests_domain_with_dmarc_published_is_applied() {
    let (mail, dns) = (MailServer::start().await, published());
    let (app, event_id, to) = checking_app(&mail, &dns).await;
    let raw = fixture("gmail", &to, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "signed@example.org");
    let signed = dns.hers.sign(&raw, "example.org", "s1");

    let (status, body) = post_message(&app, &signed, None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(answer_of(&app, &event_id).await, "yes");
    assert!(held(&app).await.is_empty());
}

#[tokio::test]
async fn a_signed_reply_altered_on_the_way_is_held_as_authentication_failed_and_changes_nothing() {
    let (mail, dns) = (MailServer::start().await, published());
    let (app, event_id, to) = checking_app(&mail, &dns).await;
    let raw = fixture("gmail", &to, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "altered@example.org");
    let signed = dns.hers.sign(&raw, "example.org", "s1");
    // Her "yes", turned into a "no" after her provider signed it.
    let altered = signed.replacen("PARTSTAT=ACCEPTED", "PARTSTAT=DECLINED", 1);
    assert_ne!(altered, signed);

    assert_eq!(post_message(&app, &altered, None).await.0, StatusCode::ACCEPTED);
    assert_eq!(answer_of(&app, &event_id).await, serde_json::Value::Null, "nothing applied");
    let replies = held(&app).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0]["reason"], "auth_failed");
    assert_eq!(replies[0]["answer"], "no");

    // Her list says why, in her words, with what the checks found.
    let text = replies_page(&app).await;
    assert!(text.contains("Authentification échouée"), "{text}");
    assert!(text.contains("Signature DKIM de example.org\u{a0}: invalide"), "{text}");
    assert!(text.contains("DMARC de example.org\u{a0}: échec"), "{text}");

    // She may still apply it in one click, having checked with Zoé.
    let id = replies[0]["id"].as_str().unwrap();
    app.post(&format!("/api/v1/replies-to-check/{id}/apply"), json!({})).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(answer_of(&app, &event_id).await, "no");
}

#[tokio::test]
async fn a_reply_in_her_name_signed_by_another_domain_fails_dmarc_and_is_held() {
    let (mail, dns) = (MailServer::start().await, published());
    let (app, event_id, to) = checking_app(&mail, &dns).await;
    let uid = format!("{event_id}@convive");
    // A valid signature, but evil.test's: DMARC of example.org fails (p=reject).
    let raw = fixture("gmail", &to, GUEST, &uid, "DECLINED", "forged@evil.test");
    let forged = dns.evil.sign(&raw, "evil.test", "s1");
    assert_eq!(post_message(&app, &forged, None).await.0, StatusCode::ACCEPTED);
    // No signature at all: nothing proves who wrote it either.
    let unsigned = fixture("gmail", &to, GUEST, &uid, "DECLINED", "unsigned@example.org");
    assert_eq!(post_message(&app, &unsigned, None).await.0, StatusCode::ACCEPTED);

    assert_eq!(answer_of(&app, &event_id).await, serde_json::Value::Null, "nothing applied");
    let replies = held(&app).await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert!(replies.iter().all(|r| r["reason"] == "auth_failed"), "{replies:?}");
    let text = replies_page(&app).await;
    assert!(text.contains("Signature DKIM de evil.test\u{a0}: valide, mais ce n'est pas le domaine"), "{text}");
    assert!(text.contains("Aucune signature DKIM"), "{text}");
    assert!(text.contains("demande «\u{a0}reject\u{a0}»"), "{text}");
}

/// Her « replies to check », as she reads it (in French).
async fn replies_page(app: &TestApp) -> String {
    use crate::dashboard::{sign_in_with, terminal_login_link};
    let anne = sign_in_with(app, &terminal_login_link(app, "anne@example.org").await).await.in_french();
    let page = anne.get("/dashboard/replies").await;
    assert_eq!(page.status, StatusCode::OK);
    page.decoded()
}
