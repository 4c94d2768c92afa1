//! Webhooks from the dashboard, as an organiser who is not a programmer
//! meets them: add one (the secret shown once), send a test event, read the
//! log, send again, disable and enable; and how the screens look in a real
//! browser on a desktop and on a phone, with the guest's "forget me" page.

use reqwest::StatusCode;
use serde_json::json;

use crate::browser::{browser, screenshot};
use crate::dashboard::{sign_in_with, terminal_login_link};
use crate::helpers::{ON_DEMAND, spawn_app_with_parts};
use crate::webhooks::{Receiver, reach_local_receivers};
use convive::clock::Clock;

#[tokio::test]
async fn an_organiser_adds_a_webhook_tests_it_and_reads_its_log_in_the_dashboard() {
    let app = spawn_app_with_parts(Clock::system(), ON_DEMAND, reach_local_receivers).await;
    let receiver = Receiver::start().await;
    let anne = sign_in_with(&app, &terminal_login_link(&app, "anne@example.org").await).await.in_french();
    let empty = anne.get("/dashboard/webhooks").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.html.contains("id=\"no-hooks\""), "{}", empty.html);

    // A mistyped address is said in her words, the form kept.
    let refused = anne
        .submit(
            "/dashboard/webhooks",
            "/dashboard/webhooks",
            &[("url", "hooks.example.org"), ("types", "guest.answered")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.decoded().contains("Indiquez une adresse web complète"), "{}", refused.html);

    let created = anne
        .submit(
            "/dashboard/webhooks",
            "/dashboard/webhooks",
            &[("url", &receiver.url()), ("types", "guest.answered"), ("types", "event.cancelled")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.html);
    let shown = created.decoded();
    let secret = shown.split("id=\"new-secret\"").nth(1).unwrap().split('>').nth(1).unwrap();
    let secret = secret.split('<').next().unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    receiver.verify_with(secret);
    assert!(!anne.get("/dashboard/webhooks").await.decoded().contains(secret), "shown once");
    let list = app.get("/api/v1/webhooks").await.expect(StatusCode::OK);
    let endpoint = list["endpoints"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(list["endpoints"][0]["event_types"], json!(["guest.answered", "event.cancelled"]));

    let base = format!("/dashboard/webhooks/{endpoint}");
    let tested = anne.submit("/dashboard/webhooks", &format!("{base}/test"), &[]).await;
    assert_eq!(tested.status, StatusCode::SEE_OTHER);
    app.dispatch_webhooks_at(chrono::Utc::now()).await;
    let log = anne.follow(&tested).await;
    assert!(log.decoded().contains("L'événement de test part à l'instant"), "{}", log.html);
    assert!(log.html.contains("badge-delivered") && log.html.contains(">200<"), "{}", log.html);
    assert_eq!(receiver.received().len(), 1);

    let resent = anne.submit(&base, &format!("{base}/deliveries/{}/resend", message_of(&log.decoded())), &[]).await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    app.dispatch_webhooks_at(chrono::Utc::now()).await;
    assert_eq!(receiver.received().len(), 2);
    assert!(receiver.received().iter().all(|r| r["verified"] == true));

    let disabled = anne.submit("/dashboard/webhooks", &format!("{base}/disable"), &[]).await;
    let list = anne.follow(&disabled).await;
    assert!(list.decoded().contains("Désactivé") && list.decoded().contains("par vous"), "{}", list.html);
    let enabled = anne.submit("/dashboard/webhooks", &format!("{base}/enable"), &[]).await;
    assert!(anne.follow(&enabled).await.html.contains("badge-active"));

    // Deleting asks first, and offers disabling instead.
    let ask = anne.get(&format!("{base}/delete")).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.decoded().contains("désactivez-le plutôt"), "{}", ask.html);

    // Screens, desktop and phone: no sideways scrolling, French words.
    let cookie = anne.cookie().split_once('=').unwrap();
    let deleted = anne.submit("/dashboard/webhooks", &format!("{base}/delete"), &[]).await;
    assert!(anne.follow(&deleted).await.html.contains("id=\"no-hooks\""), "deleted, with its log");
    let again = anne
        .submit("/dashboard/webhooks", "/dashboard/webhooks", &[("url", &receiver.url()), ("types", "guest.answered")])
        .await;
    assert_eq!(again.status, StatusCode::OK);
    let list = app.get("/api/v1/webhooks").await.expect(StatusCode::OK);
    let base = format!("/dashboard/webhooks/{}", list["endpoints"][0]["id"].as_str().unwrap());
    let event_id = app.create_published_event(json!({})).await;
    let (_, token) = app.invite(&event_id, "sophie@example.org").await;
    for width in [1280, 360] {
        for (name, path, cookies) in [
            ("webhooks", "/dashboard/webhooks".to_owned(), true),
            ("webhook-log", base.clone(), true),
            ("forget-me", format!("/i/{token}/forget"), false),
            ("retention", "/dashboard/retention".to_owned(), true),
            ("webhook-delete", format!("{base}/delete"), true),
            ("invitation-my-data", format!("/i/{token}"), false),
        ] {
            let cookies =
                if cookies { json!([{ "name": cookie.0, "value": cookie.1, "url": app.address }]) } else { json!([]) };
            let seen = browser(
                "visit",
                &json!({
                    "url": format!("{}{path}", app.address), "width": width, "height": 800, "locale": "fr-FR",
                    "cookies": cookies, "screenshot": screenshot(&format!("{name}-{width}")), "audit": true,
                }),
            )
            .await;
            assert_eq!(seen["status"], 200, "{name} {width}: {seen}");
            assert_eq!(seen["horizontal_overflow"], false, "{name} at {width} px scrolls sideways");
            assert_eq!(seen["lang"], "fr", "{name}");
            assert_eq!(seen["axe"], json!([]), "axe-core finds {name} at {width} px wanting");
        }
    }
}

/// The message id in the first "send again" form of a log page.
fn message_of(html: &str) -> String {
    let action = html.split("/deliveries/").nth(1).expect("a send-again form");
    action.split('/').next().unwrap().to_owned()
}
