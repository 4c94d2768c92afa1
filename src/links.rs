//! Every URL Convive gives out, in one place: the links in emails, on guest
//! and dashboard pages, in API answers and printed by the CLI. A route's
//! shape is written once, in [`path`]; [`Links`] puts the public base URL in
//! front for anything that leaves the site. Pages keep relative paths for
//! their own form actions and redirects, from the same functions.
//!
//! A leaf: it knows the public base URL and domain values, nothing of HTTP,
//! mail or the application layer.

use uuid::Uuid;

use crate::domain::answer::Answer;
use crate::domain::event::Event;

/// Paths on this site, for links that stay on it (form actions, redirects,
/// a page's own calendar file). Anything written into an email, an API
/// answer or a calendar app goes through [`Links`] instead.
pub mod path {
    use uuid::Uuid;

    /// A guest's page, where she reads and answers her invitation.
    pub fn invitation(token: &str) -> String {
        format!("/i/{token}")
    }

    /// Her page after an answer was saved: it says so.
    pub fn invitation_saved(token: &str) -> String {
        format!("{}?saved=1", invitation(token))
    }

    /// Her own copy of the event, with her answer in it.
    pub fn guest_calendar(token: &str) -> String {
        format!("{}/calendar.ics", invitation(token))
    }

    /// Her feed of the events she said yes to.
    pub fn guest_feed(token: &str) -> String {
        format!("/feeds/guests/{token}.ics")
    }

    /// A member's feed of her series' dates.
    pub fn series_feed(token: &str) -> String {
        format!("/feeds/series/{token}.ics")
    }

    /// An organiser's feed of her events.
    pub fn organiser_feed(token: &str) -> String {
        format!("/feeds/{token}.ics")
    }

    /// The public page of an open event, where anyone with the link registers.
    pub fn public_event(event_id: Uuid) -> String {
        format!("/e/{event_id}")
    }

    /// A public event's calendar file.
    pub fn public_event_calendar(event_id: Uuid) -> String {
        format!("{}/calendar.ics", public_event(event_id))
    }

    /// The link confirming an open registration.
    pub fn confirm_registration(event_id: Uuid, token: &str) -> String {
        format!("{}/confirm/{token}", public_event(event_id))
    }

    /// An organiser's one-time sign-in link.
    pub fn login(token: &str) -> String {
        format!("/login/{token}")
    }

    /// The link that accepts an invitation to an event's or a series' team.
    pub fn team_invitation(token: &str) -> String {
        format!("/team/{token}")
    }

    /// An event's team in the organiser's dashboard.
    pub fn dashboard_team(event_id: Uuid) -> String {
        format!("{}/team", dashboard_event(event_id))
    }

    /// A series' team in the organiser's dashboard.
    pub fn dashboard_series_team(series_id: Uuid) -> String {
        format!("/dashboard/series/{series_id}/team")
    }

    /// An event's door: the check-in page.
    pub fn dashboard_check_in(event_id: Uuid) -> String {
        format!("{}/check-in", dashboard_event(event_id))
    }

    /// An event's guest list to print for the door.
    pub fn dashboard_door_list(event_id: Uuid) -> String {
        format!("{}/door-list", dashboard_event(event_id))
    }

    /// A guest's one-click unsubscribe link.
    pub fn unsubscribe(token: &str) -> String {
        format!("/unsubscribe/{token}")
    }

    /// An event's page in the organiser's dashboard.
    pub fn dashboard_event(event_id: Uuid) -> String {
        format!("/dashboard/events/{event_id}")
    }

    /// The organiser's webhooks in her dashboard.
    pub fn dashboard_webhooks() -> String {
        "/dashboard/webhooks".to_owned()
    }

    pub fn dashboard_mail_health() -> String {
        "/dashboard/mail-health".to_owned()
    }
}

/// Absolute links into the service, built from the public base URL.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
}

impl Links {
    pub fn new(public_url: &url::Url) -> Self {
        Self { base: public_url.as_str().trim_end_matches('/').to_owned() }
    }

    fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Her page, where she reads and answers the invitation.
    pub fn invitation(&self, token: &str) -> String {
        self.absolute(&path::invitation(token))
    }

    /// Her page with an answer ticked, one tap from confirming it. Opening it
    /// answers nothing: mail scanners follow every link.
    pub fn answer(&self, token: &str, answer: Answer) -> String {
        format!("{}?answer={}", self.invitation(token), answer.as_str())
    }

    /// Her own copy of the event, with her answer in it.
    pub fn guest_calendar(&self, token: &str) -> String {
        self.absolute(&path::guest_calendar(token))
    }

    /// Her feed of the events she said yes to.
    pub fn guest_feed(&self, token: &str) -> String {
        self.absolute(&path::guest_feed(token))
    }

    /// A member's feed of her series' dates.
    pub fn series_feed(&self, token: &str) -> String {
        self.absolute(&path::series_feed(token))
    }

    /// An organiser's feed of her events.
    pub fn organiser_feed(&self, token: &str) -> String {
        self.absolute(&path::organiser_feed(token))
    }

    /// The public page of an open event.
    pub fn public_event(&self, event_id: Uuid) -> String {
        self.absolute(&path::public_event(event_id))
    }

    /// An organiser's one-time sign-in link.
    pub fn login(&self, token: &str) -> String {
        self.absolute(&path::login(token))
    }

    pub fn dashboard_door_list(&self, event_id: Uuid) -> String {
        self.absolute(&path::dashboard_door_list(event_id))
    }

    pub fn team_invitation(&self, token: &str) -> String {
        self.absolute(&path::team_invitation(token))
    }

    /// The link confirming an open registration.
    pub fn confirm_registration(&self, event_id: Uuid, token: &str) -> String {
        self.absolute(&path::confirm_registration(event_id, token))
    }

    /// A guest's one-click unsubscribe link (also the HTTPS `List-Unsubscribe`).
    pub fn unsubscribe(&self, token: &str) -> String {
        self.absolute(&path::unsubscribe(token))
    }

    /// The same page asking only "nothing more from this organiser" (for a
    /// date of a series, whose own link leaves the series).
    pub fn unsubscribe_organiser(&self, token: &str) -> String {
        format!("{}?scope=organiser", self.unsubscribe(token))
    }

    /// An event's page in the organiser's dashboard (the sign-in page first
    /// when she has no session): where her emails about it lead.
    pub fn dashboard_event(&self, event_id: Uuid) -> String {
        self.absolute(&path::dashboard_event(event_id))
    }

    /// Her webhooks in the dashboard (the sign-in page first if need be).
    pub fn dashboard_webhooks(&self) -> String {
        self.absolute(&path::dashboard_webhooks())
    }

    pub fn dashboard_mail_health(&self) -> String {
        self.absolute(&path::dashboard_mail_health())
    }
}

/// The same address for calendar apps that subscribe on a `webcal://` link.
pub fn webcal(https: &str) -> String {
    format!("webcal://{}", https.split_once("://").map_or(https, |(_, rest)| rest))
}

/// The `mailto:` form of `List-Unsubscribe`, for clients that only send mail:
/// a message to our sender address naming the token.
pub fn unsubscribe_mailto(address: &str, token: &str) -> String {
    format!("mailto:{address}?subject=unsubscribe%20{token}")
}

/// A Google Calendar "add this event" link: the usual way to add an event on
/// an Android phone, which opens no .ics file.
///
/// # Panics
/// Never: the base URL is a constant.
pub fn google_calendar(event: &Event) -> String {
    let details = &event.details;
    let utc = |at: chrono::DateTime<chrono::Utc>| at.format("%Y%m%dT%H%M%SZ").to_string();
    let mut url = url::Url::parse("https://calendar.google.com/calendar/render").expect("a valid URL");
    url.query_pairs_mut()
        .append_pair("action", "TEMPLATE")
        .append_pair("text", &details.title)
        .append_pair("dates", &format!("{}/{}", utc(details.schedule.starts_at), utc(details.schedule.ends_at)))
        .append_pair("ctz", details.schedule.time_zone.name())
        .append_pair("details", &details.description)
        .append_pair("location", &format!("{}, {}", details.venue.name, details.venue.address.replace('\n', ", ")));
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::{Links, path, unsubscribe_mailto, webcal};
    use crate::domain::answer::Answer;
    use uuid::Uuid;

    fn links(base: &str) -> Links {
        Links::new(&base.parse().unwrap())
    }

    #[test]
    fn absolute_links_are_the_paths_behind_the_public_url() {
        let id = Uuid::nil();
        for base in ["https://rsvp.example.org", "https://rsvp.example.org/"] {
            let links = links(base);
            assert_eq!(links.invitation("t"), "https://rsvp.example.org/i/t");
            assert_eq!(links.answer("t", Answer::Maybe), "https://rsvp.example.org/i/t?answer=maybe");
            assert_eq!(links.guest_calendar("t"), "https://rsvp.example.org/i/t/calendar.ics");
            assert_eq!(links.guest_feed("t"), "https://rsvp.example.org/feeds/guests/t.ics");
            assert_eq!(links.organiser_feed("t"), "https://rsvp.example.org/feeds/t.ics");
            assert_eq!(links.public_event(id), format!("https://rsvp.example.org/e/{id}"));
            assert_eq!(links.confirm_registration(id, "t"), format!("https://rsvp.example.org/e/{id}/confirm/t"));
            assert_eq!(links.login("t"), "https://rsvp.example.org/login/t");
            assert_eq!(links.unsubscribe("t"), "https://rsvp.example.org/unsubscribe/t");
            assert_eq!(links.dashboard_event(id), format!("https://rsvp.example.org/dashboard/events/{id}"));
        }
    }

    #[test]
    fn paths_stay_on_the_site() {
        let id = Uuid::nil();
        assert_eq!(path::invitation_saved("t"), "/i/t?saved=1");
        assert_eq!(path::public_event_calendar(id), format!("/e/{id}/calendar.ics"));
    }

    #[test]
    fn webcal_replaces_the_scheme_only() {
        assert_eq!(webcal("https://x.example/feeds/t.ics"), "webcal://x.example/feeds/t.ics");
        assert_eq!(webcal("http://127.0.0.1:8080/feeds/t.ics"), "webcal://127.0.0.1:8080/feeds/t.ics");
    }

    #[test]
    fn the_mailto_unsubscribe_names_the_token() {
        assert_eq!(unsubscribe_mailto("rsvp@x.example", "t.k"), "mailto:rsvp@x.example?subject=unsubscribe%20t.k");
    }
}
