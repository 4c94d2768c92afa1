//! One function per kind of email: its template context and its envelope,
//! built from domain values and rendered into a message ready to send.
//! Nothing here reads the database or decides whether an email should still
//! go: the dispatcher does that, and hands over what it loaded.

use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::Mailbox;
use uuid::Uuid;

use super::context::{
    EventContext, GuestLinks, GuestMail, NoteContext, OrganiserLinks, OrganiserMail, PersonContext, RegistrationLinks,
    RegistrationMail,
};
use super::digest::Digest;
use super::message::{self, Envelope};
use super::templates::Templates;
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::event::{Event, Language};
use crate::domain::guest::Guest;
use crate::domain::inbound;
use crate::domain::mail::{LateReply, MailKind, Previous};
use crate::domain::role::Role;
use crate::domain::token::{
    SecretKey, guest_feed_token, login_token, registration_token, series_feed_token, team_token, unsubscribe_token,
};
use crate::ics::{self, Attendee, Organizer};
use crate::links::{self, Links};
use crate::storage::organisers::Organiser;
use crate::storage::registrations::Registration;
use crate::storage::sessions::LOGIN_LINK_VALIDITY;
use crate::storage::team::{INVITATION_VALIDITY, TeamMember};

/// What a team invitation is to run.
#[derive(Debug, Clone, Copy)]
pub enum TeamFor<'a> {
    Event(&'a Event),
    Series(&'a crate::domain::series::Series),
}

/// What every email is written with: the templates, the links and the key
/// their tokens derive from, and the sender.
pub struct Composer {
    templates: Templates,
    links: Links,
    key: SecretKey,
    settings: Arc<Settings>,
    clock: Clock,
    /// `mail_from`, parsed once.
    sender: Mailbox,
    /// The last calendar object written, with the event and moment it was
    /// written for: the dispatcher writes a batch's emails one after the
    /// other, most of them about one event.
    calendars: Mutex<Option<LastCalendars>>,
}

/// [`ics::GuestCalendars`] and what they were written from.
struct LastCalendars {
    event: Event,
    method: ics::Method,
    /// DTSTAMP is written to the second: within one, the object is the same.
    second: i64,
    calendars: Arc<ics::GuestCalendars>,
}

impl Composer {
    /// # Errors
    /// When `mail_from` is not an address.
    pub fn new(settings: Arc<Settings>, key: SecretKey, clock: Clock) -> anyhow::Result<Self> {
        let sender = settings.mail_from.parse().context("mail_from is not an address")?;
        Ok(Self {
            templates: Templates::embedded(),
            links: Links::new(&settings.public_url),
            key,
            settings,
            clock,
            sender,
            calendars: Mutex::default(),
        })
    }

    /// The event's calendar object for `method` at `now`, written once for
    /// as long as the emails that carry it are about the same event, as it
    /// stands (every field compared), within the same second.
    fn calendars_for(&self, event: &Event, method: ics::Method, now: DateTime<Utc>) -> Arc<ics::GuestCalendars> {
        let mut last = self.calendars.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(last) = last.as_ref()
            && last.method == method
            && last.second == now.timestamp()
            && last.event == *event
        {
            return Arc::clone(&last.calendars);
        }
        let calendars = Arc::new(ics::GuestCalendars::new(event, method, now));
        *last = Some(LastCalendars {
            event: event.clone(),
            method,
            second: now.timestamp(),
            calendars: Arc::clone(&calendars),
        });
        calendars
    }

    pub fn sender(&self) -> &Mailbox {
        &self.sender
    }

    /// The sender's address under the organiser's name, as guests know her:
    /// "Camille Rousseau via Convive". Replies go to her (Reply-To).
    fn on_behalf_of(&self, organiser: &Organiser) -> Mailbox {
        let service = self.sender.name.as_deref().unwrap_or("Convive");
        let name = organiser.name.trim();
        let name = if name.is_empty() { service.to_owned() } else { format!("{name} via {service}") };
        Mailbox::new(Some(name), self.sender.email.clone())
    }

    /// A guest's email of this kind (invitation, nudge, reminder, update…),
    /// with what some kinds need beyond the event and the guest (`extra`),
    /// with her links, an unsubscribe header and, for the kinds that carry
    /// one, the event as a calendar object with her ATTENDEE line.
    pub fn guest(
        &self,
        message_id: String,
        kind: MailKind,
        event: &Event,
        guest: &Guest,
        organiser: &Organiser,
        extra: &GuestExtra,
    ) -> anyhow::Result<Message> {
        let token = guest.invitation_token(&self.key);
        let unsubscribe = unsubscribe_token(&self.key, guest.id);
        let series_feed = extra.series.as_ref().and_then(|s| s.member_id).map(|m| series_feed_token(&self.key, m));
        let links = GuestLinks::new(&self.links, token.as_str(), &guest_feed_token(&self.key, guest.id), &unsubscribe)
            .with_series_feed(&self.links, series_feed.as_deref());
        let language = guest.language.unwrap_or(event.details.language);
        let context = GuestMail::new(event, guest, person(organiser), links, extra.waitlist_position)
            .in_series(extra.series.as_ref().map(|s| s.name.as_str()))
            .with_words_for(kind, event, language)
            .with_change(extra.previous.as_ref(), event)
            .with_late(extra.late.as_ref(), event)
            .written_at(self.clock.now(), event);
        let rendered = self.templates.render(kind, language, &context)?;
        let calendar = kind.calendar_part().map(|part| {
            let method = ics::Method::from(part);
            // Her calendar's answer goes to an address that names her, so
            // that the reply is read as hers whatever it says inside.
            let reply_to = inbound::organizer_address(
                self.settings.reply_address.as_deref(),
                &self.key,
                Some(guest.id),
                organiser.email.as_str(),
            );
            let text = self
                .calendars_for(event, method, self.clock.now())
                .render(&Organizer { name: &organiser.name, address: &reply_to }, Some(&Attendee::of(guest)));
            (method, text)
        });
        let envelope = Envelope {
            from: self.on_behalf_of(organiser),
            to: mailbox(&guest.name, guest.email.as_str())?,
            reply_to: Some(mailbox(&organiser.name, organiser.email.as_str())?),
            message_id,
            kind: kind.as_str(),
            unsubscribe: Some((
                // Read by the inbound pipeline when a reply address is set.
                links::unsubscribe_mailto(
                    self.settings.reply_address.as_deref().unwrap_or(self.sender.email.as_ref()),
                    &unsubscribe,
                ),
                self.links.unsubscribe(&unsubscribe),
            )),
        };
        message::build(&envelope, &rendered, calendar.as_ref().map(|(m, t)| (*m, t.as_str())))
    }

    /// An organiser's sign-in link, for the sign-in request `login_id`.
    pub fn login_link(
        &self,
        message_id: String,
        organiser: &Organiser,
        language: Language,
        login_id: Uuid,
    ) -> anyhow::Result<Message> {
        let context = serde_json::json!({
            "lang": language.as_str(),
            "organiser": person(organiser),
            "links": { "login": self.links.login(&login_token(&self.key, login_id)) },
            "minutes": LOGIN_LINK_VALIDITY.num_minutes(),
            // The shared layout titles the message with an event's title.
            "event": { "title": "Convive" },
        });
        let rendered = self.templates.render(MailKind::LoginLink, language, &context)?;
        let envelope = Envelope {
            from: self.sender.clone(),
            to: mailbox(&organiser.name, organiser.email.as_str())?,
            reply_to: None,
            message_id,
            kind: MailKind::LoginLink.as_str(),
            unsubscribe: None,
        };
        message::build(&envelope, &rendered, None)
    }

    /// Invites someone to run an event, or a series and all its dates, with
    /// its owner (`organiser`): the link accepts, once, within the
    /// invitation's validity.
    pub fn team_invitation(
        &self,
        message_id: String,
        to: TeamFor<'_>,
        organiser: &Organiser,
        member: &TeamMember,
        language: Language,
    ) -> anyhow::Result<Message> {
        let (event, series) = match to {
            TeamFor::Event(event) => (serde_json::to_value(EventContext::new(event, language))?, None),
            // The layout titles every email with `event.title`: the series' name here.
            TeamFor::Series(series) => {
                let name = &series.settings.name;
                (serde_json::json!({ "title": name }), Some(serde_json::json!({ "name": name })))
            }
        };
        let context = serde_json::json!({
            "lang": language.as_str(),
            "organiser": person(organiser),
            "event": event,
            "series": series,
            "door_helper": member.role == Role::DoorHelper,
            "links": { "accept": self.links.team_invitation(&team_token(&self.key, member.id)) },
            "days": INVITATION_VALIDITY.num_days(),
        });
        let rendered = self.templates.render(MailKind::TeamInvitation, language, &context)?;
        let envelope = Envelope {
            from: self.on_behalf_of(organiser),
            to: mailbox("", member.email.as_str())?,
            reply_to: Some(mailbox(&organiser.name, organiser.email.as_str())?),
            message_id,
            kind: MailKind::TeamInvitation.as_str(),
            unsubscribe: None,
        };
        message::build(&envelope, &rendered, None)
    }

    /// Before the event, to one organiser or to the venue's contact: how
    /// many are expected with their companions, their names, who waits and
    /// the catering totals. The venue's copy comes from the owner (`organiser`)
    /// and leaves out the guests' comments and the dashboard's links.
    pub fn venue_summary(
        &self,
        message_id: String,
        event: &Event,
        organiser: &Organiser,
        to: SummaryFor<'_>,
        guests: &[(Guest, Option<u32>)],
    ) -> anyhow::Result<Message> {
        let for_venue = matches!(to, SummaryFor::Venue(_));
        // The venue reads the event's language; each organiser her own.
        let language = if for_venue { event.details.language } else { organiser.writes_in(event.details.language) };
        let row = |guest: &Guest| {
            let reply = guest.reply.as_ref();
            let name = if guest.name.trim().is_empty() { guest.email.to_string() } else { guest.name.clone() };
            serde_json::json!({
                "name": name,
                "party": 1 + reply.map_or(0, |r| r.companions),
                // Her comment is for those who run the event, not for the venue.
                "comment": if for_venue { String::new() } else {
                    reply.map(|r| r.comment.split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default()
                },
            })
        };
        let mut expected: Vec<&Guest> = guests.iter().map(|(g, _)| g).filter(|g| g.is_seated()).collect();
        expected.sort_by_cached_key(|g| {
            crate::domain::text::folded(if g.name.is_empty() { g.email.as_str() } else { &g.name })
        });
        let mut waiting: Vec<(u32, &Guest)> = guests.iter().filter_map(|(g, p)| p.map(|p| (p, g))).collect();
        waiting.sort_by_key(|(p, _)| *p);
        let party = |g: &Guest| 1 + g.reply.as_ref().map_or(0, |r| r.companions);
        let context = serde_json::json!({
            "lang": language.as_str(),
            "organiser": person(organiser),
            "venue": for_venue,
            "venue_contact": event.details.venue_contact.as_ref().map(ToString::to_string),
            "event": EventContext::new(event, language),
            "totals": {
                "people": expected.iter().map(|g| party(g)).sum::<u32>(),
                "parties": expected.len(),
                "waiting_people": waiting.iter().map(|(_, g)| party(g)).sum::<u32>(),
                "waiting": waiting.len(),
                "capacity": event.details.capacity,
            },
            "questions": catering(event, &expected, language),
            "expected": expected.iter().map(|g| row(g)).collect::<Vec<_>>(),
            "waiting": waiting.iter().map(|(_, g)| row(g)).collect::<Vec<_>>(),
            "links": {
                "event": self.links.dashboard_event(event.id),
                "door_list": self.links.dashboard_door_list(event.id),
            },
        });
        let rendered = self.templates.render(MailKind::VenueSummary, language, &context)?;
        let (from, to, reply_to) = match to {
            SummaryFor::Organiser => (self.sender.clone(), mailbox(&organiser.name, organiser.email.as_str())?, None),
            // The venue answers the owner, as it would a message from her.
            SummaryFor::Venue(contact) => (
                self.on_behalf_of(organiser),
                mailbox("", contact)?,
                Some(mailbox(&organiser.name, organiser.email.as_str())?),
            ),
        };
        let envelope =
            Envelope { from, to, reply_to, message_id, kind: MailKind::VenueSummary.as_str(), unsubscribe: None };
        message::build(&envelope, &rendered, None)
    }

    /// The mail health check's test message to an organiser.
    pub fn mail_test(
        &self,
        message_id: String,
        organiser: &Organiser,
        language: Language,
        domain: &str,
    ) -> anyhow::Result<Message> {
        let context = serde_json::json!({
            "lang": language.as_str(),
            "organiser": person(organiser),
            "domain": domain,
            "links": { "health": self.links.dashboard_mail_health() },
            // The shared layout titles the message with an event's title.
            "event": { "title": "Convive" },
        });
        let rendered = self.templates.render(MailKind::MailTest, language, &context)?;
        let envelope = Envelope {
            from: self.sender.clone(),
            to: mailbox(&organiser.name, organiser.email.as_str())?,
            reply_to: None,
            message_id,
            kind: MailKind::MailTest.as_str(),
            unsubscribe: None,
        };
        message::build(&envelope, &rendered, None)
    }

    /// Tells an organiser that one of her webhook endpoints was disabled.
    pub fn webhook_disabled(
        &self,
        message_id: String,
        organiser: &Organiser,
        language: Language,
        url: &str,
        reason: &str,
    ) -> anyhow::Result<Message> {
        let context = serde_json::json!({
            "lang": language.as_str(),
            "organiser": person(organiser),
            "url": url,
            "gone": reason == "gone",
            "links": { "webhooks": self.links.dashboard_webhooks() },
            // The shared layout titles the message with an event's title.
            "event": { "title": "Convive" },
        });
        let rendered = self.templates.render(MailKind::WebhookDisabled, language, &context)?;
        let envelope = Envelope {
            from: self.sender.clone(),
            to: mailbox(&organiser.name, organiser.email.as_str())?,
            reply_to: None,
            message_id,
            kind: MailKind::WebhookDisabled.as_str(),
            unsubscribe: None,
        };
        message::build(&envelope, &rendered, None)
    }

    /// The email asking someone who registered for an open event to confirm.
    pub fn registration_confirm(
        &self,
        message_id: String,
        event: &Event,
        organiser: &Organiser,
        registration: &Registration,
    ) -> anyhow::Result<Message> {
        let language = registration.language.unwrap_or(event.details.language);
        let token = registration_token(&self.key, registration.id);
        let context = RegistrationMail {
            lang: language.as_str(),
            name: registration.name.clone(),
            email: registration.email.to_string(),
            organiser: person(organiser),
            event: EventContext::new(event, language),
            links: RegistrationLinks { confirm: self.links.confirm_registration(event.id, &token) },
        };
        let rendered = self.templates.render(MailKind::RegistrationConfirm, language, &context)?;
        let envelope = Envelope {
            from: self.on_behalf_of(organiser),
            to: mailbox(&registration.name, registration.email.as_str())?,
            reply_to: Some(mailbox(&organiser.name, organiser.email.as_str())?),
            message_id,
            kind: MailKind::RegistrationConfirm.as_str(),
            unsubscribe: None,
        };
        message::build(&envelope, &rendered, None)
    }

    /// One guest's answer, told to the organiser.
    pub fn organiser_note(
        &self,
        message_id: String,
        event: &Event,
        organiser: &Organiser,
        note: NoteContext,
    ) -> anyhow::Result<Message> {
        let mut context = self.organiser_context(event, organiser);
        context.note = Some(note);
        self.organiser_message(message_id, MailKind::OrganiserNote, event, organiser, &context)
    }

    /// The organiser's daily digest of an event's answers.
    pub fn organiser_digest(
        &self,
        message_id: String,
        event: &Event,
        organiser: &Organiser,
        digest: Digest,
    ) -> anyhow::Result<Message> {
        let mut context = self.organiser_context(event, organiser);
        context.changes = Some(digest.changes);
        context.totals = Some(digest.totals);
        self.organiser_message(message_id, MailKind::OrganiserDigest, event, organiser, &context)
    }

    fn organiser_context(&self, event: &Event, organiser: &Organiser) -> OrganiserMail {
        let language = organiser.writes_in(event.details.language);
        OrganiserMail {
            lang: language.as_str(),
            organiser: person(organiser),
            event: EventContext::new(event, language),
            links: OrganiserLinks { event: self.links.dashboard_event(event.id) },
            note: None,
            changes: None,
            totals: None,
        }
    }

    fn organiser_message(
        &self,
        message_id: String,
        kind: MailKind,
        event: &Event,
        organiser: &Organiser,
        context: &OrganiserMail,
    ) -> anyhow::Result<Message> {
        let rendered = self.templates.render(kind, organiser.writes_in(event.details.language), context)?;
        let envelope = Envelope {
            from: self.sender.clone(),
            to: mailbox(&organiser.name, organiser.email.as_str())?,
            reply_to: None,
            message_id,
            kind: kind.as_str(),
            unsubscribe: None,
        };
        message::build(&envelope, &rendered, None)
    }
}

/// What a guest's email needs beyond the event and the guest: her place on
/// the waiting list, what an update changed.
#[derive(Debug, Default)]
pub struct GuestExtra {
    pub waitlist_position: Option<u32>,
    pub previous: Option<Previous>,
    /// For the answer to a late calendar reply: what it said.
    pub late: Option<LateReply>,
    /// The series the event is a date of, and her place in its community.
    pub series: Option<SeriesMention>,
}

/// A date's series, as its emails mention it.
#[derive(Debug, Default)]
pub struct SeriesMention {
    pub name: String,
    /// Her membership, whose feed lists the dates to come.
    pub member_id: Option<Uuid>,
}

/// Whom a venue's summary is for.
#[derive(Debug, Clone, Copy)]
pub enum SummaryFor<'a> {
    /// The organiser it is composed for (who runs the event).
    Organiser,
    /// The venue's contact, at this address.
    Venue(&'a str),
}

fn person(organiser: &Organiser) -> PersonContext {
    PersonContext { name: organiser.name.clone(), email: organiser.email.to_string() }
}

fn mailbox(name: &str, address: &str) -> anyhow::Result<Mailbox> {
    let address = address.parse().with_context(|| format!("{address:?} is not an address"))?;
    let name = name.trim();
    Ok(Mailbox::new((!name.is_empty()).then(|| name.to_owned()), address))
}

/// The totals per choice of the event's choice and yes/no questions over
/// the guests expected, labelled in `language`: what the venue needs.
fn catering(event: &Event, expected: &[&Guest], language: Language) -> Vec<serde_json::Value> {
    let answers = expected.iter().filter_map(|g| g.reply.as_ref().map(|r| &r.questions));
    crate::domain::question::totals(&event.details.questions, answers)
        .into_iter()
        .map(|q| {
            let options: Vec<_> = q
                .options
                .iter()
                .map(|o| serde_json::json!({ "label": o.label.get(language), "count": o.count }))
                .collect();
            serde_json::json!({ "label": q.label.get(language), "options": options })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every address the domain takes can be written as a recipient: the
    /// same table as `domain::email_address`'s tests.
    #[test]
    fn every_address_the_domain_takes_can_be_sent_to() {
        for (raw, _) in crate::domain::email_address::tests::DELIVERABILITY {
            if let Ok(address) = crate::domain::email_address::EmailAddress::parse(raw) {
                let to = mailbox("Anne", address.as_str()).unwrap_or_else(|e| panic!("{raw}: {e:#}"));
                let message = lettre::Message::builder()
                    .from(mailbox("Convive", "convive@example.org").unwrap())
                    .to(to)
                    .subject("test")
                    .body(String::from("test"));
                assert!(message.is_ok(), "{raw}: {message:?}");
            }
        }
    }
    use crate::domain::email_address::EmailAddress;
    use crate::domain::event::{EventDetails, EventFields, EventStatus};
    use crate::storage::organisers::Notifications;

    fn event() -> Event {
        let details = EventDetails::try_from(EventFields {
            title: "Café".into(),
            venue_name: "Café".into(),
            starts_at: "2030-03-12T08:30".into(),
            ends_at: "2030-03-12T10:00".into(),
            time_zone: "Europe/Paris".into(),
            language: "fr".into(),
            ..Default::default()
        })
        .unwrap();
        let now = chrono::Utc::now();
        Event {
            id: Uuid::from_u128(7),
            organiser_id: Uuid::from_u128(1),
            details,
            status: EventStatus::Published,
            seats_taken: 0,
            sequence: 0,
            created_at: now,
            updated_at: now,
            series_id: None,
        }
    }

    fn guest(event: &Event) -> Guest {
        Guest {
            id: Uuid::from_u128(2),
            event_id: event.id,
            email: EmailAddress::from_stored("jane@example.org".into()),
            name: "Jane".into(),
            first_name: String::new(),
            language: None,
            reply: None,
            answered_at: None,
            waitlisted_at: None,
            created_at: event.created_at,
            token_salt: "salt".into(),
            checked_in_at: None,
            checked_in_companions: 0,
            walk_in: false,
        }
    }

    /// Headers with their folding undone.
    fn headers(message: &Message) -> String {
        let raw = String::from_utf8(message.formatted()).unwrap();
        let head = raw.split("\r\n\r\n").next().unwrap().to_owned();
        head.replace("\r\n ", " ").replace("\r\n\t", " ")
    }

    #[test]
    fn a_guest_email_offers_one_click_unsubscribe_by_link_and_by_mail() {
        let settings = Arc::new(Settings::defaults().unwrap());
        let key = SecretKey::generate();
        let composer = Composer::new(Arc::clone(&settings), key.clone(), Clock::system()).unwrap();
        let organiser = Organiser {
            id: Uuid::from_u128(1),
            name: "Anne".into(),
            email: EmailAddress::from_stored("anne@example.org".into()),
            notifications: Notifications::Off,
            language: None,
        };
        let (event, links) = (event(), Links::new(&settings.public_url));
        let guest = guest(&event);
        let message = composer
            .guest("<id@x>".into(), MailKind::Invitation, &event, &guest, &organiser, &GuestExtra::default())
            .unwrap();
        let token = unsubscribe_token(&key, guest.id);
        let sender = composer.sender().email.to_string();
        let headers = headers(&message);
        let expected = format!(
            "List-Unsubscribe: <{}>, <{}>",
            links.unsubscribe(&token),
            links::unsubscribe_mailto(&sender, &token)
        );
        assert!(headers.contains(&expected), "{expected}\nnot in:\n{headers}");
        assert!(headers.contains("X-Convive-Kind: invitation"), "{headers}");
    }

    /// The event's calendar object is written once for the emails that
    /// follow about the same event in the same second, and written again
    /// when anything of the event changed, or the second did.
    #[test]
    fn the_calendar_object_is_kept_only_while_the_event_and_second_are_the_same() {
        let settings = Arc::new(Settings::defaults().unwrap());
        let composer = Composer::new(settings, SecretKey::generate(), Clock::system()).unwrap();
        let now: DateTime<Utc> = "2030-03-01T09:00:00.100Z".parse().unwrap();
        let event = event();
        let first = composer.calendars_for(&event, ics::Method::Request, now);
        let later_that_second = now + chrono::Duration::milliseconds(800);
        assert!(Arc::ptr_eq(&first, &composer.calendars_for(&event, ics::Method::Request, later_that_second)));
        assert!(!Arc::ptr_eq(&first, &composer.calendars_for(&event, ics::Method::Cancel, now)));
        let mut renamed = event.clone();
        renamed.details.title = "Café du Palais".into();
        let changed = composer.calendars_for(&renamed, ics::Method::Request, now);
        let organizer = Organizer { name: "Anne", address: "anne@example.org" };
        assert!(changed.render(&organizer, None).contains("SUMMARY:Café du Palais\r\n"));
        let next_second = now + chrono::Duration::seconds(1);
        assert!(!Arc::ptr_eq(&changed, &composer.calendars_for(&renamed, ics::Method::Request, next_second)));
    }
}
