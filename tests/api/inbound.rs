//! Answers from the calendar: the invitation names a reply address per
//! guest; calendar replies posted to the inbound door (as a provider's
//! webhook would) answer for the guest the address names, through the same
//! rules as her page; what cannot be trusted waits for the organiser.

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};

use convive::clock::Clock;

use crate::helpers::{ON_DEMAND, TestApp, send_mail_to, spawn_app_with_parts};
use crate::mailbox::MailServer;

pub(crate) const SECRET: &str = "inbound-test-secret";
pub(crate) const GUEST: &str = "zoe@example.org";

/// An app with a reply address and an open inbound door, a published event
/// and Zoé invited; returns the app, the event id and the ORGANIZER address
/// her invitation names.
async fn invited(server: &MailServer) -> (TestApp, String, String) {
    invited_with(server, |_| {}).await
}

/// `invited`, with the settings adjusted by `configure` (an IMAP mailbox).
pub(crate) async fn invited_with(
    server: &MailServer,
    configure: impl FnOnce(&mut convive::config::Settings),
) -> (TestApp, String, String) {
    invited_on(server, Clock::system(), json!({ "title": "Petit-déjeuner" }), configure).await
}

/// `invited_with`, on the app's `clock`, to an event made of `overrides`.
pub(crate) async fn invited_on(
    server: &MailServer,
    clock: Clock,
    overrides: Value,
    configure: impl FnOnce(&mut convive::config::Settings),
) -> (TestApp, String, String) {
    let app = spawn_app_with_parts(clock, ON_DEMAND, |s| {
        send_mail_to(s, server);
        s.reply_address = Some("rsvp@convive.test".to_owned());
        s.inbound_secret = Some(SECRET.to_owned().into());
        configure(s);
    })
    .await;
    let event_id = app.create_published_event(overrides).await;
    app.post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": GUEST, "name": "Zoé Lefèvre" }))
        .await
        .expect(StatusCode::CREATED);
    app.dispatch_all_pending_emails().await;
    let invitation = server.messages().into_iter().find(|m| m.recipient() == GUEST).expect("her invitation");
    let (_, _, ics) = invitation.calendar_parts().into_iter().next().expect("a calendar part");
    let unfolded = ics.replace("\r\n ", "");
    let organizer = unfolded.lines().find(|l| l.starts_with("ORGANIZER")).expect("an ORGANIZER line");
    let address = organizer.rsplit_once("mailto:").unwrap().1.trim().to_owned();
    (app, event_id, address)
}

/// A fixture of `tests/fixtures/replies/`, filled in, with CRLF line ends.
pub(crate) fn fixture(name: &str, to: &str, guest: &str, uid: &str, partstat: &str, message_id: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/replies");
    let fill = |text: String| {
        text.replace("{TO}", to)
            .replace("{GUEST}", guest)
            .replace("{UID}", uid)
            .replace("{PARTSTAT}", partstat)
            .replace("{MID}", message_id)
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
    };
    let mut message = fill(std::fs::read_to_string(dir.join(format!("{name}.eml"))).unwrap());
    if message.contains("{CALENDAR_BASE64}") {
        let calendar = if let Ok(text) = std::fs::read_to_string(dir.join(format!("{name}.ics"))) {
            fill(text)
        } else {
            let start = message.find("BEGIN:VCALENDAR").unwrap();
            let end = message.find("END:VCALENDAR\r\n").unwrap() + "END:VCALENDAR\r\n".len();
            message[start..end].to_owned()
        };
        let encoded = base64::engine::general_purpose::STANDARD.encode(calendar.as_bytes());
        let lines: Vec<&str> = encoded.as_bytes().chunks(76).map(|chunk| std::str::from_utf8(chunk).unwrap()).collect();
        message = message.replace("{CALENDAR_BASE64}", &lines.join("\r\n"));
    }
    message
}

pub(crate) async fn post_message(app: &TestApp, raw: &str, recipient: Option<&str>) -> (StatusCode, Value) {
    let mut url = format!("{}/api/v1/inbound/messages", app.address);
    if let Some(recipient) = recipient {
        url = format!(
            "{url}?recipient={}",
            url::form_urlencoded::byte_serialize(recipient.as_bytes()).collect::<String>()
        );
    }
    let response = app
        .client
        .post(url)
        .bearer_auth(SECRET)
        .header("content-type", "message/rfc822")
        .body(raw.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn answer_of(app: &TestApp, event_id: &str) -> Value {
    app.guest(event_id, GUEST).await["reply"]["answer"].clone()
}

pub(crate) async fn held(app: &TestApp) -> Vec<Value> {
    app.get("/api/v1/replies-to-check").await.expect(StatusCode::OK)["replies"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_invitation_names_a_reply_address_that_is_hers_alone() {
    let server = MailServer::start().await;
    let (_app, _event_id, address) = invited(&server).await;
    let (local, domain) = address.split_once('@').unwrap();
    assert_eq!(domain, "convive.test");
    let token = local.strip_prefix("rsvp+").expect("rsvp+<token>");
    assert_eq!(token.len(), 52, "{token}");
    assert!(token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{token}");
}

#[tokio::test]
async fn each_calendar_client_answers_for_the_right_guest() {
    let server = MailServer::start().await;
    let (app, event_id, to) = invited(&server).await;
    let uid = format!("{event_id}@convive");
    for (client, partstat, expected) in
        [("gmail", "ACCEPTED", "yes"), ("outlook", "DECLINED", "no"), ("thunderbird", "TENTATIVE", "maybe")]
    {
        let raw = fixture(client, &to, GUEST, &uid, partstat, &format!("{client}-1@mail.example"));
        let (status, body) = post_message(&app, &raw, None).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{client}: {body}");
        assert_eq!(answer_of(&app, &event_id).await, expected, "{client}");
    }
    // Outlook's note reached her answer, and each change is logged as from her calendar.
    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    let changes = history["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 3, "{history}");
    assert!(changes.iter().all(|c| c["channel"] == "calendar"), "{history}");
    assert!(changes[1]["reply"]["comment"].as_str().unwrap().contains("Avec plaisir, je viens"), "{history}");

    // Apple replies from her iCloud address: held for the organiser, under her name.
    let raw = fixture("apple", &to, GUEST, &uid, "ACCEPTED", "apple-1@icloud.example");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    assert_eq!(answer_of(&app, &event_id).await, "maybe", "not applied silently");
    let replies = held(&app).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0]["reason"], "other_sender");
    assert_eq!(replies[0]["guest_email"], GUEST);
    assert_eq!(replies[0]["from"], "zoe.lefevre@icloud.com");
    assert_eq!(replies[0]["answer"], "yes");
    // One click applies it.
    let id = replies[0]["id"].as_str().unwrap();
    app.post(&format!("/api/v1/replies-to-check/{id}/apply"), json!({})).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(answer_of(&app, &event_id).await, "yes");
    assert!(held(&app).await.is_empty());
    app.post(&format!("/api/v1/replies-to-check/{id}/apply"), json!({})).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_same_reply_delivered_twice_is_applied_once() {
    let server = MailServer::start().await;
    let (app, event_id, to) = invited(&server).await;
    let raw = fixture("gmail", &to, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "twice@mail.example");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    let (status, body) = post_message(&app, &raw, None).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("duplicate")));
    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    assert_eq!(history["changes"].as_array().unwrap().len(), 1, "{history}");
}

#[tokio::test]
async fn the_token_is_read_from_the_envelope_not_from_the_reply() {
    let server = MailServer::start().await;
    let (app, event_id, to) = invited(&server).await;
    // Headers name the bare address (a provider rewrote them); the envelope carries her token.
    let raw = fixture("thunderbird", "rsvp@convive.test", GUEST, &format!("{event_id}@convive"), "DECLINED", "env@x");
    assert_eq!(post_message(&app, &raw, Some(&to)).await.0, StatusCode::ACCEPTED);
    assert_eq!(answer_of(&app, &event_id).await, "no");
}

#[tokio::test]
async fn forged_or_foreign_replies_are_held_and_change_nothing() {
    let server = MailServer::start().await;
    let (app, event_id, to) = invited(&server).await;
    let uid = format!("{event_id}@convive");
    // A made-up token on the right event.
    let forged_to = format!("rsvp+{}@convive.test", "0".repeat(52));
    let raw = fixture("gmail", &forged_to, GUEST, &uid, "ACCEPTED", "forged@x");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    // Her invitation forwarded to Marc, who accepts it from his own calendar.
    let raw = fixture("gmail", &to, "marc@example.net", &uid, "ACCEPTED", "forwarded@x");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    assert!(answer_of(&app, &event_id).await.is_null(), "nothing was applied");

    let replies = held(&app).await;
    let reasons: Vec<&str> = replies.iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["unknown_guest", "someone_else"], "{replies:?}");
    assert!(replies[0]["guest_id"].is_null());
    assert_eq!(replies[1]["attendee"], "marc@example.net", "someone else wants to come");
    assert_eq!(replies[1]["guest_email"], GUEST, "through her invitation");
    // Discarding changes nothing.
    let id = replies[1]["id"].as_str().unwrap();
    app.post(&format!("/api/v1/replies-to-check/{id}/discard"), json!({})).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(held(&app).await.len(), 1);
    assert!(answer_of(&app, &event_id).await.is_null());
    // Someone who is not her guest has nothing to apply.
    let id = held(&app).await[0]["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/replies-to-check/{id}/apply"), json!({})).await.expect(StatusCode::NOT_FOUND);
    assert!(answer_of(&app, &event_id).await.is_null());
}

#[tokio::test]
async fn the_inbound_door_wants_its_secret() {
    let server = MailServer::start().await;
    let (app, event_id, to) = invited(&server).await;
    let raw = fixture("gmail", &to, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "secret@x");
    let url = format!("{}/api/v1/inbound/messages", app.address);
    for auth in [None, Some("Bearer wrong"), Some("Basic YXBpOndyb25n")] {
        let mut request = app.client.post(&url).header("content-type", "message/rfc822").body(raw.clone());
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        assert_eq!(request.send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "{auth:?}");
    }
    assert!(answer_of(&app, &event_id).await.is_null());
    // Basic auth with the secret as password, as Mailgun and Postmark call a URL.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("api:{SECRET}"));
    let response = app
        .client
        .post(&url)
        .header("authorization", format!("Basic {basic}"))
        .header("content-type", "message/rfc822")
        .body(raw)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(answer_of(&app, &event_id).await, "yes");
}

#[tokio::test]
async fn a_mail_to_the_unsubscribe_address_unsubscribes_her() {
    let server = MailServer::start().await;
    let (app, event_id, _) = invited(&server).await;
    let invitation = server.messages().into_iter().find(|m| m.recipient() == GUEST).unwrap();
    let header = invitation.header("List-Unsubscribe").unwrap();
    let mailto = header.split(['<', '>']).find(|part| part.starts_with("mailto:")).expect("a mailto: URI");
    // What a mail client sends for the mailto: form: to the address, with the subject given.
    let (address, query) = mailto.trim_start_matches("mailto:").split_once('?').unwrap();
    assert_eq!(address, "rsvp@convive.test", "the inbound pipeline's address");
    let subject = query.strip_prefix("subject=").unwrap().replace("%20", " ");
    let raw = format!(
        "From: {GUEST}\r\nTo: {address}\r\nSubject: {subject}\r\nMessage-ID: <unsub@example.org>\r\n\r\nunsubscribe\r\n"
    );
    assert_eq!(app.guest(&event_id, GUEST).await["unsubscribed"], false);
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    assert_eq!(app.guest(&event_id, GUEST).await["unsubscribed"], true);
    // A made-up token unsubscribes nobody.
    let raw = raw.replace("unsub@example.org", "forged@example.org").replace(&subject, "unsubscribe AAAA.BBBB");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn the_organiser_checks_held_replies_in_her_dashboard_on_a_desktop_and_a_phone() {
    use crate::browser::{browser, screenshot};
    use crate::dashboard::{sign_in_with, terminal_login_link};

    let server = MailServer::start().await;
    let (app, event_id, to) = invited(&server).await;
    let uid = format!("{event_id}@convive");
    let raw = fixture("apple", &to, GUEST, &uid, "ACCEPTED", "apple-dash@icloud.example");
    post_message(&app, &raw, None).await;
    let raw = fixture("gmail", &to, "marc@example.net", &uid, "ACCEPTED", "marc-dash@x");
    post_message(&app, &raw, None).await;

    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let page = anne.get("/dashboard/replies").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.decoded();
    assert!(text.contains("Envoyée depuis une autre adresse"), "{text}");
    assert!(text.contains("Quelqu'un d'autre souhaite venir"), "{text}");
    assert!(text.contains("zoe.lefevre@icloud.com") && text.contains("marc@example.net"), "{text}");
    // Marc's "yes" is shown as his, never applied to Zoé.
    assert_eq!(text.matches("Appliquer cette réponse").count(), 1, "{text}");
    assert!(text.contains("Invitation transférée par"), "{text}");

    let cookie = anne.cookie().split_once('=').unwrap();
    for width in [1280, 360] {
        let seen = browser(
            "visit",
            &json!({
                "url": format!("{}/dashboard/replies", app.address), "width": width, "height": 800, "locale": "fr-FR",
                "cookies": [{ "name": cookie.0, "value": cookie.1, "url": app.address }],
                "screenshot": screenshot(&format!("replies-to-check-{width}")), "audit": true,
            }),
        )
        .await;
        assert_eq!(seen["status"], 200, "{width}: {seen}");
        assert_eq!(seen["horizontal_overflow"], false, "replies at {width} px scroll sideways");
        assert_eq!(seen["axe"], json!([]), "axe-core finds the replies page at {width} px wanting");
    }

    // One click: Zoé's "yes" from her iCloud address is applied.
    let apple = held(&app).await.into_iter().find(|r| r["reason"] == "other_sender").unwrap();
    let applied = anne
        .submit("/dashboard/replies", &format!("/dashboard/replies/{}/apply", apple["id"].as_str().unwrap()), &[])
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER);
    assert!(anne.follow(&applied).await.decoded().contains("La réponse est appliquée."));
    assert_eq!(answer_of(&app, &event_id).await, "yes");
    let marc = held(&app).await.pop().unwrap();
    let discarded = anne
        .submit("/dashboard/replies", &format!("/dashboard/replies/{}/discard", marc["id"].as_str().unwrap()), &[])
        .await;
    assert!(anne.follow(&discarded).await.html.contains("id=\"replies-empty\""));
}

#[tokio::test]
async fn a_public_file_names_the_organiser_and_a_guests_own_copy_her_reply_address() {
    let server = MailServer::start().await;
    let (app, event_id, _) = invited(&server).await;
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "open_registration": true })).await.expect(StatusCode::OK);
    // No guest in a public file or the organiser's feed: a reply to it could
    // answer for nobody, so it names her, who reads her mail.
    let feed = app.get("/api/v1/me/feed").await.expect(StatusCode::OK);
    let feed_path = feed["https"].as_str().unwrap().trim_start_matches("http://127.0.0.1:8080").to_owned();
    for path in [format!("/e/{event_id}/calendar.ics"), feed_path] {
        let text = app.client.get(format!("{}{path}", app.address)).send().await.unwrap().text().await.unwrap();
        let parsed = crate::mailbox::parse_ics(&text);
        // (Python icalendar reports ORGANIZER; the others' summaries leave it out.)
        for parser in crate::mailbox::PARSERS.into_iter().filter(|p| parsed[p]["events"][0].get("organizer").is_some())
        {
            let organizer = parsed[parser]["events"][0]["organizer"].as_str().unwrap_or_default().to_ascii_lowercase();
            assert!(organizer.ends_with("anne@example.org"), "{path} {parser}: {organizer}");
        }
        assert!(parsed["icalendar"]["events"][0].get("organizer").is_some());
        assert!(!text.contains("rsvp@convive.test"), "{path}: the bare reply address matches nobody\n{text}");
    }

    // A guest's own copy names the address of her invitation, and a reply
    // sent there from that copy answers for her.
    let (_, token) = app.invite(&event_id, "ben@example.org").await;
    app.dispatch_all_pending_emails().await;
    let invitation = server.messages().into_iter().find(|m| m.recipient() == "ben@example.org").unwrap();
    let (_, _, request) = invitation.calendar_parts().into_iter().next().unwrap();
    let organizer_of = |ics: &str| {
        let unfolded = ics.replace("\r\n ", "");
        unfolded.lines().find(|l| l.starts_with("ORGANIZER")).unwrap().rsplit_once("mailto:").unwrap().1.to_owned()
    };
    let copy = app.client.get(format!("{}/i/{token}/calendar.ics", app.address)).send().await.unwrap();
    let address = organizer_of(&copy.text().await.unwrap());
    assert_eq!(address, organizer_of(&request));
    assert!(address.starts_with("rsvp+"), "{address}");
    let raw = fixture("gmail", &address, "ben@example.org", &format!("{event_id}@convive"), "ACCEPTED", "copy@x");
    let raw = raw.replace(GUEST, "ben@example.org");
    assert_eq!(post_message(&app, &raw, None).await.0, StatusCode::ACCEPTED);
    assert_eq!(app.guest(&event_id, "ben@example.org").await["reply"]["answer"], "yes");
}
