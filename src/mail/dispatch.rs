//! The dispatcher: claims due outbox rows, renders and sends each one outside
//! any transaction, and records the outcome. Temporary failures go back to
//! the queue with exponential backoff; permanent ones stop and show as failed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use lettre::message::Mailbox;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::context::{
    DigestChange, DigestTotals, EventContext, GuestLinks, GuestMail, NoteContext, OrganiserLinks, OrganiserMail,
    PersonContext, RegistrationLinks, RegistrationMail, local_time,
};
use super::message::{self, Envelope};
use super::templates::Templates;
use super::transport::{Mailer, SendError};
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::answer::Answer;
use crate::domain::event::{Event, Language};
use crate::domain::guest::Guest;
use crate::domain::mail::MailKind;
use crate::domain::token::{
    InvitationToken, SecretKey, guest_feed_token, login_token, registration_token, unsubscribe_token,
};
use crate::ics::{self, Attendee, Organizer};
use crate::storage::entities::outbox::Model as OutboxRow;
use crate::storage::organisers::Organiser;
use crate::storage::{self, Db};

/// Links into the service, built from the public base URL.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
}

impl Links {
    pub fn new(public_url: &url::Url) -> Self {
        Self { base: public_url.as_str().trim_end_matches('/').to_owned() }
    }

    /// Her page, where she reads and answers the invitation.
    pub fn invitation(&self, token: &InvitationToken) -> String {
        format!("{}/i/{}", self.base, token.as_str())
    }

    /// Her own copy of the event, with her answer in it.
    pub fn calendar(&self, token: &InvitationToken) -> String {
        format!("{}/i/{}/calendar.ics", self.base, token.as_str())
    }

    /// Her feed of the events she said yes to.
    pub fn guest_feed(&self, token: &str) -> String {
        format!("{}/feeds/guests/{token}.ics", self.base)
    }

    /// An organiser's feed of her events.
    pub fn organiser_feed(&self, token: &str) -> String {
        format!("{}/feeds/{token}.ics", self.base)
    }

    /// The public page of an open event.
    pub fn public_event(&self, event_id: Uuid) -> String {
        format!("{}/e/{event_id}", self.base)
    }

    /// An organiser's one-time sign-in link.
    pub fn login(&self, token: &str) -> String {
        format!("{}/login/{token}", self.base)
    }

    /// The link confirming an open registration.
    pub fn confirm_registration(&self, event_id: Uuid, token: &str) -> String {
        format!("{}/e/{event_id}/confirm/{token}", self.base)
    }

    pub fn unsubscribe(&self, token: &str) -> String {
        format!("{}/unsubscribe/{token}", self.base)
    }

    pub fn event(&self, event_id: Uuid) -> String {
        format!("{}/api/v1/events/{event_id}", self.base)
    }
}

/// The same address for calendar apps that subscribe on a `webcal://` link.
pub fn webcal(https: &str) -> String {
    format!("webcal://{}", https.split_once("://").map_or(https, |(_, rest)| rest))
}

/// What one dispatch pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: usize,
    pub skipped: usize,
    pub retried: usize,
    pub failed: usize,
}

enum Outcome {
    /// Accepted by the server; recorded for the whole batch at once.
    Sent(i64),
    Skipped,
    Retried,
    Failed,
}

enum Prepared {
    Send(Box<lettre::Message>),
    Skip(&'static str),
}

pub struct Dispatcher {
    db: Db,
    mailer: Mailer,
    templates: Templates,
    settings: Arc<Settings>,
    key: SecretKey,
    links: Links,
    clock: Clock,
    /// `mail_from`, parsed once.
    sender: Mailbox,
}

/// What a batch of rows refers to, loaded in a few queries.
struct Batch {
    events: HashMap<Uuid, Event>,
    organisers: HashMap<Uuid, Organiser>,
    guests: HashMap<Uuid, Guest>,
    unsubscribed: HashSet<(Uuid, String)>,
    /// Events where anyone was checked in: there, check-in says who came.
    checked_in: HashSet<Uuid>,
}

impl Dispatcher {
    /// # Errors
    /// When `mail_from` is not an address.
    pub fn new(db: Db, mailer: Mailer, settings: Arc<Settings>, key: SecretKey, clock: Clock) -> anyhow::Result<Self> {
        let links = Links::new(&settings.public_url);
        let sender = settings.mail_from.parse().context("mail_from is not an address")?;
        Ok(Self { db, mailer, templates: Templates::embedded(), settings, key, links, clock, sender })
    }

    /// Sends everything due now, batch after batch, until nothing is left or
    /// `keep_going` says to stop (shutdown): a batch once claimed is finished.
    pub async fn dispatch_due(&self, keep_going: &(dyn Fn() -> bool + Sync)) -> anyhow::Result<DispatchReport> {
        let mut report = DispatchReport::default();
        let lease = Duration::seconds(self.settings.dispatch_lease_seconds as i64);
        while keep_going() {
            let rows = storage::outbox::claim_due(&self.db, self.clock.now(), lease, self.settings.dispatch_batch_size)
                .await
                .context("cannot claim due emails")?;
            if rows.is_empty() {
                break;
            }
            let claimed_lease = rows[0].lease_until;
            let batch = self.load(&rows).await.context("cannot load what the emails refer to")?;
            let batch = &batch;
            let deliveries = rows.into_iter().map(|row| async move { self.deliver(&row, batch).await });
            let outcomes: Vec<Outcome> = futures::stream::iter(deliveries)
                .buffer_unordered(self.settings.smtp_pool_size as usize)
                .collect()
                .await;
            // One statement records every message the server accepted in this
            // batch (they share the claim's lease): a crash before it can send
            // at most this batch again, never lose it.
            let sent: Vec<i64> =
                outcomes.iter().filter_map(|o| if let Outcome::Sent(id) = o { Some(*id) } else { None }).collect();
            if let Some(lease) = claimed_lease {
                let marked = storage::outbox::mark_sent_many(&self.db, &sent, lease, self.clock.now())
                    .await
                    .context("cannot record sent emails")?;
                if marked != sent.len() as u64 {
                    tracing::warn!(
                        marked,
                        sent = sent.len(),
                        "some sent emails had lost their lease; they may go again"
                    );
                }
            }
            for outcome in outcomes {
                match outcome {
                    Outcome::Sent(_) => report.sent += 1,
                    Outcome::Skipped => report.skipped += 1,
                    Outcome::Retried => report.retried += 1,
                    Outcome::Failed => report.failed += 1,
                }
            }
        }
        Ok(report)
    }

    async fn load(&self, rows: &[OutboxRow]) -> anyhow::Result<Batch> {
        let event_ids: HashSet<Uuid> = rows.iter().filter_map(|r| r.event_id).collect();
        let organiser_ids: HashSet<Uuid> = rows.iter().map(|r| r.organiser_id).collect();
        let guest_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.guest_id).collect();
        let mut events = HashMap::new();
        for id in event_ids {
            match storage::events::find_by_id(&*self.db, id).await {
                Ok(event) => {
                    events.insert(id, event);
                }
                // Deleted meanwhile: its rows are skipped. Any other error
                // aborts the batch, whose leases return it to the queue.
                Err(storage::StorageError::NotFound(_)) => {}
                Err(err) => return Err(anyhow::Error::new(err).context("cannot load an event")),
            }
        }
        let organisers: HashMap<Uuid, Organiser> =
            storage::organisers::find_many(&*self.db, organiser_ids.iter().copied())
                .await?
                .into_iter()
                .map(|o| (o.id, o))
                .collect();
        let guests: HashMap<Uuid, Guest> =
            storage::guests::find_many(&self.db, &guest_ids).await?.into_iter().map(|g| (g.id, g)).collect();
        let mut unsubscribed = HashSet::new();
        for organiser_id in organiser_ids {
            let emails: Vec<String> = rows
                .iter()
                .filter(|r| r.organiser_id == organiser_id && r.guest_id.is_some())
                .map(|r| r.recipient.clone())
                .collect();
            for email in storage::unsubscribes::among(&*self.db, organiser_id, &emails).await? {
                unsubscribed.insert((organiser_id, email));
            }
        }
        let event_ids: Vec<Uuid> = events.keys().copied().collect();
        let checked_in = storage::check_in::events_with_check_ins(&*self.db, &event_ids).await?;
        Ok(Batch { events, organisers, guests, unsubscribed, checked_in })
    }

    async fn deliver(&self, row: &OutboxRow, batch: &Batch) -> Outcome {
        // A claim about to expire is left alone: another process may take the
        // row over any moment, and sending now could send it twice.
        let margin = Duration::seconds(self.settings.dispatch_lease_seconds as i64 / 10).min(Duration::seconds(5));
        if row.lease_until.is_none_or(|until| until - self.clock.now() < margin) {
            return Outcome::Retried;
        }
        match self.prepare(row, batch).await {
            Err(err) => {
                // Usually the database: worth retrying. A rendering bug ends
                // up failed after the last attempt, with its cause shown.
                tracing::error!(outbox_id = row.id, kind = %row.kind, error = format!("{err:#}"), "cannot prepare email");
                let error = format!("{err:#}");
                if row.attempts >= self.settings.dispatch_max_attempts as i32 {
                    Self::record(storage::outbox::mark_failed(&self.db, row, &error).await, Outcome::Failed)
                } else {
                    let retry_at = self.clock.now() + backoff(row.attempts);
                    Self::record(storage::outbox::mark_retry(&self.db, row, &error, retry_at).await, Outcome::Retried)
                }
            }
            Ok(Prepared::Skip(why)) => {
                Self::record(storage::outbox::mark_skipped(&self.db, row, why).await, Outcome::Skipped)
            }
            Ok(Prepared::Send(message)) => match self.mailer.send(*message).await {
                Ok(()) => Outcome::Sent(row.id),
                Err(SendError::Permanent(error)) => {
                    tracing::warn!(outbox_id = row.id, recipient = %row.recipient, %error, "email refused for good");
                    Self::record(storage::outbox::mark_failed(&self.db, row, &error).await, Outcome::Failed)
                }
                Err(SendError::Temporary(error)) if row.attempts >= self.settings.dispatch_max_attempts as i32 => {
                    tracing::warn!(outbox_id = row.id, %error, attempts = row.attempts, "email failed too many times");
                    Self::record(storage::outbox::mark_failed(&self.db, row, &error).await, Outcome::Failed)
                }
                Err(SendError::Temporary(error)) => {
                    let retry_at = self.clock.now() + backoff(row.attempts);
                    tracing::info!(outbox_id = row.id, %error, %retry_at, "email will be retried");
                    Self::record(storage::outbox::mark_retry(&self.db, row, &error, retry_at).await, Outcome::Retried)
                }
            },
        }
    }

    /// Recording an outcome can fail too (the database went away): the lease
    /// then returns the row to the queue, so log and carry on.
    fn record(result: storage::Result<bool>, outcome: Outcome) -> Outcome {
        match result {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!("an email's lease ran out before its outcome was recorded; it is back in the queue");
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot record an email's outcome; its lease will return it to the queue");
            }
        }
        outcome
    }

    async fn prepare(&self, row: &OutboxRow, batch: &Batch) -> anyhow::Result<Prepared> {
        let kind = MailKind::parse(&row.kind).with_context(|| format!("unknown email kind {:?}", row.kind))?;
        let organiser = batch.organisers.get(&row.organiser_id).context("the organiser is gone")?;
        if kind == MailKind::LoginLink {
            return self.prepare_login_link(row, organiser);
        }
        let Some(event) = row.event_id.and_then(|id| batch.events.get(&id)) else {
            return Ok(Prepared::Skip("the event is gone"));
        };
        let organiser_context = PersonContext { name: organiser.name.clone(), email: organiser.email.to_string() };
        if kind.to_organiser() {
            return self.prepare_for_organiser(row, kind, event, organiser_context).await;
        }
        if kind == MailKind::RegistrationConfirm {
            return self.prepare_registration(row, event, organiser).await;
        }
        let Some(guest) = row.guest_id.and_then(|id| batch.guests.get(&id)) else {
            return Ok(Prepared::Skip("the guest was removed"));
        };
        if batch.unsubscribed.contains(&(row.organiser_id, row.recipient.clone())) {
            return Ok(Prepared::Skip("unsubscribed"));
        }
        if !kind.still_relevant(event, guest, batch.checked_in.contains(&event.id)) {
            return Ok(Prepared::Skip("no longer relevant"));
        }
        let token = InvitationToken::derive(&self.key, guest.id, &guest.token_salt);
        let invitation = self.links.invitation(&token);
        let unsubscribe = unsubscribe_token(&self.key, guest.id);
        let feed = self.links.guest_feed(&guest_feed_token(&self.key, guest.id));
        let links = GuestLinks {
            webcal: webcal(&feed),
            feed,
            yes: format!("{invitation}?answer=yes"),
            no: format!("{invitation}?answer=no"),
            maybe: format!("{invitation}?answer=maybe"),
            calendar: self.links.calendar(&token),
            unsubscribe: self.links.unsubscribe(&unsubscribe),
            invitation,
        };
        let position = if kind == MailKind::Waitlisted {
            storage::guests::waitlist_position(&*self.db, guest).await?
        } else {
            None
        };
        let context = GuestMail::new(event, guest, organiser_context, links, position).with_words_for(kind, event);
        let language = guest.language.unwrap_or(event.details.language);
        let rendered = self.templates.render(kind, language, &context)?;
        let calendar = kind.calendar_part().map(|part| {
            let method = ics::Method::from(part);
            let reply_to = self.settings.calendar_reply_address(organiser.email.as_str());
            let text = ics::render(
                event,
                method,
                &Organizer { name: &organiser.name, address: &reply_to },
                Some(&Attendee::of(guest)),
                self.clock.now(),
            );
            (method, text)
        });
        let mailto = self.sender.email.to_string();
        let envelope = Envelope {
            from: self.sender.clone(),
            to: mailbox(&guest.name, guest.email.as_str())?,
            reply_to: Some(mailbox(&organiser.name, organiser.email.as_str())?),
            message_id: self.message_id(row),
            kind: kind.as_str(),
            unsubscribe: Some((
                format!("mailto:{mailto}?subject=unsubscribe%20{unsubscribe}"),
                self.links.unsubscribe(&unsubscribe),
            )),
        };
        let message = message::build(&envelope, &rendered, calendar.as_ref().map(|(m, t)| (*m, t.as_str())))?;
        Ok(Prepared::Send(Box::new(message)))
    }

    /// Her sign-in link. Not re-checked at send time: a used or expired
    /// link fails on its own, and the email says how long it works.
    fn prepare_login_link(&self, row: &OutboxRow, organiser: &Organiser) -> anyhow::Result<Prepared> {
        #[derive(serde::Deserialize)]
        struct Payload {
            lang: String,
        }
        let payload: Payload = serde_json::from_str(&row.payload).context("bad sign-in payload")?;
        let language = Language::parse(&payload.lang).unwrap_or(Language::En);
        let context = serde_json::json!({
            "lang": language.as_str(),
            "organiser": PersonContext { name: organiser.name.clone(), email: organiser.email.to_string() },
            "links": { "login": self.links.login(&login_token(&self.key, row.subject_id)) },
            "minutes": storage::sessions::LOGIN_LINK_VALIDITY.num_minutes(),
            // The shared layout titles the message with an event's title.
            "event": { "title": "Convive" },
        });
        let rendered = self.templates.render(MailKind::LoginLink, language, &context)?;
        let envelope = Envelope {
            from: self.sender.clone(),
            to: mailbox(&organiser.name, organiser.email.as_str())?,
            reply_to: None,
            message_id: self.message_id(row),
            kind: MailKind::LoginLink.as_str(),
            unsubscribe: None,
        };
        Ok(Prepared::Send(Box::new(message::build(&envelope, &rendered, None)?)))
    }

    async fn prepare_registration(
        &self,
        row: &OutboxRow,
        event: &Event,
        organiser: &Organiser,
    ) -> anyhow::Result<Prepared> {
        let registration = match storage::registrations::find(&*self.db, row.subject_id).await {
            Ok(registration) => registration,
            Err(storage::StorageError::NotFound(_)) => return Ok(Prepared::Skip("the registration is gone")),
            Err(err) => return Err(anyhow::Error::new(err).context("cannot load the registration")),
        };
        if registration.confirmed_at.is_some() {
            return Ok(Prepared::Skip("already confirmed"));
        }
        let language = registration.language.unwrap_or(event.details.language);
        let token = registration_token(&self.key, registration.id);
        let context = RegistrationMail {
            lang: language.as_str(),
            name: registration.name.clone(),
            email: registration.email.to_string(),
            organiser: PersonContext { name: organiser.name.clone(), email: organiser.email.to_string() },
            event: EventContext::new(event, language),
            links: RegistrationLinks { confirm: self.links.confirm_registration(event.id, &token) },
        };
        let rendered = self.templates.render(MailKind::RegistrationConfirm, language, &context)?;
        let envelope = Envelope {
            from: self.sender.clone(),
            to: mailbox(&registration.name, registration.email.as_str())?,
            reply_to: Some(mailbox(&organiser.name, organiser.email.as_str())?),
            message_id: self.message_id(row),
            kind: MailKind::RegistrationConfirm.as_str(),
            unsubscribe: None,
        };
        Ok(Prepared::Send(Box::new(message::build(&envelope, &rendered, None)?)))
    }

    async fn prepare_for_organiser(
        &self,
        row: &OutboxRow,
        kind: MailKind,
        event: &Event,
        organiser: PersonContext,
    ) -> anyhow::Result<Prepared> {
        let language = event.details.language;
        let mut context = OrganiserMail {
            lang: language.as_str(),
            organiser: organiser.clone(),
            event: EventContext::new(event, language),
            links: OrganiserLinks { event: self.links.event(event.id) },
            note: None,
            changes: None,
            totals: None,
        };
        if kind == MailKind::OrganiserNote {
            context.note = Some(serde_json::from_str::<NoteContext>(&row.payload).context("bad note payload")?);
        } else {
            let since = row.due_at - Duration::days(1);
            let (changes, totals) = self.digest(event, since, row.due_at).await?;
            if changes.is_empty() {
                return Ok(Prepared::Skip("nothing happened"));
            }
            context.changes = Some(changes);
            context.totals = Some(totals);
        }
        let rendered = self.templates.render(kind, language, &context)?;
        let envelope = Envelope {
            from: self.sender.clone(),
            to: mailbox(&organiser.name, &organiser.email)?,
            reply_to: None,
            message_id: self.message_id(row),
            kind: kind.as_str(),
            unsubscribe: None,
        };
        Ok(Prepared::Send(Box::new(message::build(&envelope, &rendered, None)?)))
    }

    async fn digest(
        &self,
        event: &Event,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> anyhow::Result<(Vec<DigestChange>, DigestTotals)> {
        let history = storage::answers::history(&self.db, event.id).await?;
        let guests: HashMap<Uuid, Guest> =
            storage::guests::list(&self.db, event.id).await?.into_iter().map(|(g, _)| (g.id, g)).collect();
        let mut previous: HashMap<Uuid, Answer> = HashMap::new();
        let mut changes = Vec::new();
        for change in history {
            let before = previous.insert(change.guest_id, change.reply.answer);
            if change.changed_at <= since || change.changed_at > until {
                continue;
            }
            let guest = guests.get(&change.guest_id);
            changes.push(DigestChange {
                guest_name: guest.map(|g| g.name.clone()).unwrap_or_default(),
                guest_email: guest.map(|g| g.email.to_string()).unwrap_or_default(),
                answer: change.reply.answer.as_str().to_owned(),
                previous_answer: before.map(|a| a.as_str().to_owned()),
                companions: change.reply.companions,
                comment: change.reply.comment.clone(),
                changed_at_local: local_time(change.changed_at, event),
            });
        }
        let counts = storage::events::counts(&*self.db, &[event.id]).await?.remove(&event.id).unwrap_or_default();
        let totals = DigestTotals {
            yes: counts.yes,
            no: counts.no,
            maybe: counts.maybe,
            not_answered: counts.invited - counts.answered,
            seats_left: event.details.capacity.map(|c| u64::from(c).saturating_sub(counts.seats_taken)),
        };
        Ok((changes, totals))
    }

    /// Stable for the row: a retry or a resend after a crash carries the same
    /// Message-ID, so receiving servers and clients can drop the duplicate.
    fn message_id(&self, row: &OutboxRow) -> String {
        let domain = self.sender.email.domain();
        let digest = Sha256::digest(format!("{}:{}:{}:{}", row.id, row.subject_id, row.kind, row.slot));
        format!("<convive.{}.{}@{domain}>", row.id, &hex::encode(digest)[..16])
    }
}

fn mailbox(name: &str, address: &str) -> anyhow::Result<Mailbox> {
    let address = address.parse().with_context(|| format!("{address:?} is not an address"))?;
    let name = name.trim();
    Ok(Mailbox::new((!name.is_empty()).then(|| name.to_owned()), address))
}

/// 5 s, 10 s, 20 s, … doubling up to an hour.
fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 20) - 1;
    Duration::seconds((5_i64 << exponent).min(3600))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let seconds: Vec<i64> = (1..=12).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(seconds, [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]);
    }
}
