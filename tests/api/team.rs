//! Running an event together: the owner invites a co-organiser and a door
//! helper by email, they accept with the emailed link and sign in with
//! their own accounts; each role reaches exactly what it may (the rest is
//! 404, as for events that do not exist); removing someone ends her access;
//! the history says who did what.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::dashboard::Browser;
use crate::helpers::{TestApp, spawn_app, spawn_app_with_mail_on_demand};
use crate::mailbox::{MailServer, Received};

/// Invites `email` with `role` as the owner; returns the member's id.
pub(crate) async fn invite_to_team(app: &TestApp, event_id: &str, email: &str, role: &str) -> String {
    let member = app
        .post(&format!("/api/v1/events/{event_id}/team"), json!({ "email": email, "role": role }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(member["status"], "invited", "{member:#}");
    assert_eq!(member["role"], role);
    member["id"].as_str().unwrap().to_owned()
}

/// Opens the invitation's page, presses its button (with a name, for an
/// address without an account), and returns the signed-in browser and
/// where the app sent her.
/// The one email sent since `before`: Camille's invitation to a team, with
/// the path of its acceptance link.
pub(crate) fn camilles_invitation(server: &MailServer, before: usize) -> (Received, String) {
    let mut messages = server.messages();
    assert_eq!(messages.len(), before + 1, "one email: the invitation to the team");
    let invitation = messages.remove(before);
    assert_eq!(invitation.recipient(), "camille@example.org");
    assert_eq!(invitation.kind(), "team_invitation");
    let link = invitation.link("http://127.0.0.1:8080/team/").trim_start_matches("http://127.0.0.1:8080").to_owned();
    (invitation, link)
}

pub(crate) async fn accept<'a>(app: &'a TestApp, link: &str, name: &str) -> (Browser<'a>, String) {
    let anonymous = Browser::anonymous(app);
    let page = anonymous.get(link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let accepted = anonymous.post(link, &[("csrf", &page.csrf()), ("name", name)]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.html);
    let to = accepted.headers["location"].to_str().unwrap().to_owned();
    (Browser::from_set_cookie(app, &accepted), to)
}

#[tokio::test]
async fn a_co_organiser_invited_by_email_accepts_edits_and_sets_answers_until_the_owner_removes_her() {
    let server = MailServer::start().await;
    let app = spawn_app_with_mail_on_demand(&server).await;
    let event_id = app.create_published_event(json!({})).await;
    let (anne, _) = app.invite(&event_id, "anne@example.org").await;
    app.dispatch_all_pending_emails().await;
    let before = server.messages().len();

    let member = invite_to_team(&app, &event_id, "Camille@Example.org", "co_organiser").await;
    app.dispatch_all_pending_emails().await;
    let (invitation, link) = camilles_invitation(&server, before);
    assert!(invitation.subject().contains("Café des Victoires"), "{}", invitation.subject());
    // The event speaks French: so does its invitation.
    assert!(invitation.text().contains("vous invite à organiser"), "{}", invitation.text());

    // An address without an account becomes one on accepting, and is signed in.
    let (camille, landed) = accept(&app, &link, "Camille Roux").await;
    assert_eq!(landed, format!("/dashboard/events/{event_id}"));
    let event_page = camille.get(&landed).await;
    assert_eq!(event_page.status, StatusCode::OK, "{}", event_page.html);
    assert!(!event_page.html.contains("id=\"team-link\""), "the team is the owner's");
    assert!(!event_page.html.contains("id=\"cancel-form\""), "cancelling is the owner's");
    assert_eq!(camille.get(&format!("/dashboard/events/{event_id}/team")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(camille.get(&format!("/dashboard/events/{event_id}/cancel")).await.status, StatusCode::NOT_FOUND);
    let overview = camille.get("/dashboard").await;
    assert!(overview.html.contains("id=\"shared-events\"") && overview.html.contains("Café des Victoires"));
    // The link was for once.
    assert_eq!(Browser::anonymous(&app).get(&link).await.status, StatusCode::GONE);

    // She sets Anne's answer from the dashboard, and edits the event through the API.
    let set = camille
        .submit(&landed, &format!("{landed}/guests/{anne}/answer"), &[("answer", "yes"), ("companions", "1")])
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.html);
    assert_eq!(app.guest(&event_id, "anne@example.org").await["reply"]["answer"], "yes");
    let key = app.api_key_for("camille@example.org").await;
    let e = format!("/api/v1/events/{event_id}");
    let edited = app
        .request(Method::PATCH, &e, Some(&key), Some(json!({ "title": "Café des Victoires, deuxième" })))
        .await
        .expect(StatusCode::OK);
    assert_eq!(edited["title"], "Café des Victoires, deuxième");
    let list = app.request(Method::GET, "/api/v1/events", Some(&key), None).await.expect(StatusCode::OK);
    assert_eq!(list["events"].as_array().unwrap().len(), 1, "the event she co-organises is in her list");
    // The team and cancelling stay the owner's.
    for (method, path, body) in [
        (Method::GET, format!("{e}/team"), None),
        (Method::POST, format!("{e}/team"), Some(json!({ "email": "eve@example.org", "role": "co_organiser" }))),
        (Method::POST, format!("{e}/cancel"), Some(json!({}))),
    ] {
        let reply = app.request(method.clone(), &path, Some(&key), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {:#}", reply.body);
    }

    // The history says who did what.
    let activity = app.get(&format!("{e}/activity")).await.expect(StatusCode::OK);
    let lines = activity["activity"].as_array().unwrap();
    let by = |action: &str| {
        lines.iter().find(|l| l["action"] == action).unwrap_or_else(|| panic!("no {action} in {activity:#}"))
    };
    assert_eq!(by("team_invited")["subject"], "camille@example.org");
    assert_eq!(by("answer_set")["by"]["name"], "Camille Roux");
    assert_eq!(by("answer_set")["subject"], "anne@example.org");
    assert_eq!(by("answer_set")["guest_id"], anne.as_str());
    assert_eq!(by("edited")["by"]["email"], "camille@example.org");
    let results =
        crate::dashboard::sign_in_as_owner(&app).await.get(&format!("/dashboard/events/{event_id}/results")).await;
    assert!(results.html.contains("id=\"activity-list\"") && results.html.contains("Camille Roux"), "{}", results.html);
    // A date a person reads ("6 déc. 2026, 07:03"), the machine's beside it.
    let shown = results.html.split("<time class=\"muted small nowrap\" datetime=\"").nth(1).unwrap();
    let shown = shown.split_once("\">").unwrap().1.split('<').next().unwrap();
    assert!(shown.contains(", ") && !shown.contains('-'), "{shown}");

    // Removed, her session and her key lose the event at once.
    let team = app.get(&format!("{e}/team")).await.expect(StatusCode::OK);
    assert_eq!(team["members"][0]["status"], "accepted");
    app.delete(&format!("{e}/team/{member}")).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(camille.get(&landed).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.request(Method::GET, &e, Some(&key), None).await.status, StatusCode::NOT_FOUND);
    assert!(!camille.get("/dashboard").await.html.contains("id=\"shared-events\""));
    assert!(app.get(&format!("{e}/team")).await.expect(StatusCode::OK)["members"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_invitation_to_the_team_is_checked_with_clear_words() {
    let app = spawn_app().await;
    let event_id = app.create_event(json!({})).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/events/{event_id}/team");
    let reply = app.post(&path, json!({ "email": "not an address", "role": "boss" })).await;
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field_codes"]["email"]["code"], "invalid_email", "{body:#}");
    assert_eq!(body["field_codes"]["role"]["code"], "invalid_role", "{body:#}");
    let owner_email = app.get("/api/v1/me").await.expect(StatusCode::OK)["email"].as_str().unwrap().to_owned();
    let body = app
        .post(&path, json!({ "email": owner_email, "role": "door_helper" }))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field_codes"]["email"]["code"], "owner_in_team", "{body:#}");

    // The dashboard says it in the organiser's language, and keeps what she typed.
    let owner = crate::dashboard::sign_in_as_owner(&app).await.in_french();
    let team = format!("/dashboard/events/{event_id}/team");
    let page = owner.submit(&team, &team, &[("email", "camille@"), ("role", "door_helper")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("value=\"camille@\""), "{}", page.html);
    assert!(page.html.contains("id=\"team-email-error\""), "{}", page.html);
    let page = owner.submit(&team, &team, &[("email", "camille@example.org"), ("role", "chef")]).await;
    assert!(page.html.contains("n&#x27;est pas un rôle") || page.html.contains("n'est pas un rôle"), "{}", page.html);
    let done = owner.submit(&team, &team, &[("email", "camille@example.org"), ("role", "door_helper")]).await;
    let after = owner.follow(&done).await;
    assert!(after.html.contains("Invitation envoyée à camille@example.org"), "{}", after.html);
    assert!(after.html.contains("Accueil le jour J"), "{}", after.html);
}

#[tokio::test]
async fn a_helper_who_only_keeps_doors_is_offered_her_events_and_not_series_keys_or_webhooks() {
    let app = spawn_app().await;
    let event_id = app.create_published_event(json!({})).await;
    let dora = invite_to_team(&app, &event_id, "dora@example.org", "door_helper").await;
    let (dora, _) = accept(&app, &format!("/team/{}", app.team_token(&dora)), "Dora").await;
    let camille = invite_to_team(&app, &event_id, "camille@example.org", "co_organiser").await;
    let (camille, _) = accept(&app, &format!("/team/{}", app.team_token(&camille)), "Camille").await;
    let menu = |html: &str| {
        let html = html.replace("&#x2f;", "/");
        let nav = &html[html.find("<nav class=\"nav\"").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        ["/dashboard/series", "/dashboard/keys", "/dashboard/webhooks"].map(|link| nav.contains(link))
    };

    let helpers = dora.get("/dashboard").await;
    assert_eq!(helpers.status, StatusCode::OK);
    assert_eq!(menu(&helpers.html), [false; 3], "{}", helpers.html);
    assert!(helpers.html.contains("Café des Victoires"), "her event to check in is listed: {}", helpers.html);
    // A co-organiser runs things: she keeps the whole menu.
    let theirs = camille.get("/dashboard").await;
    assert_eq!(menu(&theirs.html), [true; 3], "{}", theirs.html);
    // Once she has an event of her own, the helper is an organiser too.
    let created = dora
        .submit(
            "/dashboard/events/new",
            "/dashboard/events/new",
            &[
                ("title", "Son atelier"),
                ("venue_name", "Chez elle"),
                ("starts_at", "2031-03-12T08:30"),
                ("ends_at", "2031-03-12T10:00"),
                ("time_zone", "Europe/Paris"),
                ("language", "fr"),
                ("plan_preset", "usual"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    assert_eq!(menu(&dora.get("/dashboard").await.html), [true; 3]);
}
