//! The mail pipeline end to end, through a real SMTP server.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{
    ON_DEMAND, send_mail_to, spawn_app_with_mail, spawn_app_with_mail_and, spawn_app_with_mail_on_demand,
    spawn_app_with_parts,
};
use crate::mailbox::{MailServer, PARSERS, decode_headers, parse_ics};

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn publishing_sends_each_guest_an_invitation_in_her_language_with_a_calendar_request() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event = app.create_event(json!({ "title": "Café <b>des</b> Victoires; 8:30, \"open\"" })).await;
    let event_id = event["id"].as_str().unwrap();
    app.post(&format!("/api/v1/events/{event_id}/guests"), json!({ "email": "jane@example.org", "name": "Doe, Jane" }))
        .await
        .expect(StatusCode::CREATED);
    app.post(
        &format!("/api/v1/events/{event_id}/guests"),
        json!({ "email": "ben@example.org", "name": "<script>Ben & Jerry's</script>", "language": "en" }),
    )
    .await
    .expect(StatusCode::CREATED);
    app.dispatch_all_pending_emails().await;
    assert!(server.messages().is_empty(), "a draft sends nothing");

    app.post(&format!("/api/v1/events/{event_id}/publish"), json!({})).await.expect(StatusCode::OK);
    app.dispatch_all_pending_emails().await;
    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    let jane = messages.iter().find(|m| m.recipient() == "jane@example.org").expect("Jane got hers");
    let ben = messages.iter().find(|m| m.recipient() == "ben@example.org").expect("Ben got his");

    // Language: the guest's, else the event's (French here).
    assert!(jane.subject().starts_with("Invitation\u{a0}: Café <b>des</b> Victoires"), "{}", jane.subject());
    assert!(jane.text().contains("Bonjour Doe, Jane"), "{}", jane.text());
    assert!(ben.subject().starts_with("Invitation: "), "{}", ben.subject());
    assert!(ben.text().contains("Hello <script>Ben & Jerry's</script>"), "plain text is not escaped: {}", ben.text());
    // HTML is escaped: names and titles come out as text.
    assert!(!ben.html().contains("<script>"), "{}", ben.html());
    assert!(ben.html().contains("&lt;script&gt;Ben &amp; Jerry"), "{}", ben.html());
    assert!(!ben.html().contains("<b>des</b>"));

    // Headers.
    assert_eq!(jane.kind(), "invitation");
    let message_id = jane.header("Message-ID").unwrap();
    assert!(message_id.starts_with("<convive.") && message_id.ends_with('>'), "{message_id}");
    let unsubscribe = jane.header("List-Unsubscribe").unwrap();
    assert!(
        unsubscribe.contains("<http://127.0.0.1:8080/unsubscribe/") && unsubscribe.contains("<mailto:"),
        "{unsubscribe}"
    );
    assert_eq!(jane.header("List-Unsubscribe-Post").unwrap(), "List-Unsubscribe=One-Click");
    assert!(jane.header("Reply-To").unwrap().contains("anne@example.org"));

    // iMIP: a text/calendar part with method=REQUEST, and the same object attached.
    let parts = jane.calendar_parts();
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert!(
        parts.iter().all(|(ct, _, _)| ct.contains("method=REQUEST") && ct.to_lowercase().contains("charset=utf-8")),
        "{parts:?}"
    );
    assert!(parts.iter().any(|(_, attachment, _)| attachment.as_deref() == Some("invite.ics")));
    assert_eq!(parts[0].2, parts[1].2, "the inline part and the attachment are the same object");
    let parsed = parse_ics(&parts[0].2);
    for parser in PARSERS {
        let calendar = &parsed[parser];
        assert_eq!(calendar["method"], "REQUEST", "{parser}");
        let vevent = &calendar["events"][0];
        assert_eq!(vevent["uid"], format!("{event_id}@convive"), "{parser}");
        assert_eq!(vevent["summary"], "Café <b>des</b> Victoires; 8:30, \"open\"", "{parser}");
        assert!(vevent["start"].as_str().unwrap().ends_with("07:30:00+00:00"), "{parser}: {vevent}");
        assert_eq!(vevent["attendees"][0]["cn"], "Doe, Jane", "{parser}");
        assert_eq!(vevent["attendees"][0]["partstat"], "NEEDS-ACTION", "{parser}");
        assert_eq!(vevent["attendees"][0]["address"].as_str().unwrap().to_lowercase(), "mailto:jane@example.org");
    }
    assert_eq!(parsed["icalendar"]["events"][0]["attendees"][0]["rsvp"], "TRUE");
    assert_eq!(parsed["icalendar"]["events"][0]["sequence"], 0);
    assert_eq!(parsed["icalendar"]["events"][0]["organizer_cn"], "Anne Organiser");

    // The personal link leads back to her invitation.
    let link = jane.link("http://127.0.0.1:8080/i/");
    let path = link.trim_start_matches("http://127.0.0.1:8080").split('?').next().unwrap().to_owned();
    let page = app.page(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Doe, Jane"), "{}", page.html);

    // Nothing is sent twice.
    app.run_due_work_at(chrono::Utc::now()).await;
    assert_eq!(server.messages().len(), 2);
}

#[tokio::test]
async fn a_guest_added_after_publishing_gets_her_invitation_at_once() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_and(&server, |s| s.scheduler_interval_seconds = 3600).await;
    let event_id = app.create_published_event(json!({})).await;
    app.invite(&event_id, "late@example.org").await;
    // The scheduler would not tick for an hour: the handler woke the dispatcher.
    let messages = server.wait_for(1, WAIT).await;
    assert_eq!(messages[0].recipient(), "late@example.org");
    assert_eq!(messages[0].kind(), "invitation");
}

#[tokio::test]
async fn the_whole_reminder_plan_runs_against_the_real_clock() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    // Eight seconds of margin before the first nudge for the setup below, even on a busy machine.
    let start = chrono::Utc::now() + chrono::Duration::seconds(24);
    let event_id = app
        .create_published_event(json!({
            "starts_at": start.to_rfc3339(),
            "ends_at": (start + chrono::Duration::seconds(2)).to_rfc3339(),
            "follow_up_url": "https://photos.example.org/album",
            "plan": { "nudges": ["PT16S", "PT12S"], "answers_close": "PT10S", "reminder": "PT6S", "follow_up": "PT2S" },
        }))
        .await;
    let (_, yes) = app.invite(&event_id, "yes@example.org").await;
    let (_, maybe) = app.invite(&event_id, "maybe@example.org").await;
    let (_, _silent) = app.invite(&event_id, "silent@example.org").await;
    let (_, no) = app.invite(&event_id, "no@example.org").await;
    app.answer(&yes, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    app.answer(&maybe, json!({ "answer": "maybe" })).await.expect(StatusCode::OK);
    app.answer(&no, json!({ "answer": "no" })).await.expect(StatusCode::OK);

    // 4 invitations; 2 nudges to the silent guest and 2 to the maybe; a
    // reminder and a thank-you to the guest coming; with the reminder, the
    // venue's summary to the organiser.
    let messages = server.wait_for(11, Duration::from_secs(40)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let messages_after = server.messages();
    assert_eq!(messages_after.len(), messages.len(), "nothing more arrives");
    let mut got: Vec<(String, String)> = messages_after.iter().map(|m| (m.recipient().to_owned(), m.kind())).collect();
    got.sort();
    let mut expected: Vec<(String, String)> = [
        ("anne@example.org", "venue_summary"),
        ("maybe@example.org", "invitation"),
        ("maybe@example.org", "nudge_maybe"),
        ("maybe@example.org", "nudge_maybe"),
        ("no@example.org", "invitation"),
        ("silent@example.org", "invitation"),
        ("silent@example.org", "nudge"),
        ("silent@example.org", "nudge"),
        ("yes@example.org", "invitation"),
        ("yes@example.org", "reminder"),
        ("yes@example.org", "thank_you"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    expected.sort();
    assert_eq!(got, expected);
    let thanks = messages_after.iter().find(|m| m.kind() == "thank_you").unwrap();
    assert!(thanks.text().contains("https://photos.example.org/album"));
    // Answers closed at the deadline: "les dés sont jetés".
    let closed = app.answer(&maybe, json!({ "answer": "yes" })).await;
    assert_eq!(closed.status, StatusCode::GONE);
}

#[tokio::test]
async fn a_one_click_unsubscribe_stops_further_mail_and_the_organiser_sees_it() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    app.invite(&event_id, "stay@example.org").await;
    app.invite(&event_id, "leave@example.org").await;
    app.dispatch_all_pending_emails().await;
    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    let leaving = messages.iter().find(|m| m.recipient() == "leave@example.org").unwrap();
    let header = leaving.header("List-Unsubscribe").unwrap();
    let url = header.split(['<', '>']).find(|p| p.starts_with("http")).unwrap().to_owned();
    let path = url.trim_start_matches("http://127.0.0.1:8080");

    // A GET (what a mail scanner does) only shows a page.
    let page = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("method=\"post\"") && html.contains("List-Unsubscribe"), "{html}");
    assert_eq!(app.guest(&event_id, "leave@example.org").await["unsubscribed"], false);

    // The RFC 8058 one-click POST, without any session.
    let done = app
        .client
        .post(format!("{}{path}", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(app.guest(&event_id, "leave@example.org").await["unsubscribed"], true);

    // A change of place would email both; only the one who stayed hears of it.
    app.patch(&format!("/api/v1/events/{event_id}"), json!({ "venue_name": "Le Grand Café" }))
        .await
        .expect(StatusCode::OK);
    app.dispatch_all_pending_emails().await;
    let messages = server.messages();
    let updates: Vec<String> =
        messages.iter().filter(|m| m.kind() == "update").map(|m| m.recipient().to_owned()).collect();
    assert_eq!(updates, ["stay@example.org"], "{messages:?}");
    let skipped = app.guest(&event_id, "leave@example.org").await;
    assert!(skipped["emails"].as_array().unwrap().iter().any(|e| e["kind"] == "update" && e["status"] == "skipped"));

    // A forged link does nothing.
    let forged = app.client.post(format!("{}/unsubscribe/AAAA.BBBB", app.address)).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn moving_the_event_sends_an_update_with_a_higher_sequence_and_cancelling_a_cancellation() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    let (_, declining) = app.invite(&event_id, "declines@example.org").await;
    app.invite(&event_id, "comes@example.org").await;
    server.wait_for(2, WAIT).await;
    app.answer(&declining, json!({ "answer": "no" })).await.expect(StatusCode::OK);

    app.patch(
        &format!("/api/v1/events/{event_id}"),
        json!({ "starts_at": "2031-01-15T09:00", "ends_at": "2031-01-15T11:00" }),
    )
    .await
    .expect(StatusCode::OK);
    let messages = server.wait_for(3, WAIT).await;
    let update = messages.iter().find(|m| m.kind() == "update").unwrap();
    assert_eq!(update.recipient(), "comes@example.org", "those who said no are not bothered");
    let parsed = parse_ics(&update.calendar_parts()[0].2);
    assert_eq!(parsed["icalendar"]["method"], "REQUEST");
    assert_eq!(parsed["icalendar"]["events"][0]["sequence"], 1);
    assert_eq!(parsed["icalendar"]["events"][0]["start"], "2031-01-15T08:00:00+00:00");
    assert_eq!(parsed["vobject"]["events"][0]["uid"], format!("{event_id}@convive"), "same UID, so the entry moves");

    app.post(&format!("/api/v1/events/{event_id}/cancel"), json!({})).await.expect(StatusCode::OK);
    let messages = server.wait_for(4, WAIT).await;
    let cancellation = messages.iter().find(|m| m.kind() == "cancellation").unwrap();
    assert_eq!(cancellation.recipient(), "comes@example.org");
    let parts = cancellation.calendar_parts();
    assert!(parts[0].0.contains("method=CANCEL"), "{parts:?}");
    let parsed = parse_ics(&parts[0].2);
    assert_eq!(parsed["icalendar"]["method"], "CANCEL");
    assert_eq!(parsed["icalendar"]["events"][0]["status"], "CANCELLED");
    assert_eq!(parsed["icalendar"]["events"][0]["sequence"], 2);
}

#[tokio::test]
async fn a_permanent_refusal_shows_as_failed_on_the_guest() {
    let server = MailServer::start().await;
    server.reject_everything();
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    app.invite(&event_id, "bounce@example.org").await;
    let now = chrono::Utc::now();
    app.run_due_work_at(now).await;
    // An hour on, well past any retry time: a 5xx is not retried.
    app.run_due_work_at(now + chrono::Duration::hours(1)).await;
    let guest = app.guest(&event_id, "bounce@example.org").await;
    let email = &guest["emails"][0];
    assert_eq!(email["status"], "failed", "{guest}");
    assert_eq!(email["attempts"], 1, "a 5xx is not retried");
    assert!(email["error"].as_str().unwrap().contains("550"), "{email}");
}

#[tokio::test]
async fn mail_waits_while_the_smtp_server_is_down_and_leaves_once_it_is_back() {
    let mut server = MailServer::start().await;
    server.stop();
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    let guests: Vec<_> = (0..20).map(|i| json!({ "email": format!("g{i}@example.org") })).collect();
    app.post(&format!("/api/v1/events/{event_id}/guests/bulk"), json!({ "guests": guests }))
        .await
        .expect(StatusCode::OK);
    // The relay refuses connections: the emails wait, and the wait is not
    // counted against them.
    let now = chrono::Utc::now();
    app.run_due_work_at(now).await;
    let waiting = app
        .guests(&event_id)
        .await
        .iter()
        .filter(|g| g["emails"][0]["attempts"] == 0 && g["emails"][0]["status"] == "pending")
        .count();
    assert_eq!(waiting, 20, "the emails did not wait");
    server.resume().await;
    // A minute on, past the first retry time.
    app.run_due_work_at(now + chrono::Duration::minutes(1)).await;
    let messages = server.messages();
    let mut recipients: Vec<&str> = messages.iter().map(super::mailbox::Received::recipient).collect();
    recipients.sort_unstable();
    recipients.dedup();
    assert_eq!(recipients.len(), 20, "every guest, once");
    assert_eq!(messages.len(), 20);
}

#[tokio::test]
async fn a_comment_or_a_change_of_mind_reaches_the_organiser() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    let (_, token) = app.invite(&event_id, "jane@example.org").await;
    app.dispatch_all_pending_emails().await;
    app.answer(&token, json!({ "answer": "yes", "comment": "Je viendrai avec des croissants" }))
        .await
        .expect(StatusCode::OK);
    app.dispatch_all_pending_emails().await;
    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    let note = messages.iter().find(|m| m.kind() == "organiser_note").unwrap();
    assert_eq!(note.recipient(), "anne@example.org");
    assert!(note.text().contains("Je viendrai avec des croissants"), "{}", note.text());
    // Its button leads to her dashboard, not to the JSON API.
    let page = note.link("http://127.0.0.1:8080/dashboard/events/");
    assert!(page.ends_with(&event_id), "{page}");

    // She prefers a digest: no more single notes.
    app.put("/api/v1/me/preferences", json!({ "notifications": "digest" })).await.expect(StatusCode::OK);
    app.answer(&token, json!({ "answer": "no" })).await.expect(StatusCode::OK);
    app.dispatch_all_pending_emails().await;
    assert_eq!(server.messages().iter().filter(|m| m.kind() == "organiser_note").count(), 1);
}

#[tokio::test]
async fn an_organiser_who_chose_a_digest_gets_one_a_day_listing_the_answers() {
    let server = MailServer::start().await;
    // The answer comes just before the digest hour; the work runs then, and
    // just after.
    let today = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    let before = today.and_hms_opt(6, 59, 0).unwrap().and_utc();
    let clock = convive::clock::Clock::fixed(before);
    let app = spawn_app_with_parts(clock, ON_DEMAND, |s| {
        send_mail_to(s, &server);
        s.digest_hour_utc = 7;
    })
    .await;
    app.put("/api/v1/me/preferences", json!({ "notifications": "digest" })).await.expect(StatusCode::OK);
    let event_id = app.create_published_event(json!({})).await;
    let (_, token) = app.invite(&event_id, "jane@example.org").await;
    app.run_due_work_at(before).await;
    assert_eq!(server.messages().len(), 1, "her invitation");
    app.answer(&token, json!({ "answer": "yes", "comment": "Avec plaisir" })).await.expect(StatusCode::OK);
    app.run_due_work_at(before).await;
    assert!(server.messages().iter().all(|m| m.kind() != "organiser_note"), "no single note for a digest reader");

    app.run_due_work_at(today.and_hms_opt(7, 0, 5).unwrap().and_utc()).await;
    let messages = server.messages();
    let digest = messages.iter().find(|m| m.kind() == "organiser_digest").expect("the digest");
    assert_eq!(digest.recipient(), "anne@example.org");
    assert!(digest.text().contains("jane@example.org") && digest.text().contains("Avec plaisir"), "{}", digest.text());
    // Once a day only.
    app.run_due_work_at(today.and_hms_opt(23, 59, 0).unwrap().and_utc()).await;
    assert_eq!(server.messages().iter().filter(|m| m.kind() == "organiser_digest").count(), 1);
}

#[tokio::test]
async fn the_organisers_own_words_open_the_email_they_were_written_for() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event = app
        .create_event(json!({
            "language": "en",
            "words": { "invitation": "Dear friends <b>&</b> neighbours,\nsee you Thursday!", "nudge": "Still thinking?" },
        }))
        .await;
    let event_id = event["id"].as_str().unwrap().to_owned();
    assert_eq!(event["words"]["nudge"], "Still thinking?");
    app.invite(&event_id, "jane@example.org").await;
    app.post(&format!("/api/v1/events/{event_id}/publish"), json!({})).await.expect(StatusCode::OK);

    let messages = server.wait_for(1, WAIT).await;
    let text = messages[0].text().replace("\r\n", "\n");
    // Her words open it in place of the greeting: no "Hello jane" before "Dear friends".
    assert!(text.starts_with("Dear friends <b>&</b> neighbours,\nsee you Thursday!"), "her words, as typed:\n{text}");
    assert!(!text.contains("Hello"), "{text}");
    assert!(text.find("Dear friends").unwrap() < text.find("invites you").unwrap());
    assert!(!text.contains("Still thinking?"), "the nudge's words stay in the nudge");
    let html = messages[0].html();
    assert!(html.contains("Dear friends &lt;b&gt;&amp;&lt;&#x2f;b&gt; neighbours"), "{html}");
    assert!(!html.contains("<b>&</b>"));

    // Too long is refused, with the field named.
    let error = app
        .patch(&format!("/api/v1/events/{event_id}"), json!({ "words": { "reminder": "x".repeat(2001) } }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"]["words.reminder"].is_string(), "{error}");
}

/// SMTP ends a message at a line holding a lone dot, and drops the first
/// dot of a line unless the sender doubled it: her words survive both.
#[tokio::test]
async fn lines_of_hers_that_start_with_a_dot_arrive_as_she_typed_them() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let words = ".\n.Ordre du jour, le café\n..puis la suite\n.";
    let event = app.create_event(json!({ "words": { "invitation": words } })).await;
    let event_id = event["id"].as_str().unwrap().to_owned();
    app.invite(&event_id, "jane@example.org").await;
    app.post(&format!("/api/v1/events/{event_id}/publish"), json!({})).await.expect(StatusCode::OK);

    let messages = server.wait_for(1, WAIT).await;
    let text = messages[0].text().replace("\r\n", "\n");
    assert!(text.starts_with(words), "her words, dots and all:\n{text}");
    assert!(messages[0].html().contains("..puis la suite"), "and the rest after them");
}

#[tokio::test]
async fn text_that_looks_like_an_encoded_word_reaches_the_headers_as_text() {
    // Each decodes, if taken for header syntax, to "Bcc: evil@example.org".
    let title = "=?utf-8?b?QmNjOiBldmlsQGV4YW1wbGUub3Jn?=";
    let guest_name = "=?utf-8?q?Bcc=3A_evil=40example=2Eorg?= Jane";
    let organiser_name = "Anne =?UTF-8?B?QmNjOiBldmlsQGV4YW1wbGUub3Jn?=";
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let key = app.create_organiser(organiser_name, "anne.b@example.org").await;
    let mut event = crate::helpers::cafe_des_victoires();
    crate::helpers::merge(&mut event, json!({ "title": title, "language": "en" }));
    let event = app.request(Method::POST, "/api/v1/events", Some(&key), Some(event)).await.expect(StatusCode::CREATED);
    let event_id = event["id"].as_str().unwrap();
    let guest = json!({ "email": "jane@example.org", "name": guest_name });
    app.request(Method::POST, &format!("/api/v1/events/{event_id}/guests"), Some(&key), Some(guest))
        .await
        .expect(StatusCode::CREATED);
    app.request(Method::POST, &format!("/api/v1/events/{event_id}/publish"), Some(&key), Some(json!({})))
        .await
        .expect(StatusCode::OK);
    app.dispatch_all_pending_emails().await;
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let invitation = &messages[0];
    let expected_subject = format!("Invitation: {title}, ");

    // mail-parser, a lenient decoder, reads back the literal text.
    assert!(invitation.subject().starts_with(&expected_subject), "{}", invitation.subject());
    assert_eq!(invitation.mailbox("To"), (guest_name.to_owned(), "jane@example.org".to_owned()));
    assert_eq!(invitation.mailbox("Reply-To"), (organiser_name.to_owned(), "anne.b@example.org".to_owned()));
    // From: her name, via the service's address.
    let from = invitation.mailbox("From");
    assert_eq!(from.0, format!("{organiser_name} via Convive"));

    // So do both of Python's decoders.
    let python = decode_headers(&invitation.raw);
    for decoder in ["email_header", "policy_default"] {
        let subject = python[decoder]["subject"].as_str().unwrap();
        assert!(subject.starts_with(&expected_subject), "{decoder}: {subject}");
    }
    assert_eq!(python["policy_default"]["to"], json!({ "name": guest_name, "address": "jane@example.org" }));
    assert_eq!(
        python["policy_default"]["reply_to"],
        json!({ "name": organiser_name, "address": "anne.b@example.org" })
    );
    assert_eq!(python["policy_default"]["from"]["name"], json!(format!("{organiser_name} via Convive")));
    for header in ["from_text", "to_text", "reply_to_text"] {
        let text = python["email_header"][header].as_str().unwrap();
        assert!(!text.contains("Bcc:"), "{header}: {text}");
    }
    // And the SMTP envelope still went to her alone.
    assert_eq!(invitation.rcpt_tos, ["jane@example.org"]);
}

/// The reminder says "aujourd'hui", "demain" or the date, whichever is true
/// in the event's zone when it is written; the organiser's words for it
/// open it.
#[tokio::test]
async fn a_reminder_says_which_day_it_really_is() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let start = chrono::DateTime::parse_from_rfc3339("2030-06-12T10:00:00+02:00").unwrap().to_utc();
    for (reminder, email) in
        [("PT3H", "same-day@example.org"), ("P1D", "day-before@example.org"), ("P3D", "days@example.org")]
    {
        let event_id = app
            .create_published_event(json!({
                "starts_at": "2030-06-12T10:00", "ends_at": "2030-06-12T11:00", "time_zone": "Europe/Paris",
                "rsvp_deadline": null,
                "plan": { "nudges": [], "answers_close": "PT1H", "reminder": reminder, "follow_up": null },
                "words": { "reminder": "Pensez au badge !" },
            }))
            .await;
        let (_, token) = app.invite(&event_id, email).await;
        app.answer(&token, json!({ "answer": "yes" })).await.expect(StatusCode::OK);
    }
    app.run_due_work_at(start - chrono::Duration::days(4)).await;
    for at in [start - chrono::Duration::days(3), start - chrono::Duration::days(1), start - chrono::Duration::hours(3)]
    {
        app.run_due_work_at(at + chrono::Duration::minutes(1)).await;
    }
    let reminders: Vec<_> = server.messages().into_iter().filter(|m| m.kind() == "reminder").collect();
    assert_eq!(reminders.len(), 3);
    let subject = |email: &str| reminders.iter().find(|m| m.recipient() == email).expect(email).subject();
    assert!(subject("same-day@example.org").contains("aujourd'hui à 10:00"), "{}", subject("same-day@example.org"));
    assert!(subject("day-before@example.org").contains("demain à 10:00"));
    assert!(
        subject("days@example.org").contains("le mercredi 12 juin 2030 à 10:00"),
        "{}",
        subject("days@example.org")
    );
    for reminder in &reminders {
        assert!(reminder.text().contains("Pensez au badge !"), "her words open it: {}", reminder.text());
    }
}

/// Moves the event's start by a quarter of an hour and its place; the
/// update each guest then receives.
async fn update_after_moving(language: &str) -> crate::mailbox::Received {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id = app.create_published_event(json!({ "language": language })).await;
    app.invite(&event_id, "sophie@example.org").await;
    server.wait_for(1, WAIT).await;
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let moved = json!({
        "starts_at": format!("{year}-12-03T08:45"),
        "ends_at": format!("{year}-12-03T10:15"),
        "venue_name": "Café de la Paix",
    });
    app.patch(&format!("/api/v1/events/{event_id}"), moved).await.expect(StatusCode::OK);
    let messages = server.wait_for(2, WAIT).await;
    messages.into_iter().find(|m| m.kind() == "update").expect("an update was sent")
}

#[tokio::test]
async fn an_update_says_what_changed_in_french() {
    let update = update_after_moving("fr").await;
    let text = update.text();
    assert!(
        text.contains("horaire\u{a0}: 8\u{a0}h\u{a0}30 – 10\u{a0}h\u{a0}00 → 8\u{a0}h\u{a0}45 – 10\u{a0}h\u{a0}15"),
        "{text}"
    );
    assert!(text.contains("lieu\u{a0}: Café de la Paix, 6 place des Victoires, 75002 Paris, au lieu de Café des Victoires, 6 place des Victoires, 75002 Paris"), "{text}");
    let html = update.html();
    assert!(
        html.contains(
            "<s>8\u{a0}h\u{a0}30 – 10\u{a0}h\u{a0}00</s> → <strong>8\u{a0}h\u{a0}45 – 10\u{a0}h\u{a0}15</strong>"
        ),
        "{html}"
    );
    assert!(html.contains("au lieu de <s>Café des Victoires"), "{html}");
}

#[tokio::test]
async fn an_update_says_what_changed_in_english() {
    let update = update_after_moving("en").await;
    let text = update.text();
    assert!(text.contains("time: 08:30 – 10:00 → 08:45 – 10:15"), "{text}");
    assert!(
        text.contains("place: Café de la Paix, 6 place des Victoires, 75002 Paris, instead of Café des Victoires"),
        "{text}"
    );
    assert!(update.html().contains("<s>08:30 – 10:00</s> → <strong>08:45 – 10:15</strong>"), "{}", update.html());
}

/// The invitation a guest receives, by her address.
fn invitation_to<'a>(messages: &'a [crate::mailbox::Received], email: &str) -> &'a crate::mailbox::Received {
    messages.iter().find(|m| m.kind() == "invitation" && m.recipient() == email).expect("an invitation")
}

#[tokio::test]
async fn a_guest_whose_first_name_is_known_is_greeted_by_it() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    let guests = format!("/api/v1/events/{event_id}/guests");
    let sophie = json!({ "email": "sophie@example.org", "name": "Sophie Lefèvre", "first_name": "Sophie" });
    let sophie = app.post(&guests, sophie).await.expect(StatusCode::CREATED);
    assert_eq!(sophie["first_name"], "Sophie", "{sophie}");
    let page = app.page(&format!("/i/{}", sophie["invitation_token"].as_str().unwrap())).await;
    assert!(page.decoded().contains("Bonjour Sophie,"), "her page greets her as her emails do: {}", page.html);
    let marc = json!({ "email": "marc@example.org", "name": "Marc Dubois" });
    assert_eq!(app.post(&guests, marc).await.expect(StatusCode::CREATED)["first_name"], "");

    // From a spreadsheet with a "Prénom" column.
    let csv = "Prénom;Nom;E-mail\nJeanne;Moreau;jeanne@example.org\n";
    let imported = app
        .client
        .post(format!("{}/api/v1/events/{event_id}/guests/import", app.address))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), StatusCode::OK);
    assert_eq!(app.guest(&event_id, "jeanne@example.org").await["first_name"], "Jeanne");

    let messages = server.wait_for(3, WAIT).await;
    let greeting = |email: &str| invitation_to(&messages, email).text();
    assert!(greeting("sophie@example.org").starts_with("Bonjour Sophie,"), "{}", greeting("sophie@example.org"));
    assert!(greeting("jeanne@example.org").starts_with("Bonjour Jeanne,"), "{}", greeting("jeanne@example.org"));
    assert!(greeting("marc@example.org").starts_with("Bonjour Marc Dubois,"), "{}", greeting("marc@example.org"));
    assert!(invitation_to(&messages, "sophie@example.org").html().contains("Bonjour Sophie,"));
}

#[tokio::test]
async fn a_first_name_too_long_is_refused_with_a_code() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail(&server).await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    let guest = json!({ "email": "sophie@example.org", "first_name": "S".repeat(101) });
    let error = app
        .post(&format!("/api/v1/events/{event_id}/guests"), guest)
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_codes"]["first_name"], json!({ "code": "too_long", "params": { "max": "100" } }));
}
